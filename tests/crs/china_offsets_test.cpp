#include "libgrid/crs/china_offsets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace libgrid {
namespace {

// Reference values, each checked against two sources or against the formula worked by hand:
// - googollee/eviltransform's test points (in its Python tests and those of its PHP port): WGS84
//   to GCJ-02 in Shanghai, Shenzhen and Beijing, given to ~15 digits.
// - wandergis/coordtransform's README example (repeated by hutool's and coordtransform-rs's
//   tests): WGS84 to GCJ-02 and GCJ-02 to BD-09 of 116.404, 39.915.
// - hujiulong/gcoord's tests: GCJ-02 to BD-09 of 123, 45 (8 decimals).
// The inverses those libraries publish are one-step approximations, good to ~1e-6° only: ours
// are checked against them at that tolerance and exactly through the forward formula.

void expect_point_near(Point actual, Point expected, double tolerance) {
  EXPECT_NEAR(actual.x, expected.x, tolerance);
  EXPECT_NEAR(actual.y, expected.y, tolerance);
}

double distance(Point a, Point b) { return std::max(std::abs(a.x - b.x), std::abs(a.y - b.y)); }

bool is_nan(Point p) { return std::isnan(p.x) && std::isnan(p.y); }

TEST(ChinaOffsets, ParsesTheirNamesInAnySpelling) {
  for (const char* name : {"GCJ-02", "gcj-02", "GCJ02", "gcj_02", "EPSG:4326+GCJ02"}) {
    EXPECT_EQ(parse_china_offset(name), ChinaOffset::kGcj02) << name;
  }
  for (const char* name : {"BD-09", "bd09", "Bd_09", "BD09LL", "epsg:4326+bd09"}) {
    EXPECT_EQ(parse_china_offset(name), ChinaOffset::kBd09) << name;
  }
  for (const char* name : {"", "GCJ", "GCJ-03", "BD-09MC", "WGS84", "EPSG:4326", "GCJ-02 "}) {
    EXPECT_EQ(parse_china_offset(name), std::nullopt) << name;
  }
  EXPECT_EQ(to_string(ChinaOffset::kGcj02), "GCJ-02");
  EXPECT_EQ(to_string(ChinaOffset::kBd09), "BD-09");
  EXPECT_EQ(to_string(ChinaOffset::kWgs84), "WGS84");
}

TEST(ChinaOffsets, Wgs84ToGcj02MatchesPublishedPoints) {
  // eviltransform: (wgs lat, lng) -> (gcj lat, lng), here in x = lng, y = lat.
  expect_point_near(wgs84_to_gcj02({121.5272106, 31.1774276}),
                    {121.531541859215, 31.17530398364597}, 1e-11);  // Shanghai
  expect_point_near(wgs84_to_gcj02({113.912316, 22.543847}),
                    {113.9171764808363, 22.540796131694766}, 1e-11);  // Shenzhen
  expect_point_near(wgs84_to_gcj02({116.377817, 39.911954}),
                    {116.38404722455657, 39.91334545536069}, 1e-11);  // Beijing
  // coordtransform.
  expect_point_near(wgs84_to_gcj02({116.404, 39.915}), {116.41024449916938, 39.91640428150164},
                    1e-11);
  // Tiananmen: the formula gives 116.3975167053, 39.9076182085 (worked apart from this code);
  // the pair often quoted, 116.397499, 39.907627, agrees to 2 m.
  expect_point_near(wgs84_to_gcj02({116.3912757, 39.906217}), {116.3975167053, 39.9076182085},
                    1e-9);
  expect_point_near(wgs84_to_gcj02({116.3912757, 39.906217}), {116.397499, 39.907627}, 3e-5);
}

TEST(ChinaOffsets, Gcj02ToBd09MatchesPublishedPoints) {
  expect_point_near(gcj02_to_bd09({116.404, 39.915}), {116.41036949371029, 39.92133699351021},
                    1e-11);  // coordtransform
  expect_point_near(gcj02_to_bd09({123.0, 45.0}), {123.00636499, 45.00636899}, 1e-8);  // gcoord
}

TEST(ChinaOffsets, InversesAgreeWithPublishedApproximationsAndInvertExactly) {
  struct Published {
    Point (*inverse)(Point);
    Point (*forward)(Point);
    Point input;
    Point output;
  };
  for (const Published& p :
       {// coordtransform's gcj02towgs84 and bd09togcj02 of (116.404, 39.915).
        Published{gcj02_to_wgs84,
                  wgs84_to_gcj02,
                  {116.404, 39.915},
                  {116.39775550083061, 39.91359571849836}},
        Published{bd09_to_gcj02,
                  gcj02_to_bd09,
                  {116.404, 39.915},
                  {116.39762729119315, 39.90865673957631}},
        // gcoord's GCJ02 -> WGS84 and BD09 -> GCJ02 of (123, 45).
        Published{gcj02_to_wgs84, wgs84_to_gcj02, {123.0, 45.0}, {122.99395597, 44.99804071}},
        Published{bd09_to_gcj02, gcj02_to_bd09, {123.0, 45.0}, {122.99363304, 44.99365430}}}) {
    const Point result = p.inverse(p.input);
    expect_point_near(result, p.output, 1e-6);
    expect_point_near(p.forward(result), p.input, 1e-11);
  }
}

TEST(ChinaOffsets, Gcj02IsWgs84OutsideTheFormulasRectangle) {
  for (const Point p : {Point{2.3522, 48.8566},  // Paris
                        Point{72.0039, 30.0},    // just west of it
                        Point{137.8348, 35.0},   // just east
                        Point{100.0, 0.8292},    // just south
                        Point{120.0, 55.8272},   // just north
                        Point{-180.0, -90.0}, Point{180.0, 90.0}}) {
    EXPECT_FALSE(in_gcj02_area(p));
    EXPECT_EQ(wgs84_to_gcj02(p), p);
    EXPECT_EQ(gcj02_to_wgs84(p), p);
  }
  // The bounds belong to the rectangle, and the offset applies there.
  for (const Point p :
       {Point{72.004, 30.0}, Point{137.8347, 35.0}, Point{100.0, 0.8293}, Point{120.0, 55.8271}}) {
    EXPECT_TRUE(in_gcj02_area(p));
    EXPECT_GT(distance(wgs84_to_gcj02(p), p), 1e-4);
  }
  // A rectangle, not a border: Seoul is inside it, and offset like the rest.
  EXPECT_GT(distance(wgs84_to_gcj02({126.978, 37.5665}), {126.978, 37.5665}), 1e-4);
}

TEST(ChinaOffsets, Bd09OffsetsEverywhereAsItsFormulaDoes) {
  const Point paris{2.3522, 48.8566};
  const Point bd09 = wgs84_to_bd09(paris);
  expect_point_near(bd09, gcj02_to_bd09(paris), 0.0);
  EXPECT_GT(distance(bd09, paris), 1e-3);
  EXPECT_LT(distance(bd09_to_wgs84(bd09), paris), 1e-11);
}

TEST(ChinaOffsets, WhatIsNotLongitudeLatitudeGivesNaN) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (const Point p :
       {Point{kNaN, 39.9}, Point{116.4, kNaN}, Point{180.5, 39.9}, Point{-181.0, 39.9},
        Point{116.4, 90.5}, Point{116.4, -95.0}, Point{kInf, 0.0}, Point{500000.0, 4420000.0}}) {
    EXPECT_TRUE(is_nan(wgs84_to_gcj02(p))) << p.x << " " << p.y;
    EXPECT_TRUE(is_nan(gcj02_to_wgs84(p)));
    EXPECT_TRUE(is_nan(gcj02_to_bd09(p)));
    EXPECT_TRUE(is_nan(bd09_to_gcj02(p)));
    EXPECT_TRUE(is_nan(wgs84_to_bd09(p)));
    EXPECT_TRUE(is_nan(bd09_to_wgs84(p)));
    EXPECT_TRUE(is_nan(convert(p, ChinaOffset::kGcj02, ChinaOffset::kGcj02)));
  }
}

