#include <chrono>
#include <cmath>
#include <fstream>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>

#include "gridtool/arguments.h"
#include "gridtool/commands/command_options.h"
#include "gridtool/commands/commands.h"
#include "gridtool/commands/report_text.h"
#include "gridtool/table.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/partition_inputs.h"
#include "libgrid/rebalance/rebalance.h"

namespace gridtool {
namespace {

using libgrid::RebalanceStatus;

std::string count_text(std::size_t n) { return format_count(static_cast<long long>(n)); }

std::string yes_no(bool b) { return b ? "true" : "false"; }

// "3;17;18": the 1-based positions of the units in the units file.
std::string unit_positions(const std::vector<std::size_t>& units) {
  std::string text;
  for (const std::size_t u : units) {
    if (!text.empty()) text += ';';
    text += std::to_string(u + 1);
  }
  return text;
}

void write_changes_csv(const libgrid::RebalanceReport& report, const std::string& path) {
  std::ofstream csv(path, std::ios::binary);
  csv << "piece,units,from_code,to_code,households,area\n";
  for (const auto& m : report.moves) {
    csv << csv_field(m.piece) << ',' << unit_positions(m.units) << ',' << csv_field(m.from_code)
        << ',' << csv_field(m.to_code) << ',' << fixed(m.households, 3) << ',' << fixed(m.area, 3)
        << '\n';
  }
  close_csv(csv, path, "changes");
}

void write_report_csv(const libgrid::RebalanceReport& report, const std::string& path) {
  std::ofstream csv(path, std::ios::binary);
  csv << "code,parent_code,status,weight_before,weight_after,in_band_before,in_band_after,"
         "kept_share,area_before,area_after,polsby_popper\n";
  for (const auto& c : report.cells) {
    csv << csv_field(c.code) << ',' << csv_field(c.parent_code) << ',' << to_string(c.status) << ','
        << fixed(c.weight_before, 3) << ',' << fixed(c.weight_after, 3) << ','
        << yes_no(c.in_band_before) << ',' << yes_no(c.in_band_after) << ','
        << fixed(c.kept_share, 4) << ',' << fixed(c.area_before, 3) << ',' << fixed(c.area_after, 3)
        << ',' << fixed(c.polsby_popper, 4) << '\n';
  }
  const libgrid::RebalanceTotals& t = report.totals;
  csv << "\nname,value\n"
      << "cells_before," << t.cells_before << '\n'
      << "cells_after," << t.cells_after << '\n'
      << "in_band_before," << t.in_band_before << '\n'
      << "in_band_after," << t.in_band_after << '\n'
      << "households," << fixed(t.households, 3) << '\n'
      << "moved," << fixed(t.moved, 3) << '\n'
      << "lower_bound," << fixed(t.lower_bound, 3) << '\n'
      << "core_retention," << fixed(t.core_retention, 4) << '\n'
      << "cells_touched," << t.cells_touched << '\n'
      << "boundary_changed," << fixed(t.boundary_changed, 3) << '\n'
      << "codes_kept," << t.codes_kept << '\n'
      << "codes_new," << t.codes_new << '\n'
      << "codes_retired," << t.codes_retired << '\n';
  if (!report.retired_roster.empty()) {
    csv << "\ncell_code,role,person_id,name,phone\n";
    for (const auto& r : report.retired_roster) {
      csv << csv_field(r.cell_code) << ',' << to_string(r.role) << ',' << csv_field(r.person.id)
          << ',' << csv_field(r.person.name) << ',' << csv_field(r.person.phone) << '\n';
    }
  }
  close_csv(csv, path, "report");
}

void print_cells(const libgrid::RebalanceReport& report, std::size_t limit, std::ostream& out) {
  // What no longer exists (after a retirement) or did not exist (before a new cell) is blank.
  Table cells({"code", "status", "before", "after", "in band", "kept", "area", "polsby-popper"});
  // Cells that changed or are out of band; the settled ones are only counted.
  // A locked cell is settled unless it is out of band for a reason (dedicated cells are not
  // held to the band).
  std::set<std::string> named;
  for (const auto& f : report.infeasible) named.insert(f.cell_code);
  std::size_t listed = 0, shown = 0;
  for (const auto& c : report.cells) {
    const bool unchanged = c.kept_share >= 1 && c.weight_after == c.weight_before &&
                           std::abs(c.area_after - c.area_before) <= 1e-9 * c.area_before;
    const bool settled = (c.status == RebalanceStatus::kKept && unchanged && c.in_band_after) ||
                         (c.status == RebalanceStatus::kLocked && named.count(c.code) == 0);
    if (settled) continue;
    ++listed;
    if (limit > 0 && shown == limit) continue;
    ++shown;
    const bool is_new = c.status == RebalanceStatus::kNew;
    const bool retired = c.status == RebalanceStatus::kRetired;
    cells.add_row({c.code, std::string(to_string(c.status)),
                   is_new ? "" : weight_text(c.weight_before),
                   retired ? "" : weight_text(c.weight_after),
                   retired ? "" : (c.in_band_after ? "yes" : "no"),
                   is_new ? "" : format_percent(c.kept_share),
                   retired ? "" : fixed(c.area_after, 0), fixed(c.polsby_popper, 3)});
  }
  cells.print(out);
  print_rest_note(shown, listed, out);
  const std::size_t settled = report.cells.size() - listed;
  if (settled > 0) {
    out << format_count(static_cast<long long>(settled)) << ' ' << (settled == 1 ? "cell" : "cells")
        << " unchanged and settled (in the report CSV)\n";
  }
}

void print_totals(const libgrid::RebalanceTotals& t, std::ostream& out) {
  std::string moved = weight_text(t.moved) + " of " + weight_text(t.households) + " (lower bound " +
                      weight_text(t.lower_bound);
  if (t.lower_bound > 0) moved += ": " + fixed(t.moved / t.lower_bound, 2) + "×";
  moved += ")";
  Table totals({"measure", "value"});
  totals.add_row({"cells", count_text(t.cells_before) + " → " + count_text(t.cells_after)});
  totals.add_row({"in band", count_text(t.in_band_before) + " → " + count_text(t.in_band_after)});
  totals.add_row({"households moved", moved});
  totals.add_row({"core retention", format_percent(t.core_retention)});
  totals.add_row({"cells touched", count_text(t.cells_touched)});
  totals.add_row({"boundary changed", format_measure(t.boundary_changed)});
  totals.add_row({"codes", count_text(t.codes_kept) + " kept, " + count_text(t.codes_new) +
                               " new, " + count_text(t.codes_retired) + " retired"});
  totals.print(out);
}

// New cells to staff, and the people whose cells were retired.
void print_people(const libgrid::RebalanceReport& report, std::ostream& out) {
  std::string new_codes;
  for (const auto& c : report.cells) {
    if (c.status != RebalanceStatus::kNew) continue;
    new_codes += (new_codes.empty() ? "" : ", ") + c.code;
  }
  if (!new_codes.empty()) out << "\nnew cells needing a grid worker: " << new_codes << '\n';
  if (report.retired_roster.empty()) return;
  out << "\nworkers of retired cells, removed from the roster: ";
  for (std::size_t i = 0; i < report.retired_roster.size(); ++i) {
    const libgrid::RosterEntry& r = report.retired_roster[i];
    out << (i ? ", " : "") << r.person.name << " (" << libgrid::to_string(r.role) << " of "
        << r.cell_code << ", " << r.person.id << ")";
  }
  out << '\n';
}

int run_rebalance(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"level"},
                     {"effective"},
                     {"units"},
                     {"units-crs"},
                     {"barriers"},
                     {"target"},
                     {"lock", '\0', true, true},
                     {"parents", '\0', true, true},
                     {"seed"},
                     {"limit"},
                     {"output", 'o'}},
                    args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  libgrid::RebalanceOptions o;
  o.level = a.required("level");
  const std::string output = a.required("output");
  if (!a.has("units")) throw UsageError("missing --units");
  std::tie(o.min_weight, o.max_weight) = parse_band(a.required("target"));
  o.locks = code_list(a, "lock");
  o.parents = code_list(a, "parents");
  o.seed = seed_option(a);
  const std::size_t limit = limit_option(a, 50);

