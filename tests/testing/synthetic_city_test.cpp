#include "libgrid/testing/synthetic_city.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/geometry/predicates.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"

namespace libgrid::testing {
namespace {

constexpr int kMicro = 4;  // the finest level

SyntheticCityOptions small_city(std::uint64_t seed = 7, int microgrids = 2000) {
  SyntheticCityOptions options;
  options.seed = seed;
  options.microgrids = microgrids;
  return options;
}

// One city for the checks that only read it.
const SyntheticCity& city() {
  static const SyntheticCity made = generate_synthetic_city(small_city());
  return made;
}

double twice_signed_area(const Ring& ring) {
  double twice = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return twice;
}

std::vector<std::vector<CellId>> children_of(const GridSet& grids) {
  std::vector<std::vector<CellId>> children(grids.size());
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    if (grids.cell(id).parent != kNoCell) {
      children[static_cast<std::size_t>(grids.cell(id).parent)].push_back(id);
    }
  }
  return children;
}

// A point strictly inside lattice square (i, j): the square is convex, so any mix of its
// corners with positive weights lies inside.
Point inside_square(const SyntheticLattice& lattice, int i, int j, double u, double v) {
  const Point a = lattice.node(i, j), b = lattice.node(i + 1, j), c = lattice.node(i + 1, j + 1),
              d = lattice.node(i, j + 1);
  const double wa = (1 - u) * (1 - v), wb = u * (1 - v), wc = u * v, wd = (1 - u) * v;
  return {wa * a.x + wb * b.x + wc * c.x + wd * d.x, wa * a.y + wb * b.y + wc * c.y + wd * d.y};
}

// Points strictly inside the district: every lattice node and every lattice edge's midpoint
// there, every ring vertex of every micro-grid and every midpoint of a ring segment, but for
// those on the district's outline.
std::vector<Point> probes(const SyntheticCity& c) {
  const SyntheticLattice& lattice = c.lattice;
  std::vector<Point> out;
  const auto in = [&](int i, int j) { return lattice.district_square(i, j); };
  const auto mid = [](Point a, Point b) { return Point{(a.x + b.x) / 2.0, (a.y + b.y) / 2.0}; };
  for (int j = 0; j <= lattice.rows; ++j) {
    for (int i = 0; i <= lattice.columns; ++i) {
      if (in(i - 1, j - 1) && in(i, j - 1) && in(i - 1, j) && in(i, j)) {
        out.push_back(lattice.node(i, j));
      }
      if (in(i, j - 1) && in(i, j)) out.push_back(mid(lattice.node(i, j), lattice.node(i + 1, j)));
      if (in(i - 1, j) && in(i, j)) out.push_back(mid(lattice.node(i, j), lattice.node(i, j + 1)));
    }
  }
  const GridSet& grids = c.grids;
  const auto key = [](Point p) { return std::pair{p.x, p.y}; };
  std::set<std::pair<double, double>> outline_vertices;
  std::set<std::pair<std::pair<double, double>, std::pair<double, double>>> outline_segments;
  for (const Ring& ring : grids.cell(0).geometry.polygons[0].rings) {
    for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
      outline_vertices.insert(key(ring[k]));
      outline_segments.insert({key(ring[k]), key(ring[k + 1])});
      outline_segments.insert({key(ring[k + 1]), key(ring[k])});
    }
  }
  std::set<std::pair<double, double>> seen;
  for (CellId id : grids.cells_of_level(kMicro)) {
    for (const Ring& ring : grids.cell(id).geometry.polygons[0].rings) {
      for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
        if (!outline_vertices.count(key(ring[k])) && seen.insert(key(ring[k])).second) {
          out.push_back(ring[k]);
        }
        if (!outline_segments.count({key(ring[k]), key(ring[k + 1])})) {
          const Point m = mid(ring[k], ring[k + 1]);
          if (seen.insert(key(m)).second) out.push_back(m);
        }
      }
    }
  }
  return out;
}

// Every probe is held by exactly one cell at every level, in libgrid's own exact index.
void expect_exact_partition(const SyntheticCity& c) {
  const CellIndex index(c.grids, CellIndex::Options{.accelerated = false});
  const std::vector<Point> points = probes(c);
  ASSERT_GT(points.size(), 100u);
  for (const Point& p : points) {
    for (int level = 0; level <= kMicro; ++level) {
      ASSERT_EQ(index.cells_holding(p, level).size(), 1u) << to_wkt(p) << " level " << level;
    }
  }
}

TEST(SyntheticCity, SameSeedGivesTheSameCityCoordinateForCoordinate) {
  const GridSet a = make_synthetic_city(small_city(7));
  const GridSet b = make_synthetic_city(small_city(7));
  ASSERT_EQ(a.size(), b.size());
  for (CellId id = 0; id < static_cast<CellId>(a.size()); ++id) {
    const Cell& x = a.cell(id);
    const Cell& y = b.cell(id);
    ASSERT_EQ(x.code, y.code);
    ASSERT_EQ(x.name, y.name);
    ASSERT_EQ(x.parent, y.parent);
    ASSERT_EQ(x.households, y.households);
    ASSERT_EQ(x.population, y.population);
    ASSERT_EQ(x.geometry.polygons.size(), y.geometry.polygons.size());
    for (std::size_t p = 0; p < x.geometry.polygons.size(); ++p) {
      ASSERT_EQ(x.geometry.polygons[p].rings, y.geometry.polygons[p].rings) << x.code;
    }
  }
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.fingerprint(), city().grids.fingerprint());
  EXPECT_NE(a.fingerprint(), make_synthetic_city(small_city(8)).fingerprint());
}

