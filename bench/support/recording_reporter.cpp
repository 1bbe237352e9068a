#include "support/recording_reporter.h"

namespace libgrid::bench {

void RecordingReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.error_occurred || run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
    Result r;
    r.seconds_per_iteration = run.real_accumulated_time / static_cast<double>(run.iterations);
    for (const auto& [name, counter] : run.counters) {
      if (name == "items_per_second") {
        r.items_per_second = counter.value;
      } else {
        r.counters[name] = counter.value;
      }
    }
    results_[run.run_name.function_name] = r;
  }
  ConsoleReporter::ReportRuns(runs);
}

std::optional<Result> RecordingReporter::find(const std::string& name) const {
  const auto it = results_.find(name);
  if (it == results_.end()) return std::nullopt;
  return it->second;
}

bool initialize_benchmarks(int* argc, char** argv) {
  benchmark::Initialize(argc, argv);
  return !benchmark::ReportUnrecognizedArguments(*argc, argv);
}

int run_and_summarize(const std::function<void(const RecordingReporter&)>& summarize) {
  RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  summarize(reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace libgrid::bench
