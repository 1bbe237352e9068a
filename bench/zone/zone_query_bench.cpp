// Incident zones on the 100,000-micro-grid synthetic city (libgrid/testing/synthetic_city.h,
// seed 1): every cell of all five levels a zone touches, with its area inside.
//
// Zones are seeded: 64 centres inside the district, and at each a circle of radius 100, 300 or
// 1,000 m, or a square of the same area turned by a seeded angle. libgrid's ZoneQuery (built once:
// an R-tree over the cells' envelopes) answers each; beside it, the peer a GIS programmer would
// write: a GEOS STRtree over the cells' envelopes, then GEOSIntersects and GEOSIntersection +
// GEOSArea per candidate, the circle drawn as a 256-gon (GEOSBuffer, 64 segments a quadrant:
// within 0.01% of the disk's area). The run checks that both touch the same cells (the peer can
// only differ where its polygon cuts inside the true circle) and that their areas per level agree,
// then prints a table.
#include <benchmark/benchmark.h>
#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "libgrid/testing/synthetic_city.h"
#include "libgrid/zone/zone_query.h"
#include "support/geos_geometry.h"
#include "support/recording_reporter.h"

namespace libgrid::bench {
namespace {

constexpr int kZones = 64;
const double kRadii[] = {100.0, 300.0, 1000.0};

const GridSet& city() {
  static const GridSet made = testing::make_synthetic_city();
  return made;
}

const ZoneQuery& query() {
  static const ZoneQuery made(city());
  return made;
}

struct Zone {
  Circle circle;
  MultiPolygon square;  // of the circle's area, about its centre
};

// The seeded zones of one radius: centres at cells of the finest level, so inside the district.
const std::vector<Zone>& zones(double radius) {
  static std::vector<std::vector<Zone>> made(std::size(kRadii));
  const std::size_t k = static_cast<std::size_t>(
      std::find(std::begin(kRadii), std::end(kRadii), radius) - std::begin(kRadii));
  if (made[k].empty()) {
    std::mt19937_64 rng(2026 + k);
    const std::vector<CellId> finest =
        city().cells_of_level(static_cast<int>(city().levels().size()) - 1);
    std::uniform_int_distribution<std::size_t> pick(0, finest.size() - 1);
    std::uniform_real_distribution<double> turn(0, std::numbers::pi / 2);
    const double half = radius * std::sqrt(std::numbers::pi) / 2;
    for (int i = 0; i < kZones; ++i) {
      const Point c = city().cell(finest[pick(rng)]).geometry.polygons[0].rings[0][0];
      const double a = turn(rng);
      Ring ring;
      for (const auto& [u, v] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}, {-1, -1}}) {
        ring.push_back({c.x + half * (u * std::cos(a) - v * std::sin(a)),
                        c.y + half * (u * std::sin(a) + v * std::cos(a))});
      }
      made[k].push_back({{c, radius}, MultiPolygon{{Polygon{{ring}}}}});
    }
  }
  return made[k];
}

// The peer: GEOS geometries of every cell, an STRtree over them, overlays per candidate.
class GeosPeer {
 public:
  GeosPeer() : ctx_(GEOS_init_r()) {
    tree_ = GEOSSTRtree_create_r(ctx_, 10);
    ids_.resize(city().size());
    for (std::size_t i = 0; i < city().size(); ++i) {
      ids_[i] = i;
      cells_.push_back(to_geos(ctx_, city().cells()[i].geometry));
      GEOSSTRtree_insert_r(ctx_, tree_, cells_.back(), &ids_[i]);
    }
  }
  ~GeosPeer() {
    GEOSSTRtree_destroy_r(ctx_, tree_);
    for (GEOSGeometry* g : cells_) GEOSGeom_destroy_r(ctx_, g);
    GEOS_finish_r(ctx_);
  }
  GeosPeer(const GeosPeer&) = delete;
  GeosPeer& operator=(const GeosPeer&) = delete;

  // Area inside per level, and the number of cells touched.
  struct Answer {
    std::vector<double> area_inside;
    std::size_t cells = 0;
  };

  Answer circle(const Circle& c) {
    GEOSGeometry* centre = GEOSGeom_createPointFromXY_r(ctx_, c.centre.x, c.centre.y);
    GEOSGeometry* disk = GEOSBuffer_r(ctx_, centre, c.radius, 64);
    Answer a = query(disk);
    GEOSGeom_destroy_r(ctx_, centre);
    GEOSGeom_destroy_r(ctx_, disk);
    return a;
  }
  Answer polygon(const MultiPolygon& area) {
    GEOSGeometry* zone = to_geos(ctx_, area);
    Answer a = query(zone);
    GEOSGeom_destroy_r(ctx_, zone);
    return a;
  }

 private:
  Answer query(const GEOSGeometry* zone) {
    Answer a;
    a.area_inside.assign(city().levels().size(), 0.0);
    std::vector<std::size_t> candidates;
    GEOSSTRtree_query_r(
        ctx_, tree_, zone,
        [](void* item, void* out) {
          static_cast<std::vector<std::size_t>*>(out)->push_back(
              *static_cast<const std::size_t*>(item));
        },
        &candidates);
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(ctx_, zone);
    for (const std::size_t id : candidates) {
      const GEOSGeometry* cell = cells_[id];
      if (GEOSPreparedIntersects_r(ctx_, prepared, cell) != 1) continue;
      ++a.cells;
      GEOSGeometry* inside = GEOSIntersection_r(ctx_, zone, cell);
      double area = 0.0;
      GEOSArea_r(ctx_, inside, &area);
      GEOSGeom_destroy_r(ctx_, inside);
      a.area_inside[static_cast<std::size_t>(city().cells()[id].level)] += area;
    }
    GEOSPreparedGeom_destroy_r(ctx_, prepared);
    return a;
  }

