#include "libgrid/rebalance/rebalance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/partition_inputs.h"
#include "libgrid/partition/partition.h"
#include "libgrid/testing/household_drift.h"
#include "libgrid/testing/synthetic_street.h"
#include "libgrid/validate/validate.h"
#include "support/error_of.h"
#include "support/test_data.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::error_of;

using testing::box;

// n x n units of `weight` each, centred in the cells of a lattice over [x0, x1] x [y0, y1].
void add_lattice(std::vector<Unit>& units, double x0, double y0, double x1, double y1, int n,
                 double weight) {
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      units.push_back({{x0 + (x1 - x0) * (i + 0.5) / n, y0 + (y1 - y0) * (j + 0.5) / n}, weight});
    }
  }
}

// Community "100" of 1000 x 1000 m split in four grids along x: 100001 (west) .. 100004.
GridSet four_strips() {
  GridSet grids;
  grids.set_crs("EPSG:4548");
  grids.add_level("community");
  grids.add_level("grid");
  const CellId parent = grids.add_cell(
      {.code = "100", .level = 0, .geometry = parse_wkt_area(box(0, 0, 1000, 1000))});
  for (int k = 0; k < 4; ++k) {
    grids.add_cell({.code = "10000" + std::to_string(k + 1),
                    .level = 1,
                    .parent = parent,
                    .geometry = parse_wkt_area(box(250 * k, 0, 250 * (k + 1), 1000))});
  }
  return grids;
}

// Units filling strip k (0-based) with `households` in 400 units.
void fill_strip(std::vector<Unit>& units, int k, double households) {
  add_lattice(units, 250 * k, 0, 250 * (k + 1), 1000, 20, households / 400);
}

RebalanceOptions band(double lo, double hi) {
  RebalanceOptions o;
  o.level = "grid";
  o.min_weight = lo;
  o.max_weight = hi;
  return o;
}

double total_weight(const std::vector<Unit>& units) {
  double sum = 0.0;
  for (const Unit& u : units) sum += u.weight;
  return sum;
}

// The guarantees every rebalance keeps, checked independently of the report: the level nests
// exactly (validate finds no gap, overlap or part outside), each cell is one polygon, the
// lookup's weights match the report, households are conserved, and the moves add up.
void expect_guarantees(const GridSet& grids, const std::vector<Unit>& units,
                       const RebalanceReport& report, int level) {
  const ValidationReport problems = validate(grids);
  for (const Problem& p : problems.problems) {
    // Moved finer cells keep their codes; new cells wait for a grid worker.
    if (p.kind == ProblemKind::kCodeNotExtendingParent || p.kind == ProblemKind::kGridWorkers) {
      continue;
    }
    ADD_FAILURE() << to_string(p.kind) << " " << p.cell_code << " " << p.other_code << " " << p.area
                  << " " << p.detail;
  }
  const CellIndex index(grids);
  std::map<std::string, double> by_lookup;
  for (const Unit& u : units) {
    const CellId c = index.lookup_level(u.location, level);
    if (c != kNoCell) by_lookup[grids.cell(c).code] += u.weight;
  }
  double after = 0.0, before = 0.0;
  for (const RebalanceCellReport& c : report.cells) {
    before += c.weight_before;
    after += c.weight_after;
    if (c.status == RebalanceStatus::kRetired) {
      EXPECT_EQ(grids.find(c.code), kNoCell) << c.code;
      continue;
    }
    const CellId id = grids.find(c.code);
    ASSERT_NE(id, kNoCell) << c.code;
    EXPECT_NEAR(by_lookup[c.code], c.weight_after, 1e-6) << c.code;
    if (c.status != RebalanceStatus::kLocked) {
      EXPECT_EQ(grids.cell(id).households, std::llround(c.weight_after)) << c.code;
    }
  }
  EXPECT_NEAR(before, after, 1e-6);
  EXPECT_NEAR(after, report.totals.households, 1e-6);
  double moved = 0.0;
  for (const RebalanceMove& m : report.moves) moved += m.households;
  EXPECT_NEAR(moved, report.totals.moved, 1e-6);
  EXPECT_NEAR(report.totals.core_retention, 1 - moved / std::max(1.0, before), 1e-9);
}

