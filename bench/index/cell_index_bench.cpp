// Point-in-grid lookup: libgrid (accelerated quadtree and plain R-tree paths) against GEOS, S2
// and Boost.Geometry, on the same polygons and the same seeded points in one run.
//
//   build-bench/bench/cell_index_bench [--benchmark_filter=...] [--benchmark_min_time=0.3]
//
// Datasets (each skipped with a message when absent): NYC community districts and police
// precincts (../shared/data/nyc, lon/lat), and the 100,000-micro-grid synthetic city (5 levels,
// projected metres) once libgrid/testing/synthetic_city.h exists. On the city libgrid answers all
// five levels (lookup, then the path through the parents); the peers index the finest level only.
//
// Points, 2M per set, made once per dataset: uniform over the extent, uniform over the covered
// area, and clustered like real addresses (support/address_mixture.h).
//
// Before anything is timed: libgrid's accelerated and plain paths must agree on every point of
// every set (else the dataset is dropped with a message), and each peer is compared with libgrid
// on 100,000 points per set, plus up to 100,000 of the cells' own vertices (points exactly on
// boundaries, never timed); those differences are reported, not fatal (GEOS and Boost say
// "outside" on boundaries, S2 breaks boundary ties its own way). A summary of ratios follows the
// benchmarks.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "index/cross_check.h"
#include "index/peers/boost_lookup.h"
#include "index/peers/geos_lookup.h"
#include "index/peers/libgrid_lookup.h"
#include "index/peers/lookup_peer.h"
#include "index/peers/s2_lookup.h"
#include "libgrid/index/cell_index.h"
#include "support/address_mixture.h"
#include "support/datasets.h"
#include "support/point_sets.h"
#include "support/recording_reporter.h"

