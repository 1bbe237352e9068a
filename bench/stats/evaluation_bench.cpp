// Evaluation (考核) of a million events, beside reading them.
//
// The city is the synthetic city (libgrid/testing/synthetic_city.h, seed 1, 20,000 micro-grids)
// with a grid worker per grid, the sample city's duty table (data/samples/duty.csv: every
// deadline unit) and the 2026 public holidays and make-up days. One million events, seeded, lie
// uniformly in the city's extent (some outside it), reported across 2026 on weekday hours;
// most are closed within a few working days, some are open, some were reworked.
//
// BM_Evaluate times libgrid::evaluate (lookup on every core, resolution, due times, the groups,
// medians) by grid, worker and department. BM_ReadEventsCsv times reading the same events from a
// CSV file: CsvTable::read, what gridtool assign does before any work, and read_events_csv,
// which also parses the times.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "libgrid/index/cell_index.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/io/events_csv.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/stats/evaluation.h"
#include "libgrid/testing/synthetic_city.h"

namespace libgrid::bench {
namespace {

constexpr std::size_t kEvents = 1'000'000;

struct Fixture {
  GridSet grids;
  CellIndex index;
  EventTable events;
  std::string csv_path;

  static Fixture& get() {
    static Fixture fixture = make();
    return fixture;
  }

  static Fixture make() {
    GridSet grids = testing::make_synthetic_city({.seed = 1, .microgrids = 20000});
    const int grid_level = grids.level_index("grid");
    for (const CellId id : grids.cells_of_level(grid_level)) {
      const std::string& code = grids.cell(id).code;
      grids.roster().entries.push_back(
          {code, Role::kGridWorker, {"P" + code, "网格员" + code.substr(code.size() - 6), ""}});
    }
    grids.duty_table().rules = {
        {"01", "市容环境", "城管执法局", "street", 3, DeadlineUnit::kWorkingDays},
        {"0101", "暴露垃圾", "城管执法局", "grid", 2, DeadlineUnit::kWorkingHours},
        {"0102", "积存垃圾渣土", "城管执法局", "community", 1, DeadlineUnit::kWorkingDays},
        {"0105", "露天焚烧", "生态环境局", "street", 2, DeadlineUnit::kUrgentHours},
        {"0304", "违法建设", "城管执法局", "district", 30, DeadlineUnit::kCalendarDays},
        {"0402", "供水管道破裂", "水务局", "district", 4, DeadlineUnit::kUrgentHours},
        {"0503", "机动车乱停放", "交通支队", "grid", 2, DeadlineUnit::kWorkingHours},
        {"0504", "非机动车乱停放", "街道办事处", "grid", 1, DeadlineUnit::kWorkingDays},
    };
    for (const auto& [first, last] : {std::pair{"2026-01-01", "2026-01-03"},
                                      {"2026-02-15", "2026-02-23"},
                                      {"2026-04-04", "2026-04-06"},
                                      {"2026-05-01", "2026-05-05"},
                                      {"2026-06-19", "2026-06-21"},
                                      {"2026-09-25", "2026-09-27"},
                                      {"2026-10-01", "2026-10-07"}}) {
      for (auto d = *parse_date(first); d <= *parse_date(last); d += std::chrono::days(1)) {
        grids.calendar().set(d, DayKind::kHoliday);
      }
    }
    for (const char* d :
         {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}) {
      grids.calendar().set(*parse_date(d), DayKind::kWorkday);
    }
    CellIndex index(grids);

    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const Box extent = grids.extent();
    const char* classes[] = {"0101", "0101", "0503", "0503", "0102", "0504",
                             "0105", "0402", "0304", "01",   "0601"};
    const LocalMinutes year = *parse_local_time("2026-01-01T00:00");
    EventTable events;
    events.source = "bench";
    std::string csv = "event_id,x,y,event_class,reported_at,closed_at,reopened\n";
    for (std::size_t i = 0; i < kEvents; ++i) {
      const double x = extent.min_x + unit(rng) * (extent.max_x - extent.min_x);
      const double y = extent.min_y + unit(rng) * (extent.max_y - extent.min_y);
      const char* c = classes[rng() % std::size(classes)];
      const LocalMinutes reported =
          year + static_cast<LocalMinutes>(rng() % 300) * 1440 + 480 + rng() % 600;
      const double r = unit(rng);
      const LocalMinutes closed = r < 0.05 ? kStillOpen : reported + 30 + rng() % (5 * 1440);
      const int reopened = unit(rng) < 0.07 ? 1 : 0;
      events.event_id.push_back(std::to_string(i + 1));
      events.x.push_back(x);
      events.y.push_back(y);
      events.event_class.push_back(c);
      events.reported_at.push_back(reported);
      events.closed_at.push_back(closed);
      events.reopened.push_back(reopened);
      char line[160];
      std::snprintf(line, sizeof line, "%zu,%.1f,%.1f,%s,%s,%s,%d\n", i + 1, x, y, c,
                    format_local_time(reported).c_str(),
                    closed == kStillOpen ? "" : format_local_time(closed).c_str(), reopened);
      csv += line;
    }
    const std::string path =
        (std::filesystem::temp_directory_path() / "libgrid_stats_bench_events.csv").string();
    std::ofstream(path, std::ios::binary) << csv;
    return Fixture{std::move(grids), std::move(index), std::move(events), path};
  }
};

void BM_Evaluate(benchmark::State& state, const char* by) {
  Fixture& f = Fixture::get();
  EvaluationOptions options;
  options.by = by;
  options.to = *parse_date("2026-12-31");
  std::int64_t evaluated = 0;
  for (auto _ : state) {
    const Evaluation e = evaluate(f.grids, f.index, f.events, options);
    evaluated = e.total.events;
    benchmark::DoNotOptimize(e.groups.data());
  }
  state.counters["events"] = static_cast<double>(kEvents);
  state.counters["evaluated"] = static_cast<double>(evaluated);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEvents));
}
BENCHMARK_CAPTURE(BM_Evaluate, by_grid, "grid")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Evaluate, by_worker, "worker")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Evaluate, by_department, "department")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ReadCsvTable(benchmark::State& state) {
  Fixture& f = Fixture::get();
  for (auto _ : state) {
    const CsvTable table = CsvTable::read(f.csv_path);
    benchmark::DoNotOptimize(table.row_count());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEvents));
}
BENCHMARK(BM_ReadCsvTable)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadEventsCsv(benchmark::State& state) {
  Fixture& f = Fixture::get();
  for (auto _ : state) {
    const EventTable events = read_events_csv(f.csv_path);
    benchmark::DoNotOptimize(events.x.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEvents));
}
BENCHMARK(BM_ReadEventsCsv)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace libgrid::bench

BENCHMARK_MAIN();