// Every grid of `original` is still there under its code, with the same geometry.
void expect_grids_unchanged(const GridSet& original, const GridSet& grids) {
  for (CellId id : original.cells_of_level(1)) {
    const CellId now = grids.find(original.cell(id).code);
    ASSERT_NE(now, kNoCell) << original.cell(id).code;
    EXPECT_EQ(to_wkt(grids.cell(now).geometry), to_wkt(original.cell(id).geometry));
  }
}

TEST(Rebalance, MovesTheExcessToTheNeighbourWithRoom) {
  GridSet grids = four_strips();
  std::vector<Unit> units;
  fill_strip(units, 0, 400);
  fill_strip(units, 1, 560);  // 60 over
  fill_strip(units, 2, 340);
  fill_strip(units, 3, 400);
  const RebalanceReport report = rebalance(grids, units, {}, band(300, 500));
  EXPECT_TRUE(report.infeasible.empty());
  EXPECT_EQ(report.totals.in_band_before, 3u);
  EXPECT_EQ(report.totals.in_band_after, 4u);
  EXPECT_EQ(report.totals.cells_after, 4u);
  EXPECT_EQ(report.totals.codes_kept, 4u);
  EXPECT_EQ(report.totals.codes_new + report.totals.codes_retired, 0u);
  EXPECT_NEAR(report.totals.lower_bound, 60, 1e-9);
  EXPECT_GE(report.totals.moved, 60);
  EXPECT_LE(report.totals.moved, 1.5 * 60);
  for (const RebalanceMove& m : report.moves) {  // the west strip never had to move
    EXPECT_NE(m.from_code, "100001");
    EXPECT_NE(m.to_code, "100001");
  }
  expect_guarantees(grids, units, report, 1);
  // The untouched west strip keeps its land; the others still cover the rest.
  EXPECT_NEAR(area(grids.cell(grids.find("100001")).geometry), 250000, 1e-6);
}

TEST(Rebalance, CellsInBandAreLeftAsTheyWere) {
  GridSet grids = four_strips();
  const GridSet original = grids;
  std::vector<Unit> units;
  for (int k = 0; k < 4; ++k) fill_strip(units, k, 400);
  const RebalanceReport report = rebalance(grids, units, {}, band(300, 500));
  EXPECT_TRUE(report.moves.empty());
  EXPECT_EQ(report.totals.cells_touched, 0u);
  EXPECT_DOUBLE_EQ(report.totals.core_retention, 1.0);
  expect_grids_unchanged(original, grids);
}

TEST(Rebalance, ANewEstateSplitsItsCellAndNewCodesFollowTheSequence) {
  GridSet grids = four_strips();
  grids.roster().entries.push_back({"100002", Role::kGridWorker, {"w2", "Wang", "1"}});
  std::vector<Unit> units;
  fill_strip(units, 0, 400);
  fill_strip(units, 1, 400);
  fill_strip(units, 2, 400);
  fill_strip(units, 3, 400);
  add_lattice(units, 520, 100, 730, 900, 30, 2);  // +1,800 households in strip 2 (100003)
  const RebalanceReport report = rebalance(grids, units, {}, band(300, 500));
  EXPECT_TRUE(report.infeasible.empty());
  EXPECT_EQ(report.totals.in_band_after, report.totals.cells_after);
  EXPECT_GE(report.totals.codes_new, 4u);  // 2,200 households need 5 to 7 cells
  EXPECT_EQ(report.totals.codes_retired, 0u);
  std::set<std::string> codes;
  for (const RebalanceCellReport& c : report.cells) {
    codes.insert(c.code);
    if (c.status == RebalanceStatus::kNew) {
      EXPECT_GT(c.code, "100004") << "new codes come after every existing code";
      EXPECT_EQ(c.code.substr(0, 3), "100");
      EXPECT_EQ(c.code.size(), 6u);
    }
  }
  EXPECT_TRUE(codes.count("100003"));  // the part with most of its land keeps the code
  EXPECT_LE(report.totals.moved, 1.5 * std::max(report.totals.lower_bound, 1.0) + 500);
  EXPECT_TRUE(report.retired_roster.empty());
  EXPECT_EQ(grids.roster().entries.size(), 1u);
  expect_guarantees(grids, units, report, 1);
}

