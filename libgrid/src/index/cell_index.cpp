#include "libgrid/index/cell_index.h"

#include <algorithm>
#include <thread>

#include "index/cell_index_impl.h"
#include "libgrid/error.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/thread_count.h"

namespace libgrid {
CellIndex::CellIndex(const GridSet& grids, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.level_count = static_cast<int>(grids.levels().size());
  m.level_names = grids.levels();
  m.crs = grids.crs();
  m.grid_set_fingerprint = grids.fingerprint();
  m.sort_batches_from_bytes = options.sort_batches_from_bytes;
  std::vector<CellId> parent;
  std::vector<std::int32_t> level;
  std::vector<std::vector<RValue>> boxes(static_cast<std::size_t>(m.level_count));
  std::vector<Box> extent(static_cast<std::size_t>(m.level_count));
  std::vector<std::size_t> count(static_cast<std::size_t>(m.level_count), 0);
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const Cell& cell = grids.cells()[i];
    parent.push_back(cell.parent);
    level.push_back(cell.level);
    const Box b = envelope(cell.geometry);
    if (b.empty()) continue;
    const auto l = static_cast<std::size_t>(cell.level);
    boxes[l].emplace_back(RBox(RPoint(b.min_x, b.min_y), RPoint(b.max_x, b.max_y)),
                          static_cast<CellId>(i));
    extent[l].expand(b);
    ++count[l];
  }
  m.parent = internal::FlatArray<CellId>(std::move(parent));
  m.level = internal::FlatArray<std::int32_t>(std::move(level));
  m.edges = internal::BandedEdges::build(grids, options.bands_per_cell);
  for (auto& level_boxes : boxes) m.rtrees.emplace_back(level_boxes.begin(), level_boxes.end());
  if (!options.accelerated) return;

  std::vector<std::vector<internal::QuadtreeEdge>> level_edges(
      static_cast<std::size_t>(m.level_count));
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const Cell& cell = grids.cells()[i];
    auto& out = level_edges[static_cast<std::size_t>(cell.level)];
    for (const auto& polygon : cell.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
          out.push_back({ring[k], ring[k + 1], static_cast<CellId>(i)});
        }
      }
    }
  }
  internal::QuadtreeOptions tree_options;
  if (options.compact) tree_options.boundary_depth_bits = 1;
  m.trees = internal::build_level_quadtrees(
      level_edges, extent, count, [&m](int lvl, Point p) { return m.holders(lvl, p); },
      tree_options);
  m.accelerated = true;
  m.rtrees.clear();  // the trees answer everything from here on
}