  // A missing folder, or an output that is an input, fails now, and nothing is left behind on
  // any error.
  if (libgrid::is_standard_output(output)) {
    throw UsageError(
        "-o needs a file, not standard output: the changes and the report go "
        "beside it, in NAME.changes.csv and NAME.report.csv");
  }
  const std::string changes_path = sibling_path(output, "changes.csv");
  const std::string report_path = sibling_path(output, "report.csv");
  const std::string& path = a.positional()[0];
  const std::vector<std::string> inputs{path, units_option(a).first, a.value("barriers")};
  { const libgrid::AtomicOutput probe(output, inputs); }
  libgrid::AtomicOutput changes_output(changes_path, inputs,
                                       libgrid::AtomicOutput::Temporary::kUnnamed);
  libgrid::AtomicOutput report_output(report_path, inputs,
                                      libgrid::AtomicOutput::Temporary::kUnnamed);
  libgrid::GridSet history = libgrid::read_grid_set(path);
  std::optional<std::chrono::sys_days> effective;
  if (a.has("effective")) {
    effective = libgrid::parse_date(a.value("effective"));
    if (!effective) {
      throw UsageError("--effective must be a date YYYY-MM-DD, not '" + a.value("effective") + "'");
    }
  } else if (history.has_versions()) {
    throw UsageError(path + " holds boundary versions: give --effective DATE for the new one");
  }
  // Rebalanced: the latest version; with --effective, written as a new version after it.
  libgrid::GridSet grids = history.version(history.version_count() - 1);
  const std::vector<libgrid::Unit> units = read_units_option(a, grids.crs());
  std::vector<libgrid::Barrier> barriers;
  if (a.has("barriers")) barriers = libgrid::read_barriers(a.value("barriers"), grids.crs());