TEST(Rebalance, ACellTooLightToStandAloneMergesAndItsWorkerIsListed) {
  GridSet grids = four_strips();
  grids.roster().entries.push_back({"100002", Role::kGridWorker, {"w2", "Wang", "1"}});
  grids.roster().entries.push_back({"100003", Role::kGridWorker, {"w3", "Li", "2"}});
  std::vector<Unit> units;
  fill_strip(units, 0, 420);
  fill_strip(units, 1, 40);  // demolished
  fill_strip(units, 2, 420);
  fill_strip(units, 3, 420);
  const RebalanceReport report = rebalance(grids, units, {}, band(300, 500));
  EXPECT_TRUE(report.infeasible.empty());
  EXPECT_EQ(report.totals.codes_retired, 1u);
  EXPECT_EQ(report.totals.cells_after, 3u);
  EXPECT_EQ(report.totals.in_band_after, 3u);
  EXPECT_EQ(grids.find("100002"), kNoCell);
  ASSERT_EQ(report.retired_roster.size(), 1u);
  EXPECT_EQ(report.retired_roster[0].person.id, "w2");
  ASSERT_EQ(grids.roster().entries.size(), 1u);
  EXPECT_EQ(grids.roster().entries[0].cell_code, "100003");
  EXPECT_NEAR(report.totals.moved, 40, 1e-9);  // merging moves the 40, filling would move 260
  expect_guarantees(grids, units, report, 1);
}

TEST(Rebalance, LockedCellsStayByteForByteAndTheReportSaysWhy) {
  GridSet grids = four_strips();
  const std::string before = to_wkt(grids.cell(grids.find("100003")).geometry);
  std::vector<Unit> units;
  fill_strip(units, 0, 400);
  fill_strip(units, 1, 400);
  fill_strip(units, 2, 600);  // locked, over the band
  fill_strip(units, 3, 400);
  RebalanceOptions o = band(300, 500);
  o.locks = {"100003"};
  const RebalanceReport report = rebalance(grids, units, {}, o);
  const CellId locked = grids.find("100003");
  ASSERT_NE(locked, kNoCell);
  EXPECT_EQ(to_wkt(grids.cell(locked).geometry), before);
  EXPECT_TRUE(report.moves.empty());
  ASSERT_EQ(report.infeasible.size(), 1u);
  EXPECT_EQ(report.infeasible[0].cell_code, "100003");
  EXPECT_NE(report.infeasible[0].reason.find("locked"), std::string::npos);
  expect_guarantees(grids, units, report, 1);
}

TEST(Rebalance, ALockedNeighbourIsNamedAsTheReason) {
  GridSet grids = four_strips();
  std::vector<Unit> units;
  fill_strip(units, 0, 500);
  fill_strip(units, 1, 500);
  fill_strip(units, 2, 500);
  fill_strip(units, 3, 560);  // its only neighbour is locked
  RebalanceOptions o = band(300, 500);
  o.locks = {"100003"};
  const RebalanceReport report = rebalance(grids, units, {}, o);
  ASSERT_EQ(report.infeasible.size(), 1u);
  EXPECT_EQ(report.infeasible[0].cell_code, "100004");
  EXPECT_NE(report.infeasible[0].reason.find("locked"), std::string::npos)
      << report.infeasible[0].reason;
  expect_guarantees(grids, units, report, 1);
}

