// Partition of a street into grids and micro-grids, beside the two usual recipes.
//
// The street (libgrid/testing/synthetic_street.h, seed 1): 50,000 households in 10,000 units
// clustered in compounds, arterial roads, a river and side streets. Level 1 cuts the street into
// grids of 300-500 households (about 120), level 2 each grid into micro-grids of 30-50 (about
// 1,200), both along the roads. Each level is timed on one core, and the same number of cells
// per parent is made by a clipped square grid and by k-means + Voronoi (partition_baselines),
// timed too. A table of cells in band, max deviation and compactness closes the run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "libgrid/partition/partition.h"
#include "libgrid/testing/synthetic_street.h"
#include "support/recording_reporter.h"

namespace libgrid::bench {
namespace {

struct Level {
  const char* name;  // of the new level
  const char* parent;
  double min_weight, max_weight;
};
constexpr Level kLevels[] = {{"grid", "street", 300, 500}, {"microgrid", "grid", 30, 50}};

const testing::SyntheticStreet& street() {
  static const testing::SyntheticStreet made = testing::make_synthetic_street();
  return made;
}

PartitionOptions options(const Level& level) {
  PartitionOptions o;
  o.parent_level = level.parent;
  o.new_level = level.name;
  o.min_weight = level.min_weight;
  o.max_weight = level.max_weight;
  o.seed = 1;
  return o;
}

// The grid set before level k (k = 0: the street alone), made once.
const GridSet& before(std::size_t k) {
  static std::vector<GridSet> sets = [] {
    std::vector<GridSet> made{street().grids};
    for (const Level& level : kLevels) {
      GridSet next = made.back();
      partition(next, street().units, street().roads, options(level));
      made.push_back(std::move(next));
    }
    return made;
  }();
  return sets[k];
}

void put_summary(benchmark::State& state, const std::string& prefix, const PartitionSummary& s) {
  state.counters[prefix + "cells"] = static_cast<double>(s.cells);
  state.counters[prefix + "in_band"] = static_cast<double>(s.cells_in_band);
  state.counters[prefix + "min_weight"] = s.min_weight;
  state.counters[prefix + "max_weight"] = s.max_weight;
  state.counters[prefix + "max_deviation"] = s.max_deviation;
  state.counters[prefix + "polsby_popper"] = s.mean_polsby_popper;
  state.counters[prefix + "barrier_share"] = s.mean_barrier_share;
}

void BM_Partition(benchmark::State& state, std::size_t k) {
  PartitionReport report;
  for (auto _ : state) {
    state.PauseTiming();
    GridSet grids = before(k);
    state.ResumeTiming();
    report = partition(grids, street().units, street().roads, options(kLevels[k]));
    benchmark::DoNotOptimize(grids);
  }
  put_summary(state, "", report.summary);
  state.counters["infeasible"] = static_cast<double>(report.infeasible.size());
}

void BM_Baselines(benchmark::State& state, std::size_t k) {
  std::vector<PartitionSummary> baselines;
  for (auto _ : state) {
    baselines =
        partition_baselines(before(k + 1), street().units, street().roads, options(kLevels[k]));
  }
  for (std::size_t b = 0; b < baselines.size(); ++b) {
    put_summary(state, b == 0 ? "square_" : "kmeans_", baselines[b]);
  }
}

std::string name(const char* what, std::size_t k) {
  return std::string(what) + "/" + kLevels[k].parent + "_to_" + kLevels[k].name;
}

void print_table(const RecordingReporter& reporter) {
  std::printf("\nstreet: %zu units, %.0f households, %zu roads\n", street().units.size(),
              static_cast<double>(street().grids.cell(0).households), street().roads.size());
  for (std::size_t k = 0; k < std::size(kLevels); ++k) {
    const auto run = reporter.find(name("partition", k));
    const auto base = reporter.find(name("baselines", k));
    if (!run) continue;
    std::printf("\n%s -> %s, band %.0f-%.0f, one core\n", kLevels[k].parent, kLevels[k].name,
                kLevels[k].min_weight, kLevels[k].max_weight);
    std::printf("%-18s %9s %6s %8s %7s %7s %8s %8s %9s\n", "method", "seconds", "cells", "in band",
                "min", "max", "max dev", "mean PP", "barriers");
    auto row = [](const char* method, double seconds, const std::map<std::string, double>& c,
                  const std::string& p, bool barriers) {
      std::printf("%-18s %9.2f %6.0f %8.0f %7.0f %7.0f %8.0f %8.3f", method, seconds,
                  c.at(p + "cells"), c.at(p + "in_band"), c.at(p + "min_weight"),
                  c.at(p + "max_weight"), c.at(p + "max_deviation"), c.at(p + "polsby_popper"));
      if (barriers) std::printf(" %8.1f%%", 100.0 * c.at(p + "barrier_share"));
      std::printf("\n");
    };
    row("libgrid", run->seconds_per_iteration, run->counters, "", true);
    if (base) {
      row("square grid", base->seconds_per_iteration / 2, base->counters, "square_", false);
      row("k-means + Voronoi", base->seconds_per_iteration / 2, base->counters, "kmeans_", false);
    }
  }
  std::printf("\n(the two baselines are timed together; each row shows half)\n");
}

}  // namespace
}  // namespace libgrid::bench

int main(int argc, char** argv) {
  using namespace libgrid::bench;
  if (!initialize_benchmarks(&argc, argv)) return 1;
  for (std::size_t k = 0; k < std::size(kLevels); ++k) {
    benchmark::RegisterBenchmark(name("partition", k).c_str(), BM_Partition, k)
        ->Unit(benchmark::kSecond)
        ->Iterations(1);
    benchmark::RegisterBenchmark(name("baselines", k).c_str(), BM_Baselines, k)
        ->Unit(benchmark::kSecond)
        ->Iterations(1);
  }
  return run_and_summarize(print_table);
}
