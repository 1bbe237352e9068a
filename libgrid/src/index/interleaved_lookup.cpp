// Batch lookup with many points in flight: each point walks its quadtree, candidate list and
// banded edges as a small state machine, and every step prefetches what the next one reads, so
// the memory latency of one point overlaps the work of the others (asynchronous memory access
// chaining). Answers are those of CellIndex::Impl::lookup, point for point.
#include "index/cell_index_impl.h"

namespace libgrid {
namespace {

using internal::BandedEdges;
using internal::Leaf;
using internal::leaf_kind;
using internal::leaf_payload;
using internal::LevelQuadtrees;
using internal::QuadtreeLevel;

// Points in flight: enough to cover a memory round trip with the work of the others.
constexpr int kInFlight = 32;

// How far ahead of the walks a sorted batch fetches its points and the places of their answers.
constexpr std::size_t kPointsAhead = 2 * static_cast<std::size_t>(kInFlight);

template <typename T>
inline void prefetch(const T* address) {
  __builtin_prefetch(static_cast<const void*>(address), 0, 3);
}

template <typename T>
inline void prefetch_write(T* address) {
  __builtin_prefetch(static_cast<void*>(address), 1, 3);
}

enum class Step : std::uint8_t { kTree, kCandidates, kCell, kBand, kDone };

struct Walk {
  std::size_t index = 0;  // into out
  Point p{};
  Step step = Step::kDone;
  std::uint32_t ix = 0, iy = 0;
  int shift = 0;
  const std::uint32_t* entry = nullptr;  // the tree entry to read next
  std::uint32_t list = 0;                // candidate list: its position ...
  std::uint32_t next = 0;                // ... and the next candidate in it (1-based)
  CellId cell = kNoCell;
  std::uint32_t band = 0;
};

}  // namespace

void CellIndex::Impl::lookup_interleaved(const double* x, const double* y,
                                         const std::uint32_t* order, std::size_t n,
                                         CellId* out) const {
  const Impl& impl = *this;
  const int finest = impl.level_count - 1;
  const LevelQuadtrees& trees = impl.trees;
  const QuadtreeLevel& q = trees.levels[static_cast<std::size_t>(finest)];
  const BandedEdges& edges = impl.edges;

  // Where the finest level has no cell, coarser levels may: the one-point path finishes those,
  // unless the point's empty leaf says that none has one there (`none_coarser`).
  auto finish = [&](Walk& w, CellId found, bool none_coarser = false) {
    out[w.index] =
        found != kNoCell || finest == 0 || none_coarser ? found : impl.lookup_below(finest, w.p);
    w.step = Step::kDone;
  };
  auto start = [&](Walk& w, std::size_t i) {
    const std::size_t k = order != nullptr ? order[i] : i;
    // A sorted batch reads its points and writes their answers out of order: fetch ahead.
    if (order != nullptr && i + kPointsAhead < n) {
      const std::size_t ahead = order[i + kPointsAhead];
      prefetch(&x[ahead]);
      prefetch(&y[ahead]);
      prefetch_write(&out[ahead]);
    }
    w.index = k;
    w.p = Point{x[k], y[k]};
    const double fx = (w.p.x - q.origin_x) * q.scale;
    const double fy = (w.p.y - q.origin_y) * q.scale;
    if (!(fx >= 0.0 && fy >= 0.0 && fx < q.span && fy < q.span)) {
      finish(w, kNoCell);
      return;
    }
    w.ix = static_cast<std::uint32_t>(fx);
    w.iy = static_cast<std::uint32_t>(fy);
    w.shift = static_cast<int>(q.depth_bits) - 1;
    w.entry =
        &trees.top[q.first_top + ((w.iy >> q.depth_bits) << q.top_bits) + (w.ix >> q.depth_bits)];
    prefetch(w.entry);
    w.step = Step::kTree;
  };
  auto next_candidate = [&](Walk& w) {
    if (w.next > trees.candidates[w.list]) {
      finish(w, kNoCell);
      return;
    }
    w.cell = static_cast<CellId>(trees.candidates[w.list + w.next]);
    ++w.next;
    prefetch(&edges.cells[static_cast<std::size_t>(w.cell)]);
    w.step = Step::kCell;
  };
  auto advance = [&](Walk& w) {
    switch (w.step) {
      case Step::kTree: {
        const std::uint32_t entry = *w.entry;
        switch (leaf_kind(entry)) {
          case Leaf::kInternal: {
            const std::uint32_t child = (((w.iy >> w.shift) & 1u) << 1) | ((w.ix >> w.shift) & 1u);
            --w.shift;
            w.entry = &trees.nodes[leaf_payload(entry) + child];
            prefetch(w.entry);
            return;
          }
          case Leaf::kInside:
            finish(w, static_cast<CellId>(leaf_payload(entry)));
            return;
          case Leaf::kEmpty:
            finish(w, kNoCell, leaf_payload(entry) == internal::kNoCoarserCell);
            return;
          case Leaf::kCandidates:
            w.list = leaf_payload(entry);
            w.next = 1;
            prefetch(&trees.candidates[w.list]);
            w.step = Step::kCandidates;
            return;
        }
        return;
      }
      case Step::kCandidates:
        next_candidate(w);
        return;
      case Step::kCell:
        w.band = edges.band_index(edges.cells[static_cast<std::size_t>(w.cell)], w.p);
        prefetch(&edges.band_offsets[w.band]);
        w.step = Step::kBand;
        return;
      case Step::kBand:
        // The band's edges and their first vertices come in with the test itself: they lie
        // together, and most bands hold a handful of edges.
        if (edges.crossings_odd(w.band, w.p)) {
          finish(w, w.cell);
        } else {
          next_candidate(w);
        }
        return;
      case Step::kDone:
        return;
    }
  };

  Walk walks[kInFlight];
  std::size_t started = 0;
  int active = 0;
  for (Walk& w : walks) {
    while (started < n && w.step == Step::kDone) start(w, started++);
    active += w.step != Step::kDone;
  }
  while (active > 0) {
    active = 0;
    for (Walk& w : walks) {
      if (w.step == Step::kDone) continue;
      advance(w);
      while (w.step == Step::kDone && started < n) start(w, started++);
      active += w.step != Step::kDone;
    }
  }
}

}  // namespace libgrid