TEST(Rebalance, ABandNoPlanCanMeetIsReportedAndNothingMoves) {
  GridSet grids = four_strips();
  const GridSet original = grids;
  std::vector<Unit> units;
  for (int k = 0; k < 4; ++k) fill_strip(units, k, 400);
  const RebalanceReport report = rebalance(grids, units, {}, band(1000, 1100));
  EXPECT_TRUE(report.moves.empty());
  EXPECT_EQ(report.totals.cells_after, 4u);
  ASSERT_FALSE(report.infeasible.empty());
  EXPECT_EQ(report.infeasible[0].parent_code, "100");
  EXPECT_EQ(report.infeasible[0].cell_code, "");
  EXPECT_EQ(report.infeasible[0].reason,
            "its movable weight 1600 cannot be divided into cells of 1000 to 1100");
  EXPECT_EQ(report.infeasible.size(), 5u);  // the parent, then each of its cells
  expect_grids_unchanged(original, grids);
}

TEST(Rebalance, ASingleTowerHeavierThanTheBandIsReported) {
  GridSet grids = four_strips();
  std::vector<Unit> units;
  fill_strip(units, 0, 400);
  fill_strip(units, 1, 400);
  fill_strip(units, 2, 400);
  units.push_back({{875, 500}, 800});  // one tower of 800 households
  const RebalanceReport report = rebalance(grids, units, {}, band(300, 500));
  bool named = false;
  for (const Infeasibility& f : report.infeasible) {
    named |= f.reason.find("piece of weight 800") != std::string::npos;
  }
  EXPECT_TRUE(named);
  expect_guarantees(grids, units, report, 1);
}

TEST(Rebalance, FinerCellsMoveWholeAndKeepTheirCodes) {
  // Grids of 4 micro-grids each (2 x 2 squares of 125 x 500).
  GridSet grids = four_strips();
  grids.add_level("micro");
  for (int k = 0; k < 4; ++k) {
    const CellId parent = grids.find("10000" + std::to_string(k + 1));
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 2; ++j) {
        const double x = 250 * k + 125 * i, y = 500 * j;
        grids.add_cell({.code = grids.cell(parent).code + std::to_string(i * 2 + j + 1),
                        .level = 2,
                        .parent = parent,
                        .geometry = parse_wkt_area(box(x, y, x + 125, y + 500))});
      }
    }
  }
  const GridSet original = grids;
  std::vector<Unit> units;
  fill_strip(units, 0, 400);
  fill_strip(units, 1, 600);  // one micro-grid (150) must move
  fill_strip(units, 2, 320);
  fill_strip(units, 3, 400);
  const RebalanceReport report = rebalance(grids, units, {}, band(300, 500));
  EXPECT_TRUE(report.infeasible.empty());
  ASSERT_EQ(report.moves.size(), 1u);
  EXPECT_EQ(report.moves[0].from_code, "100002");
  EXPECT_EQ(report.moves[0].to_code, "100003");
  EXPECT_EQ(report.moves[0].piece.substr(0, 6), "100002");
  EXPECT_DOUBLE_EQ(report.moves[0].households, 150);
  // Every micro-grid keeps its code and geometry; the moved one is under its new grid.
  for (CellId id : original.cells_of_level(2)) {
    const Cell& was = original.cell(id);
    const CellId now = grids.find(was.code);
    ASSERT_NE(now, kNoCell);
    EXPECT_EQ(to_wkt(grids.cell(now).geometry), to_wkt(was.geometry));
    const std::string parent = grids.cell(grids.cell(now).parent).code;
    EXPECT_EQ(parent, was.code == report.moves[0].piece ? "100003" : was.code.substr(0, 6));
  }
  expect_guarantees(grids, units, report, 1);
}

