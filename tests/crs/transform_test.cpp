#include "libgrid/crs/transform.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "libgrid/error.h"

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

TEST(Transform, KnowsGeographicCrss) {
  EXPECT_TRUE(is_geographic_crs("EPSG:4326"));
  EXPECT_TRUE(is_geographic_crs("EPSG:4490"));  // CGCS2000
  EXPECT_TRUE(is_geographic_crs("EPSG:4979"));  // 3D
  EXPECT_TRUE(is_geographic_crs("+proj=longlat +ellps=GRS80"));
  EXPECT_FALSE(is_geographic_crs("EPSG:4548"));
  EXPECT_FALSE(is_geographic_crs("EPSG:32650"));
  EXPECT_FALSE(is_geographic_crs("EPSG:99999"));
}

}  // namespace
}  // namespace libgrid
