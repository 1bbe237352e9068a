// ZoneQuery on constructed cases with exact answers (edges, corners, covered cells, tangent
// circles, units on shared edges) and on the sample city, where the shares of every level must
// add up to the zone's area.
#include "libgrid/zone/zone_query.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "libgrid/geometry/wkt.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/model/grid_set.h"
#include "support/error_of.h"
#include "support/test_data.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::box;
using testing::error_of;
constexpr double kPi = std::numbers::pi;

// Community C = [0, 200] x [0, 100] holding grids A = [0, 100] x [0, 100] (worker 张伟) and
// B = [100, 200] x [0, 100] (no worker); the community's leader is 刘书记.
GridSet two_grids() {
  GridSet g;
  g.add_level("community");
  g.add_level("grid");
  const CellId c = g.add_cell({.code = "C",
                               .name = "东湖社区",
                               .level = 0,
                               .geometry = parse_wkt_area(box(0, 0, 200, 100)),
                               .households = 700,
                               .population = 1750});
  g.add_cell({.code = "C001",
              .name = "A",
              .level = 1,
              .parent = c,
              .geometry = parse_wkt_area(box(0, 0, 100, 100)),
              .households = 300,
              .population = 900});
  g.add_cell({.code = "C002",
              .name = "B",
              .level = 1,
              .parent = c,
              .geometry = parse_wkt_area(box(100, 0, 200, 100)),
              .households = 400,
              .population = 850});
  g.roster().entries = {{"C", Role::kGridLeader, {"P1", "刘书记", "13800000001"}},
                        {"C001", Role::kGridWorker, {"P2", "张伟", "13800000002"}}};
  return g;
}

const ZoneCell* find(const GridSet& g, const ZoneReport& r, const std::string& code) {
  const ZoneCell* found = nullptr;
  for (const ZoneCell& z : r.cells) {
    if (g.cell(z.cell).code != code) continue;
    EXPECT_EQ(found, nullptr) << code << " listed twice";
    found = &z;
  }
  return found;
}

TEST(ZoneQuery, ZoneTouchingAnEdgeListsTheCellOnceWithShareZero) {
  const GridSet g = two_grids();
  const ZoneReport r = ZoneQuery(g).cells_in(parse_wkt_area(box(200, 0, 300, 100)));
  ASSERT_EQ(r.cells.size(), 2u);  // C and B, not A
  for (const std::string code : {"C", "C002"}) {
    const ZoneCell* z = find(g, r, code);
    ASSERT_NE(z, nullptr) << code;
    EXPECT_EQ(z->share, 0.0);
    EXPECT_EQ(z->area_inside, 0.0);
    EXPECT_EQ(z->households, 0.0);
  }
  EXPECT_EQ(r.levels[1].cells_edge_only, 1u);
}

TEST(ZoneQuery, ZoneTouchingACornerListsTheCellOnceWithShareZero) {
  const GridSet g = two_grids();
  const ZoneReport r = ZoneQuery(g).cells_in(parse_wkt_area(box(200, 100, 300, 200)));
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(find(g, r, "C002")->share, 0.0);
}

TEST(ZoneQuery, ZoneCoveringACellExactlyHasShareOne) {
  const GridSet g = two_grids();
  const ZoneReport r = ZoneQuery(g).cells_in(parse_wkt_area(box(0, 0, 100, 100)));
  ASSERT_EQ(r.cells.size(), 3u);
  EXPECT_EQ(find(g, r, "C001")->share, 1.0);
  EXPECT_EQ(find(g, r, "C001")->households, 300.0);
  EXPECT_EQ(find(g, r, "C002")->share, 0.0);  // shares the zone's east edge
  EXPECT_EQ(find(g, r, "C")->share, 0.5);
  EXPECT_EQ(r.levels[1].cells_covered, 1u);
  EXPECT_EQ(r.levels[1].area_inside, 10000.0);
}

