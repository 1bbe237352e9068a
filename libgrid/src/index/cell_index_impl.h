// The inside of a CellIndex, shared by its construction, its lookups and its file.
#pragma once

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <memory>
#include <string>
#include <vector>

#include "internal/banded_edges.h"
#include "internal/level_quadtree.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/index/cell_index.h"

namespace libgrid {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using RPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using RBox = bg::model::box<RPoint>;
using RValue = std::pair<RBox, CellId>;
using RTree = bgi::rtree<RValue, bgi::rstar<16>>;

struct CellIndex::Impl {
  int level_count = 0;
  std::vector<std::string> level_names;
  std::string crs;
  std::uint64_t grid_set_fingerprint = 0;
  std::uint64_t file_checksum = 0;  // of the file loaded, 0 when built
  std::size_t sort_batches_from_bytes = CellIndex::Options{}.sort_batches_from_bytes;
  std::shared_ptr<const void> file_bytes;  // the loaded file the arrays view, when loaded
  internal::FlatArray<CellId> parent;
  internal::FlatArray<std::int32_t> level;
  internal::BandedEdges edges;
  bool accelerated = false;
  internal::LevelQuadtrees trees;  // the accelerated path
  std::vector<RTree> rtrees;       // the plain path, and building the trees

  // Boundary versions: the minute each comes into force, earliest first (empty for a grid set of
  // one version). This Impl answers the latest version; every earlier one has an Impl of its own
  // that views this one's cells and edges and holds only its own trees.
  std::vector<LocalMinutes> version_starts;
  std::vector<std::unique_ptr<Impl>> earlier;

  // The version in force at t (-1 before the first; 0 without versions), and its Impl.
  int version_at(LocalMinutes t) const {
    if (version_starts.empty()) return 0;
    return static_cast<int>(std::upper_bound(version_starts.begin(), version_starts.end(), t) -
                            version_starts.begin()) -
           1;
  }
  const Impl& of_version(int v) const {
    return static_cast<std::size_t>(v) + 1 >= version_starts.size()
               ? *this
               : *earlier[static_cast<std::size_t>(v)];
  }

  // The search structure of one version: the R-trees and, accelerated, the quadtrees over the
  // cells in force (every cell when `in_force` is empty). The cells and edges must be set.
  void build_search(const GridSet& grids, const std::vector<char>& in_force,
                    const Options& options);
  // lookup() for a batch, with threads; `index_bytes` (the whole index's) decides the sort.
  void lookup_batch(std::span<const double> x, std::span<const double> y, std::span<CellId> out,
                    std::size_t index_bytes, int threads) const;

  // An Impl for another version of the same cells: views `base`'s cell table and edges, which
  // must outlive it, and has no search structure yet.
  static std::unique_ptr<Impl> viewing(const Impl& base) {
    auto m = std::make_unique<Impl>();
    m->level_count = base.level_count;
    m->level_names = base.level_names;
    m->crs = base.crs;
    m->grid_set_fingerprint = base.grid_set_fingerprint;
    m->sort_batches_from_bytes = base.sort_batches_from_bytes;
    m->parent = view(base.parent);
    m->level = view(base.level);
    m->edges.vertices = view(base.edges.vertices);
    m->edges.cells = view(base.edges.cells);
    m->edges.band_offsets = view(base.edges.band_offsets);
    m->edges.band_edges = view(base.edges.band_edges);
    return m;
  }
  template <typename T>
  static internal::FlatArray<T> view(const internal::FlatArray<T>& a) {
    return internal::FlatArray<T>::view(a.data(), a.size());
  }

  // The accelerated path: one tree walk, and exact tests only in candidate leaves. Sets
  // `none_coarser`, when given, where p is in an empty leaf that no coarser level has a cell in.
  CellId find_in_tree(int lvl, Point p, bool* none_coarser = nullptr) const {
    const std::uint32_t entry = trees.leaf(lvl, p);
    const internal::Leaf kind = internal::leaf_kind(entry);
    if (kind == internal::Leaf::kInside) return static_cast<CellId>(internal::leaf_payload(entry));
    if (kind == internal::Leaf::kEmpty) {
      if (none_coarser != nullptr) {
        *none_coarser = internal::leaf_payload(entry) == internal::kNoCoarserCell;
      }
      return kNoCell;
    }
    const std::uint32_t at = internal::leaf_payload(entry);
    for (std::uint32_t i = 1, n = trees.candidates[at]; i <= n; ++i) {
      const auto id = static_cast<CellId>(trees.candidates[at + i]);
      if (edges.holds(id, p)) return id;
    }
    return kNoCell;
  }

  // Every cell of `lvl` holding p, in increasing id order.
  std::vector<CellId> holders(int lvl, Point p) const {
    std::vector<CellId> held;
    if (accelerated) {
      const std::uint32_t entry = trees.leaf(lvl, p);
      if (internal::leaf_kind(entry) == internal::Leaf::kInside) {
        held.push_back(static_cast<CellId>(internal::leaf_payload(entry)));
      } else if (internal::leaf_kind(entry) == internal::Leaf::kCandidates) {
        const std::uint32_t at = internal::leaf_payload(entry);
        for (std::uint32_t i = 1; i <= trees.candidates[at]; ++i) {
          const auto id = static_cast<CellId>(trees.candidates[at + i]);
          if (edges.holds(id, p)) held.push_back(id);
        }
      }
      return held;
    }
    const RPoint q(p.x, p.y);
    const RTree& tree = rtrees[static_cast<std::size_t>(lvl)];
    for (auto it = tree.qbegin(bgi::intersects(q)); it != tree.qend(); ++it) {
      if (edges.holds(it->second, p)) held.push_back(it->second);
    }
    std::sort(held.begin(), held.end());
    return held;
  }

  CellId find_in_level(int lvl, Point p) const {
    if (accelerated) return find_in_tree(lvl, p);
    const std::vector<CellId> held = holders(lvl, p);
    return held.empty() ? kNoCell : held.front();
  }

  CellId lookup(Point p) const { return lookup_below(level_count, p); }

  // lookup() for many points with many in flight (index/interleaved_lookup.cpp): out[k] for
  // k = order[i] (or i when order is null), i < n. REQUIRES: accelerated, level_count > 0.
  void lookup_interleaved(const double* x, const double* y, const std::uint32_t* order,
                          std::size_t n, CellId* out) const;

  // lookup() over the levels coarser than `level` only.
  CellId lookup_below(int level, Point p) const {
    for (int lvl = level - 1; lvl >= 0; --lvl) {
      bool none_coarser = false;
      const CellId id = accelerated ? find_in_tree(lvl, p, &none_coarser) : find_in_level(lvl, p);
      if (id != kNoCell || none_coarser) return id;
    }
    return kNoCell;
  }
};

}  // namespace libgrid
