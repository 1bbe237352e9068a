#include "libgrid/partition/partition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/partition_inputs.h"
#include "libgrid/testing/synthetic_street.h"
#include "libgrid/validate/validate.h"
#include "support/error_of.h"
#include "support/test_data.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::error_of;

using testing::box;

// One parent cell "100" on level "community", in a projected CRS (metres).
GridSet one_parent(const std::string& wkt) {
  GridSet grids;
  grids.set_crs("EPSG:4548");
  grids.add_level("community");
  grids.add_cell({.code = "100", .level = 0, .geometry = parse_wkt_area(wkt)});
  return grids;
}

// n x n units of `weight` each, centred in the cells of a lattice over [x0, x1] x [y0, y1].
std::vector<Unit> lattice_units(double x0, double y0, double x1, double y1, int n, double weight) {
  std::vector<Unit> units;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      units.push_back({{x0 + (x1 - x0) * (i + 0.5) / n, y0 + (y1 - y0) * (j + 0.5) / n}, weight});
    }
  }
  return units;
}

PartitionOptions band(double lo, double hi) {
  PartitionOptions o;
  o.parent_level = "community";
  o.new_level = "grid";
  o.min_weight = lo;
  o.max_weight = hi;
  return o;
}

// The invariants every partition keeps: cells nest exactly (validate finds nothing), each is
// one polygon, weights are conserved, and every unit lies in the cell whose weight counts it.
void expect_exact_nesting(const GridSet& grids, const std::vector<Unit>& units,
                          const PartitionReport& report) {
  const int level = static_cast<int>(grids.levels().size()) - 1;
  const ValidationReport problems = validate(grids);
  for (const Problem& p : problems.problems) {
    ADD_FAILURE() << to_string(p.kind) << " " << p.cell_code << " " << p.other_code << " " << p.area
                  << " " << p.detail;
  }
  double parents_area = 0.0, cells_area = 0.0, weight = 0.0;
  for (CellId id : grids.cells_of_level(level - 1)) parents_area += area(grids.cell(id).geometry);
  for (CellId id : grids.cells_of_level(level)) {
    const Cell& c = grids.cell(id);
    cells_area += area(c.geometry);
    EXPECT_EQ(c.geometry.polygons.size(), 1u) << c.code;
    weight += static_cast<double>(c.households);
  }
  EXPECT_NEAR(cells_area, parents_area, 1e-9 * parents_area);
  double unit_weight = 0.0;
  for (const Unit& u : units) unit_weight += u.weight;
  EXPECT_DOUBLE_EQ(report.total_weight + 0.0, unit_weight - 0.0);
  EXPECT_DOUBLE_EQ(weight, std::round(unit_weight));
  // Each cell's weight is the weight of the units the lookup places in it.
  const CellIndex index(grids);
  std::map<std::string, double> by_lookup;
  for (const Unit& u : units) {
    const CellId c = index.lookup_level(u.location, level);
    ASSERT_NE(c, kNoCell);
    by_lookup[grids.cell(c).code] += u.weight;
  }
  for (const PartitionCellReport& c : report.cells) EXPECT_DOUBLE_EQ(by_lookup[c.code], c.weight);
}

TEST(Partition, SplitsASquareIntoCellsWithinTheBand) {
  GridSet grids = one_parent(box(0, 0, 1000, 1000));
  const std::vector<Unit> units = lattice_units(0, 0, 1000, 1000, 20, 4);  // 1,600 households
  const PartitionReport report = partition(grids, units, {}, band(300, 500));
  ASSERT_EQ(report.cells.size(), 4u);  // 1600 / 400
  for (const PartitionCellReport& c : report.cells) {
    EXPECT_GE(c.weight, 300);
    EXPECT_LE(c.weight, 500);
    EXPECT_EQ(c.deviation, 0);
    EXPECT_GT(c.polsby_popper, 0.5) << c.code;  // compact, not strips
  }
  EXPECT_TRUE(report.infeasible.empty());
  EXPECT_EQ(report.summary.cells_in_band, 4u);
  EXPECT_EQ(report.cells.front().code, "100001");
  EXPECT_EQ(grids.cell(grids.find("100001")).parent, grids.find("100"));
  expect_exact_nesting(grids, units, report);
}

