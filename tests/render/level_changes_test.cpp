// compare_level: the land that changed cell between two versions of a level.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "libgrid/render/map_render.h"
#include "support/error_of.h"

namespace libgrid {
namespace {

using testing::error_of;

MultiPolygon square(double x0, double y0, double x1, double y1) {
  std::ostringstream s;
  s << "POLYGON ((" << x0 << " " << y0 << ", " << x1 << " " << y0 << ", " << x1 << " " << y1 << ", "
    << x0 << " " << y1 << ", " << x0 << " " << y0 << "))";
  return parse_wkt_area(s.str());
}

// A community [0, 200] x [0, 100] cut into grids A and B at x = `cut`.
GridSet two_grids(double cut) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId community =
      grids.add_cell({.code = "1001", .level = 0, .geometry = square(0, 0, 200, 100)});
  grids.add_cell(
      {.code = "A", .level = 1, .parent = community, .geometry = square(0, 0, cut, 100)});
  grids.add_cell(
      {.code = "B", .level = 1, .parent = community, .geometry = square(cut, 0, 200, 100)});
  return grids;
}

double length(const std::vector<Point>& line) {
  double total = 0.0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    total += std::hypot(line[i + 1].x - line[i].x, line[i + 1].y - line[i].y);
  }
  return total;
}

TEST(CompareLevel, StripGivenToTheNeighbourIsTheMovedLand) {
  // A gave B the strip [80, 100] x [0, 100].
  const LevelChanges changes = compare_level(two_grids(80), two_grids(100), "grid");
  ASSERT_EQ(changes.changed.size(), 2u);
  const ChangedCell& a = changes.changed[0];
  const ChangedCell& b = changes.changed[1];
  EXPECT_EQ(a.code, "A");
  EXPECT_EQ(a.cell, 1);
  EXPECT_FALSE(a.is_new);
  EXPECT_TRUE(a.moved_in.empty());
  EXPECT_EQ(a.moved_in_area, 0.0);
  EXPECT_DOUBLE_EQ(a.moved_out_area, 20.0 * 100);

  EXPECT_EQ(b.code, "B");
  EXPECT_EQ(b.cell, 2);
  EXPECT_DOUBLE_EQ(b.moved_in_area, 20.0 * 100);
  EXPECT_DOUBLE_EQ(area(b.moved_in), 20.0 * 100);
  EXPECT_EQ(b.moved_out_area, 0.0);
  const Box where = envelope(b.moved_in);
  EXPECT_EQ(where.min_x, 80.0);
  EXPECT_EQ(where.max_x, 100.0);
  EXPECT_EQ(where.min_y, 0.0);
  EXPECT_EQ(where.max_y, 100.0);

  EXPECT_DOUBLE_EQ(changes.moved_area, 20.0 * 100);
  EXPECT_TRUE(changes.removed.empty());
  // A's old east edge is gone: the line x = 100 across the community, and nothing else.
  double gone = 0.0;
  for (const std::vector<Point>& line : changes.vanished_boundaries) {
    ASSERT_GE(line.size(), 2u);
    for (const Point& p : line) EXPECT_EQ(p.x, 100.0) << p.y;
    gone += length(line);
  }
  EXPECT_DOUBLE_EQ(gone, 100.0);
}

TEST(CompareLevel, UnchangedCellsHaveNoMovedLand) {
  LevelChanges changes = compare_level(two_grids(100), two_grids(100), "grid");
  EXPECT_TRUE(changes.changed.empty());
  EXPECT_TRUE(changes.removed.empty());
  EXPECT_EQ(changes.moved_area, 0.0);
  EXPECT_TRUE(changes.vanished_boundaries.empty());

  // The same squares written from another corner, one with an extra vertex on an edge: the
  // same land, so no change.
  GridSet redrawn;
  redrawn.add_level("community");
  redrawn.add_level("grid");
  const CellId community =
      redrawn.add_cell({.code = "1001", .level = 0, .geometry = square(0, 0, 200, 100)});
  redrawn.add_cell(
      {.code = "A",
       .level = 1,
       .parent = community,
       .geometry = parse_wkt_area("POLYGON ((100 100, 0 100, 0 0, 50 0, 100 0, 100 100))")});
  redrawn.add_cell(
      {.code = "B",
       .level = 1,
       .parent = community,
       .geometry = parse_wkt_area("POLYGON ((200 0, 200 100, 100 100, 100 0, 200 0))")});
  changes = compare_level(redrawn, two_grids(100), "grid");
  EXPECT_TRUE(changes.changed.empty());
  EXPECT_TRUE(changes.vanished_boundaries.empty());
}