namespace libgrid::bench {
namespace {

constexpr std::size_t kPoints = 2'000'000;
constexpr std::size_t kCrossCheckPoints = 100'000;
constexpr std::uint64_t kSeed = 42;
constexpr int kMixtureComponents = 200;

using Accelerated = LibgridLookup<true>;
using Plain = LibgridLookup<false>;

template <LookupPeer... Peers>
struct PeerList {
  template <class F>
  static void each(F&& f) {
    (f(std::type_identity<Peers>{}), ...);
  }
};
// Every peer with the plain lookup(x, y) interface; GEOS with pre-built points is handled beside.
using Peers = PeerList<Accelerated, Plain, GeosLookup, S2Lookup, BoostLookup>;

// The column order of the summary.
const std::vector<std::string>& peer_names() {
  static const std::vector<std::string> names = {
      std::string(Accelerated::kName), std::string(Plain::kName),
      std::string(GeosLookup::kName),  std::string(GeosPointsLookup::kName),
      std::string(S2Lookup::kName),    std::string(BoostLookup::kName)};
  return names;
}

struct Workload {
  const Dataset* data = nullptr;
  std::vector<PointSet> points{};
  std::vector<std::string> cross_checks{};  // one line per peer and point set
};

// Each peer is built once per dataset and kept for the whole run.
template <LookupPeer Peer>
const Peer& peer_for(const Dataset& d) {
  static std::map<const Dataset*, std::unique_ptr<Peer>> peers;
  auto& peer = peers[&d];
  if (!peer) peer = std::make_unique<Peer>(d.grids, d.finest_level);
  return *peer;
}

// 2M GEOS points take a few hundred MB, so only the set in use is held.
const GeosPointsLookup& geos_points_for(const Dataset& d, const PointSet& points) {
  static const PointSet* held = nullptr;
  static std::unique_ptr<GeosPointsLookup> lookup;
  if (held != &points) {
    lookup.reset();
    lookup = std::make_unique<GeosPointsLookup>(peer_for<GeosLookup>(d), points.x, points.y);
    held = &points;
  }
  return *lookup;
}

template <class Index>
std::optional<std::size_t> memory_bytes(const Index& index) {
  if constexpr (requires { index.memory_bytes(); }) {
    return index.memory_bytes();
  } else {
    return std::nullopt;  // this CellIndex has no memory accessor
  }
}

std::size_t vertices(const GridSet& grids, int only_level = -1) {
  std::size_t n = 0;
  for (const Cell& cell : grids.cells()) {
    if (only_level < 0 || cell.level == only_level) n += vertex_count(cell.geometry);
  }
  return n;
}

std::string lookup_name(const Workload& w, const PointSet& points, std::string_view peer) {
  return "lookup/" + w.data->name + "/" + points.name + "/" + std::string(peer);
}
std::string batch_name(const Workload& w, const PointSet& points, int threads) {
  return "batch/" + w.data->name + "/" + points.name + "/threads:" + std::to_string(threads);
}
std::string build_name(const Workload& w, std::string_view peer) {
  return "build/" + w.data->name + "/" + std::string(peer);
}

// --- Benchmarks -------------------------------------------------------------------------------

// One point per iteration, walking the set in order and wrapping around.
template <LookupPeer Peer>
void BM_Lookup(benchmark::State& state, const Dataset* d, const PointSet* points) {
  const Peer& peer = peer_for<Peer>(*d);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(peer.lookup(points->x[i], points->y[i]));
    if (++i == points->size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_LookupGeosPoints(benchmark::State& state, const Dataset* d, const PointSet* points) {
  const GeosPointsLookup& geos = geos_points_for(*d, *points);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(geos.lookup(i));
    if (++i == geos.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// libgrid's batch call over the whole set (the finest cell per point; no paths).
void BM_Batch(benchmark::State& state, const Dataset* d, const PointSet* points, int threads) {
  const CellIndex& index = peer_for<Accelerated>(*d).index();
  std::vector<CellId> out(points->size());
  for (auto _ : state) index.lookup(points->x, points->y, out, threads);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(points->size()));
}

// The same batch on an index built with Options::compact (smaller, boundary leaves split less).
void BM_BatchCompact(benchmark::State& state, const Dataset* d, const PointSet* points) {
  static std::map<const Dataset*, std::unique_ptr<CellIndex>> compact;
  auto& index = compact[d];
  if (index == nullptr) {
    index = std::make_unique<CellIndex>(d->grids, CellIndex::Options{.compact = true});
  }
  state.counters["bytes_per_vertex"] =
      static_cast<double>(index->memory_bytes()) / static_cast<double>(vertices(d->grids));
  std::vector<CellId> out(points->size());
  for (auto _ : state) index->lookup(points->x, points->y, out, 1);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(points->size()));
}

// Loading a saved index (CellIndex::load: copy, checksum, structure check) in a process where
// the file is in the page cache, as for a worker starting beside others.
void BM_Load(benchmark::State& state, const Dataset* d) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("libgrid_bench_" + d->name + ".lgi")).string();
  peer_for<Accelerated>(*d).index().save(path);
  for (auto _ : state) {
    CellIndex loaded = CellIndex::load(path);
    benchmark::DoNotOptimize(loaded.cell_count());
  }
  state.counters["file_mb"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
}

// Building from the GridSet, conversion to the peer's geometry included; teardown not timed.
template <LookupPeer Peer>
void BM_Build(benchmark::State& state, const Dataset* d) {
  for (auto _ : state) {
    auto peer = std::make_unique<Peer>(d->grids, d->finest_level);
    benchmark::DoNotOptimize(peer.get());
    state.PauseTiming();
    peer.reset();
    state.ResumeTiming();
  }
}

// --- Before timing ----------------------------------------------------------------------------

Workload make_workload(const Dataset& d, std::uint64_t seed,
                       const std::optional<AddressMixture>& mixture) {
  Workload w{&d};
  const Box extent = d.grids.extent();
  w.points.push_back(uniform_in_extent(extent, kPoints, seed));
  w.points.push_back(uniform_in_coverage(extent, peer_for<Plain>(d).index(), kPoints, seed + 1));
  if (mixture) w.points.push_back(clustered(extent, *mixture, kPoints, seed + 2));
  return w;
}

// The accelerated path must give the plain path's answer on every point, or nothing is timed.
bool libgrid_paths_agree(const Workload& w) {
  const CellIndex& accelerated = peer_for<Accelerated>(*w.data).index();
  const CellIndex& plain = peer_for<Plain>(*w.data).index();
  for (const PointSet& points : w.points) {
    std::vector<CellId> a(points.size()), b(points.size());
    accelerated.lookup(points.x, points.y, a, 0);
    plain.lookup(points.x, points.y, b, 0);
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] == b[i]) continue;
      std::printf(
          "skipping %s: libgrid accelerated says %d and plain says %d at (%.17g, %.17g) of "
          "%s\n",
          w.data->name.c_str(), a[i], b[i], points.x[i], points.y[i], points.name.c_str());
      return false;
    }
  }
  return true;
}

