// Lookup in an index of two boundary versions against an index of one: the same points, the
// same cells answered, peers in the same run. Two synthetic cities of the same levels (seeds 1
// and 2, every cell reshaped: the largest history of two versions) make the history.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/testing/synthetic_city.h"

namespace libgrid::bench {
namespace {

constexpr std::size_t kPoints = 1 << 20;
const LocalMinutes kSecondStarts = LocalMinutes{20454} * 1440;  // 2026-01-01

struct Fixture {
  GridSet first, second, history;
  std::unique_ptr<CellIndex> single, two;
  std::vector<double> x, y;
  std::vector<LocalMinutes> in_second, mixed;

  explicit Fixture(int microgrids) {
    first = testing::make_synthetic_city({.seed = 1, .microgrids = microgrids});
    second = testing::make_synthetic_city({.seed = 2, .microgrids = microgrids});
    history = first;
    history.add_version(std::chrono::sys_days{std::chrono::days{20454}}, second);
    single = std::make_unique<CellIndex>(second);
    two = std::make_unique<CellIndex>(history);
    const Box b = second.extent();
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> ux(b.min_x, b.max_x), uy(b.min_y, b.max_y);
    std::bernoulli_distribution coin(0.5);
    for (std::size_t i = 0; i < kPoints; ++i) {
      x.push_back(ux(rng));
      y.push_back(uy(rng));
      in_second.push_back(kSecondStarts + 600);
      mixed.push_back(coin(rng) ? kSecondStarts + 600 : kSecondStarts - 600);
    }
  }
};

Fixture& fixture(int microgrids) {
  static std::map<int, std::unique_ptr<Fixture>> made;
  auto& f = made[microgrids];
  if (!f) f = std::make_unique<Fixture>(microgrids);
  return *f;
}

void report(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPoints));
  state.counters["index_MB"] = static_cast<double>(bytes) / 1e6;
}

// One version, no times: today's lookup.
void BM_OneVersion(benchmark::State& state) {
  Fixture& f = fixture(static_cast<int>(state.range(0)));
  std::vector<CellId> out(kPoints);
  for (auto _ : state) {
    f.single->lookup(f.x, f.y, out, 1);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, f.single->memory_bytes());
}

// Two versions, every point's time in the second: the version's own trees, after a binary search
// per point.
void BM_TwoVersionsAtTimes(benchmark::State& state) {
  Fixture& f = fixture(static_cast<int>(state.range(0)));
  std::vector<CellId> out(kPoints);
  for (auto _ : state) {
    f.two->lookup(f.x, f.y, f.in_second, out, 1);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, f.two->memory_bytes());
}

// Two versions, times either side of the date at random: points gathered per version.
void BM_TwoVersionsMixedTimes(benchmark::State& state) {
  Fixture& f = fixture(static_cast<int>(state.range(0)));
  std::vector<CellId> out(kPoints);
  for (auto _ : state) {
    f.two->lookup(f.x, f.y, f.mixed, out, 1);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, f.two->memory_bytes());
}

// Two versions, no times: the latest.
void BM_TwoVersionsLatest(benchmark::State& state) {
  Fixture& f = fixture(static_cast<int>(state.range(0)));
  std::vector<CellId> out(kPoints);
  for (auto _ : state) {
    f.two->lookup(f.x, f.y, out, 1);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, f.two->memory_bytes());
}

BENCHMARK(BM_OneVersion)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwoVersionsAtTimes)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwoVersionsMixedTimes)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwoVersionsLatest)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace libgrid::bench

BENCHMARK_MAIN();
