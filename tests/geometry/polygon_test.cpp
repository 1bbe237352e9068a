#include "libgrid/geometry/polygon.h"

#include <gtest/gtest.h>

#include "libgrid/geometry/wkt.h"

namespace libgrid {
namespace {

TEST(Polygon, PerimeterCountsEveryRingHolesIncluded) {
  const MultiPolygon square_with_hole =
      parse_wkt_area("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1))");
  EXPECT_EQ(perimeter(square_with_hole), 16.0 + 4.0);
  EXPECT_EQ(area(square_with_hole), 16.0 - 1.0);
  const MultiPolygon two = parse_wkt_area(
      "MULTIPOLYGON (((0 0, 3 0, 3 4, 0 0)), ((10 10, 11 10, 11 11, 10 11, 10 10)))");
  EXPECT_DOUBLE_EQ(perimeter(two), 3.0 + 4.0 + 5.0 + 4.0);
  EXPECT_EQ(perimeter(MultiPolygon{}), 0.0);
}

}  // namespace
}  // namespace libgrid