TEST(SyntheticCity, LevelsCountsCodesAndNamesFollowThePlan) {
  const GridSet& grids = city().grids;
  EXPECT_EQ(grids.levels(),
            (std::vector<std::string>{"district", "street", "community", "grid", "microgrid"}));
  EXPECT_EQ(grids.crs(), "EPSG:4548");
  ASSERT_EQ(grids.cells_of_level(0).size(), 1u);
  EXPECT_EQ(grids.cell(0).code, "110119");
  const std::size_t micro = grids.cells_of_level(kMicro).size();
  EXPECT_GE(micro, 1980u);
  EXPECT_LE(micro, 2020u);

  const auto children = children_of(grids);
  // Children per cell of each level: the district takes every street.
  const int fewest[] = {1, 8, 6, 5}, most[] = {1000, 12, 10, 10};
  std::map<int, int> odd;  // cells outside those counts, per level
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const Cell& cell = grids.cell(id);
    const char initial = "DSCGM"[cell.level];
    EXPECT_EQ(cell.name.size(), 7u);
    EXPECT_EQ(cell.name[0], initial) << cell.name;
    EXPECT_EQ(cell.code.size(), 6u + 3u * static_cast<std::size_t>(cell.level)) << cell.code;
    EXPECT_TRUE(std::all_of(cell.code.begin(), cell.code.end(), [](char ch) {
      return ch >= '0' && ch <= '9';
    })) << cell.code;
    if (cell.level > 0) {
      ASSERT_NE(cell.parent, kNoCell);
      const Cell& parent = grids.cell(cell.parent);
      EXPECT_EQ(parent.level, cell.level - 1);
      EXPECT_EQ(cell.code.substr(0, parent.code.size()), parent.code);
      EXPECT_NE(cell.code.substr(parent.code.size()), "000");
    }
    if (cell.level < kMicro) {
      const auto n = static_cast<int>(children[static_cast<std::size_t>(id)].size());
      EXPECT_GE(n, 1) << cell.code;
      if (n < fewest[cell.level] || n > most[cell.level]) ++odd[cell.level];
    }
  }
  // Only the last cell of a level may take what is left over.
  for (const auto& [level, count] : odd) EXPECT_LE(count, 1) << "level " << level;
  EXPECT_GE(grids.cells_of_level(3).size(), micro / 10);
  EXPECT_LE(grids.cells_of_level(3).size(), micro / 5);
}

TEST(SyntheticCity, HouseholdsAndPopulationAddUpAtEveryLevel) {
  const GridSet& grids = city().grids;
  const auto children = children_of(grids);
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const Cell& cell = grids.cell(id);
    if (cell.level == kMicro) {
      EXPECT_GE(cell.households, 30);
      EXPECT_LE(cell.households, 60);
      EXPECT_GE(cell.population, 2.25 * cell.households);
      EXPECT_LE(cell.population, 2.95 * cell.households);
      continue;
    }
    std::int64_t households = 0, population = 0;
    for (CellId child : children[static_cast<std::size_t>(id)]) {
      households += grids.cell(child).households;
      population += grids.cell(child).population;
    }
    EXPECT_EQ(households, cell.households) << cell.code;
    EXPECT_EQ(population, cell.population) << cell.code;
  }
  const Cell& district = grids.cell(0);
  EXPECT_NEAR(static_cast<double>(district.population) / static_cast<double>(district.households),
              2.6, 0.05);
}

TEST(SyntheticCity, RingsAreClosedAndSimpleShellsCounterClockwiseHolesClockwise) {
  const GridSet& grids = city().grids;
  int holed = 0;
  std::vector<double> vertices_per_micro;
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const Cell& cell = grids.cell(id);
    ASSERT_EQ(cell.geometry.polygons.size(), 1u) << cell.code;
    const Polygon& polygon = cell.geometry.polygons[0];
    ASSERT_FALSE(polygon.rings.empty());
    std::set<std::pair<double, double>> vertices;  // of all rings: no ring touches another
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      const Ring& ring = polygon.rings[r];
      ASSERT_GE(ring.size(), 4u) << cell.code;
      EXPECT_EQ(ring.front(), ring.back()) << cell.code;
      if (r == 0) {
        EXPECT_GT(twice_signed_area(ring), 0.0) << cell.code << " shell";
      } else {
        EXPECT_LT(twice_signed_area(ring), 0.0) << cell.code << " hole " << r;
      }
      for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
        EXPECT_TRUE(vertices.insert({ring[k].x, ring[k].y}).second)
            << cell.code << " repeats " << to_wkt(ring[k]);
      }
    }
    if (cell.level == kMicro) {
      if (polygon.rings.size() > 1) ++holed;
      vertices_per_micro.push_back(static_cast<double>(vertex_count(cell.geometry)));
    } else {
      EXPECT_EQ(polygon.rings.size(), 1u) << cell.code << ": only micro-grids have holes";
    }
  }
  EXPECT_GE(holed, 5);
  EXPECT_LE(holed, 20);
  double sum = 0.0;
  for (double v : vertices_per_micro) sum += v;
  const double mean = sum / static_cast<double>(vertices_per_micro.size());
  EXPECT_GT(mean, 20.0);
  EXPECT_LT(mean, 40.0);
}