TEST(Partition, CodesRunWestToEastThenNorthToSouth) {
  GridSet grids = one_parent(box(0, 0, 400, 100));
  // Four clusters of 100 along x, a road between each: four cells, numbered west to east.
  std::vector<Unit> units;
  for (int c = 0; c < 4; ++c) {
    for (const Unit& u : lattice_units(c * 100 + 10, 10, c * 100 + 90, 90, 5, 4))
      units.push_back(u);
  }
  const std::vector<Barrier> roads = {
      {{100, -10}, {100, 110}}, {{200, -10}, {200, 110}}, {{300, -10}, {300, 110}}};
  const PartitionReport report = partition(grids, units, roads, band(90, 110));
  ASSERT_EQ(report.cells.size(), 4u);
  for (int c = 0; c < 4; ++c) {
    const Box b = envelope(grids.cell(grids.find("10000" + std::to_string(c + 1))).geometry);
    EXPECT_DOUBLE_EQ(b.min_x, c * 100.0);
    EXPECT_DOUBLE_EQ(b.max_x, c * 100.0 + 100);
  }
}

TEST(Partition, BoundariesFollowBarriers) {
  GridSet grids = one_parent(box(0, 0, 1000, 1000));
  const std::vector<Unit> units = lattice_units(0, 0, 1000, 1000, 20, 1);  // 400
  // A wavy road from south to north, dividing the weight evenly only roughly (x ~ 430-470).
  const std::vector<Barrier> road = {{{450, -50}, {430, 300}, {470, 600}, {450, 1050}}};
  const PartitionReport report = partition(grids, units, road, band(150, 250));
  ASSERT_EQ(report.cells.size(), 2u);
  for (const PartitionCellReport& c : report.cells) {
    EXPECT_DOUBLE_EQ(c.barrier_share, 1.0) << c.code;
    EXPECT_GE(c.weight, 150);
    EXPECT_LE(c.weight, 250);
  }
  // The western cell ends at the road.
  const Box west = envelope(grids.cell(grids.find("100001")).geometry);
  EXPECT_DOUBLE_EQ(west.min_x, 0);
  EXPECT_DOUBLE_EQ(west.max_x, 470);
  expect_exact_nesting(grids, units, report);
}

TEST(Partition, SameSeedSameCells) {
  auto run = [](std::uint64_t seed) {
    GridSet grids = one_parent("POLYGON ((0 0, 900 0, 1000 600, 500 1000, 0 800, 0 0))");
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> at(50, 750);
    std::vector<Unit> units;
    for (int i = 0; i < 2000; ++i) units.push_back({{at(rng), at(rng)}, 1});
    PartitionOptions o = band(150, 250);
    o.seed = seed;
    partition(grids, units, {{{0, 400}, {1000, 420}}}, o);
    std::string all;
    for (CellId id : grids.cells_of_level(1)) {
      all += grids.cell(id).code + to_wkt(grids.cell(id).geometry) + "\n";
    }
    return all;
  };
  EXPECT_EQ(run(5), run(5));
}

TEST(Partition, CountGivesEvenCells) {
  GridSet grids = one_parent(box(0, 0, 600, 600));
  const std::vector<Unit> units = lattice_units(0, 0, 600, 600, 30, 1);  // 900
  PartitionOptions o;
  o.parent_level = "community";
  o.new_level = "grid";
  o.count = 6;
  const PartitionReport report = partition(grids, units, {}, o);
  ASSERT_EQ(report.cells.size(), 6u);
  for (const PartitionCellReport& c : report.cells) {
    EXPECT_NEAR(c.weight, 150, 15) << c.code;
    EXPECT_DOUBLE_EQ(c.deviation, c.weight - 150);
  }
  expect_exact_nesting(grids, units, report);
}

TEST(Partition, ReportsAUnitHeavierThanTheBand) {
  GridSet grids = one_parent(box(0, 0, 1000, 1000));
  std::vector<Unit> units = lattice_units(0, 0, 1000, 1000, 10, 4);  // 400
  units.push_back({{505, 505}, 800});                                // one tower
  const PartitionReport report = partition(grids, units, {}, band(300, 500));
  ASSERT_FALSE(report.infeasible.empty());
  bool named = false;
  for (const Infeasibility& f : report.infeasible) {
    named |= !f.cell_code.empty() && f.reason.find("unit of weight 800") != std::string::npos;
  }
  EXPECT_TRUE(named);
  EXPECT_LT(report.summary.cells_in_band, report.summary.cells);
  expect_exact_nesting(grids, units, report);
}

TEST(Partition, ReportsAParentNoNumberOfCellsFits) {
  GridSet grids = one_parent(box(0, 0, 100, 100));
  const std::vector<Unit> units = lattice_units(0, 0, 100, 100, 4, 32.5);  // 520
  const PartitionReport report = partition(grids, units, {}, band(300, 500));
  ASSERT_FALSE(report.infeasible.empty());
  EXPECT_EQ(report.infeasible.front().parent_code, "100");
  EXPECT_NE(report.infeasible.front().reason.find("cannot be divided"), std::string::npos);
}

