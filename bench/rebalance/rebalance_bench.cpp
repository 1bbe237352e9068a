// The yearly adjustment of a street's grids after a year of drift, beside partitioning afresh.
//
// The street (libgrid/testing/synthetic_street.h, seed 1) is partitioned into grids of 300-500
// households along its roads. Three drifts (libgrid/testing/household_drift.h) follow: a new
// estate of 3,000 households to the north-east, a demolition of 1,500 to the south-west, and 5%
// growth everywhere. For each, rebalance of level "grid" (same band, the roads as barriers,
// seed 1) is timed on one core, and its report gives cells in band, households moved against
// the lower bound, core retention, cells touched and codes.
//
// Beside it, the street is partitioned afresh with the new weights. Its cells are matched to the
// old codes greedily by overlap area (largest overlap first, each old code used once; cells left
// over get new codes), and a household counts as moved when the matched code of its unit's new
// cell differs from the code of its unit's old cell, both found by CellIndex lookups. The same
// lookups recount rebalance's moves, as a check of its report, and count apart the moves of
// households in units there before the drift (a new estate's newcomers had no grid yet). A table
// closes the run.
#include <benchmark/benchmark.h>
#include <geos_c.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libgrid/index/cell_index.h"
#include "libgrid/partition/partition.h"
#include "libgrid/rebalance/rebalance.h"
#include "libgrid/testing/household_drift.h"
#include "libgrid/testing/synthetic_street.h"
#include "support/geos_geometry.h"
#include "support/recording_reporter.h"

namespace libgrid::bench {
namespace {

constexpr double kMinWeight = 300.0, kMaxWeight = 500.0;
constexpr const char* kLevel = "grid";

struct Drift {
  const char* name;
  testing::HouseholdDriftOptions options;
};
const std::array<Drift, 3> kDrifts = {{
    {"new_estate",
     {.kind = testing::HouseholdDrift::kNewEstate, .households = 3000, .corner_direction = {1, 1}}},
    {"demolition",
     {.kind = testing::HouseholdDrift::kDemolition,
      .households = 1500,
      .corner_direction = {-1, -1}}},
    {"growth", {.kind = testing::HouseholdDrift::kGrowth, .growth = 0.05}},
}};

const testing::SyntheticStreet& street() {
  static const testing::SyntheticStreet made = testing::make_synthetic_street();
  return made;
}

PartitionOptions grid_options() {
  PartitionOptions o;
  o.parent_level = "street";
  o.new_level = kLevel;
  o.min_weight = kMinWeight;
  o.max_weight = kMaxWeight;
  o.seed = 1;
  return o;
}

// The street and its grids before the drift, and an index of them.
struct Before {
  GridSet grids;
  CellIndex index;
};
const Before& before() {
  static const Before made = [] {
    GridSet grids = street().grids;
    partition(grids, street().units, street().roads, grid_options());
    CellIndex index(grids);
    return Before{std::move(grids), std::move(index)};
  }();
  return made;
}

const std::vector<Unit>& drifted(std::size_t k) {
  static std::array<std::optional<std::vector<Unit>>, kDrifts.size()> made;
  if (!made[k]) {
    made[k] = testing::drift_households(street().grids, street().units, kDrifts[k].options);
  }
  return *made[k];
}

int grid_level(const GridSet& grids) { return grids.level_index(kLevel); }

struct Moves {
  double moved = 0.0;
  double households = 0.0;
  double moved_residents = 0.0;  // of the units there before the drift (not a new estate's)
};

// Households of `units` whose cell at level "grid" has, after, another code than before.
// `code_after[id]` is the code a cell of `after` answers for; "" for none.
Moves count_moves(const std::vector<Unit>& units, const GridSet& after,
                  const std::vector<std::string>& code_after) {
  const Before& b = before();
  const CellIndex index(after);
  const int old_level = grid_level(b.grids), new_level = grid_level(after);
  Moves m;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    const CellId was = b.index.lookup_level(u.location, old_level);
    const CellId is = index.lookup_level(u.location, new_level);
    if (was == kNoCell && is == kNoCell) continue;
    m.households += u.weight;
    if (was == kNoCell || is == kNoCell ||
        b.grids.cell(was).code != code_after[static_cast<std::size_t>(is)]) {
      m.moved += u.weight;
      if (i < street().units.size()) m.moved_residents += u.weight;
    }
  }
  return m;
}

// GEOS, for the overlap areas of the fresh cells with the old ones.
class Overlaps {
 public:
  Overlaps() : ctx_(GEOS_init_r()) {}
  ~Overlaps() {
    for (GEOSGeometry* g : made_) GEOSGeom_destroy_r(ctx_, g);
    GEOS_finish_r(ctx_);
  }
  Overlaps(const Overlaps&) = delete;
  Overlaps& operator=(const Overlaps&) = delete;