TEST(ZoneQuery, EstimatesByAreaShareAndNamesWorkersAndLeaders) {
  const GridSet g = two_grids();
  const ZoneReport r = ZoneQuery(g).cells_in(parse_wkt_area(box(50, 0, 150, 100)));
  const ZoneCell& a = *find(g, r, "C001");
  const ZoneCell& b = *find(g, r, "C002");
  EXPECT_DOUBLE_EQ(a.share, 0.5);
  EXPECT_DOUBLE_EQ(b.share, 0.5);
  EXPECT_TRUE(a.estimated);
  EXPECT_DOUBLE_EQ(a.households, 150.0);
  EXPECT_DOUBLE_EQ(a.population, 450.0);
  EXPECT_DOUBLE_EQ(b.households, 200.0);
  EXPECT_EQ(a.grid_worker.name, "张伟");
  EXPECT_EQ(a.grid_worker.phone, "13800000002");
  ASSERT_EQ(a.leaders.size(), 1u);  // the community's, the deepest on A's path with one
  EXPECT_EQ(a.leaders[0].name, "刘书记");
  EXPECT_TRUE(b.grid_worker.name.empty());
  EXPECT_DOUBLE_EQ(r.levels[1].households, 350.0);
  EXPECT_DOUBLE_EQ(r.levels[0].households, 350.0);
}

TEST(ZoneQuery, CircleTangentToAnEdgeListsTheCellWithShareZero) {
  const GridSet g = two_grids();
  const ZoneReport r = ZoneQuery(g).cells_in(Circle{{250, 50}, 50});
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(find(g, r, "C002")->share, 0.0);
  EXPECT_EQ(find(g, r, "C")->share, 0.0);
  // A radius just short of the edge touches nothing.
  EXPECT_TRUE(ZoneQuery(g).cells_in(Circle{{250, 50}, 49.999}).cells.empty());
}

TEST(ZoneQuery, CircleSharesAreThoseOfTheTrueDisk) {
  const GridSet g = two_grids();
  // Centred on the shared edge: half the disk in each grid.
  const ZoneReport r = ZoneQuery(g).cells_in(Circle{{100, 50}, 30});
  const double half = kPi * 900 / 2;
  EXPECT_NEAR(find(g, r, "C001")->area_inside, half, half * 1e-12);
  EXPECT_NEAR(find(g, r, "C002")->area_inside, half, half * 1e-12);
  EXPECT_NEAR(r.zone_area, 2 * half, 1e-9);
  // Reaching past A's south edge: the disk less the segment beyond the chord at distance 20.
  const ZoneReport s = ZoneQuery(g).cells_in(Circle{{50, 20}, 30});
  const double segment = 900 * std::acos(20.0 / 30) - 20 * std::sqrt(900.0 - 400);
  EXPECT_NEAR(find(g, s, "C001")->area_inside, kPi * 900 - segment, 1e-9);
}

TEST(ZoneQuery, CircleCoveringACellHasShareOne) {
  const GridSet g = two_grids();
  const ZoneReport r = ZoneQuery(g).cells_in(Circle{{50, 50}, 50 * std::sqrt(2.0) + 1e-9});
  EXPECT_EQ(find(g, r, "C001")->share, 1.0);
  EXPECT_GT(find(g, r, "C002")->share, 0.0);
}

TEST(ZoneQuery, UnitsAreCountedOnceInTheCellHoldingThem) {
  const GridSet g = two_grids();
  // (100, 50) lies on the shared edge: the boundary rule gives it to B, east of the edge.
  const std::vector<Unit> units{{{50, 50}, 10}, {{100, 50}, 4}, {{150, 50}, 6}};
  const ZoneQuery query(g, units);
  const ZoneReport r = query.cells_in(parse_wkt_area(box(0, 0, 100, 100)));
  const ZoneCell& a = *find(g, r, "C001");
  const ZoneCell& b = *find(g, r, "C002");
  EXPECT_FALSE(a.estimated);
  EXPECT_EQ(a.households, 10.0);
  EXPECT_EQ(a.units, 1u);
  EXPECT_DOUBLE_EQ(a.population, 10.0 * 900 / 300);  // the cell's people per household
  EXPECT_EQ(b.households, 4.0);                      // the zone is closed: its edge is in it
  EXPECT_EQ(find(g, r, "C")->households, 14.0);
  EXPECT_EQ(r.levels[1].households, 14.0);
}

TEST(ZoneQuery, CellsHoldingNoUnitAreEstimated) {
  const GridSet g = two_grids();
  const ZoneQuery query(g, {{{50, 50}, 10}});
  const ZoneReport r = query.cells_in(parse_wkt_area(box(50, 0, 150, 100)));
  EXPECT_FALSE(find(g, r, "C001")->estimated);
  EXPECT_TRUE(find(g, r, "C002")->estimated);
  EXPECT_DOUBLE_EQ(find(g, r, "C002")->households, 200.0);
  EXPECT_EQ(r.levels[1].cells_estimated, 1u);
}

