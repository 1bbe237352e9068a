// The accelerated index (quadtree) against the plain one (R-tree): identical answers on every
// point, at every level, on real and sample boundaries. 10 million points in all in a normal
// build, a tenth under the sanitizers.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/testing/synthetic_city.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

#ifdef LIBGRID_SANITIZED_BUILD
constexpr std::size_t kScale = 10;
#else
constexpr std::size_t kScale = 1;
#endif

// Uniform in the extent, a seeded Gaussian mixture (clustered like address points), every ring
// vertex, points along edges, and vertices nudged by one unit in the last place.
std::vector<Point> probe_points(const GridSet& grids, std::size_t random_points,
                                std::uint64_t seed) {
  const Box box = grids.extent();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(box.min_x, box.max_x), uy(box.min_y, box.max_y);
  std::vector<Point> points;
  for (std::size_t i = 0; i < random_points / 2; ++i) points.push_back({ux(rng), uy(rng)});
  const double spread = std::max(box.max_x - box.min_x, box.max_y - box.min_y) / 200;
  std::vector<Point> centres(300);
  for (auto& c : centres) c = {ux(rng), uy(rng)};
  std::uniform_int_distribution<std::size_t> pick(0, centres.size() - 1);
  std::normal_distribution<double> jitter(0.0, 1.0);
  for (std::size_t i = 0; i < random_points / 2; ++i) {
    const Point c = centres[pick(rng)];
    const double s = spread * (0.2 + (i % 7) / 3.0);
    points.push_back({c.x + s * jitter(rng), c.y + s * jitter(rng)});
  }
  for (const Cell& cell : grids.cells()) {
    for (const auto& polygon : cell.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        for (std::size_t k = 0; k + 1 < ring.size(); k += kScale) {
          const Point a = ring[k], b = ring[k + 1];
          points.push_back(a);
          points.push_back({std::nextafter(a.x, INFINITY), a.y});
          points.push_back({a.x, std::nextafter(a.y, -INFINITY)});
          for (double t : {0.5, 0.25})
            points.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
        }
      }
    }
  }
  return points;
}

void expect_identical(const GridSet& grids, std::size_t random_points, std::uint64_t seed) {
  const CellIndex plain(grids, CellIndex::Options{.accelerated = false});
  const CellIndex fast(grids);
  const auto points = probe_points(grids, random_points / kScale, seed);
  std::size_t covered = 0;
  std::vector<CellId> answers(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const CellId expected = plain.lookup(points[i]);
    answers[i] = expected;
    ASSERT_EQ(fast.lookup(points[i]), expected) << to_wkt(points[i]);
    covered += expected != kNoCell;
    if (i % 16 == 0) {  // every level, every holder, on a sample
      for (int level = 0; level < plain.level_count(); ++level) {
        ASSERT_EQ(fast.cells_holding(points[i], level), plain.cells_holding(points[i], level))
            << to_wkt(points[i]) << " level " << level;
      }
    }
  }
  // The batch paths, with many points in flight: in the given order, sorted first (forced here
  // by sorting from 0 bytes of index on), and on a compact index.
  std::vector<double> xs(points.size()), ys(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    xs[i] = points[i].x;
    ys[i] = points[i].y;
  }
  const CellIndex sorting(grids, CellIndex::Options{.sort_batches_from_bytes = 0});
  const CellIndex compact(grids, CellIndex::Options{.compact = true});
  for (const CellIndex* index : {&fast, &sorting, &compact}) {
    std::vector<CellId> batch(points.size(), kNoCell - 1);
    index->lookup(xs, ys, batch, 1);
    for (std::size_t i = 0; i < points.size(); ++i) {
      ASSERT_EQ(batch[i], answers[i]) << to_wkt(points[i]);
    }
  }
  std::cout << points.size() << " points, " << covered << " covered, identical; index "
            << fast.memory_bytes() << " bytes accelerated, " << plain.memory_bytes() << " plain\n";
}

TEST(AcceleratedIndex, IdenticalToPlainOnNycBoroughsAndDistricts) {
  LIBGRID_REQUIRE_SHARED(boroughs, "nyc/boroughs.geojson");
  LIBGRID_REQUIRE_SHARED(districts, "nyc/community_districts.geojson");
  const GridSet grids = import_grid_set({{"borough", boroughs, "", "BoroCode"},
                                         {"district", districts, "", "BoroCD"}})
                            .grids;
  expect_identical(grids, 4'000'000, 11);
}

TEST(AcceleratedIndex, IdenticalToPlainOnNycPolicePrecincts) {
  LIBGRID_REQUIRE_SHARED(precincts, "nyc/police_precincts.geojson");
  expect_identical(import_grid_set({{"precinct", precincts, "", "Precinct"}}).grids, 3'000'000, 12);
}

TEST(AcceleratedIndex, IdenticalToPlainOnTheSampleCity) {
  const std::vector<LevelSource> sources = testing::sample_city_sources();
  expect_identical(import_grid_set(sources).grids, 3'000'000, 13);
}

TEST(AcceleratedIndex, IdenticalToPlainOnASyntheticCity) {
  expect_identical(testing::make_synthetic_city({.seed = 4, .microgrids = 20000}), 1'000'000, 14);
}

TEST(AcceleratedIndex, OverlappingCellsAnswerTheLowestIdOnBothPaths) {
  GridSet grids;
  grids.add_level("grid");
  grids.add_cell({.code = "B", .geometry = parse_wkt_area("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))")});
  grids.add_cell({.code = "A", .geometry = parse_wkt_area("POLYGON ((2 2, 6 2, 6 6, 2 6, 2 2))")});
  for (const auto& options : {CellIndex::Options{.accelerated = false}, CellIndex::Options{}}) {
    const CellIndex index(grids, options);
    EXPECT_EQ(index.lookup({3, 3}), 0);
    EXPECT_EQ(index.cells_holding({3, 3}, 0), (std::vector<CellId>{0, 1}));
    EXPECT_EQ(index.lookup({5, 5}), 1);
    EXPECT_EQ(index.lookup({7, 7}), kNoCell);
  }
}

}  // namespace
}  // namespace libgrid
