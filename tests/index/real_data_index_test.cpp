// The index on real boundaries: NYC (../shared/data/nyc) and the sample city (data/samples).
#include <gtest/gtest.h>

#include <random>

#include "libgrid/geometry/predicates.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_import.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

std::vector<Point> seeded_points(const Box& box, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(box.min_x, box.max_x), uy(box.min_y, box.max_y);
  std::vector<Point> points(n);
  for (auto& p : points) p = {ux(rng), uy(rng)};
  return points;
}

TEST(NycIndex, BoroughsAndDistrictsHoldEveryPointAtMostOnceAndNestByCode) {
  LIBGRID_REQUIRE_SHARED(boroughs, "nyc/boroughs.geojson");
  LIBGRID_REQUIRE_SHARED(districts, "nyc/community_districts.geojson");
  const GridSet grids = import_grid_set({{"borough", boroughs, "", "BoroCode"},
                                         {"district", districts, "", "BoroCD"}})
                            .grids;
  ASSERT_EQ(grids.cells_of_level(0).size(), 5u);
  ASSERT_EQ(grids.cells_of_level(1).size(), 71u);
  const CellIndex index(grids);
  std::size_t covered = 0, parent_differs = 0;
  const auto points = seeded_points(grids.extent(), 200000, 2026);
  for (const Point p : points) {
    const auto held_b = index.cells_holding(p, 0);
    const auto held_d = index.cells_holding(p, 1);
    ASSERT_LE(held_b.size(), 1u) << to_wkt(p);
    ASSERT_LE(held_d.size(), 1u) << to_wkt(p);
    if (held_d.empty()) continue;
    ++covered;
    // The path's borough comes from the code; the spatial one can differ only on the slivers
    // where the two layers were digitised apart.
    const auto path = index.path(index.lookup(p));
    ASSERT_EQ(path.size(), 2u);
    parent_differs += held_b.empty() || held_b[0] != path[0];
  }
  EXPECT_GT(covered, 50000u);
  EXPECT_LT(static_cast<double>(parent_differs) / covered, 0.005)
      << parent_differs << " of " << covered;
  std::cout << "NYC: " << covered << " covered points, " << parent_differs
            << " on borough/district slivers\n";
}

TEST(NycIndex, PolicePrecinctsPartitionTheCity) {
  LIBGRID_REQUIRE_SHARED(precincts, "nyc/police_precincts.geojson");
  const auto result = import_grid_set({{"precinct", precincts, "", "Precinct"}});
  ASSERT_EQ(result.grids.size(), 76u);
  const CellIndex index(result.grids);
  for (const Point p : seeded_points(result.grids.extent(), 100000, 7)) {
    const auto held = index.cells_holding(p, 0);
    ASSERT_LE(held.size(), 1u) << to_wkt(p);
    // Away from boundaries the exact answer is the plain closed-set one.
    for (std::size_t id = 0; id < result.grids.size(); ++id) {
      const auto where = locate(result.grids.cells()[id].geometry, p);
      if (where == PointLocation::kInterior) {
        ASSERT_EQ(held, std::vector<CellId>{CellId(id)});
      }
    }
  }
}

// Every vertex and every edge midpoint of every cell of the sample city: inside the district
// (not on its outer rim) each is held by exactly one cell of every level.
TEST(SampleCityIndex, EveryVertexAndEdgeMidpointHeldOncePerLevel) {
  const std::vector<LevelSource> sources = testing::sample_city_sources();
  const GridSet grids = import_grid_set(sources).grids;
  const CellIndex index(grids);
  const MultiPolygon& district = grids.cell(grids.cells_of_level(0).at(0)).geometry;
  std::size_t probes = 0;
  for (const Cell& cell : grids.cells()) {
    for (const auto& polygon : cell.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          const Point mid{(ring[i].x + ring[i + 1].x) / 2, (ring[i].y + ring[i + 1].y) / 2};
          for (const Point p : {ring[i], mid}) {
            // A rounded midpoint of a sloping edge may sit a hair off it; it must still be
            // held exactly once, so it is probed all the same.
            const bool rim = locate(district, p) != PointLocation::kInterior;
            for (int level = 0; level < 5; ++level) {
              const auto held = index.cells_holding(p, level).size();
              if (rim) {
                ASSERT_LE(held, 1u) << to_wkt(p);
              } else {
                ASSERT_EQ(held, 1u) << to_wkt(p) << " level " << grids.levels()[level];
              }
            }
            ++probes;
          }
        }
      }
    }
  }
  EXPECT_GT(probes, 10000u);
  std::cout << "sample city: " << probes << " vertices and edge midpoints probed\n";
}

}  // namespace
}  // namespace libgrid