  GEOSContextHandle_t ctx_;
  GEOSSTRtree* tree_;
  std::vector<GEOSGeometry*> cells_;
  std::vector<std::size_t> ids_;  // the tree's items: each cell's position
};

GeosPeer& peer() {
  static GeosPeer made;
  return made;
}

void BM_Build(benchmark::State& state) {
  city();
  for (auto _ : state) {
    const ZoneQuery q(city());
    benchmark::DoNotOptimize(&q);
  }
  state.counters["cells"] = static_cast<double>(city().size());
}

// Largest relative difference per level between libgrid's and the peer's areas inside.
double level_difference(const ZoneReport& r, const std::vector<double>& peer_areas) {
  double worst = 0.0;
  for (const ZoneLevelTotals& t : r.levels) {
    const double p = peer_areas[static_cast<std::size_t>(t.level)];
    worst = std::max(worst, std::abs(t.area_inside - p) / std::max(r.zone_area, 1e-300));
  }
  return worst;
}

void BM_Libgrid(benchmark::State& state, double radius, bool circle) {
  const std::vector<Zone>& z = zones(radius);
  query();
  std::size_t i = 0, cells = 0, answered = 0;
  for (auto _ : state) {
    const Zone& zone = z[i++ % z.size()];
    const ZoneReport r = circle ? query().cells_in(zone.circle) : query().cells_in(zone.square);
    cells += r.cells.size();
    ++answered;
  }
  state.counters["cells"] = static_cast<double>(cells) / static_cast<double>(answered);
  // Outside the timing: agreement with the peer over every zone.
  double worst = 0.0;
  long long cell_difference = 0;
  for (const Zone& zone : z) {
    const ZoneReport r = circle ? query().cells_in(zone.circle) : query().cells_in(zone.square);
    const GeosPeer::Answer p = circle ? peer().circle(zone.circle) : peer().polygon(zone.square);
    worst = std::max(worst, level_difference(r, p.area_inside));
    cell_difference += static_cast<long long>(r.cells.size()) - static_cast<long long>(p.cells);
  }
  state.counters["worst_level_difference"] = worst;
  state.counters["cells_minus_peer"] = static_cast<double>(cell_difference);
}

void BM_Geos(benchmark::State& state, double radius, bool circle) {
  const std::vector<Zone>& z = zones(radius);
  peer();
  std::size_t i = 0, cells = 0, answered = 0;
  for (auto _ : state) {
    const Zone& zone = z[i++ % z.size()];
    const GeosPeer::Answer a = circle ? peer().circle(zone.circle) : peer().polygon(zone.square);
    cells += a.cells;
    ++answered;
  }
  state.counters["cells"] = static_cast<double>(cells) / static_cast<double>(answered);
}

std::string name(const char* engine, const char* shape, double radius) {
  return std::string(engine) + "/" + shape + "/" + std::to_string(static_cast<int>(radius));
}

void print_table(const RecordingReporter& reporter) {
  std::printf("\nsynthetic city: %zu cells in %zu levels; zones at %d seeded centres, one core\n",
              city().size(), city().levels().size(), kZones);
  std::printf("%-7s %7s %8s %12s %12s %8s %14s %12s\n", "zone", "radius", "cells", "libgrid ms",
              "GEOS ms", "GEOS/lg", "level diff", "cells-peer");
  for (const char* shape : {"circle", "square"}) {
    for (const double radius : kRadii) {
      const auto lg = reporter.find(name("libgrid", shape, radius));
      const auto geos = reporter.find(name("geos", shape, radius));
      if (!lg) continue;
      const double g = geos ? geos->seconds_per_iteration * 1e3 : 0.0;
      std::printf("%-7s %7.0f %8.1f %12.3f %12.3f %8.1f %14.2e %12.0f\n", shape, radius,
                  lg->counters.at("cells"), lg->seconds_per_iteration * 1e3, g,
                  g > 0 ? g / (lg->seconds_per_iteration * 1e3) : 0.0,
                  lg->counters.at("worst_level_difference"), lg->counters.at("cells_minus_peer"));
    }
  }
  if (const auto build = reporter.find("libgrid/build")) {
    std::printf("ZoneQuery built in %.1f ms\n", build->seconds_per_iteration * 1e3);
  }
}

}  // namespace
}  // namespace libgrid::bench

int main(int argc, char** argv) {
  using namespace libgrid::bench;
  if (!initialize_benchmarks(&argc, argv)) return 1;
  benchmark::RegisterBenchmark("libgrid/build", BM_Build)->Unit(benchmark::kMillisecond);
  for (const bool circle : {true, false}) {
    const char* shape = circle ? "circle" : "square";
    for (const double radius : kRadii) {
      benchmark::RegisterBenchmark(name("libgrid", shape, radius).c_str(), BM_Libgrid, radius,
                                   circle)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(name("geos", shape, radius).c_str(), BM_Geos, radius, circle)
          ->Unit(benchmark::kMillisecond);
    }
  }
  return run_and_summarize(print_table);
}