TEST(ZoneQuery, BadZonesAreRefusedWithAReason) {
  const GridSet g = two_grids();
  const ZoneQuery query(g);
  EXPECT_EQ(error_of([&] {
              query.cells_in(parse_wkt_area("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"));
            }).detail(),
            "the zone is not a valid polygon: self-intersecting polygon at (5 5)");
  EXPECT_EQ(error_of([&] { query.cells_in(MultiPolygon{}); }).detail(), "the zone is empty");
  EXPECT_EQ(error_of([&] {
              query.cells_in(Circle{{0, 0}, 0});
            }).detail(),
            "the circle's radius must be a number above 0, not 0");
  EXPECT_EQ(error_of([&] {
              query.cells_in(Circle{{NAN, 0}, 1});
            }).detail(),
            "the circle's centre must be two numbers");
  EXPECT_EQ(error_of([&] {
              ZoneQuery(g, {{{0, 0}, -1}});
            }).detail(),
            "unit 1: the weight must be a number of 0 or more");
}

// The sample city's levels each cover the district without gaps or overlaps, so the areas
// inside add up, at every level, to the zone's own area where the zone lies inside the district.
TEST(ZoneQuery, SampleCityLevelsShareTheZoneExactly) {
  const GridSet g = import_grid_set(testing::sample_city_sources()).grids;
  const ZoneQuery query(g);
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> ux(498500, 501500), uy(4419000, 4421000), ur(50, 600);
  for (int i = 0; i < 20; ++i) {
    const Circle c{{ux(rng), uy(rng)}, ur(rng)};
    const ZoneReport r = query.cells_in(c);
    for (const ZoneLevelTotals& t : r.levels) {
      EXPECT_NEAR(t.area_inside, r.zone_area, r.zone_area * 1e-9)
          << "level " << t.level << " circle " << to_wkt(c.centre) << " r " << c.radius;
    }
    const double x = ux(rng), y = uy(rng), h = ur(rng);
    const MultiPolygon diamond = parse_wkt_area(
        "POLYGON ((" + std::to_string(x) + " " + std::to_string(y - h) + ", " +
        std::to_string(x + h) + " " + std::to_string(y) + ", " + std::to_string(x) + " " +
        std::to_string(y + h) + ", " + std::to_string(x - h) + " " + std::to_string(y) + ", " +
        std::to_string(x) + " " + std::to_string(y - h) + "))");
    const ZoneReport p = query.cells_in(diamond);
    for (const ZoneLevelTotals& t : p.levels) {
      EXPECT_NEAR(t.area_inside, p.zone_area, p.zone_area * 1e-9) << "level " << t.level;
    }
  }
}

// A zone exactly along cell boundaries: a whole grid of the sample city as the zone covers its
// micro-grids (share 1), its neighbours are touched with share 0, and nothing is counted twice.
TEST(ZoneQuery, SampleCityGridAsZoneCoversItsMicrogridsExactly) {
  const GridSet g = import_grid_set(testing::sample_city_sources()).grids;
  const CellId grid = g.find("110119001001001");
  ASSERT_NE(grid, kNoCell);
  const ZoneReport r = ZoneQuery(g).cells_in(g.cell(grid).geometry);
  std::size_t children = 0, covered = 0;
  double microgrid_households = 0;
  for (const ZoneCell& z : r.cells) {
    const Cell& cell = g.cell(z.cell);
    EXPECT_TRUE(z.share == 0.0 || z.share > 1e-9) << cell.code << " share " << z.share;
    if (cell.parent == grid) {
      ++children;
      covered += z.share == 1.0;
    }
    if (cell.level == 4) microgrid_households += z.households;
    if (z.cell == grid) {
      EXPECT_EQ(z.share, 1.0);
    }
  }
  EXPECT_GT(children, 0u);
  EXPECT_EQ(covered, children);
  EXPECT_EQ(microgrid_households, static_cast<double>(g.cell(grid).households));
  EXPECT_GT(r.levels[4].cells_edge_only, 0u);  // the neighbours along its edges
}

}  // namespace
}  // namespace libgrid
