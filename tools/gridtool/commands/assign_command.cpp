#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "gridtool/progress.h"
#include "gridtool/table.h"
#include "libgrid/crs/transform.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/io/grid_set_file.h"

namespace gridtool {
namespace {

using libgrid::CellId;
using libgrid::kNoCell;

bool same_name(const std::string& a, const char* b) {
  return std::equal(a.begin(), a.end(), b, b + std::strlen(b), [](char p, char q) {
    return std::tolower(static_cast<unsigned char>(p)) ==
           std::tolower(static_cast<unsigned char>(q));
  });
}

// The column called `option`'s value, or the first of `guesses` present (case-insensitive).
int find_column(const libgrid::CsvTable& table, const Arguments& a, const std::string& option,
                std::initializer_list<const char*> guesses, bool required) {
  if (a.has(option)) {
    const int c = table.column(a.value(option));
    if (c < 0) {
      throw libgrid::Error(libgrid::ErrorKind::kInvalidInput,
                           libgrid::Location{table.path(), "", -1, a.value(option)},
                           "no such column (--" + option + ")");
    }
    return c;
  }
  for (const char* guess : guesses) {
    for (std::size_t c = 0; c < table.header().size(); ++c) {
      if (same_name(table.header()[c], guess)) return static_cast<int>(c);
    }
  }
  if (required) {
    throw libgrid::Error(libgrid::ErrorKind::kInvalidInput, libgrid::Location{.file = table.path()},
                         "no " + option + " column: name it with --" + option);
  }
  return -1;
}

std::size_t count_covered(const libgrid::CellIndex& index, std::span<const double> x,
                          std::span<const double> y) {
  std::vector<CellId> cells(x.size());
  index.lookup(x, y, cells, 0);
  return static_cast<std::size_t>(
      std::count_if(cells.begin(), cells.end(), [](CellId c) { return c != kNoCell; }));
}

// Most points outside every cell, but inside with x and y swapped: a classic of lat/lon files
// and of CRSs that list northing first. Refused, since every answer would be wrong.
void check_axis_order(const libgrid::CellIndex& index, const std::vector<double>& x,
                      const std::vector<double>& y, std::size_t covered, const std::string& path,
                      const std::string& x_name, const std::string& y_name) {
  const std::size_t n = x.size();
  if (n < 10 || covered * 2 >= n) return;
  const std::size_t step = std::max<std::size_t>(1, n / 10000);
  std::vector<double> sx, sy;
  for (std::size_t i = 0; i < n; i += step) {
    sx.push_back(y[i]);
    sy.push_back(x[i]);
  }
  const double swapped = static_cast<double>(count_covered(index, sx, sy)) / sx.size();
  const double direct = static_cast<double>(covered) / n;
  if (swapped >= 0.5 && swapped > 2 * direct) {
    throw libgrid::Error(
        libgrid::ErrorKind::kInvalidInput, libgrid::Location{.file = path},
        format_percent(1 - direct) + " of the points fall outside every cell, but " +
            format_percent(swapped) + " fall inside with x and y swapped: are columns '" + x_name +
            "' and '" + y_name + "' the wrong way round (--x/--y), or does --crs " +
            "list latitude or northing first?");
  }
}

// A saved index, refused unless it was built from exactly this grid set.
libgrid::CellIndex load_index_of(const libgrid::GridSet& grids, const std::string& path) {
  libgrid::CellIndex index = libgrid::CellIndex::load(path);
  if (index.grid_set_fingerprint() != grids.fingerprint()) {
    throw libgrid::Error(libgrid::ErrorKind::kInvalidInput, libgrid::Location{.file = path},
                         "index built from another grid set (or another version of this one): "
                         "run gridtool build-index again");
  }
  return index;
}

struct Counts {
  std::vector<long long> per_level;  // points covered at each level
  std::vector<long long> per_cell;   // points whose path passes through the cell
  long long not_covered = 0;
  long long without_rule = 0;
};

int run_assign(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"points", 'p'},
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
                     {"no-progress", '\0', false}},
                    args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  const std::string points_path = a.required("points");
  const std::string output_path = a.required("output");
  const int top = static_cast<int>(a.number("top", 10));
  const int threads = static_cast<int>(a.number("threads", 0));

  const libgrid::GridSet grids = libgrid::read_grid_set(a.positional()[0]);
  std::optional<libgrid::Transform> transform;
  if (a.has("crs")) {
    transform.emplace(a.value("crs"), grids.crs());
    if (transform->is_identity()) transform.reset();
  }
  // The summary's level and the output are checked before the work: a usage error found after
  // the output is committed would leave it behind.
  const std::string default_level = grids.level_index("grid") >= 0 ? "grid" : grids.levels().back();
  const std::string top_level = a.value("top-level", default_level);
  const int level = grids.level_index(top_level);
  if (level < 0) throw UsageError("no level named '" + top_level + "' (--top-level)");
  libgrid::AtomicOutput output(output_path, {a.positional()[0], points_path, a.value("index")});
  const libgrid::CsvTable table = libgrid::CsvTable::read(points_path);
  const int x_col = find_column(table, a, "x", {"x", "lon", "lng", "longitude", "easting"}, true);
  const int y_col = find_column(table, a, "y", {"y", "lat", "latitude", "northing"}, true);
  const int class_col = find_column(table, a, "class", {"event_class", "class"}, false);
  const int time_col = find_column(table, a, "time", {"reported_at", "time"}, false);