TEST(ChinaOffsets, ConvertGoesByTheNamedFunctions) {
  const Point p{116.404, 39.915};
  using enum ChinaOffset;
  EXPECT_EQ(convert(p, kWgs84, kGcj02), wgs84_to_gcj02(p));
  EXPECT_EQ(convert(p, kGcj02, kWgs84), gcj02_to_wgs84(p));
  EXPECT_EQ(convert(p, kGcj02, kBd09), gcj02_to_bd09(p));
  EXPECT_EQ(convert(p, kBd09, kGcj02), bd09_to_gcj02(p));
  EXPECT_EQ(convert(p, kWgs84, kBd09), wgs84_to_bd09(p));
  EXPECT_EQ(convert(p, kBd09, kWgs84), bd09_to_wgs84(p));
  for (const ChinaOffset same : {kWgs84, kGcj02, kBd09}) EXPECT_EQ(convert(p, same, same), p);
}

// Every 0.25° over the formula's rectangle, at least 0.07° inside its edges (within ~0.01° of them
// a point's image or source can fall outside, where the formula stops).
TEST(ChinaOffsets, RoundTripsOverChinaStayWithin1e7Degrees) {
  double gcj_wgs_gcj = 0, wgs_gcj_wgs = 0, bd_wgs_bd = 0, bd_gcj_bd = 0;
  int points = 0;
  for (double lon = 72.25; lon <= 137.75; lon += 0.25) {
    for (double lat = 1.0; lat <= 55.75; lat += 0.25) {
      const Point p{lon, lat};
      gcj_wgs_gcj = std::max(gcj_wgs_gcj, distance(wgs84_to_gcj02(gcj02_to_wgs84(p)), p));
      wgs_gcj_wgs = std::max(wgs_gcj_wgs, distance(gcj02_to_wgs84(wgs84_to_gcj02(p)), p));
      bd_wgs_bd = std::max(bd_wgs_bd, distance(wgs84_to_bd09(bd09_to_wgs84(p)), p));
      bd_gcj_bd = std::max(bd_gcj_bd, distance(gcj02_to_bd09(bd09_to_gcj02(p)), p));
      ++points;
    }
  }
  EXPECT_EQ(points, 263 * 220);
  // The issue asks for 1e-7° (1 cm); the iteration's stop at 1e-9° gives far better (the worst
  // is ~5e-11°, WGS84 -> GCJ-02 -> WGS84 on the meridian 105°E).
  EXPECT_LE(gcj_wgs_gcj, 1e-10);
  EXPECT_LE(wgs_gcj_wgs, 1e-10);
  EXPECT_LE(bd_wgs_bd, 1e-10);
  EXPECT_LE(bd_gcj_bd, 1e-10);
}

TEST(ChinaOffsets, OffsetsAreHundredsOfMetres) {
  // Over the rectangle the GCJ-02 offset stays under 0.012° (~1 km), and in Beijing about
  // 0.006° east and 0.0014° north (~550 m).
  double largest = 0;
  for (double lon = 72.25; lon <= 137.75; lon += 0.5) {
    for (double lat = 1.0; lat <= 55.75; lat += 0.5) {
      largest = std::max(largest, distance(wgs84_to_gcj02({lon, lat}), {lon, lat}));
    }
  }
  EXPECT_LT(largest, 0.012);
  const Point beijing = wgs84_to_gcj02({116.4, 39.9});
  EXPECT_NEAR(beijing.x - 116.4, 0.0062, 0.0005);
  EXPECT_NEAR(beijing.y - 39.9, 0.0014, 0.0005);
}

}  // namespace
}  // namespace libgrid
