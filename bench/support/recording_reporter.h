// The console reporter, plus a record of every result by benchmark name, so a summary (ratios
// between implementations) can be printed once all benchmarks have run.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace libgrid::bench {

struct Result {
  double items_per_second = 0.0;  // 0 when the benchmark sets no item count
  double seconds_per_iteration = 0.0;
  std::map<std::string, double> counters{};
};

class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;

  // By the name given to RegisterBenchmark (no "/min_time:" or "/real_time" suffixes);
  // nullopt when it did not run (filtered out or failed).
  std::optional<Result> find(const std::string& name) const;

 private:
  std::map<std::string, Result> results_;
};

// The start of every benchmark binary's main(): Google Benchmark takes its flags out of argv;
// false (after saying so) when an argument is left that it does not know.
bool initialize_benchmarks(int* argc, char** argv);

// The end of every benchmark binary's main(), once its benchmarks are registered: runs them
// with a RecordingReporter, then `summarize` (the table of ratios) on what it recorded.
int run_and_summarize(const std::function<void(const RecordingReporter&)>& summarize);

}  // namespace libgrid::bench