TEST(SyntheticCity, MicrogridsHoldFourToTwelveSquares) {
  const SyntheticCity& c = city();
  const CellIndex index(c.grids, CellIndex::Options{.accelerated = false});
  std::map<CellId, int> squares;
  for (int j = 0; j < c.lattice.rows; ++j) {
    for (int i = 0; i < c.lattice.columns; ++i) {
      const CellId micro = index.lookup_level(inside_square(c.lattice, i, j, 0.5, 0.5), kMicro);
      EXPECT_EQ(micro != kNoCell, c.lattice.district_square(i, j)) << i << " " << j;
      if (micro != kNoCell) ++squares[micro];
    }
  }
  EXPECT_EQ(squares.size(), c.grids.cells_of_level(kMicro).size());
  int outside = 0;
  for (const auto& [micro, count] : squares) {
    EXPECT_GE(count, 4) << c.grids.cell(micro).code;
    EXPECT_LE(count, 16) << c.grids.cell(micro).code;  // the rim around a hole may take a few
    if (count > 12) ++outside;
  }
  EXPECT_LE(outside, 20);
}

TEST(SyntheticCity, EveryLatticePointInsideIsHeldByExactlyOneCellAtEveryLevel) {
  expect_exact_partition(city());
}

TEST(SyntheticCity, StraightAndBentEdgesPartitionExactlyToo) {
  for (int points : {0, 3}) {
    SyntheticCityOptions options = small_city(11, 300);
    options.points_per_edge = points;
    SCOPED_TRACE(points);
    expect_exact_partition(generate_synthetic_city(options));
  }
}

TEST(SyntheticCity, LookupPathsRunThroughFiveNestedCodes) {
  const SyntheticCity& c = city();
  const CellIndex index(c.grids, CellIndex::Options{.accelerated = false});
  std::vector<std::pair<int, int>> district;
  for (int j = 0; j < c.lattice.rows; ++j) {
    for (int i = 0; i < c.lattice.columns; ++i) {
      if (c.lattice.district_square(i, j)) district.emplace_back(i, j);
    }
  }
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.01, 0.99);
  for (int n = 0; n < 5000; ++n) {
    const auto [i, j] = district[rng() % district.size()];
    const Point p = inside_square(c.lattice, i, j, u(rng), u(rng));
    const CellId finest = index.lookup(p);
    ASSERT_NE(finest, kNoCell) << to_wkt(p);
    EXPECT_TRUE(holds(c.grids.cell(finest).geometry, p)) << to_wkt(p);
    const std::vector<CellId> path = index.path(finest);
    ASSERT_EQ(path.size(), 5u) << to_wkt(p);
    for (int level = 0; level < 5; ++level) {
      const Cell& cell = c.grids.cell(path[static_cast<std::size_t>(level)]);
      EXPECT_EQ(cell.level, level);
      EXPECT_EQ(path[static_cast<std::size_t>(level)], index.lookup_level(p, level)) << to_wkt(p);
      if (level > 0) {
        const std::string& parent = c.grids.cell(path[static_cast<std::size_t>(level - 1)]).code;
        EXPECT_EQ(cell.code.compare(0, parent.size(), parent), 0) << cell.code;
      }
    }
  }
}

TEST(SyntheticCity, TinyCitiesAreStillWhole) {
  for (int microgrids : {1, 5, 40}) {
    SCOPED_TRACE(microgrids);
    const GridSet grids = make_synthetic_city(small_city(3, microgrids));
    EXPECT_EQ(grids.cells_of_level(kMicro).size(), static_cast<std::size_t>(microgrids));
    for (int level = 0; level <= kMicro; ++level) EXPECT_FALSE(grids.cells_of_level(level).empty());
  }
}

TEST(SyntheticCity, RefusesOptionsOutsideTheirRange) {
  const auto refuses = [](SyntheticCityOptions options) {
    try {
      make_synthetic_city(options);
    } catch (const Error& e) {
      return e.kind() == ErrorKind::kInvalidInput;
    }
    return false;
  };
  SyntheticCityOptions options = small_city();
  options.microgrids = 0;
  EXPECT_TRUE(refuses(options));
  options = small_city();
  options.cell_size = 0.0;
  EXPECT_TRUE(refuses(options));
  options = small_city();
  options.points_per_edge = 9;
  EXPECT_TRUE(refuses(options));
}

}  // namespace
}  // namespace libgrid::testing
