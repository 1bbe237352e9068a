#include "libgrid/validate/validate.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "libgrid/io/grid_set_import.h"
#include "support/error_of.h"
#include "support/test_data.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::error_of;

using testing::box;

CellId add(GridSet& grids, const std::string& code, int level, CellId parent,
           const std::string& wkt) {
  return grids.add_cell(
      {.code = code, .level = level, .parent = parent, .geometry = parse_wkt_area(wkt)});
}

void add_worker(GridSet& grids, const std::string& code, const std::string& name) {
  grids.roster().entries.push_back(
      {.cell_code = code, .role = Role::kGridWorker, .person = {.id = "P-" + name, .name = name}});
}

// What a test expects of one problem.
struct Expected {
  ProblemKind kind;
  std::string cell_code;
  std::string other_code;
  double area;
};

void expect_problems(const ValidationReport& report, const std::vector<Expected>& expected) {
  std::string listing;
  for (const Problem& p : report.problems) {
    listing += std::string(to_string(p.kind)) + " " + p.cell_code + " " + p.other_code + " " +
               std::to_string(p.area) + " (" + p.detail + ")\n";
  }
  ASSERT_EQ(report.problems.size(), expected.size()) << listing;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Problem& p = report.problems[i];
    SCOPED_TRACE("problem " + std::to_string(i) + ":\n" + listing);
    EXPECT_EQ(p.kind, expected[i].kind);
    EXPECT_EQ(p.cell_code, expected[i].cell_code);
    EXPECT_EQ(p.other_code, expected[i].other_code);
    EXPECT_NEAR(p.area, expected[i].area, 1e-9);
    EXPECT_FALSE(p.sliver);
  }
}

// Communities 100 x 100 in a row, each with one planted problem among its grids, and a roster
// with one grid worker per grid except two.
GridSet planted() {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  std::vector<CellId> community;
  for (int i = 0; i < 6; ++i) {
    community.push_back(add(grids, "11011900100" + std::to_string(i + 1), 0, kNoCell,
                            box(100 * i, 0, 100 * i + 100, 100)));
  }
  // A gap: [50, 100] x [60, 100] covered by no grid.
  add(grids, "110119001001001", 1, community[0], box(0, 0, 50, 100));
  add(grids, "110119001001002", 1, community[0], box(50, 0, 100, 60));
  // An overlap: [150, 160] x [0, 100].
  add(grids, "110119001002001", 1, community[1], box(100, 0, 160, 100));
  add(grids, "110119001002002", 1, community[1], box(150, 0, 200, 100));
  // Sticking out of the parent: [250, 300] x [100, 110].
  add(grids, "110119001003001", 1, community[2], box(200, 0, 250, 100));
  add(grids, "110119001003002", 1, community[2], box(250, 0, 300, 110));
  // Two parts in a single-part parent; the smaller, [300, 400] x [70, 100], is the stray one.
  add(grids, "110119001004001", 1, community[3],
      "MULTIPOLYGON (((300 0, 400 0, 400 40, 300 40, 300 0)), "
      "((300 70, 400 70, 400 100, 300 100, 300 70)))");
  add(grids, "110119001004002", 1, community[3], box(300, 40, 400, 70));
  // A code not extending its parent's.
  add(grids, "110119009005001", 1, community[4], box(400, 0, 500, 100));
  // Malformed codes: a letter, and 16 digits where the level has 15.
  add(grids, "110119001006001", 1, community[5], box(500, 0, 540, 100));
  add(grids, "11011900100600A", 1, community[5], box(540, 0, 570, 100));
  add(grids, "1101190010060003", 1, community[5], box(570, 0, 600, 100));
  // No parent.
  add(grids, "110119001007001", 1, kNoCell, box(600, 0, 700, 100));

  for (const Cell& c : grids.cells()) {
    if (c.level != 1 || c.code == "110119001001002") continue;  // no worker
    add_worker(grids, c.code, "worker of " + c.code);
  }
  add_worker(grids, "110119001002001", "second worker");  // two workers
  return grids;
}

