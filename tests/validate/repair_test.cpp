#include "libgrid/validate/repair.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/validate/validate.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

CellId add(GridSet& grids, const std::string& code, int level, CellId parent,
           const std::string& wkt, std::int64_t households = 0) {
  return grids.add_cell({.code = code,
                         .level = level,
                         .parent = parent,
                         .geometry = parse_wkt_area(wkt),
                         .households = households});
}

const MultiPolygon& geometry_of(const GridSet& grids, const std::string& code) {
  return grids.cell(grids.find(code)).geometry;
}

// "kind cell_code" of the problems that are not slivers.
std::vector<std::string> real_problems(const ValidationReport& report) {
  std::vector<std::string> real;
  for (const Problem& p : report.problems) {
    if (!p.sliver) real.push_back(std::string(to_string(p.kind)) + " " + p.cell_code);
  }
  return real;
}

std::string listing(const ValidationReport& report) {
  std::string text;
  for (const Problem& p : report.problems) {
    text += std::string(to_string(p.kind)) + " " + p.cell_code + " " + p.other_code + " area " +
            std::to_string(p.area) + " thickness " + std::to_string(p.thickness) +
            (p.sliver ? " sliver\n" : "\n");
  }
  return text;
}

// Two communities, each with planted disagreements along its edges:
//  - 101 sticks out of community 1 by 0.4 along the top;
//  - 102 leaves a gap of 0.3 below community 1's top edge;
//  - 201 sticks out of community 2 by 5 at the top (a real problem) and, with 202, by up to
//    0.4 at the bottom, where 202's corner at x = 35 is far from any vertex of the parent.
GridSet planted() {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId one =
      add(grids, "1", 0, kNoCell, "POLYGON ((0 0, 10 0, 20 0, 20 10, 10 10, 0 10, 0 0))", 300);
  const CellId two = add(grids, "2", 0, kNoCell, "POLYGON ((30 0, 40 0, 40 10, 30 10, 30 0))", 70);
  add(grids, "101", 1, one, "POLYGON ((0 0, 10 0, 10 10.4, 0 10.4, 0 0))", 120);
  add(grids, "102", 1, one, "POLYGON ((10 0, 20 0, 20 9.7, 10 9.7, 10 0))", 180);
  add(grids, "201", 1, two, "POLYGON ((30 0, 35 -0.4, 35 15, 30 15, 30 0))", 30);
  add(grids, "202", 1, two, "POLYGON ((35 -0.4, 40 -0.4, 40 10, 35 10, 35 -0.4))", 40);
  return grids;
}

TEST(Repair, SnapsThePlantedSliversAwayAndKeepsTheRealProblem) {
  GridSet grids = planted();
  const ValidateOptions at_tolerance{.tolerance = 0.5};
  const ValidationReport before = validate(grids, at_tolerance);
  ASSERT_EQ(before.sliver_count(), 4u) << listing(before);  // 101 out, 102 gap, 201, 202 out
  ASSERT_EQ(real_problems(before), std::vector<std::string>{"outside_parent 201"});
  EXPECT_EQ(validate(grids).count(ProblemKind::kOverlap), 0u);

  const RepairReport report = repair(grids, {.snap = 0.5});

  const ValidationReport after = validate(grids, at_tolerance);
  EXPECT_EQ(after.sliver_count(), 0u) << listing(after);
  EXPECT_EQ(real_problems(after), std::vector<std::string>{"outside_parent 201"}) << listing(after);
  ASSERT_EQ(after.problems.size(), 1u) << listing(after);
  EXPECT_NEAR(after.problems[0].area, 25.0, 1e-9) << "5 x 5 above community 2, untouched";
  // Strictly, too: nothing left at all but the real problem, and no overlap made.
  EXPECT_EQ(real_problems(validate(grids)), std::vector<std::string>{"outside_parent 201"})
      << listing(validate(grids));

  // Every grid moved onto its community's edges.
  EXPECT_NEAR(area(geometry_of(grids, "101")), 100.0, 1e-9);
  EXPECT_NEAR(area(geometry_of(grids, "102")), 100.0, 1e-9);
  EXPECT_NEAR(area(geometry_of(grids, "201")), 75.0, 1e-9);
  EXPECT_NEAR(area(geometry_of(grids, "202")), 50.0, 1e-9);
  const Box b101 = envelope(geometry_of(grids, "101"));
  EXPECT_EQ(b101.max_y, 10.0);
  EXPECT_EQ(envelope(geometry_of(grids, "102")).max_y, 10.0);
  EXPECT_EQ(envelope(geometry_of(grids, "201")).max_y, 15.0);
  EXPECT_EQ(envelope(geometry_of(grids, "202")).min_y, 0.0);

  // What the report says, cell by cell, in code order.
  ASSERT_EQ(report.cells.size(), 4u);
  EXPECT_TRUE(report.skipped.empty());
  const CellRepair& r101 = report.cells[0];
  EXPECT_EQ(r101.code, "101");
  EXPECT_EQ(r101.parent_code, "1");
  EXPECT_EQ(r101.level, 1);
  EXPECT_EQ(r101.vertices_moved, 2u);  // (0 10.4) and (10 10.4)
  EXPECT_NEAR(r101.area_before, 104.0, 1e-9);
  EXPECT_NEAR(r101.area_after, 100.0, 1e-9);
  EXPECT_NEAR(r101.area_out, 4.0, 1e-9);
  EXPECT_NEAR(r101.area_in, 0.0, 1e-9);
  const CellRepair& r102 = report.cells[1];
  EXPECT_EQ(r102.code, "102");
  EXPECT_EQ(r102.vertices_moved, 2u);
  EXPECT_NEAR(r102.area_in, 3.0, 1e-9);
  EXPECT_NEAR(r102.area_out, 0.0, 1e-9);
  EXPECT_EQ(report.cells[2].code, "201");
  EXPECT_NEAR(report.cells[2].area_out, 1.0, 1e-9);  // the bottom sliver only
  EXPECT_EQ(report.cells[3].code, "202");
  EXPECT_NEAR(report.cells[3].area_out, 2.0, 1e-9);
  EXPECT_NEAR(report.area_out(), 4.0 + 1.0 + 2.0, 1e-9);
  EXPECT_NEAR(report.area_in(), 3.0, 1e-9);
  EXPECT_GE(report.vertices_moved(), 6u);
}