TEST(Rebalance, TheSameSeedGivesTheSameResult) {
  auto run = [] {
    GridSet grids = four_strips();
    std::vector<Unit> units;
    fill_strip(units, 0, 300);
    fill_strip(units, 1, 300);
    fill_strip(units, 2, 1400);
    fill_strip(units, 3, 300);
    RebalanceOptions o = band(300, 500);
    o.seed = 5;
    rebalance(grids, units, {}, o);
    std::string all;
    for (const Cell& c : grids.cells()) all += c.code + to_wkt(c.geometry) + "\n";
    return all;
  };
  EXPECT_EQ(run(), run());
}

// Community "100" of 1000 x 1000 m with two grids: [0, west_end] and [east_start, 1000].
GridSet two_grids(double west_end, double east_start) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId p = grids.add_cell(
      {.code = "100", .level = 0, .geometry = parse_wkt_area(box(0, 0, 1000, 1000))});
  grids.add_cell({.code = "100001",
                  .level = 1,
                  .parent = p,
                  .geometry = parse_wkt_area(box(0, 0, west_end, 1000))});
  grids.add_cell({.code = "100002",
                  .level = 1,
                  .parent = p,
                  .geometry = parse_wkt_area(box(east_start, 0, 1000, 1000))});
  return grids;
}

TEST(Rebalance, RefusesBadInputAndLeavesTheGridSetAsItWas) {
  GridSet grids = four_strips();
  std::vector<Unit> units;
  fill_strip(units, 0, 400);
  RebalanceOptions o = band(300, 500);
  o.level = "micro";
  EXPECT_EQ(error_of([&] { rebalance(grids, units, {}, o); }).detail(),
            "no level named 'micro' (levels: community, grid)");
  o = band(500, 300);
  EXPECT_EQ(error_of([&] { rebalance(grids, units, {}, o); }).detail(),
            "empty band: MIN 500 is above MAX 300");
  o = band(300, 500);
  o.locks = {"999"};
  EXPECT_EQ(error_of([&] { rebalance(grids, units, {}, o); }).detail(),
            "lock: no cell with code '999'");
  o.locks = {"100"};
  EXPECT_EQ(error_of([&] { rebalance(grids, units, {}, o); }).detail(),
            "lock: cell '100' is of level 'community', not 'grid'");
  o = band(300, 500);
  o.parents = {"100001"};
  EXPECT_EQ(error_of([&] { rebalance(grids, units, {}, o); }).detail(),
            "parents: cell '100001' is of level 'grid', not 'community'");
  std::vector<Unit> negative = units;
  negative[3].weight = -1;
  EXPECT_EQ(error_of([&] { rebalance(grids, negative, {}, band(300, 500)); }).detail(),
            "unit 4 has weight -1: weights must be finite and not negative");
  // Two grids that overlap, and two that leave a gap.
  GridSet broken = two_grids(600, 500);
  EXPECT_NE(error_of([&] { rebalance(broken, units, {}, band(300, 500)); })
                .detail()
                .find("cells overlap"),
            std::string::npos);
  GridSet gappy = two_grids(400, 500);
  const std::string gap = error_of([&] { rebalance(gappy, units, {}, band(300, 500)); }).detail();
  EXPECT_NE(gap.find("cells leave gaps"), std::string::npos) << gap;
  EXPECT_NE(gap.find("validate"), std::string::npos) << gap;
  EXPECT_EQ(gappy.cells().size(), 3u);
}

// A small synthetic street (3,000 units, 15,000 households) partitioned into grids of 300-500.
testing::SyntheticStreet partitioned_street() {
  testing::SyntheticStreetOptions so;
  so.units = 3000;
  so.households = 15000;
  so.radius = 900;
  so.compounds = 60;
  so.side_streets = 30;
  testing::SyntheticStreet street = testing::make_synthetic_street(so);
  PartitionOptions po;
  po.parent_level = "street";
  po.new_level = "grid";
  po.min_weight = 300;
  po.max_weight = 500;
  partition(street.grids, street.units, street.roads, po);
  return street;
}

