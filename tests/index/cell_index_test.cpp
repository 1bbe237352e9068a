#include "libgrid/index/cell_index.h"

#include <gtest/gtest.h>

#include <random>

#include "libgrid/geometry/predicates.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {
namespace {

// A two-level partition of a jittered lattice: level "block" holds kBlock x kBlock squares
// each, level "square" one square each. Coordinates are dyadic (multiples of 1/64), so points
// at t = k/8 along any edge are exactly on it.
class JitteredLattice : public ::testing::Test {
 protected:
  static constexpr int kSquares = 12;
  static constexpr int kBlock = 3;

  void SetUp() override {
    std::mt19937 rng(2026);
    std::uniform_int_distribution<int> jitter(-20, 20);
    for (int i = 0; i <= kSquares; ++i) {
      for (int j = 0; j <= kSquares; ++j) {
        node_[i][j] = {i * 8.0 + jitter(rng) / 64.0, j * 8.0 + jitter(rng) / 64.0};
      }
    }
    grids_.add_level("block");
    grids_.add_level("square");
    for (int bi = 0; bi < kSquares / kBlock; ++bi) {
      for (int bj = 0; bj < kSquares / kBlock; ++bj) {
        Cell block;
        block.code = "B" + std::to_string(bi) + "_" + std::to_string(bj);
        block.level = 0;
        block.geometry = rectangle(bi * kBlock, bj * kBlock, kBlock);
        const CellId parent = grids_.add_cell(block);
        for (int i = bi * kBlock; i < (bi + 1) * kBlock; ++i) {
          for (int j = bj * kBlock; j < (bj + 1) * kBlock; ++j) {
            Cell square;
            square.code = block.code + "S" + std::to_string(i) + "_" + std::to_string(j);
            square.level = 1;
            square.parent = parent;
            square.geometry = rectangle(i, j, 1);
            grids_.add_cell(square);
          }
        }
      }
    }
  }

  // The lattice rectangle of size x size squares at (i0, j0), through every boundary node.
  MultiPolygon rectangle(int i0, int j0, int size) const {
    Ring ring;
    for (int i = i0; i < i0 + size; ++i) ring.push_back(node_[i][j0]);
    for (int j = j0; j < j0 + size; ++j) ring.push_back(node_[i0 + size][j]);
    for (int i = i0 + size; i > i0; --i) ring.push_back(node_[i][j0 + size]);
    for (int j = j0 + size; j > j0; --j) ring.push_back(node_[i0][j]);
    ring.push_back(ring.front());
    return MultiPolygon{{Polygon{{ring}}}};
  }

  // Every vertex and every point at k/8 along every edge of the lattice.
  std::vector<std::pair<Point, bool>> probes() const {  // (point, strictly inside the lattice)
    std::vector<std::pair<Point, bool>> out;
    for (int i = 0; i <= kSquares; ++i) {
      for (int j = 0; j <= kSquares; ++j) {
        const bool inner_node = i > 0 && j > 0 && i < kSquares && j < kSquares;
        out.emplace_back(node_[i][j], inner_node);
        for (int k = 1; k < 8; ++k) {
          const double t = k / 8.0;
          if (i < kSquares) {  // edge to the east neighbour
            const Point a = node_[i][j], b = node_[i + 1][j];
            out.emplace_back(Point{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)},
                             j > 0 && j < kSquares);
          }
          if (j < kSquares) {  // edge to the north neighbour
            const Point a = node_[i][j], b = node_[i][j + 1];
            out.emplace_back(Point{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)},
                             i > 0 && i < kSquares);
          }
        }
      }
    }
    return out;
  }

  Point node_[kSquares + 1][kSquares + 1];
  GridSet grids_;
};

TEST_F(JitteredLattice, EveryVertexAndEdgePointInsideIsHeldByExactlyOneCellPerLevel) {
  const CellIndex index(grids_);
  int checked = 0;
  for (const auto& [p, inside] : probes()) {
    for (int level = 0; level < 2; ++level) {
      const auto held = index.cells_holding(p, level);
      if (inside) {
        ASSERT_EQ(held.size(), 1u) << to_wkt(p) << " level " << level;
        ++checked;
      } else {
        ASSERT_LE(held.size(), 1u) << to_wkt(p);
      }
    }
  }
  EXPECT_GT(checked, 2000);
}

