#include "libgrid/codes/beidou_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "libgrid/error.h"
#include "support/error_of.h"

namespace libgrid {
namespace {

using testing::error_of;

double dms(double degrees, double minutes, double seconds) {
  return degrees + minutes / 60.0 + seconds / 3600.0;
}

Point centre(const Box& b) { return {(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2}; }

TEST(BeidouGrid, StepsOfEveryLevel) {
  const double second = 1.0 / 3600.0;
  const double expected[][2] = {{6, 4},
                                {0.5, 0.5},
                                {0.25, 10.0 / 60},
                                {1.0 / 60, 1.0 / 60},
                                {4 * second, 4 * second},
                                {2 * second, 2 * second},
                                {second / 4, second / 4},
                                {second / 32, second / 32},
                                {second / 256, second / 256},
                                {second / 2048, second / 2048}};
  for (int level = kBeidouMinLevel; level <= kBeidouMaxLevel; ++level) {
    SCOPED_TRACE(level);
    EXPECT_DOUBLE_EQ(beidou_step(level).lon_degrees, expected[level - 1][0]);
    EXPECT_DOUBLE_EQ(beidou_step(level).lat_degrees, expected[level - 1][1]);
  }
  EXPECT_EQ(beidou_step(1).lon_degrees, 6.0);
  EXPECT_EQ(beidou_step(2).lat_degrees, 0.5);
  EXPECT_EQ(error_of([] { beidou_step(0); }).kind(), ErrorKind::kInvalidInput);
  EXPECT_THROW(beidou_step(11), Error);
  const std::size_t lengths[] = {4, 6, 7, 9, 11, 12, 14, 16, 18, 20};
  for (int level = 1; level <= 10; ++level) {
    EXPECT_EQ(beidou_code_length(level), lengths[level - 1]);
  }
}

// The point of GB/T 39409-2020's worked example, 116°18′45.37″E 39°59′35.38″N. Level 8: the
// ST_asBGC example of the grid extension manual "地理网格模型功能与接口文档" (section 北斗位置编码
// (BGC)), which gives N50J47539B825534 for (116.31260277777778, 39.993161111111114) and, from
// ST_BGC2Box, the box (116.3125954861111, 39.99315972222223)–(116.31260416666666,
// 39.99316840277778). Level 10: N50J47539B8255346152, decoded in the tests of
// github.com/Gvitech-gis/beidou-grid-location-codec.
TEST(BeidouGrid, WorkedExampleFromPublishedSources) {
  const Point p{dms(116, 18, 45.37), dms(39, 59, 35.38)};
  EXPECT_EQ(beidou_code(p, 10), "N50J47539B8255346152");
  EXPECT_EQ(beidou_code({116.31260277777778, 39.993161111111114}, 8), "N50J47539B825534");
  const std::string full = "N50J47539B8255346152";
  for (int level = 1; level <= 10; ++level) {
    EXPECT_EQ(beidou_code(p, level), full.substr(0, beidou_code_length(level))) << level;
  }
  const Box b = beidou_bounds("N50J47539B825534");
  EXPECT_NEAR(b.min_x, 116.3125954861111, 1e-12);
  EXPECT_NEAR(b.min_y, 39.99315972222223, 1e-12);
  EXPECT_NEAR(b.max_x, 116.31260416666666, 1e-12);
  EXPECT_NEAR(b.max_y, 39.99316840277778, 1e-12);
  EXPECT_EQ(beidou_level("N50J47539B825534"), 8);
}

// Level 1 is the international 1:1,000,000 map sheet: Beijing lies on sheet J-50 (114°–120°E,
// 36°–40°N), the standard example of that sheet numbering.
TEST(BeidouGrid, LevelOneIsTheMillionthMapSheet) {
  EXPECT_EQ(beidou_code({116.4, 39.9}, 1), "N50J");
  const Box b = beidou_bounds("N50J");
  EXPECT_EQ(b.min_x, 114.0);
  EXPECT_EQ(b.max_x, 120.0);
  EXPECT_EQ(b.min_y, 36.0);
  EXPECT_EQ(b.max_y, 40.0);
  EXPECT_EQ(beidou_code({-179.9, 0.1}, 1), "N01A");
  EXPECT_EQ(beidou_code({179.9, 87.9}, 1), "N60V");
  EXPECT_EQ(beidou_code({-0.1, -0.1}, 1), "S30A");
  EXPECT_EQ(beidou_code({0.1, -87.9}, 1), "S31V");
}

// The four hemispheres mirror one another: only the hemisphere letter and the level-1 column
// tell the mirrored points apart (column 50 ↔ 11 for 114°–120° east ↔ west).
TEST(BeidouGrid, HemispheresAreMirrorImages) {
  const double lon = dms(116, 18, 45.37), lat = dms(39, 59, 35.38);
  EXPECT_EQ(beidou_code({lon, lat}, 10), "N50J47539B8255346152");
  EXPECT_EQ(beidou_code({-lon, lat}, 10), "N11J47539B8255346152");
  EXPECT_EQ(beidou_code({lon, -lat}, 10), "S50J47539B8255346152");
  EXPECT_EQ(beidou_code({-lon, -lat}, 10), "S11J47539B8255346152");
  const Box east = beidou_bounds("N50J47539B8255346152");
  const Box west = beidou_bounds("S11J47539B8255346152");
  EXPECT_EQ(west.min_x, -east.max_x);
  EXPECT_EQ(west.max_x, -east.min_x);
  EXPECT_EQ(west.min_y, -east.max_y);
  EXPECT_EQ(west.max_y, -east.min_y);
}

// Many seeded points in each hemisphere: the code names a box holding the point, the box's
// centre codes back to the same cell, and every level's cell lies inside the one above with a
// code extending its code.
TEST(BeidouGrid, RoundTripsAndNestsAtEveryLevel) {
  std::mt19937_64 random(20240617);
  std::uniform_real_distribution<double> lon(0.0, 180.0), lat(0.0, 88.0);
  const int signs[4][2] = {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}};
  for (const auto& sign : signs) {
    for (int i = 0; i < 2500; ++i) {
      const Point p{sign[0] * lon(random), sign[1] * lat(random)};
      if (std::fabs(p.y) >= kBeidouMaxLatitude) continue;
      std::string previous;
      Box previous_box;
      for (int level = 1; level <= 10; ++level) {
        const std::string code = beidou_code(p, level);
        ASSERT_EQ(beidou_code_problem(code), std::nullopt) << code;
        ASSERT_EQ(code.size(), beidou_code_length(level));
        ASSERT_EQ(code[0], p.y >= 0 ? 'N' : 'S');
        const Box b = beidou_bounds(code);
        ASSERT_TRUE(b.contains(p)) << code << " at " << p.x << " " << p.y;
        ASSERT_NEAR(b.max_x - b.min_x, beidou_step(level).lon_degrees, 1e-12);
        ASSERT_NEAR(b.max_y - b.min_y, beidou_step(level).lat_degrees, 1e-12);
        ASSERT_EQ(beidou_code(centre(b), level), code);
        ASSERT_EQ(beidou_level(code), level);
        if (level > 1) {
          ASSERT_EQ(code.compare(0, previous.size(), previous), 0) << code << " in " << previous;
          ASSERT_GE(b.min_x, previous_box.min_x);
          ASSERT_LE(b.max_x, previous_box.max_x);
          ASSERT_GE(b.min_y, previous_box.min_y);
          ASSERT_LE(b.max_y, previous_box.max_y);
        }
        previous = code;
        previous_box = b;
      }
    }
  }
}

// A point exactly on a grid line belongs to the cell on the side away from the equator and the
// prime meridian. Multiples of 6° in longitude and of 4° in latitude are lines of every level.
TEST(BeidouGrid, PointsOnGridLinesGoAwayFromTheEquatorAndThePrimeMeridian) {
  for (int level = 1; level <= 10; ++level) {
    SCOPED_TRACE(level);
    const Box ne = beidou_bounds(beidou_code({120.0, 40.0}, level));
    EXPECT_EQ(ne.min_x, 120.0);
    EXPECT_EQ(ne.min_y, 40.0);
    const Box nw = beidou_bounds(beidou_code({-120.0, 40.0}, level));
    EXPECT_EQ(nw.max_x, -120.0);
    EXPECT_EQ(nw.min_y, 40.0);
    const Box sw = beidou_bounds(beidou_code({-120.0, -40.0}, level));
    EXPECT_EQ(sw.max_x, -120.0);
    EXPECT_EQ(sw.max_y, -40.0);
    const Box se = beidou_bounds(beidou_code({120.0, -40.0}, level));
    EXPECT_EQ(se.min_x, 120.0);
    EXPECT_EQ(se.max_y, -40.0);
    // The equator is N, the prime meridian east.
    const Box origin = beidou_bounds(beidou_code({0.0, 0.0}, level));
    EXPECT_EQ(origin.min_x, 0.0);
    EXPECT_EQ(origin.min_y, 0.0);
    // 180°E is 180°W: column 01, whose outer edge it is.
    EXPECT_EQ(beidou_bounds(beidou_code({180.0, 1.0}, level)).min_x, -180.0);
    EXPECT_EQ(beidou_bounds(beidou_code({-180.0, 1.0}, level)).min_x, -180.0);
  }
  EXPECT_EQ(beidou_code({0.0, 0.0}, 2), "N31A00");
  EXPECT_EQ(beidou_code({-0.0, -0.0}, 2), "N31A00");
  EXPECT_EQ(beidou_code({6.0, 4.0}, 1), "N32B");
  EXPECT_EQ(beidou_code({-6.0, -4.0}, 1), "S29B");
  EXPECT_EQ(beidou_code({-6.0, 4.0}, 2), "N29B00");
  EXPECT_EQ(beidou_code({180.0, 0.5}, 2), "N01AB1");
  // Level 2 at 114.5°E 36.5°N: the lines 114.5 and 36.5 open column 1 and row 1 of N50J.
  EXPECT_EQ(beidou_code({114.5, 36.5}, 2), "N50J11");
  EXPECT_EQ(beidou_code({114.5 - 1e-12, 36.5 - 1e-12}, 2), "N50J00");
}

// Lines that are not binary fractions (1′, 4″, ...) are decided exactly: the double just below a
// line is in the cell below it, the one at or just above it in the cell above.
TEST(BeidouGrid, DecidesExactlyNearLinesThatDoublesCannotHold) {
  for (int level = 4; level <= 10; ++level) {
    SCOPED_TRACE(level);
    const std::int64_t lines_per_degree = std::llround(1.0 / beidou_step(level).lat_degrees);
    const double line = beidou_lat_line(level, 40 * lines_per_degree + 1);  // just north of 40°
    const std::string code = beidou_code({117.5, line}, level);
    const Box b = beidou_bounds(code);
    // Whichever way the double rounded the line, the point is inside the box of its cell, and
    // that box has the line as its south or north side.
    EXPECT_TRUE(b.contains({117.5, line}));
    EXPECT_TRUE(b.min_y == line || b.max_y == line);
    const double below = std::nextafter(line, 0.0), above = std::nextafter(line, 90.0);
    EXPECT_EQ(beidou_bounds(beidou_code({117.5, below}, level)).max_y, line);
    EXPECT_EQ(beidou_bounds(beidou_code({117.5, above}, level)).min_y, line);
  }
}

TEST(BeidouGrid, GridLinesAreMultiplesOfTheStep) {
  EXPECT_EQ(beidou_lon_line(1, 0), -180.0);
  EXPECT_EQ(beidou_lon_line(1, 30), 0.0);
  EXPECT_EQ(beidou_lon_line(1, 60), 180.0);
  EXPECT_EQ(beidou_lat_line(1, -22), -88.0);
  EXPECT_EQ(beidou_lat_line(2, 80), 40.0);
  EXPECT_EQ(beidou_lon_line(3, 4 * 180 + 4 * 117), 117.0);
  EXPECT_EQ(beidou_lat_line(10, 40LL * 3600 * 2048), 40.0);
  // Every side of a cell is a line of its level.
  const Box b = beidou_bounds("N50J47539B825534");
  const BeidouStep step = beidou_step(8);
  const auto west = std::llround((b.min_x + 180.0) / step.lon_degrees);
  const auto south = std::llround(b.min_y / step.lat_degrees);
  EXPECT_EQ(b.min_x, beidou_lon_line(8, west));
  EXPECT_EQ(b.max_x, beidou_lon_line(8, west + 1));
  EXPECT_EQ(b.min_y, beidou_lat_line(8, south));
  EXPECT_EQ(b.max_y, beidou_lat_line(8, south + 1));
  EXPECT_THROW(beidou_lon_line(0, 1), Error);
}

TEST(BeidouGrid, TellsWhatIsWrongWithAMalformedCode) {
  EXPECT_EQ(beidou_code_problem(""),
            "has 0 characters; a Beidou grid code has 4, 6, 7, 9, 11, 12, 14, 16, 18 or 20");
  EXPECT_EQ(beidou_code_problem("N50J4"),
            "has 5 characters; a Beidou grid code has 4, 6, 7, 9, 11, 12, 14, 16, 18 or 20");
  EXPECT_EQ(beidou_code_problem("E50J"), "character 1 ('E') is not N or S");
  EXPECT_EQ(beidou_code_problem("N5xJ"), "character 3 ('x') is not a digit");
  EXPECT_EQ(beidou_code_problem("N61J"), "level-1 column 61 is not one of 01 to 60");
  EXPECT_EQ(beidou_code_problem("N00J"), "level-1 column 00 is not one of 01 to 60");
  EXPECT_EQ(beidou_code_problem("N50W"), "character 4 ('W') is not a row letter A to V");
  EXPECT_EQ(beidou_code_problem("N50JC7"), "character 5 ('C') is not a level-2 column 0-B");
  EXPECT_EQ(beidou_code_problem("N50J48"), "character 6 ('8') is not a level-2 row 0-7");
  EXPECT_EQ(beidou_code_problem("N50J476"), "character 7 ('6') is not a level-3 cell 0-5");
  EXPECT_EQ(beidou_code_problem("N50J4753A"), "character 9 ('A') is not a level-4 row 0-9");
  EXPECT_EQ(beidou_code_problem("N50J475F9"), "character 8 ('F') is not a level-4 column 0-E");
  EXPECT_EQ(beidou_code_problem("N50J47539F8"), "character 10 ('F') is not a level-5 column 0-E");
  EXPECT_EQ(beidou_code_problem("N50J47539BF"), "character 11 ('F') is not a level-5 row 0-E");
  EXPECT_EQ(beidou_code_problem("N50J47539b82"), "character 10 ('b') is not a level-5 column 0-E");
  EXPECT_EQ(beidou_code_problem("N50J47539B84"), "character 12 ('4') is not a level-6 cell 0-3");
  EXPECT_EQ(beidou_code_problem("N50J47539B8258"), "character 14 ('8') is not a level-7 row 0-7");
  EXPECT_EQ(beidou_code_problem("N50J47539B8255346182"),
            "character 19 ('8') is not a level-10 column 0-7");
  EXPECT_EQ(beidou_code_problem("N50J47539B8255346152"), std::nullopt);
  const Error e = error_of([] { beidou_bounds("N61J"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.detail(), "Beidou grid code 'N61J' level-1 column 61 is not one of 01 to 60");
  EXPECT_THROW(beidou_level("N50J4"), Error);
}

TEST(BeidouGrid, RefusesPointsItCannotCode) {
  EXPECT_EQ(error_of([] { beidou_code({116.0, 88.0}, 5); }).kind(), ErrorKind::kInvalidInput);
  EXPECT_THROW(beidou_code({116.0, -88.0}, 5), Error);
  EXPECT_THROW(beidou_code({180.5, 10.0}, 5), Error);
  EXPECT_THROW(beidou_code({-180.5, 10.0}, 5), Error);
  EXPECT_THROW(beidou_code({std::numeric_limits<double>::quiet_NaN(), 10.0}, 5), Error);
  EXPECT_THROW(beidou_code({116.0, 10.0}, 0), Error);
  EXPECT_THROW(beidou_code({116.0, 10.0}, 11), Error);
  EXPECT_EQ(beidou_code({116.0, std::nextafter(88.0, 0.0)}, 1), "N50V");
}

}  // namespace
}  // namespace libgrid
