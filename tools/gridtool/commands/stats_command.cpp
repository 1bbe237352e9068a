#include <algorithm>
#include <cmath>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "gridtool/commands/report_text.h"
#include "gridtool/table.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/calendar_csv.h"
#include "libgrid/io/events_csv.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/stream_names.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/working_calendar.h"
#include "libgrid/stats/evaluation.h"
#include "libgrid/stats/evaluation_file.h"
#include "libgrid/thread_count.h"

namespace gridtool {
namespace {

std::chrono::sys_days date_option(const Arguments& a, const std::string& name) {
  const auto day = libgrid::parse_date(a.value(name));
  if (!day) throw UsageError("not a date YYYY-MM-DD: '" + a.value(name) + "' (--" + name + ")");
  return *day;
}

// "12.3%", or "-" where the rate has no denominator.
std::string percent_or_dash(double share) {
  return std::isnan(share) ? "-" : format_percent(share);
}

std::string count_of(std::int64_t part, std::int64_t whole) {
  return format_count(part) + " of " + format_count(whole);
}

std::string median_text(const libgrid::GroupEvaluation& g) {
  if (std::isnan(g.median_handling) || !g.handling_unit) return "-";
  return fixed(g.median_handling, 2) + ' ' + std::string(libgrid::to_string(*g.handling_unit));
}

void print_totals(const libgrid::Evaluation& e, std::ostream& out) {
  const libgrid::GroupEvaluation& t = e.total;
  Table totals({"measure", "value"});
  totals.add_row({"events", format_count(t.events)});
  totals.add_row(
      {"closed", count_of(t.closed, t.events) + " (" + percent_or_dash(t.closure_rate) + ")"});
  totals.add_row({"closed on time", count_of(t.closed_on_time, t.settle_by_as_of) +
                                        " closed or overdue (" + percent_or_dash(t.on_time_rate) +
                                        ")"});
  totals.add_row({"open", format_count(t.open) + ", " + format_count(t.overdue) + " overdue"});
  totals.add_row(
      {"reworked", std::isnan(t.rework_rate)
                       ? "-"
                       : format_count(t.reworked) + " (" + percent_or_dash(t.rework_rate) + ")"});
  totals.add_row({"median handling", median_text(t)});
  totals.print(out);
}

void print_left_out(const libgrid::Evaluation& e, std::ostream& out) {
  Table left({"left out", "events", "first"});
  const auto first = [](const libgrid::LeftOut& l, const std::string& what) {
    std::string text = "row " + std::to_string(l.first_row);
    if (!l.first_id.empty()) text += " (" + l.first_id + ")";
    return text + ", " + what + " " + l.first_value;
  };
  if (e.outside_period > 0)
    left.add_row({"outside the period", format_count(e.outside_period), ""});
  if (e.after_as_of > 0) left.add_row({"reported after as-of", format_count(e.after_as_of), ""});
  if (e.not_covered.count > 0) {
    left.add_row({"not covered", format_count(e.not_covered.count), first(e.not_covered, "point")});
  }
  if (e.unknown_class.count > 0) {
    left.add_row({"no duty rule for the class", format_count(e.unknown_class.count),
                  first(e.unknown_class, "class")});
  }
  if (e.outside_group.count > 0) {
    const std::string what =
        e.by_level ? "in no cell of level " + e.by : std::string("with no grid worker");
    left.add_row({what, format_count(e.outside_group.count), first(e.outside_group, "point")});
  }
  const bool any = e.outside_period + e.after_as_of + e.not_covered.count + e.unknown_class.count +
                       e.outside_group.count >
                   0;
  if (!any) return;
  out << '\n';
  left.print(out);
}

// The groups with the lowest on-time rate (then the most overdue), among those with a rate.
void print_weakest(const libgrid::Evaluation& e, std::size_t top, std::ostream& out) {
  std::vector<const libgrid::GroupEvaluation*> rated;
  for (const auto& g : e.groups) {
    if (!std::isnan(g.on_time_rate)) rated.push_back(&g);
  }
  std::stable_sort(rated.begin(), rated.end(), [](const auto* p, const auto* q) {
    if (p->on_time_rate != q->on_time_rate) return p->on_time_rate < q->on_time_rate;
    return p->overdue > q->overdue;
  });
  const std::size_t shown = top == 0 ? rated.size() : std::min(top, rated.size());
  if (shown == 0) return;
  out << "\nweakest " << shown << " of " << format_count(static_cast<long long>(rated.size()))
      << " groups by on-time rate:\n";
  const bool named = e.by != "department";
  std::vector<std::string> header{e.by_level ? "code" : e.by};
  if (named) header.emplace_back("name");
  for (const char* h : {"events", "closed", "on time", "overdue", "rework", "median handling"}) {
    header.emplace_back(h);
  }
  Table table(header);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& g = *rated[i];
    std::vector<std::string> row{g.key};
    if (named) row.push_back(g.name);
    for (std::string cell :
         {format_count(g.events), percent_or_dash(g.closure_rate), percent_or_dash(g.on_time_rate),
          format_count(g.overdue), percent_or_dash(g.rework_rate), median_text(g)}) {
      row.push_back(std::move(cell));
    }
    table.add_row(std::move(row));
  }
  table.print(out);
}

int run_stats(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"events", 'e'},
                     {"output", 'o'},
                     {"by"},
                     {"from"},
                     {"to"},
                     {"as-of"},
                     {"calendar"},
                     {"index"},
                     {"top"},
                     {"threads"}},
                    args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  const std::string& grid_path = a.positional()[0];
  const std::string events_path = a.required("events");
  const std::string output_path = a.required("output");
  a.one_standard_input({"events", "calendar"});
  libgrid::EvaluationOptions options;
  options.by = a.value("by", "grid");
  if (a.has("from")) options.from = date_option(a, "from");
  if (a.has("to")) options.to = date_option(a, "to");
  if (options.from && options.to && *options.to < *options.from) {
    throw UsageError("--to " + a.value("to") + " is before --from " + a.value("from"));
  }
  if (a.has("as-of")) {
    options.as_of = libgrid::parse_local_time(a.value("as-of"));
    if (!options.as_of) {
      throw UsageError("not a time YYYY-MM-DDTHH:MM: '" + a.value("as-of") + "' (--as-of)");
    }
  }
  options.threads = static_cast<int>(a.integer("threads", 0, 0, libgrid::kMaxThreads));
  const auto top = static_cast<std::size_t>(a.integer("top", 5, 0, 1000000000));
  const std::vector<std::string> inputs{grid_path, events_path, a.value("calendar"),
                                        a.value("index")};
  // A missing folder, or an output that is an input, fails before the work. The table for
  // standard output is written straight out once complete: no file, so nothing to check.
  if (!libgrid::is_standard_output(output_path)) {
    const libgrid::AtomicOutput probe(output_path, inputs);
  }

  const libgrid::GridSet grids = libgrid::read_grid_set(grid_path);
  std::optional<libgrid::WorkingCalendar> calendar;
  if (a.has("calendar")) {
    calendar = libgrid::read_calendar_csv(a.value("calendar"));
    options.calendar = &*calendar;
  }
  const libgrid::EventTable events = libgrid::read_events_csv(events_path);
  std::optional<libgrid::CellIndex> index;
  if (a.has("index")) {
    index.emplace(libgrid::CellIndex::load(a.value("index"), grids));
  } else {
    index.emplace(grids);
  }
  const libgrid::Evaluation e = libgrid::evaluate(grids, *index, events, options);
  if (libgrid::is_standard_output(output_path)) {
    // The evaluation is complete: its rows go out at once, with no temporary file.
    libgrid::write_evaluation_csv(e, out);
  } else {
    libgrid::write_evaluation(e, grids, output_path, inputs);
  }
  // With the table on standard output, the summary goes to standard error.
  std::ostream& report = libgrid::is_standard_output(output_path) ? err : out;

  report << "evaluated " << format_count(e.total.events) << " of " << format_count(e.events_read)
         << " events from " << libgrid::input_name(events_path) << " by " << e.by << " as of "
         << libgrid::format_local_time(e.as_of) << " to " << libgrid::output_name(output_path)
         << "\n\n";
  print_totals(e, report);
  print_left_out(e, report);
  print_weakest(e, top, report);
  return 0;
}

}  // namespace

