// An adaptive quadtree per level of a grid set, over a square around the level's extent.
//
// Each leaf is one of: inside exactly one cell (the answer, with no geometry test), empty (no
// cell of the level), or a short list of candidate cells to test exactly. A leaf is "inside" or
// "empty" only when no edge of the level reaches its box inflated by a margin far above any
// rounding in locating a point's leaf, so every point of the leaf has the same answer as its
// centre, which is computed exactly when the tree is built. Candidates are every cell with an
// edge reaching the leaf plus every cell holding its centre.
//
// The top of each tree is a full grid of 2^top_bits x 2^top_bits nodes read by direct index;
// below it, internal nodes point at four consecutive children.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "internal/flat_array.h"
#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"
#include "libgrid/model/cell.h"

namespace libgrid::internal {

struct QuadtreeLevel {
  double origin_x = 0.0;
  double origin_y = 0.0;
  double scale = 0.0;  // finest grid units per coordinate unit
  double span = 0.0;   // 2^(top_bits + depth_bits), in finest grid units
  std::uint32_t top_bits = 0;
  std::uint32_t depth_bits = 0;
  std::uint32_t first_top = 0;  // into top
  std::uint32_t reserved = 0;
};

// A tree entry: two tag bits and a 30-bit payload.
enum class Leaf : std::uint32_t { kInternal = 0, kInside = 1, kCandidates = 2, kEmpty = 3 };
inline Leaf leaf_kind(std::uint32_t entry) { return static_cast<Leaf>(entry >> 30); }
inline std::uint32_t leaf_payload(std::uint32_t entry) { return entry & 0x3FFFFFFFu; }
// The payload of an empty leaf where no coarser level has a cell either, anywhere in the leaf:
// a point there is held by no cell, with no walk of the coarser trees. (0 says nothing: the
// coarser trees answer. Indexes saved before this mark have only 0s, and read as before.)
constexpr std::uint32_t kNoCoarserCell = 1;

struct QuadtreeEdge {
  Point a;
  Point b;
  CellId cell;
};

struct LevelQuadtrees {
  FlatArray<QuadtreeLevel> levels;
  FlatArray<std::uint32_t> top;
  FlatArray<std::uint32_t> nodes;
  // A candidate list: its length, then the cell ids in increasing order.
  FlatArray<std::uint32_t> candidates;

  // The leaf entry holding p at `level` (kEmpty outside the tree's square).
  std::uint32_t leaf(int level, Point p) const {
    const QuadtreeLevel& q = levels[static_cast<std::size_t>(level)];
    const double fx = (p.x - q.origin_x) * q.scale;
    const double fy = (p.y - q.origin_y) * q.scale;
    if (!(fx >= 0.0 && fy >= 0.0 && fx < q.span && fy < q.span)) {
      return static_cast<std::uint32_t>(Leaf::kEmpty) << 30;
    }
    const auto ix = static_cast<std::uint32_t>(fx);
    const auto iy = static_cast<std::uint32_t>(fy);
    std::uint32_t entry =
        top[q.first_top + ((iy >> q.depth_bits) << q.top_bits) + (ix >> q.depth_bits)];
    for (int shift = static_cast<int>(q.depth_bits) - 1; leaf_kind(entry) == Leaf::kInternal;
         --shift) {
      const std::uint32_t child = (((iy >> shift) & 1u) << 1) | ((ix >> shift) & 1u);
      entry = nodes[leaf_payload(entry) + child];
    }
    return entry;
  }

  std::size_t bytes() const {
    return levels.bytes() + top.bytes() + nodes.bytes() + candidates.bytes();
  }
};

struct QuadtreeOptions {
  std::uint32_t max_leaf_edges = 8;       // split a leaf reaching more edges than this ...
  std::uint32_t boundary_depth_bits = 2;  // ... or any leaf on a boundary above this depth ...
  std::uint32_t max_depth_bits = 16;      // ... down to this depth below the top grid
};

// Builds the trees of every level. `edges_of_level` lists each level's edges (with their cells);
// `holders(level, p)` gives every cell of the level holding p, in increasing id order, exactly;
// `holds(cell, p)` whether one cell holds p, exactly.
LevelQuadtrees build_level_quadtrees(const std::vector<std::vector<QuadtreeEdge>>& edges_of_level,
                                     const std::vector<Box>& extent_of_level,
                                     const std::vector<std::size_t>& cells_of_level,
                                     const std::function<std::vector<CellId>(int, Point)>& holders,
                                     const std::function<bool(CellId, Point)>& holds,
                                     const QuadtreeOptions& options = {});

}  // namespace libgrid::internal
