#include "libgrid/crs/transform.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "libgrid/crs/china_offsets.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/grid_set_import.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

// Expectations from PROJ's own command line, e.g.
//   echo 40 117 | cs2cs -f %.6f EPSG:4326 EPSG:4548   ->   4429529.030237  500000.000000
// (cs2cs speaks each CRS's axis order: latitude and northing first for these two).

TEST(Transform, GaussKrugerZoneGivesEastingAsX) {
  const Transform to_zone("EPSG:4326", "EPSG:4548");
  EXPECT_FALSE(to_zone.is_identity());
  std::vector<double> x = {117.0, 116.4};
  std::vector<double> y = {40.0, 39.9};
  to_zone.apply(x, y);
  EXPECT_NEAR(x[0], 500000.0, 1e-6);
  EXPECT_NEAR(y[0], 4429529.030237, 1e-5);
  EXPECT_NEAR(x[1], 448688.855734, 1e-5);
  EXPECT_NEAR(y[1], 4418598.001259, 1e-5);

  const Transform back("EPSG:4548", "EPSG:4326");
  back.apply(x, y);
  EXPECT_NEAR(x[0], 117.0, 1e-9);
  EXPECT_NEAR(y[0], 40.0, 1e-9);
  EXPECT_NEAR(x[1], 116.4, 1e-9);
  EXPECT_NEAR(y[1], 39.9, 1e-9);
}

TEST(Transform, StatePlaneInFeetPicksTheSameOperationAsCs2cs) {
  // echo 40.7 -74 | cs2cs -f %.6f EPSG:4326 EPSG:2263  ->  984250.000000  194305.338941
  // echo -74 40.7 | cs2cs -f %.6f OGC:CRS84 EPSG:2263  ->  984250.400896  194302.331728
  // (PROJ picks a different WGS84 -> NAD83 operation for each source: about a metre apart.)
  std::vector<double> x = {-74.0};
  std::vector<double> y = {40.7};
  Transform("EPSG:4326", "EPSG:2263").apply(x, y);
  EXPECT_NEAR(x[0], 984250.0, 1e-5);
  EXPECT_NEAR(y[0], 194305.338941, 1e-5);
  x = {-74.0};
  y = {40.7};
  Transform("OGC:CRS84", "EPSG:2263").apply(x, y);
  EXPECT_NEAR(x[0], 984250.400896, 1e-5);
  EXPECT_NEAR(y[0], 194302.331728, 1e-5);
}

TEST(Transform, SameCrsIsTheIdentity) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"EPSG:4548", "EPSG:4548"}, {"EPSG:4326", "OGC:CRS84"}}) {
    const Transform same(from, to);
    EXPECT_TRUE(same.is_identity()) << from << " " << to;
    std::vector<double> x = {117.0};
    std::vector<double> y = {40.0};
    same.apply(x, y);
    EXPECT_EQ(x[0], 117.0);
    EXPECT_EQ(y[0], 40.0);
  }
  EXPECT_FALSE(Transform("EPSG:4326", "EPSG:4490").is_identity());  // another datum
}

TEST(Transform, UnknownCrsIsInvalidInput) {
  try {
    Transform("EPSG:4326", "EPSG:99999");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(), "unknown CRS 'EPSG:99999'");
  }
  EXPECT_THROW(Transform("nonsense", "EPSG:4326"), Error);
  EXPECT_THROW(Transform("", "EPSG:4326"), Error);
}

TEST(Transform, PointsItCannotTransformBecomeNaN) {
  const Transform to_zone("EPSG:4326", "EPSG:4548");
  std::vector<double> x = {117.0, 117.0, std::nan("")};
  std::vector<double> y = {95.0, 40.0, 40.0};  // latitude 95 does not exist
  to_zone.apply(x, y);
  EXPECT_TRUE(std::isnan(x[0]) && std::isnan(y[0]));
  EXPECT_NEAR(x[1], 500000.0, 1e-6);
  EXPECT_TRUE(std::isnan(x[2]) && std::isnan(y[2]));
}

TEST(Transform, RefusesSpansOfDifferentLengths) {
  const Transform to_zone("EPSG:4326", "EPSG:4548");
  std::vector<double> x = {117.0, 117.0};
  std::vector<double> y = {40.0};
  EXPECT_THROW(to_zone.apply(x, y), Error);
}

