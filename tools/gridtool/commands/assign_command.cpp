#include <algorithm>
#include <cstdio>
#include <optional>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "gridtool/progress.h"
#include "gridtool/table.h"
#include "libgrid/assign/assign_csv.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/calendar_csv.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/gzip_name.h"
#include "libgrid/io/stream_names.h"
#include "libgrid/thread_count.h"

namespace gridtool {
namespace {

using libgrid::CellId;

// The command line, refused before any work unless it names the grid set, points and output.
Arguments read_arguments(const std::vector<std::string>& args) {
  Arguments a({{"points", 'p'},
               {"output", 'o'},
               {"x"},
               {"y"},
               {"crs"},
               {"class"},
               {"time"},
               {"top"},
               {"top-level"},
               {"threads"},
               {"index"},
               {"calendar"},
               {"direct-io"},
               {"no-progress", '\0', false},
               {"chunk-bytes"}},  // not in --help: tests cut files into tiny chunks
              args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  a.required("points");
  a.required("output");
  a.one_standard_input({"points", "calendar"});
  return a;
}

// The level whose cells the summary lists: --top-level, else grid, else the finest.
std::string summary_level(const libgrid::GridSet& grids, const Arguments& a) {
  const std::string fallback = grids.level_index("grid") >= 0 ? "grid" : grids.levels().back();
  const std::string name = a.value("top-level", fallback);
  grids.require_level(name, "top_level");
  return name;
}

// --direct-io: auto, always or never.
libgrid::OutputIo output_io(const Arguments& a) {
  const std::string when = a.value("direct-io", "auto");
  if (when == "auto") return libgrid::OutputIo::kAuto;
  if (when == "always") return libgrid::OutputIo::kDirect;
  if (when == "never") return libgrid::OutputIo::kBuffered;
  throw UsageError("--direct-io must be auto, always or never, not '" + when + "'");
}

// What libgrid::assign_csv reads and writes, from the command line; the rows go to
// `temporary_path` until the output is committed.
libgrid::AssignCsvOptions assign_options(const Arguments& a, int threads,
                                         const std::string& temporary_path) {
  const auto requested = [&](const std::string& option) {
    return a.has(option) ? std::optional<std::string>(a.value(option)) : std::nullopt;
  };
  libgrid::AssignCsvOptions options;
  options.points_path = a.value("points");
  options.output_path = temporary_path;
  options.output_name = a.value("output");
  options.gzip_output = libgrid::is_gzip_name(a.value("output"));
  options.x_column = requested("x");
  options.y_column = requested("y");
  options.class_column = requested("class");
  options.time_column = requested("time");
  options.crs = a.value("crs");
  options.threads = threads;
  options.chunk_bytes = static_cast<std::size_t>(a.integer("chunk-bytes", 1 << 20, 1, 1LL << 30));
  if (a.has("calendar")) options.calendar = libgrid::read_calendar_csv(a.value("calendar"));
  options.output_io = output_io(a);
  return options;
}

// Points per level (and not covered), then the rows that deserve a note.
void print_levels(const libgrid::GridSet& grids, const libgrid::AssignCsvSummary& counts,
                  std::ostream& report) {
  const auto n = counts.rows;
  const auto& levels = grids.levels();
  std::vector<long long> points(levels.size(), 0), hit(levels.size(), 0);
  for (std::size_t id = 0; id < grids.size(); ++id) {
    const auto l = static_cast<std::size_t>(grids.cells()[id].level);
    points[l] += counts.per_cell[id];
    hit[l] += counts.per_cell[id] > 0;
  }
  Table table({"level", "cells hit", "points", "share"});
  for (std::size_t l = 0; l < levels.size(); ++l) {
    table.add_row({levels[l], format_count(hit[l]), format_count(points[l]),
                   format_percent(n ? double(points[l]) / n : 0.0)});
  }
  table.add_row({"not covered", "", format_count(counts.not_covered),
                 format_percent(n ? double(counts.not_covered) / n : 0.0)});
  table.print(report);
  if (counts.empty_coordinates > 0) {
    report << '\n'
           << format_count(counts.empty_coordinates)
           << " points have no coordinates: kept, not covered\n";
  }
  if (counts.with_duty && counts.without_rule > 0) {
    report << '\n'
           << format_count(counts.without_rule)
           << " points have an event class with no duty rule\n";
  }
}

// The `top` cells of `level_name` with the most points, of those that have any (every cell when
// `top` is 0), with their rate per 100 households and grid worker.
void print_top_cells(const libgrid::GridSet& grids, const libgrid::AssignCsvSummary& counts,
                     const std::string& level_name, int top, std::ostream& report) {
  const auto points_of = [&](CellId id) { return counts.per_cell[static_cast<std::size_t>(id)]; };
  std::vector<CellId> cells = grids.cells_of_level(grids.level_index(level_name));
  std::stable_sort(cells.begin(), cells.end(),
                   [&](CellId p, CellId q) { return points_of(p) > points_of(q); });
  if (top > 0) {
    // The top of the cells that have points: cells of none rank nowhere.
    const auto without =
        std::find_if(cells.begin(), cells.end(), [&](CellId id) { return points_of(id) == 0; });
    cells.erase(without, cells.end());
    if (cells.size() > static_cast<std::size_t>(top)) cells.resize(static_cast<std::size_t>(top));
    if (cells.empty()) {
      report << "\nno cell of level " << level_name << " has points\n";
      return;
    }
  }
  report << '\n'
         << (top > 0 ? "top " + std::to_string(cells.size()) : std::string("all"))
         << " cells of level " << level_name << " by points:\n";
  Table table({"code", "name", "points", "households", "per 100 households", "grid worker"});
  table.text_column(5);
  const libgrid::ResponsibilityResolver resolver(grids);
  for (const CellId id : cells) {
    const auto& c = grids.cell(id);
    const long long points = points_of(id);
    char rate[32] = "-";
    if (c.households > 0) std::snprintf(rate, sizeof rate, "%.1f", 100.0 * points / c.households);
    // The grid worker the cell's rows get: its own, else that of the finest cell above it that
    // has one (a micro-grid's is its grid's).
    const libgrid::Responsibility answer = resolver.resolve(id, "");
    table.add_row({c.code, c.name, format_count(points), format_count(c.households), rate,
                   answer.grid_worker_cell == libgrid::kNoCell ? "-" : answer.grid_worker.name});
  }
  table.print(report);
}

int run_assign(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a = read_arguments(args);
  const std::string& grid_set_path = a.positional()[0];
  const std::string points_path = a.value("points"), output_path = a.value("output");
  const int top = static_cast<int>(a.integer("top", 10, 0, 1000000000));
  const int threads = static_cast<int>(a.integer("threads", 0, 0, libgrid::kMaxThreads));

  const libgrid::GridSet grids = libgrid::read_grid_set(grid_set_path);
  // The summary's level and the output are checked before the work: a usage error found after
  // the output is committed would leave it behind.
  const std::string top_level = summary_level(grids, a);
  libgrid::AtomicOutput output(output_path,
                               {grid_set_path, points_path, a.value("index"), a.value("calendar")},
                               libgrid::AtomicOutput::Temporary::kUnnamed);
  libgrid::AssignCsvOptions options = assign_options(a, threads, output.temporary_path());
  const libgrid::CellIndex index = a.has("index")
                                       ? libgrid::CellIndex::load(a.value("index"), grids)
                                       : libgrid::CellIndex(grids);

  Progress progress(err, "assigning", 0, !a.has("no-progress") && Progress::stderr_is_terminal(),
                    Progress::kBytes);
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (total == 0) {
      progress.set_open_ended();  // a pipe: what is read and the rate
    } else {
      progress.set_total(total);
    }
    progress.update(done);
  };
  const libgrid::AssignCsvSummary counts = libgrid::assign_csv(grids, index, options);
  progress.finish();
  output.commit(out);

  // With the rows on standard output, the summary goes to standard error.
  std::ostream& report = output.to_standard_output() ? err : out;
  report << "assigned " << format_count(static_cast<long long>(counts.rows))
         << (counts.rows == 1 ? " point from " : " points from ")
         << libgrid::input_name(points_path) << " to " << libgrid::output_name(output_path)
         << "\n\n";
  print_levels(grids, counts, report);
  if (grids.duty_table().empty() && (a.has("class") || a.has("time"))) {
    report << "\nthe grid set has no duty table (gridtool import --duty): --"
           << (a.has("class") ? "class" : "time") << " adds no column\n";
  }
  print_top_cells(grids, counts, top_level, top, report);
  return 0;
}

}  // namespace

const Command kAssignCommand{
    "assign", "add the cell of every level (and who answers) to each row of a points CSV",
    R"(usage: gridtool assign GRIDSET.gpkg --points POINTS.csv -o OUT.csv [options]

Looks up every row's point and writes the rows again, followed by, in this order:
  one column per level, named after it, holding the cell's code (empty where the point is not
    covered); <level>_code instead where the file has a column of that name or the level is
    named like a column below;
  with a roster in the grid set: grid_worker, grid_worker_id, grid_worker_phone (of the finest
    cell on the point's path that has a grid worker), grid_leader and info_workers (of the
    finest that has any; names joined with ";");
  with an event class column and a duty table: department, handling_level, handling_cell (the
    path's cell at the handling level), deadline and deadline_unit, of the rule whose class is
    the longest prefix of the event's ("0103" falls back to "01");
  with a roster: escalation, the path finest first, each cell's code and its leaders' names,
    joined with " > ";
  with a time column too: due (in working time: 09:00-12:00 and 13:00-18:00 on the working days
    of the grid set's calendar, or of --calendar, or else Monday to Friday).
A column the file already has that assign adds (other than a level's) is refused.
A grid set of several boundary versions (gridtool version) looks every point up in the
version in force at its time, which every row then needs.
Prints a summary: points covered per level, not covered, and the top cells by points.

A file whose points fall outside every cell but inside with x and y swapped, or in another
likely CRS, is refused with a message saying so. Nothing is written unless the whole run succeeds.

options:
  -p, --points POINTS.csv   input CSV with a header row, plain or gzip'd (told by its
                            bytes); - : standard input
  -o, --output OUT.csv      output CSV (replaced if it exists; .gz: gzip'd; - : standard
                            output, written once complete, the summary then on stderr;
                            /dev/null: the summary only)
  --x COL, --y COL          coordinate columns (default: x/lon/lng/longitude/easting and
                            y/lat/latitude/northing)
  --crs CRS                 CRS of the points when not the grid set's, e.g. EPSG:4326, or
                            GCJ-02 (Amap, Tencent) or BD-09 (Baidu) longitude/latitude
  --class COL               event class column (default: event_class or class)
  --time COL                report time column, YYYY-MM-DDTHH:MM (default: reported_at or time)
  --calendar CALENDAR.csv   date,kind: holidays and make-up working days for due, instead of
                            the grid set's own calendar (gridtool import --calendar); plain
                            or gzip'd, or - when the points are not
  --top N                   cells with points listed in the summary (default 10; 0 lists
                            every cell, with points or not)
  --top-level NAME          level of the summary's cells (default: grid, else the finest)
  --index CITY.lgi          a saved index of GRIDSET (gridtool build-index) instead of
                            building one
  --threads N               lookup threads (default 0: every core)
  --direct-io WHEN          write the output past the page cache (O_DIRECT): auto (default:
                            for points files of 64 MB or more), always or never; where the
                            output's filesystem refuses it, the page cache is used
  --no-progress             no progress bar (it shows only on a terminal, after a second)
)",
    run_assign};

}  // namespace gridtool