  const libgrid::RebalanceReport report = libgrid::rebalance(grids, units, barriers, o);
  write_changes_csv(report, changes_output.temporary_path());
  write_report_csv(report, report_output.temporary_path());
  if (effective) {
    try {
      history.add_version(*effective, grids);
    } catch (const libgrid::Error& e) {
      throw libgrid::Error(e.kind(), libgrid::Location{.file = path}, e.detail());
    }
    libgrid::write_grid_set(history, output);
  } else {
    libgrid::write_grid_set(grids, output);
  }
  changes_output.commit();
  report_output.commit();

  std::set<std::string> parents;  // none for the coarsest level
  for (const auto& c : report.cells) {
    if (!c.parent_code.empty()) parents.insert(c.parent_code);
  }
  out << "rebalanced " << path << ": level '" << o.level << "'";
  if (!parents.empty()) out << " in " << plural(parents.size(), "parent", "parents");
  out << ", band " << weight_text(o.min_weight) << " to " << weight_text(o.max_weight) << ", seed "
      << o.seed << "\n";
  print_unit_counts({.read = report.units,
                     .outside = report.units_outside,
                     .elsewhere = report.units_elsewhere,
                     .weight_inside = report.totals.households},
                    "rebalance", o.level, "in parents not adjusted", out, err);
  out << '\n';
  print_cells(report, limit, out);
  out << '\n';
  print_totals(report.totals, out);
  print_out_of_band(report.infeasible, out);
  print_people(report, out);
  out << "\nwrote " << output << ", " << changes_path << " and " << report_path << '\n';
  return 0;
}

}  // namespace