namespace {

// The points' indices in the row-major order of the finest level's top-grid cells, in which
// the trees are laid out. A radix sort of (cell, index) words: every pass reads in sequence.
std::vector<std::uint32_t> top_cell_order(std::span<const double> x, std::span<const double> y,
                                          const internal::QuadtreeLevel& q) {
  const std::size_t n = x.size();
  std::vector<std::uint64_t> words(n), sorted(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double fx = (x[i] - q.origin_x) * q.scale;
    const double fy = (y[i] - q.origin_y) * q.scale;
    const bool inside = fx >= 0.0 && fy >= 0.0 && fx < q.span && fy < q.span;
    const std::uint64_t cell =
        inside ? ((static_cast<std::uint32_t>(fy) >> q.depth_bits) << q.top_bits) |
                     (static_cast<std::uint32_t>(fx) >> q.depth_bits)
               : 0;
    words[i] = (cell << 32) | i;
  }
  std::vector<std::size_t> counts(2048 + 1);
  for (int shift = 32; shift < 54; shift += 11) {  // 2^11 x 2^11 is the largest top grid
    std::fill(counts.begin(), counts.end(), 0);
    for (const std::uint64_t w : words) ++counts[((w >> shift) & 2047) + 1];
    for (std::size_t k = 1; k < counts.size(); ++k) counts[k] += counts[k - 1];
    for (const std::uint64_t w : words) sorted[counts[(w >> shift) & 2047]++] = w;
    words.swap(sorted);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(words[i]);
  return order;
}

}  // namespace

CellIndex::CellIndex() : impl_(std::make_unique<Impl>()) {}
CellIndex::~CellIndex() = default;
CellIndex::CellIndex(CellIndex&&) noexcept = default;
CellIndex& CellIndex::operator=(CellIndex&&) noexcept = default;

CellId CellIndex::lookup(Point p) const { return impl_->lookup(p); }

void CellIndex::lookup(std::span<const double> x, std::span<const double> y, std::span<CellId> out,
                       int threads) const {
  if (x.size() != y.size() || x.size() != out.size()) {
    throw Error(ErrorKind::kInvalidInput, "lookup: x, y and out must have the same length");
  }
  const std::size_t n = x.size();
  std::size_t workers = worker_count(threads);
  // Below a few thousand points a thread costs more than it saves.
  workers = std::min(workers, std::max<std::size_t>(1, n / 4096));
  auto run = [&](std::size_t begin, std::size_t end) {
    // Visited in the order of their top-grid cell, points read the trees (laid out in that
    // order) almost sequentially, and neighbours share edges while they are in cache. A small
    // index gains nothing from the sort and pays for it.
    if (!impl_->accelerated || impl_->level_count == 0) {
      for (std::size_t i = begin; i < end; ++i) out[i] = impl_->lookup({x[i], y[i]});
      return;
    }
    if (end - begin < 4096 || memory_bytes() < impl_->sort_batches_from_bytes) {
      impl_->lookup_interleaved(x.data() + begin, y.data() + begin, nullptr, end - begin,
                                out.data() + begin);
      return;
    }
    const std::size_t n = end - begin;
    const std::vector<std::uint32_t> order =
        top_cell_order(x.subspan(begin, n), y.subspan(begin, n),
                       impl_->trees.levels[static_cast<std::size_t>(impl_->level_count - 1)]);
    impl_->lookup_interleaved(x.data() + begin, y.data() + begin, order.data(), n,
                              out.data() + begin);
  };
  if (workers <= 1) {
    run(0, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t chunk = (n + workers - 1) / workers;
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t begin = w * chunk;
    const std::size_t end = std::min(n, begin + chunk);
    if (begin < end) pool.emplace_back(run, begin, end);
  }
  for (auto& t : pool) t.join();
}

CellId CellIndex::lookup_level(Point p, int level) const {
  if (level < 0 || level >= impl_->level_count) return kNoCell;
  return impl_->find_in_level(level, p);
}

std::vector<CellId> CellIndex::cells_holding(Point p, int level) const {
  if (level < 0 || level >= impl_->level_count) return {};
  return impl_->holders(level, p);
}

std::vector<CellId> CellIndex::path(CellId finest) const {
  std::vector<CellId> ids;
  for (CellId c = finest; c != kNoCell; c = impl_->parent[static_cast<std::size_t>(c)]) {
    ids.push_back(c);
  }
  std::reverse(ids.begin(), ids.end());
  return ids;
}

int CellIndex::level_count() const { return impl_->level_count; }
std::size_t CellIndex::cell_count() const { return impl_->parent.size(); }

const std::vector<std::string>& CellIndex::level_names() const { return impl_->level_names; }
const std::string& CellIndex::crs() const { return impl_->crs; }
std::uint64_t CellIndex::grid_set_fingerprint() const { return impl_->grid_set_fingerprint; }

std::size_t CellIndex::memory_bytes() const {
  const Impl& m = *impl_;
  std::size_t bytes = m.parent.bytes() + m.level.bytes() + m.edges.bytes() + m.trees.bytes();
  // An R-star tree node holds up to 16 boxes; about 1.5 nodes' worth of space per entry.
  for (const auto& tree : m.rtrees) bytes += tree.size() * (sizeof(RValue) * 3 / 2);
  return bytes;
}

}  // namespace libgrid
