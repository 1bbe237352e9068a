// Point-in-grid lookup, libgrid against GEOS (STRtree + prepared geometry through the C API) on
// the same polygons and the same seeded points; answers are cross-checked before timing.
//
//   build/bench/cell_index_bench [--benchmark_filter=...]
// Reads ../shared/data/nyc/community_districts.geojson; exits with a message if it is absent.
#include <benchmark/benchmark.h>
#include <geos_c.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_import.h"

namespace {

struct Workload {
  libgrid::GridSet grids;
  std::vector<double> x, y;
};

const Workload& nyc() {
  static const Workload w = [] {
    Workload w;
    const std::string path =
        std::string(LIBGRID_SHARED_DATA_DIR) + "/nyc/community_districts.geojson";
    w.grids = libgrid::import_grid_set({{"district", path, "", "BoroCD"}}).grids;
    const libgrid::Box box = w.grids.extent();
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> ux(box.min_x, box.max_x), uy(box.min_y, box.max_y);
    for (int i = 0; i < 1 << 20; ++i) {
      w.x.push_back(ux(rng));
      w.y.push_back(uy(rng));
    }
    return w;
  }();
  return w;
}

// GEOS peer: one STRtree over prepared polygons, the usual fast GEOS recipe.
class GeosLookup {
 public:
  explicit GeosLookup(const libgrid::GridSet& grids) : ctx_(GEOS_init_r()) {
    tree_ = GEOSSTRtree_create_r(ctx_, 10);
    for (std::size_t i = 0; i < grids.size(); ++i) {
      GEOSGeometry* g = to_geos(grids.cells()[i].geometry);
      geoms_.push_back(g);
      prepared_.push_back(GEOSPrepare_r(ctx_, g));
      ids_.push_back(static_cast<int>(i));
    }
    for (std::size_t i = 0; i < geoms_.size(); ++i)
      GEOSSTRtree_insert_r(ctx_, tree_, geoms_[i], &ids_[i]);
  }
  ~GeosLookup() {
    GEOSSTRtree_destroy_r(ctx_, tree_);
    for (auto* p : prepared_) GEOSPreparedGeom_destroy_r(ctx_, p);
    for (auto* g : geoms_) GEOSGeom_destroy_r(ctx_, g);
    GEOS_finish_r(ctx_);
  }

  int lookup(double x, double y) const {
    GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx_, x, y);
    struct Query {
      const GeosLookup* self;
      const GEOSGeometry* point;
      int found = -1;
    } q{this, point};
    GEOSSTRtree_query_r(
        ctx_, tree_, point,
        [](void* item, void* data) {
          auto* q = static_cast<Query*>(data);
          const int id = *static_cast<int*>(item);
          if (q->found < 0 &&
              GEOSPreparedContains_r(q->self->ctx_, q->self->prepared_[id], q->point)) {
            q->found = id;
          }
        },
        &q);
    GEOSGeom_destroy_r(ctx_, point);
    return q.found;
  }

 private:
  GEOSGeometry* to_geos(const libgrid::MultiPolygon& area) {
    std::vector<GEOSGeometry*> polygons;
    for (const auto& polygon : area.polygons) {
      std::vector<GEOSGeometry*> rings;
      for (const auto& ring : polygon.rings) {
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx_, static_cast<unsigned>(ring.size()), 2);
        for (std::size_t i = 0; i < ring.size(); ++i) {
          GEOSCoordSeq_setXY_r(ctx_, seq, static_cast<unsigned>(i), ring[i].x, ring[i].y);
        }
        rings.push_back(GEOSGeom_createLinearRing_r(ctx_, seq));
      }
      polygons.push_back(GEOSGeom_createPolygon_r(ctx_, rings[0], rings.data() + 1,
                                                  static_cast<unsigned>(rings.size() - 1)));
    }
    return GEOSGeom_createCollection_r(ctx_, GEOS_MULTIPOLYGON, polygons.data(),
                                       static_cast<unsigned>(polygons.size()));
  }

  GEOSContextHandle_t ctx_;
  GEOSSTRtree* tree_ = nullptr;
  std::vector<GEOSGeometry*> geoms_;
  std::vector<const GEOSPreparedGeometry*> prepared_;
  std::vector<int> ids_;
};

void BM_Libgrid_NycDistricts(benchmark::State& state) {
  const Workload& w = nyc();
  const libgrid::CellIndex index(w.grids);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.lookup({w.x[i], w.y[i]}));
    i = (i + 1) & (w.x.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Geos_NycDistricts(benchmark::State& state) {
  const Workload& w = nyc();
  const GeosLookup geos(w.grids);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(geos.lookup(w.x[i], w.y[i]));
    i = (i + 1) & (w.x.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Libgrid_NycDistrictsBatch(benchmark::State& state) {
  const Workload& w = nyc();
  const libgrid::CellIndex index(w.grids);
  std::vector<libgrid::CellId> out(w.x.size());
  for (auto _ : state) index.lookup(w.x, w.y, out, static_cast<int>(state.range(0)));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.x.size()));
}

BENCHMARK(BM_Libgrid_NycDistricts);
BENCHMARK(BM_Geos_NycDistricts);
BENCHMARK(BM_Libgrid_NycDistrictsBatch)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Same answers from both before anything is timed (points exactly on a boundary aside, where
// GEOS's contains says no to both cells and libgrid's rule says yes to one).
bool answers_agree() {
  const Workload& w = nyc();
  const libgrid::CellIndex index(w.grids);
  const GeosLookup geos(w.grids);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < 100000; ++i) {
    differ += index.lookup({w.x[i], w.y[i]}) != geos.lookup(w.x[i], w.y[i]);
  }
  std::printf("cross-check on 100000 points: %zu differ\n", differ);
  return differ == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!std::filesystem::exists(std::string(LIBGRID_SHARED_DATA_DIR) + "/nyc")) {
    std::printf("../shared/data/nyc is absent: nothing to measure\n");
    return 0;
  }
  if (!answers_agree()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