  const GEOSGeometry* geometry(const MultiPolygon& area) {
    made_.push_back(to_geos(ctx_, area));
    return made_.back();
  }

  double overlap(const GEOSGeometry* a, const GEOSGeometry* b) {
    GEOSGeometry* both = GEOSIntersection_r(ctx_, a, b);
    double area = 0.0;
    if (both != nullptr) {
      GEOSArea_r(ctx_, both, &area);
      GEOSGeom_destroy_r(ctx_, both);
    }
    return area;
  }

 private:
  GEOSContextHandle_t ctx_;
  std::vector<GEOSGeometry*> made_;
};

// For every cell of `fresh` (by id), the old code it takes: greedy by overlap area, each old
// code once; "" for a cell left with none (a new code).
std::vector<std::string> match_codes(const GridSet& fresh) {
  const GridSet& old = before().grids;
  const std::vector<CellId> old_cells = old.cells_of_level(grid_level(old));
  const std::vector<CellId> new_cells = fresh.cells_of_level(grid_level(fresh));
  Overlaps geos;
  std::vector<const GEOSGeometry*> old_geometry;
  std::vector<Box> old_box;
  for (CellId id : old_cells) {
    old_geometry.push_back(geos.geometry(old.cell(id).geometry));
    old_box.push_back(envelope(old.cell(id).geometry));
  }
  struct Pair {
    double area;
    CellId fresh_cell;
    std::size_t old_cell;
  };
  std::vector<Pair> pairs;
  for (CellId id : new_cells) {
    const Box box = envelope(fresh.cell(id).geometry);
    const GEOSGeometry* g = geos.geometry(fresh.cell(id).geometry);
    for (std::size_t o = 0; o < old_cells.size(); ++o) {
      if (!box.intersects(old_box[o])) continue;
      const double area = geos.overlap(g, old_geometry[o]);
      if (area > 0.0) pairs.push_back({area, id, o});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.area > b.area; });
  std::vector<std::string> code(fresh.size());
  std::vector<bool> used(old_cells.size(), false);
  for (const Pair& p : pairs) {
    auto& taken = code[static_cast<std::size_t>(p.fresh_cell)];
    if (!taken.empty() || used[p.old_cell]) continue;
    taken = old.cell(old_cells[p.old_cell]).code;
    used[p.old_cell] = true;
  }
  return code;
}

std::vector<std::string> own_codes(const GridSet& grids) {
  std::vector<std::string> code;
  for (const Cell& c : grids.cells()) code.push_back(c.code);
  return code;
}

// The street partitioned afresh with the drifted weights, and its moves; made once per drift.
struct Fresh {
  PartitionSummary summary{};
  Moves moves{};
};
std::array<std::optional<Fresh>, kDrifts.size()> fresh_made;

// Partitions `grids` (a copy of the street alone) with drift k's weights; with `timed`, only the
// partition is timed.
Fresh make_fresh(std::size_t k, GridSet grids, benchmark::State* timed) {
  Fresh f;
  const PartitionReport report = partition(grids, drifted(k), street().roads, grid_options());
  if (timed != nullptr) timed->PauseTiming();
  f.summary = report.summary;
  f.moves = count_moves(drifted(k), grids, match_codes(grids));
  return f;
}

const Fresh& fresh(std::size_t k) {
  if (!fresh_made[k]) fresh_made[k] = make_fresh(k, street().grids, nullptr);
  return *fresh_made[k];
}

void BM_Fresh(benchmark::State& state, std::size_t k) {
  drifted(k);
  before();
  for (auto _ : state) {
    state.PauseTiming();
    GridSet grids = street().grids;
    state.ResumeTiming();
    fresh_made[k] = make_fresh(k, std::move(grids), &state);
    state.ResumeTiming();
  }
  const Fresh& f = *fresh_made[k];
  state.counters["cells"] = static_cast<double>(f.summary.cells);
  state.counters["in_band"] = static_cast<double>(f.summary.cells_in_band);
  state.counters["moved"] = f.moves.moved;
  state.counters["moved_residents"] = f.moves.moved_residents;
  state.counters["core_retention"] = 1.0 - f.moves.moved / f.moves.households;
}

void BM_Rebalance(benchmark::State& state, std::size_t k) {
  RebalanceOptions o;
  o.level = kLevel;
  o.min_weight = kMinWeight;
  o.max_weight = kMaxWeight;
  o.seed = 1;
  RebalanceReport report;
  GridSet grids;
  const std::vector<Unit>& units = drifted(k);
  for (auto _ : state) {
    state.PauseTiming();
    grids = before().grids;
    state.ResumeTiming();
    report = rebalance(grids, units, street().roads, o);
    benchmark::DoNotOptimize(grids);
  }
  const RebalanceTotals& t = report.totals;
  auto& c = state.counters;
  c["cells_before"] = static_cast<double>(t.cells_before);
  c["cells_after"] = static_cast<double>(t.cells_after);
  c["in_band_before"] = static_cast<double>(t.in_band_before);
  c["in_band_after"] = static_cast<double>(t.in_band_after);
  c["infeasible"] = static_cast<double>(report.infeasible.size());
  c["moved"] = t.moved;
  c["lower_bound"] = t.lower_bound;
  c["moved_per_bound"] = t.lower_bound > 0.0 ? t.moved / t.lower_bound : 0.0;
  c["core_retention"] = t.core_retention;
  c["cells_touched"] = static_cast<double>(t.cells_touched);
  c["boundary_changed"] = t.boundary_changed;
  c["codes_kept"] = static_cast<double>(t.codes_kept);
  c["codes_new"] = static_cast<double>(t.codes_new);
  c["codes_retired"] = static_cast<double>(t.codes_retired);
  // The same moves, recounted by looking the units up in the grids before and after.
  const Moves recount = count_moves(units, grids, own_codes(grids));
  c["moved_by_lookup"] = recount.moved;
  c["moved_residents"] = recount.moved_residents;
  const Fresh& f = fresh(k);
  c["fresh_moved"] = f.moves.moved;
  c["fresh_moved_residents"] = f.moves.moved_residents;
  c["fresh_core_retention"] = 1.0 - f.moves.moved / f.moves.households;
  c["fresh_per_rebalance"] = t.moved > 0.0 ? f.moves.moved / t.moved : 0.0;
}

std::string name(const char* what, std::size_t k) {
  return std::string(what) + "/" + kDrifts[k].name;
}

void print_table(const RecordingReporter& reporter) {
  std::printf("\nstreet: %zu units, %lld households, %zu roads; grids %.0f-%.0f, one core\n",
              street().units.size(), static_cast<long long>(street().grids.cell(0).households),
              street().roads.size(), kMinWeight, kMaxWeight);
  std::printf("%-11s %8s %13s %6s %8s %8s %6s %6s %8s %9s %9s %8s %8s\n", "drift", "seconds",
              "in band", "cells", "moved", "bound", "ratio", "core", "touched", "new/ret",
              "by lookup", "fresh", "fresh/rb");
  for (std::size_t k = 0; k < kDrifts.size(); ++k) {
    const auto run = reporter.find(name("rebalance", k));
    if (!run) continue;
    const std::map<std::string, double>& c = run->counters;
    const std::string band = std::to_string(static_cast<int>(c.at("in_band_before"))) + "->" +
                             std::to_string(static_cast<int>(c.at("in_band_after"))) + "/" +
                             std::to_string(static_cast<int>(c.at("cells_after")));
    const std::string codes = std::to_string(static_cast<int>(c.at("codes_new"))) + "/" +
                              std::to_string(static_cast<int>(c.at("codes_retired")));
    std::printf("%-11s %8.3f %13s %6.0f %8.0f %8.0f %6.2f %6.3f %8.0f %9s %9.0f %8.0f %8.1f\n",
                kDrifts[k].name, run->seconds_per_iteration, band.c_str(), c.at("cells_after"),
                c.at("moved"), c.at("lower_bound"), c.at("moved_per_bound"), c.at("core_retention"),
                c.at("cells_touched"), codes.c_str(), c.at("moved_by_lookup"), c.at("fresh_moved"),
                c.at("fresh_per_rebalance"));
  }
  for (std::size_t k = 0; k < kDrifts.size(); ++k) {
    const auto run = reporter.find(name("rebalance", k));
    if (!run) continue;
    const double rb = run->counters.at("moved_residents");
    const double fr = run->counters.at("fresh_moved_residents");
    std::printf("%s: households of units there before moved: rebalance %.0f, fresh %.0f (%.1fx)\n",
                kDrifts[k].name, rb, fr, rb > 0.0 ? fr / rb : 0.0);
  }
  for (std::size_t k = 0; k < kDrifts.size(); ++k) {
    const auto run = reporter.find(name("fresh", k));
    if (!run) continue;
    std::printf(
        "fresh partition after %s: %.2f s, %.0f of %.0f cells in band, core retention %.3f\n",
        kDrifts[k].name, run->seconds_per_iteration, run->counters.at("in_band"),
        run->counters.at("cells"), run->counters.at("core_retention"));
  }
}

}  // namespace
}  // namespace libgrid::bench

int main(int argc, char** argv) {
  using namespace libgrid::bench;
  if (!initialize_benchmarks(&argc, argv)) return 1;
  for (std::size_t k = 0; k < kDrifts.size(); ++k) {
    benchmark::RegisterBenchmark(name("fresh", k).c_str(), BM_Fresh, k)
        ->Unit(benchmark::kSecond)
        ->Iterations(1);
    benchmark::RegisterBenchmark(name("rebalance", k).c_str(), BM_Rebalance, k)
        ->Unit(benchmark::kSecond)
        ->Iterations(1);
  }
  return run_and_summarize(print_table);
}