// Each peer against libgrid plain's answer for the peers' level, on the first 100k points.
void cross_check_peers(Workload& w, const PointSet& points) {
  const Dataset& d = *w.data;
  const CellIndex& plain = peer_for<Plain>(d).index();
  const std::size_t n = std::min(kCrossCheckPoints, points.size());
  std::vector<CellId> reference(n);
  for (std::size_t i = 0; i < n; ++i) {
    reference[i] = plain.lookup_level({points.x[i], points.y[i]}, d.finest_level);
  }
  const auto record = [&](std::string_view peer, const CrossCheck& check) {
    w.cross_checks.push_back(d.name + " " + points.name + " " + std::string(peer) + ": " +
                             describe(check));
    std::printf("cross-check %s\n", w.cross_checks.back().c_str());
  };
  Peers::each([&]<class P>(std::type_identity<P>) {
    if constexpr (!std::is_same_v<P, Plain>) {
      const P& peer = peer_for<P>(d);
      record(P::kName, cross_check(d.grids, points, reference, [&](std::size_t i) {
               // libgrid answers the deepest level holding the point; keep finest-level cells.
               const CellId c = peer.lookup(points.x[i], points.y[i]);
               return c != kNoCell && d.grids.cell(c).level == d.finest_level ? c : kNoCell;
             }));
    }
  });
  const GeosPointsLookup geos_points(peer_for<GeosLookup>(d), std::span(points.x).first(n),
                                     std::span(points.y).first(n));
  record(GeosPointsLookup::kName, cross_check(d.grids, points, reference, [&](std::size_t i) {
           return geos_points.lookup(i);
         }));
}