TEST(Validate, FindsEachPlantedProblemExactly) {
  const GridSet grids = planted();
  const ValidationReport report = validate(grids);
  expect_problems(report,
                  {
                      {ProblemKind::kGap, "110119001001", "", 2000},
                      {ProblemKind::kOverlap, "110119001002001", "110119001002002", 1000},
                      {ProblemKind::kOutsideParent, "110119001003002", "110119001003", 500},
                      {ProblemKind::kNotContiguous, "110119001004001", "110119001004", 3000},
                      {ProblemKind::kMalformedCode, "1101190010060003", "", 0},
                      {ProblemKind::kMalformedCode, "11011900100600A", "", 0},
                      {ProblemKind::kCodeNotExtendingParent, "110119009005001", "110119001005", 0},
                      {ProblemKind::kGridWorkers, "110119001001002", "", 0},
                      {ProblemKind::kGridWorkers, "110119001002001", "", 0},
                      {ProblemKind::kNoParent, "110119001007001", "", 0},
                  });
  for (const Problem& p : report.problems) EXPECT_EQ(p.level, 1);
  EXPECT_FALSE(report.clean());
  EXPECT_EQ(report.real_count(), 10u);
  EXPECT_EQ(report.count(ProblemKind::kMalformedCode), 2u);
  EXPECT_EQ(report.count(ProblemKind::kDuplicateCode), 0u);

  // The located ones carry their area; the others none.
  const Box gap = envelope(report.problems[0].where);
  EXPECT_EQ(gap.min_x, 50);
  EXPECT_EQ(gap.min_y, 60);
  EXPECT_EQ(gap.max_x, 100);
  EXPECT_EQ(gap.max_y, 100);
  EXPECT_NEAR(area(report.problems[1].where), 1000, 1e-9);
  EXPECT_EQ(envelope(report.problems[2].where).min_y, 100);
  EXPECT_EQ(envelope(report.problems[3].where).min_y, 70) << "the smaller part is the stray one";
  for (std::size_t i = 4; i < report.problems.size(); ++i) {
    EXPECT_TRUE(report.problems[i].where.empty()) << i;
  }
  // Thickness of the 10 x 100 overlap: 2 * 1000 / 220.
  EXPECT_NEAR(report.problems[1].thickness, 2000.0 / 220.0, 1e-9);
  EXPECT_EQ(report.problems[3].detail, "2 parts; its parent has 1");
  EXPECT_EQ(report.problems[4].detail, "16 characters where most codes of level grid have 15");
  EXPECT_EQ(report.problems[5].detail, "not all digits, unlike most codes of level grid");
  EXPECT_EQ(report.problems[6].detail, "does not start with its parent's code 110119001005");
  EXPECT_EQ(report.problems[7].detail, "no grid worker; one grid, one worker");
  EXPECT_EQ(report.problems[8].detail,
            "2 grid workers: worker of 110119001002001, second worker; one grid, one worker");
  EXPECT_EQ(report.problems[9].detail, "no parent on level community");
}

TEST(Validate, CleanGridSetReportsNothing) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId a = add(grids, "110119001001", 0, kNoCell, box(0, 0, 100, 100));
  add(grids, "110119001002", 0, kNoCell, box(100, 0, 200, 100));  // no grids yet: no gap
  // Split along a diagonal and a vertex-for-vertex shared boundary.
  add(grids, "110119001001001", 1, a, "POLYGON ((0 0, 100 0, 0 100, 0 0))");
  add(grids, "110119001001002", 1, a, "POLYGON ((100 0, 100 100, 0 100, 100 0))");
  add_worker(grids, "110119001001001", "张伟");
  add_worker(grids, "110119001001002", "李娜");
  const ValidationReport report = validate(grids);
  EXPECT_TRUE(report.problems.empty()) << to_string(report.problems.front().kind);
  EXPECT_TRUE(report.clean());
}

TEST(Validate, CjT349CodesCarryTheirParentAfterTheObjectCode) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId a = add(grids, "110119001001", 0, kNoCell, box(0, 0, 100, 100));
  add(grids, "00010111011900100101", 1, a, box(0, 0, 50, 100));    // object code + parent + 01
  add(grids, "00010111011900200102", 1, a, box(50, 0, 100, 100));  // another community's
  const ValidationReport report = validate(grids);
  ASSERT_EQ(report.count(ProblemKind::kCodeNotExtendingParent), 1u);
  EXPECT_EQ(report.problems.back().cell_code, "00010111011900200102");
}