TEST(Repair, ChangesOnlyGeometry) {
  GridSet grids = planted();
  grids.roster().entries.push_back(
      {.cell_code = "101", .role = Role::kGridWorker, .person = {.id = "P1", .name = "张伟"}});
  grids.set_crs("EPSG:4547");
  const GridSet original = grids;
  repair(grids, {.snap = 0.5});
  ASSERT_EQ(grids.size(), original.size());
  EXPECT_EQ(grids.levels(), original.levels());
  EXPECT_EQ(grids.crs(), original.crs());
  ASSERT_EQ(grids.roster().entries.size(), 1u);
  EXPECT_EQ(grids.roster().entries[0].person.name, "张伟");
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const Cell& now = grids.cell(id);
    const Cell& was = original.cell(id);
    EXPECT_EQ(now.code, was.code);
    EXPECT_EQ(now.parent, was.parent);
    EXPECT_EQ(now.level, was.level);
    EXPECT_EQ(now.households, was.households);
  }
  // The communities, at the top, stay exactly as they were.
  EXPECT_EQ(geometry_of(grids, "1").polygons[0].rings,
            geometry_of(original, "1").polygons[0].rings);
}

TEST(Repair, RepairingTwiceChangesNothingMore) {
  GridSet grids = planted();
  repair(grids, {.snap = 0.5});
  const GridSet once = grids;
  const RepairReport again = repair(grids, {.snap = 0.5});
  EXPECT_TRUE(again.cells.empty()) << again.cells.front().code;
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    EXPECT_EQ(grids.cell(id).geometry.polygons.size(), once.cell(id).geometry.polygons.size());
    for (std::size_t p = 0; p < grids.cell(id).geometry.polygons.size(); ++p) {
      EXPECT_EQ(grids.cell(id).geometry.polygons[p].rings, once.cell(id).geometry.polygons[p].rings)
          << grids.cell(id).code;
    }
  }
}

TEST(Repair, ATinyToleranceReachesNothing) {
  GridSet grids = planted();
  const RepairReport report = repair(grids, {.snap = 0.01});
  EXPECT_TRUE(report.cells.empty());
  EXPECT_NEAR(area(geometry_of(grids, "101")), 104.0, 1e-9);
}