  const std::size_t n = table.row_count();
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = table.number(i, x_col);
    y[i] = table.number(i, y_col);
  }
  if (transform) transform->apply(x, y);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      throw libgrid::Error(libgrid::ErrorKind::kInvalidInput,
                           libgrid::Location{points_path, "", static_cast<std::int64_t>(i + 1),
                                             table.header()[static_cast<std::size_t>(x_col)]},
                           "point cannot be transformed from " + a.value("crs"));
    }
  }

  const libgrid::CellIndex index =
      a.has("index") ? load_index_of(grids, a.value("index")) : libgrid::CellIndex(grids);
  std::vector<CellId> finest(n);
  {
    Progress progress(err, "assigning", n, !a.has("no-progress") && Progress::stderr_is_terminal());
    constexpr std::size_t kChunk = 1 << 16;
    for (std::size_t begin = 0; begin < n; begin += kChunk) {
      const std::size_t count = std::min(kChunk, n - begin);
      index.lookup(std::span<const double>(x).subspan(begin, count),
                   std::span<const double>(y).subspan(begin, count),
                   std::span<CellId>(finest).subspan(begin, count), threads);
      progress.update(begin + count);
    }
  }
  const std::size_t covered = static_cast<std::size_t>(
      std::count_if(finest.begin(), finest.end(), [](CellId c) { return c != kNoCell; }));
  check_axis_order(index, x, y, covered, points_path,
                   table.header()[static_cast<std::size_t>(x_col)],
                   table.header()[static_cast<std::size_t>(y_col)]);

  const auto& levels = grids.levels();
  const bool with_roster = !grids.roster().empty();
  const bool with_duty = class_col >= 0 && !grids.duty_table().empty();
  std::vector<std::string> header = table.header();
  for (const auto& level : levels) {
    const bool clash = std::find(header.begin(), header.end(), level) != header.end();
    header.push_back(clash ? level + "_code" : level);
  }
  if (with_roster) {
    for (const char* c : {"grid_worker", "grid_worker_phone", "grid_leader"}) header.push_back(c);
  }
  if (with_duty) {
    for (const char* c : {"department", "handling_level", "handling_cell", "deadline"}) {
      header.push_back(c);
    }
    if (time_col >= 0) header.push_back("due");
  }

  std::ofstream file(output.temporary_path(), std::ios::binary);
  if (!file) {
    throw libgrid::Error(libgrid::ErrorKind::kIo, libgrid::Location{.file = output_path},
                         "cannot write the output");
  }
  std::string line;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) line += ',';
    libgrid::append_csv_field(line, header[c]);
  }
  file << line << '\n';

  Counts counts;
  counts.per_level.assign(levels.size(), 0);
  counts.per_cell.assign(grids.size(), 0);
  const libgrid::ResponsibilityResolver resolver(grids);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& row = table.row(i);
    line.clear();
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) line += ',';
      libgrid::append_csv_field(line, row[c]);
    }
    const std::string event_class = class_col >= 0 ? row[static_cast<std::size_t>(class_col)] : "";
    const libgrid::Responsibility r = resolver.resolve(finest[i], with_duty ? event_class : "");
    std::vector<std::string> codes(levels.size());
    for (const CellId id : r.path) {
      const auto& cell = grids.cell(id);
      codes[static_cast<std::size_t>(cell.level)] = cell.code;
      ++counts.per_level[static_cast<std::size_t>(cell.level)];
      ++counts.per_cell[static_cast<std::size_t>(id)];
    }
    if (r.path.empty()) ++counts.not_covered;
    for (const auto& code : codes) {
      line += ',';
      libgrid::append_csv_field(line, code);
    }
    if (with_roster) {
      const bool has_worker = r.grid_worker_cell != kNoCell;
      line += ',';
      libgrid::append_csv_field(line, has_worker ? r.grid_worker.name : "");
      line += ',';
      libgrid::append_csv_field(line, has_worker ? r.grid_worker.phone : "");
      line += ',';
      libgrid::append_csv_field(line, libgrid::names_text(r.grid_leaders));
    }
    if (with_duty) {
      if (!r.has_rule) ++counts.without_rule;
      const bool answer = r.has_rule && !r.path.empty();
      line += ',';
      libgrid::append_csv_field(line, r.has_rule ? r.rule.department : "");
      line += ',';
      libgrid::append_csv_field(line, r.has_rule ? r.rule.handling_level : "");
      line += ',';
      libgrid::append_csv_field(
          line, answer && r.handling_cell != kNoCell ? grids.cell(r.handling_cell).code : "");
      line += ',';
      if (r.has_rule) {
        std::ostringstream deadline;
        deadline << r.rule.deadline << ' ' << libgrid::to_string(r.rule.unit);
        libgrid::append_csv_field(line, deadline.str());
      }
      if (time_col >= 0) {
        line += ',';
        const std::string& when = row[static_cast<std::size_t>(time_col)];
        const auto reported = libgrid::parse_local_time(when);
        if (!reported) {
          throw libgrid::Error(
              libgrid::ErrorKind::kInvalidInput,
              libgrid::Location{points_path, "", static_cast<std::int64_t>(i + 1),
                                table.header()[static_cast<std::size_t>(time_col)]},
              "not a time 'YYYY-MM-DDTHH:MM': '" + when + "'");
        }
        if (r.has_rule) {
          libgrid::append_csv_field(line, libgrid::format_local_time(libgrid::due_time(
                                              *reported, r.rule.deadline, r.rule.unit)));
        }
      }
    }
    file << line << '\n';
  }
  file.close();
  if (!file) {
    throw libgrid::Error(libgrid::ErrorKind::kIo, libgrid::Location{.file = output_path},
                         "writing the output failed");
  }
  output.commit();

  // The summary.
  out << "assigned " << format_count(static_cast<long long>(n)) << " points from " << points_path
      << " to " << output_path << "\n\n";
  Table levels_table({"level", "cells hit", "points", "share"});
  for (std::size_t l = 0; l < levels.size(); ++l) {
    long long hit = 0;
    for (std::size_t id = 0; id < grids.size(); ++id) {
      hit += grids.cells()[id].level == static_cast<int>(l) && counts.per_cell[id] > 0;
    }
    levels_table.add_row({levels[l], format_count(hit), format_count(counts.per_level[l]),
                          format_percent(n ? double(counts.per_level[l]) / n : 0.0)});
  }
  levels_table.add_row({"not covered", "", format_count(counts.not_covered),
                        format_percent(n ? double(counts.not_covered) / n : 0.0)});
  levels_table.print(out);
  if (with_duty && counts.without_rule > 0) {
    out << '\n'
        << format_count(counts.without_rule) << " points have an event class with no duty rule\n";
  }

  std::vector<CellId> cells = grids.cells_of_level(level);
  std::stable_sort(cells.begin(), cells.end(), [&](CellId p, CellId q) {
    return counts.per_cell[static_cast<std::size_t>(p)] >
           counts.per_cell[static_cast<std::size_t>(q)];
  });
  if (top > 0 && cells.size() > static_cast<std::size_t>(top))
    cells.resize(static_cast<std::size_t>(top));
  out << '\n'
      << (top > 0 ? "top " + std::to_string(cells.size()) : std::string("all"))
      << " cells of level " << top_level << " by points:\n";
  Table cells_table({"code", "name", "points", "households", "per 100 households", "grid worker"});
  for (const CellId id : cells) {
    const auto& c = grids.cell(id);
    const long long points = counts.per_cell[static_cast<std::size_t>(id)];
    char rate[32] = "-";
    if (c.households > 0) std::snprintf(rate, sizeof rate, "%.1f", 100.0 * points / c.households);
    const auto workers = grids.roster().people(c.code, libgrid::Role::kGridWorker);
    cells_table.add_row({c.code, c.name, format_count(points), format_count(c.households), rate,
                         workers.empty() ? "-" : workers.front().name});
  }
  cells_table.print(out);
  return 0;
}

}  // namespace

