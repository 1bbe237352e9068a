#include "internal/level_quadtree.h"

#include <gtest/gtest.h>

#include <vector>

#include "libgrid/geometry/wkt.h"

namespace libgrid::internal {
namespace {

struct Rect {
  double min_x, min_y, max_x, max_y;
  bool holds(Point p) const { return min_x < p.x && p.x < max_x && min_y < p.y && p.y < max_y; }
};

std::vector<QuadtreeEdge> edges_of(const Rect& r, CellId cell) {
  const Point a{r.min_x, r.min_y}, b{r.max_x, r.min_y}, c{r.max_x, r.max_y}, d{r.min_x, r.max_y};
  return {{a, b, cell}, {b, c, cell}, {c, d, cell}, {d, a, cell}};
}

// Level 0: cell 0, the square (0 0, 10 10). Level 1: cell 1, the strip (0 0, 5 20), so that the
// finest tree's square, about (0 0, 20 20), has empty leaves where cell 0 lies (5 < x < 10,
// y < 10) and empty leaves where no level has a cell.
LevelQuadtrees two_levels() {
  const Rect coarse{0, 0, 10, 10}, fine{0, 0, 5, 20};
  const std::vector<std::vector<QuadtreeEdge>> edges{edges_of(coarse, 0), edges_of(fine, 1)};
  const std::vector<Box> extents{{0, 0, 10, 10}, {0, 0, 5, 20}};
  const auto holds = [=](CellId cell, Point p) { return (cell == 0 ? coarse : fine).holds(p); };
  const auto holders = [=](int level, Point p) {
    const CellId cell = level == 0 ? 0 : 1;
    return holds(cell, p) ? std::vector<CellId>{cell} : std::vector<CellId>{};
  };
  return build_level_quadtrees(edges, extents, {1, 1}, holders, holds);
}

// An empty leaf of the finest level is marked kNoCoarserCell only where the coarser level has
// no cell anywhere in it: a point read in a marked leaf is held by no cell of any level, and
// the empty leaves over the coarser cell stay unmarked.
TEST(LevelQuadtrees, EmptyLeavesAreMarkedOnlyWhereNoCoarserLevelHasACell) {
  const LevelQuadtrees trees = two_levels();
  const Rect coarse{0, 0, 10, 10};
  int marked = 0, over_coarse = 0;
  for (double x = -2.05; x < 22; x += 0.1) {
    for (double y = -2.05; y < 22; y += 0.1) {
      const Point p{x, y};
      const std::uint32_t entry = trees.leaf(1, p);
      if (leaf_kind(entry) != Leaf::kEmpty) continue;
      if (leaf_payload(entry) == kNoCoarserCell) {
        ++marked;
        ASSERT_FALSE(coarse.holds(p)) << to_wkt(p);
        ASSERT_EQ(leaf_kind(trees.leaf(0, p)), Leaf::kEmpty) << to_wkt(p);
      } else {
        ASSERT_EQ(leaf_payload(entry), 0u) << to_wkt(p);
      }
      if (coarse.holds(p)) {
        ++over_coarse;
        EXPECT_NE(leaf_payload(entry), kNoCoarserCell) << to_wkt(p);
      }
    }
  }
  // Of the finest square's 400 square units, 250 lie beyond both cells (25,000 points of the
  // probe grid) and 50 over cell 0 only (5,000): all but the leaves along the edges are empty.
  EXPECT_GT(marked, 12000);
  EXPECT_GT(over_coarse, 3000);
}

// The coarsest level has nothing coarser: its empty leaves keep payload 0.
TEST(LevelQuadtrees, TheCoarsestLevelsEmptyLeavesAreNotMarked) {
  const LevelQuadtrees trees = two_levels();
  int empty = 0;
  for (double x = -0.95; x < 11; x += 0.1) {
    for (double y = -0.95; y < 11; y += 0.1) {
      const std::uint32_t entry = trees.leaf(0, {x, y});
      if (leaf_kind(entry) != Leaf::kEmpty) continue;
      ++empty;
      EXPECT_EQ(leaf_payload(entry), 0u);
    }
  }
  EXPECT_GT(empty, 0);
}

}  // namespace
}  // namespace libgrid::internal