TEST(Partition, AnIslandJoinsACellAcrossTheWater) {
  // A parent in two parts: the mainland (800) and an island of 40.
  GridSet grids = one_parent(
      "MULTIPOLYGON (((0 0, 1000 0, 1000 1000, 0 1000, 0 0)), ((1200 0, 1300 0, 1300 100, "
      "1200 100, 1200 0)))");
  std::vector<Unit> units = lattice_units(0, 0, 1000, 1000, 20, 2);
  for (const Unit& u : lattice_units(1200, 0, 1300, 100, 2, 10)) units.push_back(u);
  const PartitionReport report = partition(grids, units, {}, band(300, 500));
  ASSERT_EQ(report.cells.size(), 2u);
  EXPECT_TRUE(report.infeasible.empty());
  std::size_t parts = 0;
  for (CellId id : grids.cells_of_level(1)) parts += grids.cell(id).geometry.polygons.size();
  EXPECT_EQ(parts, 3u);  // the island belongs to one of the two cells
  for (const PartitionCellReport& c : report.cells) EXPECT_GE(c.weight, 300);
}

TEST(Partition, CountsUnitsOutsideEveryParent) {
  GridSet grids = one_parent(box(0, 0, 100, 100));
  std::vector<Unit> units = lattice_units(0, 0, 100, 100, 10, 1);
  units.push_back({{500, 500}, 7});
  PartitionOptions o = band(40, 60);
  const PartitionReport report = partition(grids, units, {}, o);
  EXPECT_EQ(report.units_outside, 1u);
  EXPECT_DOUBLE_EQ(report.total_weight, 100);
}

TEST(Partition, RefusesBadOptionsAndInput) {
  GridSet grids = one_parent(box(0, 0, 100, 100));
  const std::vector<Unit> units = lattice_units(0, 0, 100, 100, 4, 1);
  EXPECT_NE(
      error_of([&] { partition(grids, units, {}, band(500, 300)); }).detail().find("empty band"),
      std::string::npos);
  EXPECT_NE(error_of([&] {
              partition(grids, {{{5, 5}, -1}}, {}, band(1, 3));
            })
                .detail()
                .find("weight -1"),
            std::string::npos);
  // Each weight finite, their sum not: every band and report would compare against infinity.
  EXPECT_NE(error_of([&] {
              partition(grids, {{{5, 5}, 1e308}, {{6, 6}, 1e308}}, {}, band(1, 3));
            })
                .detail()
                .find("unit 2 takes the total weight past"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              partition(grids, units, {{{1, 1}}}, band(1, 3));
            })
                .detail()
                .find("not a line"),
            std::string::npos);
  PartitionOptions o = band(1, 3);
  o.parent_level = "street";
  const Error unknown = error_of([&] { partition(grids, units, {}, o); });
  EXPECT_EQ(unknown.detail(), "no level named 'street' (levels: community)");
  EXPECT_EQ(unknown.where().option, "parent_level");
  o = band(1, 3);
  o.parents = {"999"};
  EXPECT_NE(
      error_of([&] { partition(grids, units, {}, o); }).detail().find("no cell with code '999'"),
      std::string::npos);
  GridSet bowtie = one_parent("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
  EXPECT_NE(error_of([&] { partition(bowtie, units, {}, band(1, 3)); })
                .detail()
                .find("parent '100' is invalid"),
            std::string::npos);
  EXPECT_EQ(grids.levels().size(), 1u);  // nothing added by a refused call
  // Found out only while numbering: 16 cells cannot take 1-digit sequences. Nothing is kept.
  o = band(1, 1);
  o.code_digits = 1;
  EXPECT_NE(error_of([&] { partition(grids, units, {}, o); }).detail().find("1 digits"),
            std::string::npos);
  EXPECT_EQ(grids.levels().size(), 1u);
  EXPECT_EQ(grids.size(), 1u);
}

TEST(Partition, PartitionsTheFinestLevelOnly) {
  GridSet grids = one_parent(box(0, 0, 100, 100));
  partition(grids, lattice_units(0, 0, 100, 100, 4, 1), {}, band(4, 8));
  EXPECT_NE(error_of([&] { partition(grids, {}, {}, band(1, 2)); })
                .detail()
                .find("already has a finer level"),
            std::string::npos);
}