const Command kStatsCommand{
    "stats", "evaluate (考核) closure, on-time and rework rates per cell, worker or department",
    R"(usage: gridtool stats GRIDSET.gpkg --events EVENTS.csv -o STATS.csv|STATS.gpkg [options]

Locates every event and finds who answers for it and by when exactly as assign does (the duty
table's deadline, on the working calendar), then counts it in its group: the cell of level
--by holding it, its grid worker, or its department. Per group, as of --as-of:
  closure_rate     closed / events (closed at or before as-of)
  on_time_rate     closed on time / (closed + open overdue): events that should be settled
  overdue          open events whose due time is before as-of
  rework_rate      events returned for rework at least once / events
  events_per_100_households, and the median handling time in the group's most common
  deadline unit (working units in working time, the others on the clock).
Events outside the period or any cell, or of a class with no duty rule, are counted and left out.
Prints the totals, what was left out, and the weakest groups by on-time rate.

EVENTS.csv has the columns x, y (in the grid set's CRS), event_class, reported_at
(YYYY-MM-DDTHH:MM) and optionally event_id, closed_at (empty while open) and reopened (returns
for rework). A bad time or count stops the run with the file, row and field; nothing is written.
EVENTS.csv and CALENDAR.csv may be gzip'd (told by their bytes); one of them may be - (standard
input).

options:
  -e, --events EVENTS.csv   the events
  -o, --output STATS.csv    one row per group: a CSV, or a GeoPackage (.gpkg) that carries the
                            cells' geometry when grouped by a level (replaced if it exists);
                            - for CSV on standard output (the summary then on stderr)
  --by LEVEL|worker|department
                            the groups (default: grid)
  --from DATE, --to DATE    only events reported on these dates, both included (YYYY-MM-DD)
  --as-of TIME              the time of the evaluation, YYYY-MM-DDTHH:MM (default: the end of
                            --to, else the latest report or closing time in the period)
  --calendar CALENDAR.csv   holidays and make-up working days (date,kind) instead of the grid
                            set's calendar
  --index CITY.lgi          a saved index of GRIDSET (gridtool build-index)
  --top N                   weakest groups listed (default 5; 0 lists every group)
  --threads N               lookup threads (default 0: every core)
)",
    run_stats};

}  // namespace gridtool
