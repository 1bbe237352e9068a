#include "libgrid/geometry/wkt.h"

#include <gtest/gtest.h>

#include "libgrid/error.h"

namespace libgrid {
namespace {

TEST(Wkt, ReadsPolygonWithHole) {
  const auto area = parse_wkt_area("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 1 1))");
  ASSERT_EQ(area.polygons.size(), 1u);
  ASSERT_EQ(area.polygons[0].rings.size(), 2u);
  EXPECT_EQ(area.polygons[0].rings[1][2], (Point{2, 2}));
  EXPECT_DOUBLE_EQ(libgrid::area(area), 16.0 - 0.5);
}

TEST(Wkt, ReadsMultiPolygonAndEmpty) {
  EXPECT_EQ(parse_wkt_area("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")
                .polygons.size(),
            2u);
  EXPECT_TRUE(parse_wkt_area("POLYGON EMPTY").empty());
  EXPECT_TRUE(parse_wkt_area("multipolygon empty").empty());
}

TEST(Wkt, ReadsBothMultiPointForms) {
  EXPECT_EQ(parse_wkt_points("MULTIPOINT (1 2, 3 4)"), (std::vector<Point>{{1, 2}, {3, 4}}));
  EXPECT_EQ(parse_wkt_points("MULTIPOINT ((1 2), (3 4))"), (std::vector<Point>{{1, 2}, {3, 4}}));
  EXPECT_EQ(parse_wkt_points("POINT (-1.5 2e3)"), (std::vector<Point>{{-1.5, 2000}}));
}

TEST(Wkt, RoundTripsDoublesExactly) {
  const MultiPolygon area{
      {Polygon{{Ring{{0.1, 0.2}, {1.0 / 3, 0.2}, {0.1, 2.0 / 3}, {0.1, 0.2}}}}}};
  EXPECT_EQ(parse_wkt_area(to_wkt(area)).polygons[0].rings[0], area.polygons[0].rings[0]);
}

TEST(Wkt, RejectsBadTextWithItsOffset) {
  try {
    parse_wkt_area("POLYGON ((0 0, 1 x, 0 0))");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("offset 17"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_wkt_area("LINESTRING (0 0, 1 1)"), Error);
  EXPECT_THROW(parse_wkt_area("POLYGON ((0 0, nan 0, 0 0))"), Error);
  EXPECT_THROW(parse_wkt_area("POLYGON ((0 0, 1 0, 0 0)) trailing"), Error);
}

}  // namespace
}  // namespace libgrid