TEST(Transform, MovesKeepTheTransformation) {
  Transform moved("EPSG:4326", "EPSG:4548");
  Transform target("EPSG:4326", "EPSG:4326");
  target = std::move(moved);
  EXPECT_FALSE(target.is_identity());
  std::vector<double> x = {117.0};
  std::vector<double> y = {40.0};
  target.apply(x, y);
  EXPECT_NEAR(x[0], 500000.0, 1e-6);
}

TEST(Transform, KnowsWhichDefinitionsAreCrss) {
  EXPECT_TRUE(is_known_crs("EPSG:4548"));
  EXPECT_TRUE(is_known_crs("OGC:CRS84"));
  EXPECT_TRUE(is_known_crs("+proj=longlat +datum=WGS84"));
  EXPECT_TRUE(is_known_crs(
      R"(GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,)"
      R"(298.257223563]],CS[ellipsoidal,2],AXIS["longitude",east,ANGLEUNIT["degree",)"
      R"(0.0174532925199433]],AXIS["latitude",north,ANGLEUNIT["degree",0.0174532925199433]]])"));
  EXPECT_FALSE(is_known_crs("EPSG:99999"));
  EXPECT_FALSE(is_known_crs("nonsense"));
  EXPECT_FALSE(is_known_crs(""));
  EXPECT_FALSE(is_known_crs("+proj=utm +zone=50 +inv"));  // an operation, not a CRS
}

TEST(Transform, KnowsWhereACrsIsUsed) {
  const auto zone = area_of_use("EPSG:4548");  // CGCS2000, central meridian 117E
  ASSERT_TRUE(zone.has_value());
  EXPECT_DOUBLE_EQ(zone->west, 115.5);
  EXPECT_DOUBLE_EQ(zone->east, 118.5);
  EXPECT_TRUE(zone->contains(117, 40));
  EXPECT_FALSE(zone->contains(120, 40));
  // Across the antimeridian (Fiji): west > east.
  const AreaOfUse fiji{.west = 176, .south = -20, .east = -178, .north = -12};
  EXPECT_TRUE(fiji.contains(179, -17));
  EXPECT_TRUE(fiji.contains(-179, -17));
  EXPECT_FALSE(fiji.contains(0, -17));
  EXPECT_FALSE(area_of_use("GCJ-02").has_value());
  EXPECT_FALSE(area_of_use("nonsense").has_value());
  EXPECT_FALSE(area_of_use("+proj=tmerc +lon_0=117 +ellps=GRS80").has_value());
}

// PROJ takes a name it does not know for the nearest one it does ("foo" for Amersfoort): only
// the names and aliases of its database are CRSs.
TEST(Transform, KnowsCrssByTheirNamesOnly) {
  for (const char* name : {"WGS 84", "wgs84", "CGCS2000", "NAD27", "Beijing 1954"}) {
    EXPECT_TRUE(is_known_crs(name)) << name;
  }
  for (const char* name : {"foo", "bar"}) {
    EXPECT_FALSE(is_known_crs(name)) << name;
    EXPECT_EQ(testing::error_of([&] { Transform(name, "EPSG:4326"); }).what(),
              std::string("unknown CRS '") + name + "'");
  }
}

TEST(Transform, KnowsGeographicCrss) {
  EXPECT_TRUE(is_geographic_crs("EPSG:4326"));
  EXPECT_TRUE(is_geographic_crs("EPSG:4490"));  // CGCS2000
  EXPECT_TRUE(is_geographic_crs("EPSG:4979"));  // 3D
  EXPECT_TRUE(is_geographic_crs("+proj=longlat +ellps=GRS80"));
  EXPECT_FALSE(is_geographic_crs("EPSG:4548"));
  EXPECT_FALSE(is_geographic_crs("EPSG:32650"));
  EXPECT_FALSE(is_geographic_crs("EPSG:99999"));
}

// ---- GCJ-02 and BD-09 ----

