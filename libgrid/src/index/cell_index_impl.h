// The inside of a CellIndex, shared by its construction, its lookups and its file.
#pragma once

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <memory>
#include <string>
#include <vector>

#include "internal/banded_edges.h"
#include "internal/level_quadtree.h"
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

  // The accelerated path: one tree walk, and exact tests only in candidate leaves.
  CellId find_in_tree(int lvl, Point p) const {
    const std::uint32_t entry = trees.leaf(lvl, p);
    const internal::Leaf kind = internal::leaf_kind(entry);
    if (kind == internal::Leaf::kInside) return static_cast<CellId>(internal::leaf_payload(entry));
    if (kind == internal::Leaf::kEmpty) return kNoCell;
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
      const CellId id = find_in_level(lvl, p);
      if (id != kNoCell) return id;
    }
    return kNoCell;
  }
};

}  // namespace libgrid