TEST(PartitionRegular, SquaresClippedToTheParent) {
  GridSet grids = one_parent(box(0, 0, 100, 100));
  PartitionOptions o;
  o.parent_level = "community";
  o.new_level = "grid";
  o.method = PartitionMethod::kSquare;
  o.size = 30;
  const PartitionReport report = partition(grids, {}, {}, o);
  ASSERT_EQ(report.cells.size(), 16u);  // columns 0-30-60-90-100, rows alike
  std::map<double, int> areas;
  for (const PartitionCellReport& c : report.cells) ++areas[std::round(c.area)];
  EXPECT_EQ(areas[900], 9);
  EXPECT_EQ(areas[300], 6);
  EXPECT_EQ(areas[100], 1);
  // North-west first: the 30 x 30 square at x 0-30, y 90-100 is a 300 m² strip.
  EXPECT_EQ(envelope(grids.cell(grids.find("100001")).geometry).max_y, 100);
  EXPECT_EQ(envelope(grids.cell(grids.find("100001")).geometry).min_x, 0);
  expect_exact_nesting(grids, {}, report);
}

TEST(PartitionRegular, HexagonsCoverTheParentExactly) {
  GridSet grids = one_parent("POLYGON ((0 0, 500 0, 500 300, 250 450, 0 300, 0 0))");
  PartitionOptions o;
  o.parent_level = "community";
  o.new_level = "grid";
  o.method = PartitionMethod::kHex;
  o.size = 100;
  const std::vector<Unit> units = lattice_units(0, 0, 500, 300, 10, 1);
  const PartitionReport report = partition(grids, units, {}, o);
  // A full hexagon of width 100 has area (√3/2)·100²; inner cells are full ones.
  int full = 0;
  for (const PartitionCellReport& c : report.cells) {
    EXPECT_LE(c.area, std::sqrt(3.0) / 2 * 100 * 100 * (1 + 1e-9));
    full += std::abs(c.area - std::sqrt(3.0) / 2 * 1e4) < 1e-6;
  }
  EXPECT_GT(full, 5);
  const ValidationReport v = validate(grids);
  EXPECT_EQ(v.count(ProblemKind::kGap) + v.count(ProblemKind::kOverlap), 0u);
  double w = 0;
  for (const PartitionCellReport& c : report.cells) w += c.weight;
  EXPECT_DOUBLE_EQ(w, 100);
}