TEST(Transform, Gcj02AndBd09GoToAndFromWgs84ByTheirFormulas) {
  const Point tiananmen{116.3912757, 39.906217};
  for (const char* wgs84 : {"EPSG:4326", "OGC:CRS84", "WGS84", "+proj=longlat +datum=WGS84"}) {
    for (const auto& [name, offset] :
         {std::pair{"GCJ-02", ChinaOffset::kGcj02}, std::pair{"gcj02", ChinaOffset::kGcj02},
          std::pair{"BD-09", ChinaOffset::kBd09}, std::pair{"bd09", ChinaOffset::kBd09}}) {
      const Transform forward(wgs84, name);
      EXPECT_FALSE(forward.is_identity());
      std::vector<double> x = {tiananmen.x};
      std::vector<double> y = {tiananmen.y};
      forward.apply(x, y);
      const Point expected = convert(tiananmen, ChinaOffset::kWgs84, offset);
      EXPECT_NEAR(x[0], expected.x, 1e-12) << wgs84 << " -> " << name;
      EXPECT_NEAR(y[0], expected.y, 1e-12) << wgs84 << " -> " << name;
      Transform(name, wgs84).apply(x, y);
      EXPECT_NEAR(x[0], tiananmen.x, 1e-11) << name << " -> " << wgs84;
      EXPECT_NEAR(y[0], tiananmen.y, 1e-11) << name << " -> " << wgs84;
    }
  }
}

TEST(Transform, Gcj02ToBd09GoesDirectly) {
  std::vector<double> x = {116.404};
  std::vector<double> y = {39.915};
  const Transform to_bd09("GCJ-02", "BD-09");
  EXPECT_FALSE(to_bd09.is_identity());
  to_bd09.apply(x, y);
  EXPECT_EQ(x[0], gcj02_to_bd09({116.404, 39.915}).x);
  EXPECT_EQ(y[0], gcj02_to_bd09({116.404, 39.915}).y);
  Transform("bd09", "gcj02").apply(x, y);
  EXPECT_NEAR(x[0], 116.404, 1e-11);
  EXPECT_NEAR(y[0], 39.915, 1e-11);
  EXPECT_TRUE(Transform("GCJ-02", "gcj_02").is_identity());
  EXPECT_TRUE(Transform("BD-09", "BD09").is_identity());
}

TEST(Transform, Gcj02GoesThroughWgs84ToAnyOtherCrs) {
  // GCJ-02 -> EPSG:4548 is GCJ-02 -> WGS84 by the formula, then PROJ.
  const Point gcj02{116.3975167053, 39.9076182085};
  const Point wgs84 = gcj02_to_wgs84(gcj02);
  std::vector<double> ex = {wgs84.x};
  std::vector<double> ey = {wgs84.y};
  Transform("EPSG:4326", "EPSG:4548").apply(ex, ey);
  std::vector<double> x = {gcj02.x};
  std::vector<double> y = {gcj02.y};
  Transform("GCJ-02", "EPSG:4548").apply(x, y);
  EXPECT_NEAR(x[0], ex[0], 1e-6);
  EXPECT_NEAR(y[0], ey[0], 1e-6);
  // echo 39.906217 116.3912757 | cs2cs -f %.4f EPSG:4326 EPSG:4548  ->  4419293.3473 447947.4658
  EXPECT_NEAR(x[0], 447947.4658, 1e-3);
  EXPECT_NEAR(y[0], 4419293.3473, 1e-3);
  Transform("EPSG:4548", "GCJ-02").apply(x, y);
  EXPECT_NEAR(x[0], gcj02.x, 1e-9);
  EXPECT_NEAR(y[0], gcj02.y, 1e-9);
  // CGCS2000, the national datum, is WGS84 at metre level.
  x = {gcj02.x};
  y = {gcj02.y};
  Transform("GCJ-02", "EPSG:4490").apply(x, y);
  EXPECT_NEAR(x[0], wgs84.x, 1e-5);
  EXPECT_NEAR(y[0], wgs84.y, 1e-5);
}

TEST(Transform, PointsThatAreNotLongitudeLatitudeForGcj02BecomeNaN) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"EPSG:4326", "GCJ-02"},
                                                        {"GCJ-02", "EPSG:4326"},
                                                        {"BD-09", "GCJ-02"},
                                                        {"GCJ-02", "EPSG:4548"}}) {
    const Transform transform(from, to);
    std::vector<double> x = {116.4, 200.0, 116.4, kNaN, 116.4};
    std::vector<double> y = {39.9, 39.9, 95.0, 39.9, kNaN};
    transform.apply(x, y);
    EXPECT_TRUE(std::isfinite(x[0]) && std::isfinite(y[0])) << from << " -> " << to;
    for (std::size_t i = 1; i < x.size(); ++i) {
      EXPECT_TRUE(std::isnan(x[i]) && std::isnan(y[i])) << from << " -> " << to << " point " << i;
    }
  }
}