// A community whose bottom edge has a vertex at (10 0), just under the edge that grid 11 shares
// with the thin grid 12: snapping inserts that vertex into 11's edge (its nearest segment) but
// into 12's bottom edge, so 11 dips into 12. The dip is 11's to give back.
TEST(Repair, SiblingsThatSharedAnEdgeDoNotOverlapAfter) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId c = add(grids, "1", 0, kNoCell, "POLYGON ((0 0, 10 0, 20 0, 20 10, 0 10, 0 0))");
  add(grids, "11", 1, c, "POLYGON ((0 0, 2 0, 2 0.2, 18 0.2, 18 0, 20 0, 20 10, 0 10, 0 0))");
  add(grids, "12", 1, c, "POLYGON ((2 0, 18 0, 18 0.2, 2 0.2, 2 0))");
  ASSERT_TRUE(validate(grids).problems.empty()) << listing(validate(grids));

  repair(grids, {.snap = 0.5});
  const ValidationReport after = validate(grids);
  EXPECT_TRUE(after.problems.empty()) << listing(after);
  EXPECT_NEAR(area(geometry_of(grids, "11")), 200.0 - 3.2, 1e-9);
  EXPECT_NEAR(area(geometry_of(grids, "12")), 3.2, 1e-9);
  EXPECT_TRUE(repair(grids, {.snap = 0.5}).cells.empty());
}