// The parent's area over a cell's tells before any lattice is laid that the code digits cannot
// number the cells: 100 x 100 in hexagons 1 apart needs at least 11,548 of (√3/2) each.
TEST(PartitionRegular, RefusesMoreCellsThanTheCodeDigitsNumberBeforeTheWork) {
  GridSet grids = one_parent(box(0, 0, 100, 100));
  PartitionOptions o;
  o.parent_level = "community";
  o.new_level = "grid";
  o.method = PartitionMethod::kHex;
  o.size = 1;
  const Error e = error_of([&] { partition(grids, {}, {}, o); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.detail(),
            "parent '100' needs at least 11548 cells of size 1: more than 3 digits of sequence "
            "can number");
  o.method = PartitionMethod::kSquare;
  o.size = 3;  // 1,112 squares at least
  EXPECT_NE(error_of([&] { partition(grids, {}, {}, o); }).detail().find("1112 cells of size 3"),
            std::string::npos);
  o.size = 3.4;  // 30 x 30 squares: within 3 digits
  EXPECT_NO_THROW(partition(grids, {}, {}, o));

  // By units, a count is the number of cells itself.
  GridSet fresh = one_parent(box(0, 0, 100, 100));
  PartitionOptions count;
  count.parent_level = "community";
  count.new_level = "grid";
  count.count = 1000;
  EXPECT_EQ(
      error_of([&] { partition(fresh, lattice_units(0, 0, 100, 100, 40, 1), {}, count); }).detail(),
      "1000 cells per parent: more than 3 digits of sequence can number");
}

TEST(PartitionRegular, BeidouCellsCarryTheirCodes) {
  // A parent of about 0.5' x 0.5' in Beijing, in lon/lat: level 5 cells are 4" x 4".
  GridSet grids;
  grids.set_crs("EPSG:4326");
  grids.add_level("community");
  grids.add_cell({.code = "100",
                  .level = 0,
                  .geometry = parse_wkt_area(box(116.3110, 39.9920, 116.3190, 40.0000))});
  PartitionOptions o;
  o.parent_level = "community";
  o.new_level = "grid";
  o.method = PartitionMethod::kBeidou;
  o.beidou_level = 5;
  const PartitionReport report = partition(grids, {}, {}, o);
  // 0.008° = 28.8" → 8 columns (7.2 cells, misaligned) by 8 rows.
  EXPECT_GE(report.cells.size(), 56u);
  for (CellId id : grids.cells_of_level(1)) {
    const Cell& c = grids.cell(id);
    ASSERT_EQ(c.attributes.size(), 1u);
    EXPECT_EQ(c.attributes[0].name, "beidou_code");
    EXPECT_EQ(c.name, c.attributes[0].value);
    EXPECT_EQ(c.name.rfind("N50J", 0), 0u) << c.name;
  }
  const ValidationReport v = validate(grids);
  EXPECT_EQ(v.count(ProblemKind::kGap) + v.count(ProblemKind::kOverlap), 0u);
}

// A street whose side streets run along its main roads in places, where GEOS's iterated noding
// does not converge: the barriers and cuts are snap-rounded, the parents' boundaries stay exact,
// and the cuts still split their blocks (all cells in band at both levels).
TEST(Partition, NodesRoadsThatRunNearlyAlongEachOther) {
  const libgrid::testing::SyntheticStreet street = libgrid::testing::make_synthetic_street();
  GridSet grids = street.grids;
  PartitionOptions o = band(300, 500);
  o.parent_level = "street";
  const PartitionReport grid_report = partition(grids, street.units, street.roads, o);
  EXPECT_EQ(grid_report.summary.cells_in_band, grid_report.cells.size());
  EXPECT_GE(grid_report.cells.size(), 100u);
  EXPECT_GT(grid_report.summary.mean_barrier_share, 0.3);
  expect_exact_nesting(grids, street.units, grid_report);

  o = band(30, 50);
  o.parent_level = "grid";
  o.new_level = "microgrid";
  const PartitionReport micro = partition(grids, street.units, street.roads, o);
  EXPECT_EQ(micro.summary.cells_in_band, micro.cells.size());
  EXPECT_TRUE(micro.infeasible.empty());
  EXPECT_GE(micro.cells.size(), 1000u);
  expect_exact_nesting(grids, street.units, micro);
}

// 60,000 real address points of Hamilton (NZ), each one household, inside a rectangle built
// around them, with generated roads: every cell within the band, exact nesting, determinism.
TEST(PartitionRealData, HamiltonAddressPoints) {
  LIBGRID_REQUIRE_SHARED(path, "nz_hamilton/nz_address_points.csv");
  const std::vector<Unit> units = read_units(path, "", "EPSG:2193");
  ASSERT_EQ(units.size(), 60000u);
  Box b;
  for (const Unit& u : units) b.expand(u.location);
  auto make = [&] {
    GridSet grids;
    grids.set_crs("EPSG:2193");
    grids.add_level("city");
    grids.add_cell({.code = "100",
                    .level = 0,
                    .geometry = parse_wkt_area(
                        box(b.min_x - 200, b.min_y - 200, b.max_x + 200, b.max_y + 200))});
    return grids;
  };
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> along(0, 1);
  std::vector<Barrier> roads;
  for (int k = 0; k < 14; ++k) {
    const double t = along(rng), s = along(rng);
    if (k % 2 == 0) {
      const double x = b.min_x + t * (b.max_x - b.min_x);
      roads.push_back({{x - 300 + 600 * s, b.min_y - 300},
                       {x, (b.min_y + b.max_y) / 2},
                       {x + 300 - 600 * s, b.max_y + 300}});
    } else {
      const double y = b.min_y + t * (b.max_y - b.min_y);
      roads.push_back({{b.min_x - 300, y - 300 + 600 * s},
                       {(b.min_x + b.max_x) / 2, y},
                       {b.max_x + 300, y + 300 - 600 * s}});
    }
  }
  PartitionOptions o = band(300, 500);
  o.parent_level = "city";
  GridSet grids = make();
  const PartitionReport report = partition(grids, units, roads, o);
  EXPECT_EQ(report.cells.size(), 150u);
  EXPECT_EQ(report.summary.cells_in_band, report.cells.size());
  EXPECT_TRUE(report.infeasible.empty());
  EXPECT_GT(report.summary.mean_barrier_share, 0.1);
  expect_exact_nesting(grids, units, report);
  GridSet again = make();
  partition(again, units, roads, o);
  for (CellId id : grids.cells_of_level(1)) {
    EXPECT_EQ(to_wkt(grids.cell(id).geometry), to_wkt(again.cell(id).geometry));
  }
}

}  // namespace
}  // namespace libgrid
