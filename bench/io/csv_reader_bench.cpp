// libgrid's CSV reader against GDAL's CSV driver, on what gridtool assign reads.
//
// The file is one million seeded points in the synthetic city's extent (libgrid/testing, seed 1,
// 20,000 micro-grids) with an id, an event class and a time, as an event feed has them.
//
// - gdal/read_xy: GDAL's CSV driver (OGR) opens the file and reads every feature's x and y as
//   numbers: the least a GDAL-based assign would do before any lookup.
// - libgrid/read_xy: CsvTable::read and the coordinates of every row, the whole-file reader.
// - libgrid/assign_csv/threads:1: the whole assign job on one thread: the streaming reader, the
//   lookup at every level and the output file with a code per level.
//
// The summary prints how many times longer GDAL takes to read the points than libgrid takes to
// read them, and than libgrid takes for the whole job.
#include <benchmark/benchmark.h>
#include <gdal.h>
#include <ogr_api.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

#include "libgrid/assign/assign_csv.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/testing/synthetic_city.h"
#include "support/recording_reporter.h"

namespace libgrid::bench {
namespace {

constexpr std::size_t kPoints = 1'000'000;

struct Fixture {
  GridSet grids;
  CellIndex index;
  std::string csv_path;
  std::string output_path;

  static Fixture& get() {
    static Fixture fixture = make();
    return fixture;
  }

  static Fixture make() {
    GridSet grids = testing::make_synthetic_city({.seed = 1, .microgrids = 20000});
    CellIndex index(grids);
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const Box extent = grids.extent();
    const char* classes[] = {"0101", "0503", "0102", "0504", "0105", "0402"};
    std::string csv = "event_id,x,y,event_class,reported_at\n";
    for (std::size_t i = 0; i < kPoints; ++i) {
      const double x = extent.min_x + unit(rng) * (extent.max_x - extent.min_x);
      const double y = extent.min_y + unit(rng) * (extent.max_y - extent.min_y);
      char line[128];
      std::snprintf(line, sizeof line, "%zu,%.2f,%.2f,%s,2026-%02d-%02dT%02d:%02d\n", i + 1, x, y,
                    classes[rng() % std::size(classes)], static_cast<int>(1 + rng() % 12),
                    static_cast<int>(1 + rng() % 28), static_cast<int>(rng() % 24),
                    static_cast<int>(rng() % 60));
      csv += line;
    }
    const auto dir = std::filesystem::temp_directory_path();
    const std::string path = (dir / "libgrid_csv_reader_bench.csv").string();
    std::ofstream(path, std::ios::binary) << csv;
    return Fixture{std::move(grids), std::move(index), path,
                   (dir / "libgrid_csv_reader_bench.out.csv").string()};
  }
};

void BM_GdalReadXy(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  GDALAllRegister();
  const char* const drivers[] = {"CSV", nullptr};
  double sum = 0.0;
  for (auto _ : state) {
    GDALDatasetH ds = GDALOpenEx(f.csv_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                                 nullptr, nullptr);
    if (ds == nullptr) throw std::runtime_error("GDAL cannot open " + f.csv_path);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int x = OGR_FD_GetFieldIndex(defn, "x");
    const int y = OGR_FD_GetFieldIndex(defn, "y");
    while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
      sum += OGR_F_GetFieldAsDouble(feature, x) + OGR_F_GetFieldAsDouble(feature, y);
      OGR_F_Destroy(feature);
    }
    GDALClose(ds);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kPoints));
}

void BM_LibgridReadXy(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  double sum = 0.0;
  for (auto _ : state) {
    const CsvTable table = CsvTable::read(f.csv_path);
    const int x = table.require_column("x");
    const int y = table.require_column("y");
    for (std::size_t i = 0; i < table.row_count(); ++i) {
      sum += table.coordinate(i, x) + table.coordinate(i, y);
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kPoints));
}

void BM_LibgridAssignCsv(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  AssignCsvOptions options;
  options.points_path = f.csv_path;
  options.output_path = f.output_path;
  options.threads = 1;
  std::int64_t rows = 0;
  for (auto _ : state) rows = assign_csv(f.grids, f.index, options).rows;
  std::filesystem::remove(f.output_path);
  state.counters["rows"] = static_cast<double>(rows);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kPoints));
}

void print_ratios(const RecordingReporter& reporter) {
  const auto gdal = reporter.find("gdal/read_xy");
  const auto read = reporter.find("libgrid/read_xy");
  const auto assign = reporter.find("libgrid/assign_csv/threads:1");
  if (!gdal) return;
  std::printf("\n%zu points, one core; GDAL's CSV driver reading x and y takes\n", kPoints);
  if (read) {
    std::printf("  %.1fx the time of libgrid's CsvTable reading them\n",
                gdal->seconds_per_iteration / read->seconds_per_iteration);
  }
  if (assign) {
    std::printf("  %.1fx the time of libgrid's whole assign job (read, look up, write codes)\n",
                gdal->seconds_per_iteration / assign->seconds_per_iteration);
  }
}

}  // namespace
}  // namespace libgrid::bench

int main(int argc, char** argv) {
  using namespace libgrid::bench;
  if (!initialize_benchmarks(&argc, argv)) return 1;
  benchmark::RegisterBenchmark("gdal/read_xy", BM_GdalReadXy)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("libgrid/read_xy", BM_LibgridReadXy)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("libgrid/assign_csv/threads:1", BM_LibgridAssignCsv)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  return run_and_summarize(print_ratios);
}