// The synthetic street partitioned into grids, then a year of drift: every cell in band, few
// households moved, most kept in their grid.
class RebalanceStreet : public ::testing::TestWithParam<testing::HouseholdDrift> {};

TEST_P(RebalanceStreet, EveryCellInBandWithFewMoves) {
  testing::SyntheticStreet street = partitioned_street();
  testing::HouseholdDriftOptions d;
  d.kind = GetParam();
  d.households = d.kind == testing::HouseholdDrift::kNewEstate ? 1500 : 800;
  d.corner_direction = d.kind == testing::HouseholdDrift::kDemolition ? Point{-1, -1} : Point{1, 1};
  const std::vector<Unit> units = testing::drift_households(street.grids, street.units, d);
  const GridSet before = street.grids;
  RebalanceOptions o = band(300, 500);
  const RebalanceReport report = rebalance(street.grids, units, street.roads, o);
  for (const Infeasibility& f : report.infeasible) ADD_FAILURE() << f.cell_code << ": " << f.reason;
  EXPECT_EQ(report.totals.in_band_after, report.totals.cells_after);
  EXPECT_LT(report.totals.in_band_before, report.totals.cells_before);
  EXPECT_GE(report.totals.core_retention, 0.9);
  EXPECT_LE(report.totals.moved, 1.5 * report.totals.lower_bound);
  EXPECT_NEAR(report.totals.households, total_weight(units), 1e-6);
  expect_guarantees(street.grids, units, report, 1);
  // The street itself is untouched.
  EXPECT_EQ(to_wkt(street.grids.cell(street.grids.find("110119001")).geometry),
            to_wkt(before.cell(before.find("110119001")).geometry));
}

INSTANTIATE_TEST_SUITE_P(Drifts, RebalanceStreet,
                         ::testing::Values(testing::HouseholdDrift::kNewEstate,
                                           testing::HouseholdDrift::kDemolition,
                                           testing::HouseholdDrift::kGrowth));

// The same street with micro-grids of 30-60 under its grids, after 8% growth: grids move whole
// micro-grids, which keep their codes and geometry and nest in the grid now holding them.
TEST(RebalanceStreetNested, GridsMoveWholeMicroGrids) {
  testing::SyntheticStreet street = partitioned_street();
  PartitionOptions po;
  po.parent_level = "grid";
  po.new_level = "micro";
  po.min_weight = 30;
  po.max_weight = 60;
  partition(street.grids, street.units, street.roads, po);
  testing::HouseholdDriftOptions d;
  d.kind = testing::HouseholdDrift::kGrowth;
  d.growth = 0.08;
  const std::vector<Unit> units = testing::drift_households(street.grids, street.units, d);
  const GridSet before = street.grids;
  const RebalanceReport report = rebalance(street.grids, units, street.roads, band(300, 500));
  for (const Infeasibility& f : report.infeasible) ADD_FAILURE() << f.cell_code << ": " << f.reason;
  EXPECT_LT(report.totals.in_band_before, report.totals.cells_before);
  EXPECT_EQ(report.totals.in_band_after, report.totals.cells_after);
  EXPECT_GE(report.totals.core_retention, 0.9);
  ASSERT_FALSE(report.moves.empty());
  std::set<std::string> moved;
  for (const RebalanceMove& m : report.moves) {
    EXPECT_FALSE(m.piece.empty());
    moved.insert(m.piece);
  }
  const CellIndex index(street.grids);
  for (CellId id : before.cells_of_level(2)) {
    const Cell& was = before.cell(id);
    const CellId now = street.grids.find(was.code);
    ASSERT_NE(now, kNoCell) << was.code;
    EXPECT_EQ(to_wkt(street.grids.cell(now).geometry), to_wkt(was.geometry));
    if (moved.count(was.code) == 0) {
      EXPECT_EQ(street.grids.cell(street.grids.cell(now).parent).code,
                before.cell(was.parent).code);
    }
  }
  // Nesting: every unit's grid is the parent of its micro-grid.
  for (const Unit& u : units) {
    const CellId micro = index.lookup_level(u.location, 2);
    ASSERT_NE(micro, kNoCell);
    EXPECT_EQ(street.grids.cell(micro).parent, index.lookup_level(u.location, 1));
  }
  expect_guarantees(street.grids, units, report, 1);
}