// A road meeting a parent's edge leaves a node within an ulp of it: rounding, not a gap.
TEST(Validate, StripsOfRoundingWidthAreNotProblems) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId a = add(grids, "110119001001", 0, kNoCell, box(500000, 4420000, 500100, 4420100));
  char off[32];  // one ulp below the parent's edge, written exactly
  std::snprintf(off, sizeof off, "%.17g", std::nextafter(4420100.0, 0.0));
  add(grids, "110119001001001", 1, a,
      std::string("POLYGON ((500000 4420000, 500050 4420000, 500050 ") + off +
          ", 500000 4420100, 500000 4420000))");
  add(grids, "110119001001002", 1, a,
      std::string("POLYGON ((500050 4420000, 500100 4420000, 500100 4420100, 500050 ") + off +
          ", 500050 4420000))");
  ASSERT_NE(area(grids.cell(1).geometry), 5000.0);  // the strip is there
  EXPECT_TRUE(validate(grids).problems.empty());
}

TEST(Validate, NoRosterSkipsTheWorkerCheckAndAnUnknownGridLevelIsAnError) {
  GridSet grids = planted();
  grids.roster().entries.clear();
  EXPECT_EQ(validate(grids).count(ProblemKind::kGridWorkers), 0u);
  grids = planted();
  const Error unknown = error_of([&] { validate(grids, {.grid_level = "microgrid"}); });
  EXPECT_EQ(unknown.what(),
            std::string("option grid_level: no level named 'microgrid' (levels: community, grid)"));
  // The check follows the level it is given: communities have no workers at all.
  EXPECT_EQ(validate(grids, {.grid_level = "community"}).count(ProblemKind::kGridWorkers), 6u);
}

TEST(Validate, ThinStripOutsideTheParentIsASliverOnlyWithinTheTolerance) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId a = add(grids, "1", 0, kNoCell, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
  add(grids, "11", 1, a, "POLYGON ((0 0, 10 0, 10 10.001, 0 10.001, 0 0))");

  const auto start = std::chrono::steady_clock::now();
  const ValidationReport strict = validate(grids);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0) << "a few seconds at most, even in a sanitized build";
  ASSERT_EQ(strict.problems.size(), 1u);
  const Problem& real = strict.problems[0];
  EXPECT_EQ(real.kind, ProblemKind::kOutsideParent);
  EXPECT_EQ(real.cell_code, "11");
  EXPECT_EQ(real.other_code, "1");
  EXPECT_NEAR(real.area, 0.01, 1e-9);
  EXPECT_NEAR(real.thickness, 0.001, 1e-6);
  EXPECT_FALSE(real.sliver);
  EXPECT_FALSE(strict.clean());

  const ValidationReport tolerant = validate(grids, {.tolerance = 0.01});
  ASSERT_EQ(tolerant.problems.size(), 1u);
  EXPECT_TRUE(tolerant.problems[0].sliver);
  EXPECT_NEAR(tolerant.problems[0].area, 0.01, 1e-9);
  EXPECT_EQ(tolerant.sliver_count(), 1u);
  EXPECT_EQ(tolerant.real_count(), 0u);
  EXPECT_TRUE(tolerant.clean());

  // Thicker than the tolerance: real again.
  EXPECT_FALSE(validate(grids, {.tolerance = 0.0005}).problems[0].sliver);
}

TEST(Validate, InvalidGeometryIsReportedAndKeptOutOfTheOverlays) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId a = add(grids, "1", 0, kNoCell, box(0, 0, 10, 10));
  // A bow tie, and a ring of 3 points, as only code can build them (import refuses both).
  add(grids, "11", 1, a, "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
  grids.add_cell({.code = "12",
                  .level = 1,
                  .parent = a,
                  .geometry = {{Polygon{{Ring{{0, 0}, {1, 0}, {0, 0}}}}}}});
  const ValidationReport report = validate(grids);
  ASSERT_EQ(report.problems.size(), 2u) << report.problems[0].detail;
  EXPECT_EQ(report.problems[0].kind, ProblemKind::kInvalidGeometry);
  EXPECT_EQ(report.problems[0].cell_code, "11");
  EXPECT_EQ(report.problems[0].detail, "self-intersecting polygon at (5 5)");
  EXPECT_FALSE(report.problems[0].where.empty()) << "the cell, to find it on a map";
  EXPECT_EQ(report.problems[1].kind, ProblemKind::kInvalidGeometry);
  EXPECT_EQ(report.problems[1].cell_code, "12");
  EXPECT_EQ(report.problems[1].detail,
            "ring 1 of polygon 1 has 3 points (a ring needs at least 4)");
  EXPECT_TRUE(report.problems[1].where.empty());
}