void register_benchmarks(const Workload& w) {
  const Dataset* d = w.data;
  for (const PointSet& points : w.points) {
    const PointSet* p = &points;
    Peers::each([&]<class P>(std::type_identity<P>) {
      benchmark::RegisterBenchmark(lookup_name(w, points, P::kName).c_str(), BM_Lookup<P>, d, p);
    });
    benchmark::RegisterBenchmark(lookup_name(w, points, GeosPointsLookup::kName).c_str(),
                                 BM_LookupGeosPoints, d, p);
  }
  for (const PointSet& points : w.points) {
    for (const int threads : {1, 2}) {
      benchmark::RegisterBenchmark(batch_name(w, points, threads).c_str(), BM_Batch, d, &points,
                                   threads)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
  Peers::each([&]<class P>(std::type_identity<P>) {
    benchmark::RegisterBenchmark(build_name(w, P::kName).c_str(), BM_Build<P>, d)
        ->Unit(benchmark::kMillisecond);
  });
  for (const PointSet& points : w.points) {
    benchmark::RegisterBenchmark(("batch_compact/" + d->name + "/" + points.name).c_str(),
                                 BM_BatchCompact, d, &points)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark(("load/" + d->name + "/libgrid_accelerated").c_str(), BM_Load, d)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

// --- Summary ----------------------------------------------------------------------------------

void print_dataset(const Dataset& d) {
  std::printf("%s: %zu cells in %zu levels, %zu vertices; peers index level %d (%zu cells)",
              d.name.c_str(), d.grids.size(), d.grids.levels().size(), vertices(d.grids),
              d.finest_level, d.grids.cells_of_level(d.finest_level).size());
  std::printf("; S2 took %zu cells as lax polygons\n", peer_for<S2Lookup>(d).lax_cells());
}

void print_lookups(const RecordingReporter& results, const std::deque<Workload>& workloads) {
  std::printf("\nLookup, one point at a time: million points/s (libgrid_accelerated / peer)\n");
  std::printf("%-15s %-17s", "dataset", "points");
  for (const auto& peer : peer_names()) std::printf(" %21s", peer.c_str());
  std::printf("\n");
  for (const Workload& w : workloads) {
    for (const PointSet& points : w.points) {
      const bool ran = std::any_of(peer_names().begin(), peer_names().end(), [&](const auto& peer) {
        return results.find(lookup_name(w, points, peer)).has_value();
      });
      if (!ran) continue;  // filtered out
      std::printf("%-15s %-17s", w.data->name.c_str(), points.name.c_str());
      const auto ours = results.find(lookup_name(w, points, Accelerated::kName));
      for (const auto& peer : peer_names()) {
        const auto theirs = results.find(lookup_name(w, points, peer));
        char cell[64] = "-";
        if (theirs && peer == Accelerated::kName) {
          std::snprintf(cell, sizeof cell, "%.2f", theirs->items_per_second / 1e6);
        } else if (theirs && ours) {
          std::snprintf(cell, sizeof cell, "%.2f (%.2fx)", theirs->items_per_second / 1e6,
                        ours->items_per_second / theirs->items_per_second);
        }
        std::printf(" %21s", cell);
      }
      std::printf("\n");
    }
  }
}

void print_batches(const RecordingReporter& results, const std::deque<Workload>& workloads) {
  std::printf("\nlibgrid batch lookup of 2M points: million points/s\n");
  std::printf("%-15s %-17s %10s %10s %9s %14s\n", "dataset", "points", "1 thread", "2 threads",
              "speed-up", "one at a time");
  for (const Workload& w : workloads) {
    for (const PointSet& points : w.points) {
      const auto one = results.find(batch_name(w, points, 1));
      const auto two = results.find(batch_name(w, points, 2));
      const auto single = results.find(lookup_name(w, points, Accelerated::kName));
      if (!one && !two) continue;
      const auto rate = [](const std::optional<Result>& r) {
        return r ? r->items_per_second / 1e6 : 0.0;
      };
      std::printf("%-15s %-17s %10.2f %10.2f %8.2fx %14.2f\n", w.data->name.c_str(),
                  points.name.c_str(), rate(one), rate(two),
                  one && two ? two->items_per_second / one->items_per_second : 0.0, rate(single));
    }
  }
}

void print_builds(const RecordingReporter& results, const std::deque<Workload>& workloads) {
  std::printf("\nIndex build, ms (libgrid indexes every level; peers the finest)\n");
  std::printf("%-15s", "dataset");
  Peers::each([&]<class P>(std::type_identity<P>) { std::printf(" %20s", P::kName.data()); });
  std::printf("\n");
  for (const Workload& w : workloads) {
    bool ran = false;
    Peers::each([&]<class P>(std::type_identity<P>) {
      ran = ran || results.find(build_name(w, P::kName)).has_value();
    });
    if (!ran) continue;  // filtered out
    std::printf("%-15s", w.data->name.c_str());
    Peers::each([&]<class P>(std::type_identity<P>) {
      const auto r = results.find(build_name(w, P::kName));
      if (r) {
        std::printf(" %20.1f", r->seconds_per_iteration * 1e3);
      } else {
        std::printf(" %20s", "-");
      }
    });
    std::printf("\n");
  }
  std::printf("\nIndex memory, bytes per polygon vertex\n");
  for (const Workload& w : workloads) {
    const Dataset& d = *w.data;
    const double all = static_cast<double>(vertices(d.grids));
    const double finest = static_cast<double>(vertices(d.grids, d.finest_level));
    const auto per_vertex = [&](const CellIndex& index) {
      const auto bytes = memory_bytes(index);
      char text[32] = "n/a";
      if (bytes) std::snprintf(text, sizeof text, "%.1f", static_cast<double>(*bytes) / all);
      return std::string(text);
    };
    std::printf("%-15s libgrid_accelerated %s, libgrid_plain %s, s2 (SpaceUsed) %.1f\n",
                d.name.c_str(), per_vertex(peer_for<Accelerated>(d).index()).c_str(),
                per_vertex(peer_for<Plain>(d).index()).c_str(),
                static_cast<double>(peer_for<S2Lookup>(d).memory_bytes()) / finest);
  }
}

void print_summary(const RecordingReporter& results, const std::deque<Workload>& workloads) {
  std::printf("\n=== Summary ===\n");
  for (const Workload& w : workloads) print_dataset(*w.data);
  std::printf("\nCross-check against libgrid plain (first %zu points of each set)\n",
              kCrossCheckPoints);
  for (const Workload& w : workloads) {
    for (const auto& line : w.cross_checks) std::printf("  %s\n", line.c_str());
  }
  print_lookups(results, workloads);
  print_batches(results, workloads);
  print_builds(results, workloads);
  for (const Workload& w : workloads) {
    if (w.data->grids.levels().size() > 1) {
      std::printf(
          "\nNote: on %s libgrid times lookup + path (all %zu levels); the peers answer "
          "the finest level only.\n",
          w.data->name.c_str(), w.data->grids.levels().size());
    }
  }
}

}  // namespace
}  // namespace libgrid::bench

int main(int argc, char** argv) {
  using namespace libgrid::bench;
  if (!initialize_benchmarks(&argc, argv)) return 1;

  const auto& datasets = available_datasets();
  if (datasets.empty()) {
    std::printf("no dataset is present: nothing to measure\n");
    return 0;
  }
  const auto mixture = fit_address_mixture(
      std::string(LIBGRID_SHARED_DATA_DIR) + "/nz_hamilton/nz_address_points.csv",
      kMixtureComponents, kSeed);
  std::deque<Workload> workloads;  // registered benchmarks point into it: a deque never moves
  for (std::size_t k = 0; k < datasets.size(); ++k) {
    Workload w = make_workload(datasets[k], kSeed + 100 * k, mixture);
    if (!libgrid_paths_agree(w)) continue;
    print_dataset(datasets[k]);
    for (const PointSet& points : w.points) cross_check_peers(w, points);
    // Points exactly on cell boundaries, checked but never timed: where the rules differ.
    const auto on_edges = cell_vertices(datasets[k].grids, datasets[k].finest_level,
                                        kCrossCheckPoints, kSeed + 100 * k + 3);
    cross_check_peers(w, on_edges);
    workloads.push_back(std::move(w));
    register_benchmarks(workloads.back());
  }

  return run_and_summarize(
      [&workloads](const RecordingReporter& results) { print_summary(results, workloads); });
}
