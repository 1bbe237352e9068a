#include "libgrid/model/boundary_version.h"

#include <gtest/gtest.h>

#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/model/grid_set.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using std::chrono::sys_days;

sys_days day(int y, unsigned m, unsigned d) {
  return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

LocalMinutes at(const char* text) { return *parse_local_time(text); }

MultiPolygon box(double x0, double y0, double x1, double y1) {
  return parse_wkt_area("POLYGON((" + std::to_string(x0) + " " + std::to_string(y0) + ", " +
                        std::to_string(x1) + " " + std::to_string(y0) + ", " + std::to_string(x1) +
                        " " + std::to_string(y1) + ", " + std::to_string(x0) + " " +
                        std::to_string(y1) + ", " + std::to_string(x0) + " " + std::to_string(y0) +
                        "))");
}

// Two communities over [0,30] x [0,10]; grids G1 | G2 split C1 at x = `cut`, G3 is C2.
GridSet town(double cut) {
  GridSet g;
  g.set_crs("EPSG:4548");
  g.add_level("community");
  g.add_level("grid");
  const CellId c1 = g.add_cell({.code = "C1", .level = 0, .geometry = box(0, 0, 20, 10)});
  const CellId c2 = g.add_cell({.code = "C2", .level = 0, .geometry = box(20, 0, 30, 10)});
  g.add_cell({.code = "G1", .level = 1, .parent = c1, .geometry = box(0, 0, cut, 10)});
  g.add_cell({.code = "G2", .level = 1, .parent = c1, .geometry = box(cut, 0, 20, 10)});
  g.add_cell({.code = "G3", .level = 1, .parent = c2, .geometry = box(20, 0, 30, 10)});
  return g;
}

std::string code_at(const GridSet& g, const CellIndex& index, Point p, const char* when) {
  const CellId id = index.lookup(p, at(when));
  return id == kNoCell ? "" : g.cell(id).code;
}

TEST(BoundaryVersion, UnchangedCellsAreStoredOnceAndVersionsListTheirCells) {
  GridSet history = town(10);
  history.add_version(day(2027, 1, 1), town(12));
  ASSERT_EQ(history.versions().size(), 2u);
  EXPECT_FALSE(history.versions()[0].effective.has_value());
  EXPECT_EQ(history.versions()[1].effective, day(2027, 1, 1));
  // C1, C2, G3 unchanged; G1 and G2 reshaped: 5 + 2 cells.
  EXPECT_EQ(history.size(), 7u);
  EXPECT_EQ(history.versions()[0].cells, (std::vector<CellId>{0, 1, 2, 3, 4}));
  EXPECT_EQ(history.versions()[1].cells, (std::vector<CellId>{0, 1, 4, 5, 6}));
  EXPECT_EQ(history.find("G1"), 5);  // the latest cell of the code
  EXPECT_EQ(history.totals(1).cells, 3u);
}

TEST(BoundaryVersion, VerticesAddedOnStraightEdgesDoNotMakeANewCell) {
  GridSet next = town(12);
  GridSet split;
  split.set_crs(next.crs());
  split.add_level("community");
  split.add_level("grid");
  for (const Cell& c : next.cells()) split.add_cell(c);
  // G3 again, its west edge split at (20, 5) and started at another vertex, clockwise.
  Cell& g3 = const_cast<Cell&>(split.cell(4));
  g3.geometry = parse_wkt_area("POLYGON((30 0, 20 0, 20 5, 20 10, 30 10, 30 0))");
  GridSet history = town(10);
  history.add_version(day(2027, 1, 1), split);
  EXPECT_EQ(history.size(), 7u);
  EXPECT_EQ(history.cell(4).geometry.polygons[0].rings[0].size(), 6u);  // the new vertices kept
}

TEST(BoundaryVersion, EventsEitherSideOfTheDateLandInTheOldAndNewCells) {
  GridSet history = town(10);
  history.add_version(day(2027, 1, 1), town(12));
  const CellIndex index(history);
  const Point p{11, 5};
  EXPECT_EQ(code_at(history, index, p, "2026-12-31T23:59"), "G2");
  EXPECT_EQ(code_at(history, index, p, "2027-01-01T00:00"), "G1");
  EXPECT_EQ(code_at(history, index, p, "2027-01-02T09:30"), "G1");
  EXPECT_EQ(history.cell(index.lookup(p)).code, "G1");  // no time: the latest
  EXPECT_EQ(code_at(history, index, {25, 5}, "2020-01-01T00:00"), "G3");
  // The path follows the version's parents.
  const CellId old_g2 = index.lookup(p, at("2026-12-31T23:59"));
  EXPECT_EQ(history.cell(index.path(old_g2).front()).code, "C1");

  EXPECT_EQ(history.version_at(at("2026-12-31T23:59")), 0);
  EXPECT_EQ(history.version_at(at("2027-01-01T00:00")), 1);
  const GridSet before = history.at(at("2026-06-01T00:00"));
  EXPECT_FALSE(before.has_versions());
  EXPECT_EQ(before.size(), 5u);
  EXPECT_EQ(before.cell(before.find("G2")).geometry.polygons[0].rings[0][0], (Point{10, 0}));
  EXPECT_EQ(before.cell(before.cell(before.find("G2")).parent).code, "C1");
}

TEST(BoundaryVersion, ATimeBeforeTheFirstVersionIsRefusedNamingIt) {
  GridSet history = town(10);
  history.add_version(day(2027, 1, 1), town(12), day(2026, 1, 1));
  const CellIndex index(history);
  EXPECT_EQ(history.version_at(at("2025-12-31T23:59")), -1);
  try {
    index.lookup({5, 5}, at("2025-12-31T23:59"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "time 2025-12-31T23:59 is before the first boundary version (2026-01-01)");
  }
  EXPECT_THROW(history.at(at("2025-06-01T00:00")), Error);
  const std::vector<double> x{5, 5}, y{5, 5};
  const std::vector<LocalMinutes> t{at("2026-01-01T00:00"), at("2025-01-01T00:00")};
  std::vector<CellId> out(2);
  try {
    index.lookup(x, y, t, out);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "point 1: time 2025-01-01T00:00 is before the first boundary version "
                 "(2026-01-01)");
  }
}

TEST(BoundaryVersion, BadVersionsAreRefused) {
  GridSet history = town(10);
  history.add_version(day(2027, 1, 1), town(12));
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  GridSet copy = history;
  EXPECT_EQ(message([&] { copy.add_version(day(2027, 1, 1), town(14)); }),
            "the new version's date 2027-01-01 is not after the latest version's (2027-01-01)");
  EXPECT_EQ(message([&] { copy.add_version(day(2026, 6, 1), town(14)); }),
            "the new version's date 2026-06-01 is not after the latest version's (2027-01-01)");
  GridSet other_crs = town(14);
  other_crs.set_crs("EPSG:4326");
  EXPECT_EQ(message([&] { copy.add_version(day(2028, 1, 1), other_crs); }),
            "the new version's CRS is not the grid set's");
  GridSet other_levels;
  other_levels.set_crs("EPSG:4548");
  other_levels.add_level("community");
  EXPECT_EQ(message([&] { copy.add_version(day(2028, 1, 1), other_levels); }),
            "the new version's levels (community) are not the grid set's (community, grid)");
  EXPECT_EQ(copy.size(), history.size());  // nothing added by a refusal
  GridSet base = town(10);
  EXPECT_EQ(message([&] { base.add_version(day(2026, 1, 1), town(12), day(2026, 1, 1)); }),
            "the new version's date 2026-01-01 is not after the latest version's (2026-01-01)");
}

TEST(BoundaryVersion, TheGridSetFileKeepsTheVersions) {
  GridSet history = town(10);
  history.add_version(day(2027, 1, 1), town(12), day(2026, 1, 1));
  history.add_version(day(2028, 3, 1), town(15));
  const std::string path = testing::temporary_folder() + "/history.gpkg";
  write_grid_set(history, path);
  const GridSet read = read_grid_set(path);
  ASSERT_EQ(read.size(), history.size());
  EXPECT_EQ(read.size(), 9u);
  ASSERT_EQ(read.versions().size(), 3u);
  for (std::size_t v = 0; v < 3; ++v) {
    EXPECT_EQ(read.versions()[v].effective, history.versions()[v].effective);
    EXPECT_EQ(read.versions()[v].cells, history.versions()[v].cells);
  }
  for (std::size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read.cells()[i].code, history.cells()[i].code);
    EXPECT_EQ(read.cells()[i].parent, history.cells()[i].parent);
  }
  EXPECT_EQ(read.fingerprint(), history.fingerprint());
  // A grid set of one version is written and read as it always was.
  const std::string single = testing::temporary_folder() + "/single.gpkg";
  write_grid_set(town(10), single);
  EXPECT_FALSE(read_grid_set(single).has_versions());
  EXPECT_EQ(read_grid_set(single).fingerprint(), town(10).fingerprint());
}

}  // namespace
}  // namespace libgrid