TEST(Validate, OverlapOfTwoPartsIsOneProblemPerPolygon) {
  GridSet grids;
  grids.add_level("grid");
  add(grids, "1", 0, kNoCell, box(0, 0, 10, 10));
  // A U shape over the square's left and right edges: two separate overlaps.
  add(grids, "2", 0, kNoCell, "POLYGON ((-2 0, 1 0, 1 20, 9 20, 9 0, 12 0, 12 30, -2 30, -2 0))");
  const ValidationReport report = validate(grids);
  expect_problems(report,
                  {{ProblemKind::kOverlap, "1", "2", 10}, {ProblemKind::kOverlap, "1", "2", 10}});
}

TEST(Validate, NamesAndRejectsABadTolerance) {
  for (const ProblemKind kind :
       {ProblemKind::kGap, ProblemKind::kOverlap, ProblemKind::kOutsideParent,
        ProblemKind::kInvalidGeometry, ProblemKind::kNotContiguous, ProblemKind::kDuplicateCode,
        ProblemKind::kMalformedCode, ProblemKind::kCodeNotExtendingParent,
        ProblemKind::kGridWorkers, ProblemKind::kNoParent}) {
    EXPECT_EQ(parse_problem_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(to_string(ProblemKind::kOutsideParent), "outside_parent");
  EXPECT_FALSE(parse_problem_kind("sliver").has_value());
  const Error e = error_of([] { validate(GridSet{}, {.tolerance = -1}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  // gridtool reads it as "--tolerance: must be ...", the same words as C++ and Python.
  EXPECT_STREQ(e.what(), "option tolerance: must be a finite number >= 0, not -1");
}

// ---- real data ----

// NYC's community districts and boroughs were digitised separately: along the shoreline and
// the borough lines about 0.2% of the districts' area sticks out of their borough.
TEST(ValidateNyc, FindsTheSliversBetweenDistrictsAndBoroughs) {
  LIBGRID_REQUIRE_SHARED(boroughs, "nyc/boroughs.geojson");
  LIBGRID_REQUIRE_SHARED(districts, "nyc/community_districts.geojson");
  const GridSet grids = import_grid_set({{"borough", boroughs, "", "BoroCode"},
                                         {"district", districts, "", "BoroCD"}})
                            .grids;
  double city = 0.0;
  for (const CellId id : grids.cells_of_level(0)) city += area(grids.cell(id).geometry);

  const auto start = std::chrono::steady_clock::now();
  const ValidationReport strict = validate(grids);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0) << "a few seconds at most, even in a sanitized build";
  const ValidationReport report = validate(grids, {.tolerance = 1e-3});  // degrees: ~100 m
  ASSERT_EQ(strict.problems.size(), report.problems.size());
  std::size_t outside = 0, outside_slivers = 0;
  double outside_area = 0.0;
  for (std::size_t i = 0; i < report.problems.size(); ++i) {
    const Problem& p = report.problems[i];
    EXPECT_FALSE(strict.problems[i].sliver);
    EXPECT_GT(p.area, 0.0) << to_string(p.kind) << " " << p.cell_code;  // no code problems
    if (p.kind != ProblemKind::kOutsideParent) continue;
    ++outside;
    outside_slivers += p.sliver;
    outside_area += p.area;
    EXPECT_EQ(p.level, 1);
    EXPECT_EQ(p.other_code, grids.cell(grids.cell(grids.find(p.cell_code)).parent).code);
  }
  ASSERT_GT(outside, 0u);
  EXPECT_GT(outside_slivers, outside * 9 / 10);
  EXPECT_LT(outside_area, 0.01 * city);
  EXPECT_EQ(report.count(ProblemKind::kOverlap), 0u);
  std::cout << "NYC: " << report.problems.size() << " problems (" << report.count(ProblemKind::kGap)
            << " gaps, " << outside << " outside their borough, "
            << report.count(ProblemKind::kNotContiguous) << " not contiguous); " << outside_slivers
            << " of the outside parts are slivers at 1e-3; outside area "
            << 100.0 * outside_area / city << "% of the city; validated in " << seconds << " s\n";

  // The real ones: Rikers Island (a Bronx island in Queens district 401) and Marble Hill (a
  // Manhattan neighbourhood in Bronx district 208), each also a gap in its true borough.
  std::vector<std::string> real;
  for (const Problem& p : report.problems) {
    if (!p.sliver) real.push_back(std::string(to_string(p.kind)) + " " + p.cell_code);
  }
  EXPECT_EQ(real, (std::vector<std::string>{"gap 1", "gap 2", "outside_parent 208",
                                            "outside_parent 401"}));
}

}  // namespace
}  // namespace libgrid