TEST(Transform, UnknownCrsBesideGcj02IsStillNamed) {
  for (const auto& [from, to, named] : {std::tuple{"GCJ-03", "EPSG:4326", "GCJ-03"},
                                        std::tuple{"GCJ-02", "EPSG:99999", "EPSG:99999"},
                                        std::tuple{"nonsense", "BD-09", "nonsense"}}) {
    try {
      Transform(from, to);
      ADD_FAILURE() << "no error for " << from << " -> " << to;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      EXPECT_EQ(std::string(e.what()), std::string("unknown CRS '") + named + "'");
    }
  }
}

TEST(Transform, KnowsGcj02AndBd09AsGeographicCrss) {
  for (const char* name : {"GCJ-02", "gcj02", "BD-09", "bd09", "EPSG:4326+GCJ02"}) {
    EXPECT_TRUE(is_known_crs(name)) << name;
    EXPECT_TRUE(is_geographic_crs(name)) << name;
  }
  EXPECT_FALSE(is_known_crs("GCJ-03"));
  EXPECT_FALSE(is_geographic_crs("BD-09MC"));
}

// Beijing's districts as DataV publishes them (GCJ-02, no CRS declared beyond GeoJSON's
// default); 顺义区 self-intersects at one point and is repaired on import.
TEST(Transform, Wgs84PointsLandInTheRightBeijingDistrict) {
  LIBGRID_REQUIRE_SHARED(districts, "beijing/110100_full.json");
  ImportOptions options;
  options.crs = "GCJ-02";
  options.make_valid = true;
  const GridSet imported = import_grid_set({{"district", districts, "", "adcode"}}, options).grids;
  ASSERT_EQ(imported.size(), 16u);
  EXPECT_EQ(imported.crs(), "GCJ-02");
  // Through a GeoPackage and back: the layers say WGS84, libgrid's metadata GCJ-02.
  const std::string path = libgrid::testing::temporary_folder() + "/beijing.gpkg";
  write_grid_set(imported, path);
  const GridSet grids = read_grid_set(path);
  EXPECT_EQ(grids.crs(), "GCJ-02");
  const CellIndex index(grids);
  const Transform from_wgs84("EPSG:4326", grids.crs());
  auto district_of = [&](Point p, const Transform* transform) -> std::string {
    std::vector<double> x = {p.x};
    std::vector<double> y = {p.y};
    if (transform != nullptr) transform->apply(x, y);
    const CellId id = index.lookup({x[0], y[0]});
    return id == kNoCell ? "-" : grids.cell(id).name;
  };

  // Tiananmen (WGS84) is in 东城区; looked up without the offset it lands in 西城区.
  const Point tiananmen{116.3912757, 39.906217};
  EXPECT_EQ(district_of(tiananmen, &from_wgs84), "东城区");
  EXPECT_EQ(district_of(tiananmen, nullptr), "西城区");

  // District seats, the "center" of each feature in the file (GCJ-02), taken to WGS84 by the
  // inverse: assigned from WGS84, each lands in its own district; and from BD-09 too.
  const Transform from_bd09("BD-09", grids.crs());
  for (const auto& [name, seat] : {std::pair{"东城区", Point{116.418757, 39.917544}},
                                   std::pair{"西城区", Point{116.366794, 39.915309}},
                                   std::pair{"朝阳区", Point{116.486409, 39.921489}},
                                   std::pair{"丰台区", Point{116.286968, 39.863642}},
                                   std::pair{"石景山区", Point{116.195445, 39.914601}},
                                   std::pair{"海淀区", Point{116.310316, 39.956074}},
                                   std::pair{"通州区", Point{116.658603, 39.902486}},
                                   std::pair{"大兴区", Point{116.338033, 39.728908}},
                                   std::pair{"顺义区", Point{116.653525, 40.128936}},
                                   std::pair{"延庆区", Point{115.985006, 40.465325}}}) {
    EXPECT_EQ(district_of(gcj02_to_wgs84(seat), &from_wgs84), name);
    EXPECT_EQ(district_of(gcj02_to_bd09(seat), &from_bd09), name);
  }
}

}  // namespace
}  // namespace libgrid