TEST_F(JitteredLattice, LookupFindsTheSquareAndItsBlockAgreesSpatially) {
  const CellIndex index(grids_);
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(2.0, kSquares * 8.0 - 2.0);
  auto points = probes();
  for (int i = 0; i < 5000; ++i) points.emplace_back(Point{u(rng), u(rng)}, true);
  for (const auto& [p, inside] : points) {
    if (!inside) continue;
    const CellId finest = index.lookup(p);
    ASSERT_NE(finest, kNoCell) << to_wkt(p);
    EXPECT_EQ(grids_.cell(finest).level, 1);
    EXPECT_TRUE(holds(grids_.cell(finest).geometry, p));
    const auto path = index.path(finest);
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(path[0], index.lookup_level(p, 0))
        << "parent and spatial block differ at " << to_wkt(p);
  }
}

TEST_F(JitteredLattice, OutsideIsNotCovered) {
  const CellIndex index(grids_);
  EXPECT_EQ(index.lookup({-5, 40}), kNoCell);
  EXPECT_EQ(index.lookup({40, 200}), kNoCell);
}

TEST_F(JitteredLattice, BatchLookupMatchesSingleLookupWithAnyThreadCount) {
  const CellIndex index(grids_);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-5.0, kSquares * 8.0 + 5.0);
  std::vector<double> x(50000), y(50000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = u(rng);
    y[i] = u(rng);
  }
  const CellIndex sorting(grids_, CellIndex::Options{.sort_batches_from_bytes = 0});
  for (const CellIndex* batch : {&index, &sorting}) {
    for (int threads : {1, 2, 3, 7, 0}) {
      std::vector<CellId> out(x.size());
      batch->lookup(x, y, out, threads);
      for (std::size_t i = 0; i < x.size(); ++i) {
        ASSERT_EQ(out[i], index.lookup({x[i], y[i]})) << i;
      }
    }
  }
}

TEST_F(JitteredLattice, BandCountDoesNotChangeAnswers) {
  const CellIndex one(grids_, CellIndex::Options{.bands_per_cell = 1});
  const CellIndex many(grids_, CellIndex::Options{.bands_per_cell = 7});
  for (const auto& [p, inside] : probes()) EXPECT_EQ(one.lookup(p), many.lookup(p));
}

// A level whose finest cells leave a gap: the path stops at the deepest covering level.
TEST(CellIndex, PathStopsAtTheDeepestCoveringLevel) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId community =
      grids.add_cell({.code = "C1",
                      .level = 0,
                      .geometry = parse_wkt_area("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")});
  const CellId grid =
      grids.add_cell({.code = "C1G1",
                      .level = 1,
                      .parent = community,
                      .geometry = parse_wkt_area("POLYGON ((0 0, 5 0, 5 10, 0 10, 0 0))")});
  const CellIndex index(grids);
  EXPECT_EQ(index.lookup({2, 2}), grid);
  EXPECT_EQ(index.path(grid), (std::vector<CellId>{community, grid}));
  EXPECT_EQ(index.lookup({7, 2}), community);
  EXPECT_EQ(index.lookup({5, 2}), community);  // the grid's east side is not its own
  EXPECT_EQ(index.lookup({11, 2}), kNoCell);
}

TEST(CellIndex, HoleAndEnclave) {
  GridSet grids;
  grids.add_level("community");
  // A community with a lake hole, the lake itself, and a community with an enclave inside it.
  const CellId ring = grids.add_cell(
      {.code = "A",
       .geometry = parse_wkt_area("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, "
                                  "4 2, 2 2), (6 6, 6 8, 8 8, 8 6, 6 6)))")});
  const CellId lake = grids.add_cell(
      {.code = "LAKE", .geometry = parse_wkt_area("POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))")});
  const CellId enclave_owner = grids.add_cell(
      {.code = "B",
       .geometry = parse_wkt_area("MULTIPOLYGON (((10 0, 20 0, 20 10, 10 10, 10 0)), ((6 6, 8 6, "
                                  "8 8, 6 8, 6 6)))")});
  const CellIndex index(grids);
  EXPECT_EQ(index.lookup({1, 1}), ring);
  EXPECT_EQ(index.lookup({3, 3}), lake);
  EXPECT_EQ(index.lookup({7, 7}), enclave_owner);
  EXPECT_EQ(index.lookup({15, 5}), enclave_owner);
  for (Point p : {Point{2, 2}, Point{3, 2}, Point{2, 3}, Point{4, 3}, Point{3, 4}, Point{4, 4},
                  Point{6, 6}, Point{7, 8}, Point{8, 7}, Point{10, 5}, Point{10, 0}}) {
    EXPECT_EQ(index.cells_holding(p, 0).size(), 1u) << to_wkt(p);
  }
}

}  // namespace
}  // namespace libgrid
