#include "libgrid/geometry/predicates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "libgrid/geometry/wkt.h"

namespace libgrid {
namespace {

TEST(Orientation, SignsOfSimpleTurns) {
  EXPECT_EQ(orientation({0, 0}, {1, 0}, {0, 1}), 1);
  EXPECT_EQ(orientation({0, 0}, {1, 0}, {0, -1}), -1);
  EXPECT_EQ(orientation({0, 0}, {1, 1}, {2, 2}), 0);
}

TEST(Orientation, ExactWhereDoublesRoundWrongly) {
  // Points near the line y = x, a classic case where the naive determinant's sign is
  // wrong for a large share of inputs (Kettner et al., "Classroom examples of robustness
  // problems in geometric computations").
  const Point b{12, 12};
  const Point c{24, 24};
  int naive_wrong = 0;
  for (int i = 0; i < 256; ++i) {
    for (int j = 0; j < 256; ++j) {
      const Point a{0.5 + i * 0x1p-53, 0.5 + j * 0x1p-53};
      // The exact sign: a is above the line y = x when a.y > a.x (b, c on the line).
      const int expected = a.y > a.x ? 1 : (a.y < a.x ? -1 : 0);
      EXPECT_EQ(orientation(b, c, a), expected) << i << " " << j;
      const double naive = (c.x - b.x) * (a.y - b.y) - (c.y - b.y) * (a.x - b.x);
      naive_wrong += (naive > 0) - (naive < 0) != expected;
    }
  }
  EXPECT_GT(naive_wrong, 0) << "the case no longer exercises the exact path";
}

TEST(Orientation, AntisymmetricAndCyclicOnRandomNearCollinearPoints) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1e3, 1e3);
  for (int i = 0; i < 20000; ++i) {
    const Point a{u(rng), u(rng)};
    const Point b{u(rng), u(rng)};
    const double t = u(rng) / 1e3;
    const Point c{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};  // on the line, rounded
    const int s = orientation(a, b, c);
    EXPECT_EQ(orientation(b, c, a), s);
    EXPECT_EQ(orientation(c, a, b), s);
    EXPECT_EQ(orientation(b, a, c), -s);
  }
}

const MultiPolygon kUnitSquare = parse_wkt_area("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");

TEST(Holds, BoundaryRuleOnASquare) {
  EXPECT_TRUE(holds(kUnitSquare, {0.5, 0.5}));
  // South and west sides belong to the square, north and east sides do not.
  EXPECT_TRUE(holds(kUnitSquare, {0.5, 0.0}));
  EXPECT_TRUE(holds(kUnitSquare, {0.0, 0.5}));
  EXPECT_FALSE(holds(kUnitSquare, {0.5, 1.0}));
  EXPECT_FALSE(holds(kUnitSquare, {1.0, 0.5}));
  EXPECT_TRUE(holds(kUnitSquare, {0.0, 0.0}));
  EXPECT_FALSE(holds(kUnitSquare, {1.0, 0.0}));
  EXPECT_FALSE(holds(kUnitSquare, {0.0, 1.0}));
  EXPECT_FALSE(holds(kUnitSquare, {1.0, 1.0}));
  EXPECT_FALSE(holds(kUnitSquare, {2.0, 0.5}));
  EXPECT_FALSE(holds(kUnitSquare, {-1.0, 0.5}));
}

TEST(Holds, RingOrientationDoesNotMatter) {
  const MultiPolygon clockwise = parse_wkt_area("POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))");
  for (Point p : {Point{0.5, 0.5}, Point{0, 0}, Point{0.5, 0}, Point{1, 0.5}, Point{0.5, 1}}) {
    EXPECT_EQ(holds(clockwise, p), holds(kUnitSquare, p)) << to_wkt(p);
  }
}

TEST(Holds, SlopedSharedEdgeGoesToExactlyOneSide) {
  // Two triangles splitting a square along its diagonals, both ways.
  for (const char* pair : {"POLYGON ((0 0, 4 0, 4 4, 0 0))|POLYGON ((0 0, 4 4, 0 4, 0 0))",
                           "POLYGON ((0 4, 0 0, 4 0, 0 4))|POLYGON ((4 0, 4 4, 0 4, 4 0))"}) {
    const std::string text(pair);
    const auto bar = text.find('|');
    const MultiPolygon a = parse_wkt_area(text.substr(0, bar));
    const MultiPolygon b = parse_wkt_area(text.substr(bar + 1));
    for (int i = 1; i < 64; ++i) {
      const double t = i / 16.0;
      for (Point p : {Point{t, t}, Point{t, 4 - t}}) {
        if (locate(a, p) != PointLocation::kBoundary || locate(b, p) != PointLocation::kBoundary) {
          continue;
        }
        EXPECT_EQ(holds(a, p) + holds(b, p), 1) << to_wkt(p);
      }
    }
  }
}

TEST(Holds, HoleRingPointsBelongToExactlyOneOfRingAndIsland) {
  const MultiPolygon outer =
      parse_wkt_area("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (3 3, 3 7, 6 8, 7 3, 3 3))");
  const MultiPolygon island = parse_wkt_area("POLYGON ((3 3, 7 3, 6 8, 3 7, 3 3))");
  const Ring& hole = outer.polygons[0].rings[1];
  for (std::size_t i = 0; i + 1 < hole.size(); ++i) {
    for (int k = 0; k < 8; ++k) {
      const double t = k / 8.0;
      const Point p{hole[i].x + t * (hole[i + 1].x - hole[i].x),
                    hole[i].y + t * (hole[i + 1].y - hole[i].y)};
      ASSERT_EQ(locate(island, p), PointLocation::kBoundary) << to_wkt(p);
      EXPECT_EQ(holds(outer, p) + holds(island, p), 1) << to_wkt(p);
    }
  }
  EXPECT_FALSE(holds(outer, {5, 5}));
  EXPECT_TRUE(holds(island, {5, 5}));
}

TEST(Locate, InteriorBoundaryExterior) {
  EXPECT_EQ(locate(kUnitSquare, {0.5, 0.5}), PointLocation::kInterior);
  EXPECT_EQ(locate(kUnitSquare, {1.0, 0.5}), PointLocation::kBoundary);
  EXPECT_EQ(locate(kUnitSquare, {1.0, 1.0}), PointLocation::kBoundary);
  EXPECT_EQ(locate(kUnitSquare, {1.5, 1.0}), PointLocation::kExterior);
  // A point off a sloping edge by one unit in the last place is not on it.
  const MultiPolygon tri = parse_wkt_area("POLYGON ((0 0, 3 1, 0 1, 0 0))");
  const double y = 1.0 / 3.0;  // rounded: (1, y) is not exactly on the edge
  EXPECT_NE(locate(tri, {1.0, y}), PointLocation::kBoundary);
  EXPECT_EQ(locate(tri, {1.5, 0.5}), PointLocation::kBoundary);
}

}  // namespace
}  // namespace libgrid
