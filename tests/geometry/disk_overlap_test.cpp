// area_inside and distance against areas known in closed form: quarter, half and whole disks,
// circular segments, lenses with holes, at the origin and at projected coordinates.
#include "libgrid/geometry/disk_overlap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "libgrid/geometry/wkt.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::box;
constexpr double kPi = std::numbers::pi;

// The area of the disk of radius r beyond a chord at distance d from its centre.
double segment_area(double r, double d) {
  return r * r * std::acos(d / r) - d * std::sqrt(r * r - d * d);
}

MultiPolygon area_of(const std::string& wkt) { return parse_wkt_area(wkt); }

TEST(DiskOverlap, SquareInsideTheDiskCountsWhole) {
  EXPECT_DOUBLE_EQ(area_inside(area_of(box(-1, -1, 1, 1)), {{0, 0}, 2.0}), 4.0);
}

TEST(DiskOverlap, DiskInsideTheSquareIsTheWholeDisk) {
  EXPECT_NEAR(area_inside(area_of(box(-10, -10, 10, 10)), {{0, 0}, 3.0}), 9 * kPi, 1e-12);
}

TEST(DiskOverlap, QuarterAndHalfDisks) {
  EXPECT_NEAR(area_inside(area_of(box(0, 0, 5, 5)), {{0, 0}, 2.0}), kPi, 1e-12);
  EXPECT_NEAR(area_inside(area_of(box(0, -5, 5, 5)), {{0, 0}, 2.0}), 2 * kPi, 1e-12);
}

TEST(DiskOverlap, CircularSegmentBeyondAChord) {
  for (const double d : {0.0, 0.1, 0.5, 0.9, 0.999}) {
    EXPECT_NEAR(area_inside(area_of(box(d, -5, 5, 5)), {{0, 0}, 1.0}), segment_area(1.0, d), 1e-12)
        << d;
  }
}

TEST(DiskOverlap, RingOrientationDoesNotMatter) {
  const MultiPolygon ccw = area_of("POLYGON ((0 0, 5 0, 5 5, 0 5, 0 0))");
  const MultiPolygon cw = area_of("POLYGON ((0 0, 0 5, 5 5, 5 0, 0 0))");
  EXPECT_DOUBLE_EQ(area_inside(ccw, {{1, 1}, 2.0}), area_inside(cw, {{1, 1}, 2.0}));
}

TEST(DiskOverlap, HolesAreSubtracted) {
  // A square with a square hole around the centre: the disk minus the hole.
  const MultiPolygon holed = area_of(
      "POLYGON ((-10 -10, 10 -10, 10 10, -10 10, -10 -10), (-1 -1, 1 -1, 1 1, -1 1, -1 -1))");
  EXPECT_NEAR(area_inside(holed, {{0, 0}, 3.0}), 9 * kPi - 4.0, 1e-12);
  // A disk inside the hole meets none of it.
  EXPECT_NEAR(area_inside(holed, {{0, 0}, 0.5}), 0.0, 1e-15);
}

TEST(DiskOverlap, ProjectedCoordinatesKeepTheirPrecision) {
  // A 300 m circle over a square of 100 m about a point of a Gauss-Kruger zone: the half of
  // the disk east of x0 + 40 is a segment.
  const double x0 = 500000.37, y0 = 4420000.11, r = 300.0;
  const MultiPolygon east = area_of(box(x0 + 40, y0 - 1000, x0 + 1000, y0 + 1000));
  EXPECT_NEAR(area_inside(east, {{x0, y0}, r}), segment_area(r, 40), 1e-6);
}

TEST(DiskOverlap, SumOverAPartitionIsTheDisk) {
  // Four quadrants meeting at a point off the centre: their shares add up to the disk.
  const Circle c{{0.3, -0.2}, 1.7};
  double sum = 0;
  for (const auto& b : {box(-5, -5, 0, 0), box(0, -5, 5, 0), box(-5, 0, 0, 5), box(0, 0, 5, 5)}) {
    sum += area_inside(area_of(b), c);
  }
  EXPECT_NEAR(sum, kPi * 1.7 * 1.7, 1e-12);
}

TEST(DiskOverlap, TangentSquareHasNoArea) {
  EXPECT_EQ(area_inside(area_of(box(1, -1, 3, 1)), {{0, 0}, 1.0}), 0.0);
}

TEST(DiskOverlap, DistanceToEdgesVerticesAndInside) {
  const MultiPolygon square = area_of(box(0, 0, 10, 10));
  EXPECT_EQ(distance(square, {5, 5}), 0.0);
  EXPECT_EQ(distance(square, {10, 5}), 0.0);   // on the boundary
  EXPECT_EQ(distance(square, {13, 5}), 3.0);   // beside an edge, exactly
  EXPECT_EQ(distance(square, {13, 14}), 5.0);  // nearest to a vertex
  const MultiPolygon slanted = area_of("POLYGON ((0 0, 10 10, 0 10, 0 0))");
  EXPECT_NEAR(distance(slanted, {10, 0}), std::sqrt(50.0), 1e-12);
}

}  // namespace
}  // namespace libgrid