// 60,000 real address points of Hamilton (NZ), each one household, inside a rectangle,
// partitioned into grids once; then each kind of drift with one grid locked: every cell in band,
// the locked one byte for byte, exact nesting.
class RebalanceHamilton : public ::testing::TestWithParam<testing::HouseholdDrift> {
 protected:
  static void SetUpTestSuite() {
    const std::string path = testing::shared_data_path("nz_hamilton/nz_address_points.csv");
    if (path.empty()) return;
    units_ = new std::vector<Unit>(read_units(path, "", "EPSG:2193"));
    Box b;
    for (const Unit& u : *units_) b.expand(u.location);
    grids_ = new GridSet();
    grids_->set_crs("EPSG:2193");
    grids_->add_level("city");
    grids_->add_cell({.code = "100",
                      .level = 0,
                      .geometry = parse_wkt_area(
                          box(b.min_x - 200, b.min_y - 200, b.max_x + 200, b.max_y + 200))});
    PartitionOptions po;
    po.parent_level = "city";
    po.new_level = "grid";
    po.min_weight = 300;
    po.max_weight = 500;
    partition(*grids_, *units_, {}, po);
  }
  static void TearDownTestSuite() {
    delete grids_;
    delete units_;
    grids_ = nullptr;
    units_ = nullptr;
  }
  static GridSet* grids_;
  static std::vector<Unit>* units_;
};
GridSet* RebalanceHamilton::grids_ = nullptr;
std::vector<Unit>* RebalanceHamilton::units_ = nullptr;

TEST_P(RebalanceHamilton, EveryCellInBandAndTheLockedOneUntouched) {
  LIBGRID_REQUIRE_SHARED(path, "nz_hamilton/nz_address_points.csv");
  GridSet grids = *grids_;
  testing::HouseholdDriftOptions d;
  d.kind = GetParam();
  d.households = d.kind == testing::HouseholdDrift::kNewEstate ? 2000 : 1000;
  d.corner_direction = d.kind == testing::HouseholdDrift::kDemolition ? Point{-1, -1} : Point{1, 1};
  const std::vector<Unit> drifted = testing::drift_households(grids, *units_, d);
  const std::string locked_code = grids.cell(grids.cells_of_level(1).front()).code;
  const std::string locked_wkt = to_wkt(grids.cell(grids.find(locked_code)).geometry);
  RebalanceOptions o = band(300, 500);
  o.locks = {locked_code};
  const RebalanceReport report = rebalance(grids, drifted, {}, o);
  for (const Infeasibility& f : report.infeasible) ADD_FAILURE() << f.cell_code << ": " << f.reason;
  EXPECT_LT(report.totals.in_band_before, report.totals.cells_before);
  EXPECT_EQ(report.totals.in_band_after, report.totals.cells_after);
  EXPECT_GE(report.totals.core_retention, 0.9);
  EXPECT_EQ(to_wkt(grids.cell(grids.find(locked_code)).geometry), locked_wkt);
  expect_guarantees(grids, drifted, report, 1);
}

INSTANTIATE_TEST_SUITE_P(Drifts, RebalanceHamilton,
                         ::testing::Values(testing::HouseholdDrift::kNewEstate,
                                           testing::HouseholdDrift::kDemolition,
                                           testing::HouseholdDrift::kGrowth));

}  // namespace
}  // namespace libgrid