// Coarse levels first: a community snapped to its street, then its grid to the community as
// repaired. --level repairs one level only.
TEST(Repair, SnapsEachLevelToItsParentAsRepairedAndCanKeepToOneLevel) {
  auto make = [] {
    GridSet grids;
    grids.add_level("street");
    grids.add_level("community");
    grids.add_level("grid");
    const CellId s = add(grids, "1", 0, kNoCell, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
    const CellId c = add(grids, "11", 1, s, "POLYGON ((0 0, 10 0, 10 9.8, 0 9.8, 0 0))");
    add(grids, "111", 2, c, "POLYGON ((0 0, 10 0, 10 9.6, 0 9.6, 0 0))");
    return grids;
  };
  GridSet grids = make();
  const RepairReport report = repair(grids, {.snap = 0.3});
  ASSERT_EQ(report.cells.size(), 2u);
  EXPECT_EQ(envelope(geometry_of(grids, "11")).max_y, 10.0);
  // 9.6 is 0.4 from the street's corner but 0.2 from the community's before its repair: it
  // follows the community as repaired.
  EXPECT_EQ(envelope(geometry_of(grids, "111")).max_y, 10.0);
  EXPECT_TRUE(validate(grids).problems.empty()) << listing(validate(grids));

  grids = make();
  const RepairReport grids_only = repair(grids, {.snap = 0.3, .level = 2});
  ASSERT_EQ(grids_only.cells.size(), 1u);
  EXPECT_EQ(grids_only.cells[0].code, "111");
  EXPECT_EQ(envelope(geometry_of(grids, "11")).max_y, 9.8);
  EXPECT_EQ(envelope(geometry_of(grids, "111")).max_y, 9.8);
}

TEST(Repair, RefusesACellThatWouldVanish) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId c = add(grids, "1", 0, kNoCell, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
  add(grids, "11", 1, c, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
  add(grids, "12", 1, c, "POLYGON ((0 10.1, 10 10.1, 10 10.3, 0 10.3, 0 10.1))");
  const GridSet original = grids;
  const Error e = error_of([&] { repair(grids, {.snap = 0.5}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.detail(),
            "cell 12 (level grid) would vanish: nothing of it is left inside its parent 1 within "
            "the snap tolerance 0.5; fix or remove it first");
  EXPECT_EQ(geometry_of(grids, "12").polygons[0].rings,
            geometry_of(original, "12").polygons[0].rings)
      << "left unchanged";
}

TEST(Repair, LeavesInvalidCellsAsTheyAre) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId c = add(grids, "1", 0, kNoCell, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
  add(grids, "11", 1, c, "POLYGON ((0 0, 10 10.2, 10 0, 0 10.2, 0 0))");  // a bow tie
  const RepairReport report = repair(grids, {.snap = 0.5});
  EXPECT_TRUE(report.cells.empty());
  EXPECT_EQ(report.skipped, std::vector<std::string>{"11"});
}

TEST(Repair, RejectsABadToleranceOrLevel) {
  GridSet grids = planted();
  for (const RepairOptions& bad :
       {RepairOptions{.snap = -1}, RepairOptions{.snap = 0}, RepairOptions{.snap = 1.0 / 0.0},
        RepairOptions{.snap = 1, .level = 0}, RepairOptions{.snap = 1, .level = 2},
        RepairOptions{.snap = 1, .level = -2}}) {
    const Error e = error_of([&] { repair(grids, bad); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
  }
  EXPECT_EQ(error_of([&] { repair(grids, {.snap = -1}); }).detail(),
            "must be a finite number > 0, not -1");
  EXPECT_EQ(error_of([&] { repair(grids, {.snap = 0}); }).detail(),
            "must be a finite number > 0, not 0");
  EXPECT_EQ(error_of([&] { repair(grids, {.snap = 0}); }).where().option, "snap");
  EXPECT_EQ(error_of([&] { repair(grids, {.snap = 1, .level = 0}); }).detail(),
            "level community is the top level: it has no parents to snap to");
}

// A tolerance under one unit in the last place of the coordinates can move nothing, and dividing
// coordinates by it (to bucket the parent's vertices) would overflow a 64-bit integer.
TEST(Repair, RejectsAToleranceBelowTheCoordinatesPrecision) {
  GridSet grids = planted();
  const Error e = error_of([&] { repair(grids, {.snap = 1e-300}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(e.detail().find("1e-300 is below the precision of coordinates"), std::string::npos)
      << e.detail();
  EXPECT_TRUE(repair(grids, {.snap = 1e-12}).cells.empty());  // tiny, but above it
}

// ---- real data ----

// NYC's community districts and boroughs were digitised separately (see validate_test.cpp).
// Snapping the districts to their boroughs at 0.0005° (about 50 m) removes most slivers; the
// districts filed under the wrong borough stay real problems.
TEST(RepairNyc, RemovesMostSliversAndKeepsTheRealErrors) {
  LIBGRID_REQUIRE_SHARED(boroughs, "nyc/boroughs.geojson");
  LIBGRID_REQUIRE_SHARED(districts, "nyc/community_districts.geojson");
  GridSet grids = import_grid_set({{"borough", boroughs, "", "BoroCode"},
                                   {"district", districts, "", "BoroCD"}})
                      .grids;
  const double tolerance = 0.0005;
  const ValidateOptions options{.tolerance = tolerance};
  const ValidationReport before = validate(grids, options);
  const std::size_t overlaps_before = validate(grids).count(ProblemKind::kOverlap);
  std::vector<std::int64_t> households;
  for (const Cell& c : grids.cells()) households.push_back(c.households);

  const RepairReport report = repair(grids, {.snap = tolerance});
  const ValidationReport after = validate(grids, options);

  auto slivers = [](const ValidationReport& r) {
    std::size_t n = 0;
    for (const Problem& p : r.problems) {
      n += p.sliver && (p.kind == ProblemKind::kGap || p.kind == ProblemKind::kOutsideParent);
    }
    return n;
  };
  auto outside_area = [](const ValidationReport& r) {
    double total = 0.0;
    for (const Problem& p : r.problems) {
      if (p.sliver && p.kind == ProblemKind::kOutsideParent) total += p.area;
    }
    return total;
  };
  std::cout << "NYC at " << tolerance << ": " << report.cells.size() << " of "
            << grids.cells_of_level(1).size() << " districts changed, " << report.vertices_moved()
            << " vertices moved, area out " << report.area_out() << ", in " << report.area_in()
            << "; gap/outside slivers " << slivers(before) << " -> " << slivers(after) << " (gaps "
            << before.count(ProblemKind::kGap) << " -> " << after.count(ProblemKind::kGap)
            << ", outside " << before.count(ProblemKind::kOutsideParent) << " -> "
            << after.count(ProblemKind::kOutsideParent) << "), sliver area outside "
            << outside_area(before) << " -> " << outside_area(after) << '\n';

  ASSERT_GT(slivers(before), 100u);
  EXPECT_LT(slivers(after), slivers(before) / 2);
  EXPECT_LT(outside_area(after), outside_area(before) / 10);
  // The real problems are the districts filed under the wrong borough (208, 401, and the
  // boroughs' gaps they leave) and strips along the shore a little thicker than the tolerance:
  // the same cells and kinds after, no larger.
  auto distinct = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  EXPECT_EQ(distinct(real_problems(after)), distinct(real_problems(before)));
  EXPECT_EQ(
      distinct(real_problems(after)),
      (std::vector<std::string>{"gap 1", "gap 2", "outside_parent 207", "outside_parent 208",
                                "outside_parent 302", "outside_parent 306", "outside_parent 401"}));
  auto real_area = [](const ValidationReport& r) {
    double total = 0.0;
    for (const Problem& p : r.problems) total += p.sliver ? 0.0 : p.area;
    return total;
  };
  EXPECT_LT(real_area(after), real_area(before) * 1.001);
  EXPECT_LE(validate(grids).count(ProblemKind::kOverlap), overlaps_before);
  for (const Cell& c : grids.cells()) {
    EXPECT_EQ(c.households, households[static_cast<std::size_t>(grids.find(c.code))]);
  }
  EXPECT_TRUE(repair(grids, {.snap = tolerance}).cells.empty())
      << "a second repair changes nothing";
}

}  // namespace
}  // namespace libgrid