TEST(CompareLevel, SplitCellAndMergedAwayCode) {
  // Before: A and B. After: A as it was, B split into B (west) and the new C (east).
  GridSet after;
  after.add_level("community");
  after.add_level("grid");
  const CellId community =
      after.add_cell({.code = "1001", .level = 0, .geometry = square(0, 0, 200, 100)});
  after.add_cell(
      {.code = "A", .level = 1, .parent = community, .geometry = square(0, 0, 100, 100)});
  after.add_cell(
      {.code = "B", .level = 1, .parent = community, .geometry = square(100, 0, 150, 100)});
  after.add_cell(
      {.code = "C", .level = 1, .parent = community, .geometry = square(150, 0, 200, 100)});
  LevelChanges changes = compare_level(after, two_grids(100), "grid");
  ASSERT_EQ(changes.changed.size(), 2u);
  EXPECT_EQ(changes.changed[0].code, "B");
  EXPECT_EQ(changes.changed[0].moved_in_area, 0.0);
  EXPECT_DOUBLE_EQ(changes.changed[0].moved_out_area, 50.0 * 100);
  EXPECT_EQ(changes.changed[1].code, "C");
  EXPECT_TRUE(changes.changed[1].is_new);
  EXPECT_DOUBLE_EQ(changes.changed[1].moved_in_area, 50.0 * 100);
  EXPECT_DOUBLE_EQ(changes.moved_area, 50.0 * 100);
  EXPECT_TRUE(changes.vanished_boundaries.empty());  // B's old edges all still bound a cell

  // Merged: one cell A over the whole community; B's code is gone, and so is the edge x = 100.
  GridSet merged;
  merged.add_level("community");
  merged.add_level("grid");
  const CellId whole =
      merged.add_cell({.code = "1001", .level = 0, .geometry = square(0, 0, 200, 100)});
  merged.add_cell({.code = "A", .level = 1, .parent = whole, .geometry = square(0, 0, 200, 100)});
  changes = compare_level(merged, two_grids(100), "grid");
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_DOUBLE_EQ(changes.changed[0].moved_in_area, 100.0 * 100);
  EXPECT_EQ(changes.removed, std::vector<std::string>{"B"});
  ASSERT_EQ(changes.vanished_boundaries.size(), 1u);
  EXPECT_DOUBLE_EQ(length(changes.vanished_boundaries[0]), 100.0);
}

TEST(CompareLevel, ErrorsNameWhatIsWrong) {
  GridSet before;
  before.add_level("community");
  before.add_cell({.code = "1001", .level = 0, .geometry = square(0, 0, 200, 100)});
  Error e = error_of([&] { compare_level(two_grids(80), before, "grid"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            "the grid set to compare with has no level named 'grid' (its levels: community)");
  e = error_of([&] { compare_level(before, two_grids(80), "grid"); });
  EXPECT_EQ(std::string(e.what()),
            "the grid set has no level named 'grid' (its levels: community)");

  GridSet projected = two_grids(80);
  projected.set_crs("EPSG:4548");
  GridSet geographic = two_grids(100);
  geographic.set_crs("EPSG:4490");
  e = error_of([&] { compare_level(projected, geographic, "grid"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(std::string(e.what()).find("in another CRS"), std::string::npos) << e.what();
  // The same CRS written two ways, or one grid set without a CRS, compare.
  geographic.set_crs("urn:ogc:def:crs:EPSG::4548");
  EXPECT_EQ(compare_level(projected, geographic, "grid").changed.size(), 2u);
  geographic.set_crs("");
  EXPECT_EQ(compare_level(projected, geographic, "grid").changed.size(), 2u);
}

}  // namespace
}  // namespace libgrid