const Command kRebalanceCommand{
    "rebalance", "adjust a level to today's households, moving as few as possible",
    R"(usage: gridtool rebalance GRIDSET.gpkg --level LEVEL --units UNITS[:WEIGHT_FIELD]
           [--barriers LINES] --target MIN:MAX [--lock CODE,...] [--parents CODE,...]
           [--seed N] [--effective DATE] -o OUT.gpkg

The yearly adjustment (动态调整): re-draws the cells of LEVEL so that each holds a weight
within the band where that is possible, changing as little as possible, and writes the
whole grid set to OUT.gpkg, the land that moved to OUT.changes.csv and the report to
OUT.report.csv. Every parent of LEVEL is adjusted, or --parents only.

Units are points, or polygons counted at a point inside them (address points,
buildings), each carrying today's households in WEIGHT_FIELD (1 each without one).
Inside each parent, land moves between neighbouring cells: a cell too heavy for its
neighbours to absorb splits, a cell too light to stand alone merges into the neighbour it
shares most boundary with, and households then move across boundaries, the lightest
pieces that cover the excess first. The plan moves as few households as possible, then
as little boundary as possible, then keeps cells compact. When LEVEL has a finer level,
land moves in whole finer cells, which keep their codes and only change parent; at the
finest level it moves in blocks cut by the cells' boundaries and the barriers (roads,
rivers, walls), split between their units by straight cuts where needed.

Guarantees, checked before anything is written: the cells of each parent cover the same
land as before without gaps or overlaps, and cells re-drawn share their edges vertex for
vertex; every cell is contiguous; locked cells, dedicated cells (kind dedicated: a
school, a hospital) and the cells of parents left alone keep their geometry and fields
unchanged; households are conserved; the result is the same for the same seed.

Codes: a cell keeps its code where it keeps most of its area; a new cell takes the next
sequence after every code its parent's cells have; a retired code is never given to
other land. Roster entries of retired cells are removed and listed; new cells need a
grid worker.

OUT.changes.csv has a row per piece of land that changed cell: piece (the finer cell's
code; empty at the finest level), units (their 1-based positions in UNITS, separated by
';'), from_code, to_code, households and area. OUT.report.csv has per cell its parent,
status (kept, new, retired or locked), weight and whether it is in the band before and
after, kept_share (the share of its households still in a cell of its code), area before
and after and Polsby-Popper compactness (1 for a disc); then the totals: cells and cells
in band before and after, households, households moved beside the lower bound that any
plan keeping the number of cells must move, core retention (the share of households
kept in a cell of the same code), cells touched, boundary length changed and codes kept,
new and retired; then the roster entries removed. The table printed lists the cells that
changed or are out of band (--limit), then the totals.

Exit status: 0 done (cells out of band are reported, not an error), 2 bad input or usage.

options:
  --level LEVEL              the level to adjust
  --units PATH[:FIELD]       CSV (x,y or lon,lat columns; .csv.gz or - too) or any vector file
  --units-crs CRS            the units' CRS when the file does not say (CSV: lon/lat columns
                             are EPSG:4326, x/y columns the grid set's CRS)
  --barriers PATH            lines (roads, rivers, walls), any vector file
  --target MIN:MAX           the band of weight per cell, e.g. 300:500
  --lock CODE,...            cells of LEVEL to leave as they are (repeatable)
  --parents CODE,...         only the cells under these parents (repeatable)
  --seed N                   random seed (default 1)
  --effective DATE           write OUT.gpkg as GRIDSET.gpkg with the result added as a boundary
                             version in force from DATE (YYYY-MM-DD; cells unchanged stored
                             once); needed when GRIDSET.gpkg holds versions already, whose
                             latest is the one adjusted
  --limit N                  cells that changed or are out of band listed in the table
                             (default 50; 0 lists them all)
  -o, --output OUT.gpkg      the adjusted grid set (replaced if it exists)
)",
    run_rebalance};

}  // namespace gridtool