const Command kAssignCommand{
    "assign", "add the cell of every level (and who answers) to each row of a points CSV",
    R"(usage: gridtool assign GRIDSET.gpkg --points POINTS.csv -o OUT.csv [options]

Looks up every row's point and writes the rows again with one column per level (named after
the level, holding the cell's code; empty where the point is not covered). With a roster in
the grid set, adds grid_worker, grid_worker_phone and grid_leader; with an event class column
and a duty table, adds department, handling_level, handling_cell, deadline and, with a time
column, due (on the working calendar: Monday to Friday, 09:00-12:00 and 13:00-18:00).
Prints a summary: points covered per level, not covered, and the top cells by points.

A file whose points mostly fall outside every cell but inside with x and y swapped is refused
with a message saying so. Nothing is written unless the whole run succeeds.

options:
  -p, --points POINTS.csv   input CSV with a header row
  -o, --output OUT.csv      output CSV (replaced if it exists)
  --x COL, --y COL          coordinate columns (default: x/lon/lng/longitude/easting and
                            y/lat/latitude/northing)
  --crs CRS                 CRS of the points when not the grid set's, e.g. EPSG:4326, or
                            GCJ-02 (Amap, Tencent) or BD-09 (Baidu) longitude/latitude
  --class COL               event class column (default: event_class or class)
  --time COL                report time column, YYYY-MM-DDTHH:MM (default: reported_at or time)
  --top N                   cells listed in the summary (default 10; 0 lists every cell)
  --top-level NAME          level of the summary's cells (default: grid, else the finest)
  --index CITY.lgi          a saved index of GRIDSET (gridtool build-index) instead of
                            building one
  --threads N               lookup threads (default 0: every core)
  --no-progress             no progress bar (it shows only on a terminal, after a second)
)",
    run_assign};

}  // namespace gridtool
