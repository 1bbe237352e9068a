#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/command_options.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/validate/repair.h"

namespace gridtool {
namespace {

void print_changes(const libgrid::GridSet& grids, const libgrid::RepairReport& report,
                   std::size_t limit, std::ostream& out) {
  Table table({"level", "code", "parent code", "vertices moved", "vertices added", "area before",
               "area after", "area out", "area in"});
  std::size_t shown = 0;
  for (const libgrid::CellRepair& c : report.cells) {
    if (limit > 0 && shown == limit) break;
    ++shown;
    table.add_row({grids.levels()[static_cast<std::size_t>(c.level)], c.code, c.parent_code,
                   format_count(static_cast<long long>(c.vertices_moved)),
                   format_count(static_cast<long long>(c.vertices_added)),
                   format_measure(c.area_before), format_measure(c.area_after),
                   format_measure(c.area_out), format_measure(c.area_in)});
  }
  table.print(out);
  if (shown < report.cells.size()) {
    out << "... and " << format_count(static_cast<long long>(report.cells.size() - shown))
        << " more (--limit 0 lists them all)\n";
  }
}

int run_repair(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"snap"}, {"level"}, {"output", 'o'}, {"limit"}}, args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  libgrid::RepairOptions options;
  if (!a.has("snap")) throw UsageError("missing --snap (the snap tolerance in CRS units)");
  options.snap = a.number("snap", 0.0);
  const std::string output = a.required("output");
  const std::size_t limit = limit_option(a, 20);
  // A missing folder, or an output that is the input, fails before the work.
  { const libgrid::AtomicOutput probe(output, {a.positional()[0]}); }

  const std::string& path = a.positional()[0];
  libgrid::GridSet grids = libgrid::read_grid_set(path);
  if (a.has("level")) options.level = grids.require_level(a.value("level"), "level");
  const libgrid::RepairReport report = libgrid::repair(grids, options);
  libgrid::write_grid_set(grids, output);

  out << "repaired " << path << ": children snapped to their parents within "
      << format_measure(options.snap) << "\n\n";
  if (report.cells.empty()) {
    out << "nothing within reach: no cell changed\n";
  } else {
    print_changes(grids, report, limit, out);
    out << '\n'
        << plural(report.cells.size(), "cell", "cells") << " changed, "
        << plural(report.vertices_moved(), "vertex", "vertices") << " moved; area "
        << format_measure(report.area_out()) << " out of cells, "
        << format_measure(report.area_in()) << " into them\n";
  }
  if (!report.skipped.empty()) {
    err << "warning: " << plural(report.skipped.size(), "cell", "cells")
        << " left as they are (invalid geometry, theirs or their parent's):";
    for (const std::string& code : report.skipped) err << ' ' << code;
    err << '\n';
  }
  out << "wrote " << output << '\n';
  return 0;
}

}  // namespace

const Command kRepairCommand{"repair", "snap cells to their parent's boundary to remove slivers",
                             R"(usage: gridtool repair GRIDSET.gpkg --snap T -o OUT.gpkg [options]

Separately digitised levels disagree along their shared boundaries by thin strips, which
'gridtool validate --tolerance T' reports as slivers. repair moves each cell onto its parent's
boundary where it lies within T of it, coarse levels first:
  - a vertex within T of a vertex of the parent moves onto it, and the parent's vertices
    along its boundary are inserted between two vertices that landed on it;
  - parts left outside the parent no thicker than T (2 x area / perimeter) are cut off;
  - two siblings that overlap only after snapping are parted again.
Thicker disagreements are left alone: a real problem stays one, for validate to report. Only
geometry changes; codes, parents, households, attributes, roster and duty table stay. Repairing
the result again changes nothing.

T is in the grid set's CRS units (metres, or degrees for lon/lat data). Prints the cells that
changed: vertices moved and added, area before and after, area cut off and taken in.

Exit status: 0 done, 2 bad input or usage (a cell that would vanish entirely is bad input and
is named; nothing is written then).

options:
  --snap T                snap tolerance, > 0 (required)
  --level NAME            snap only this level to its parent level (default: every level
                          below the top)
  -o, --output OUT.gpkg   the repaired grid set (replaced if it exists)
  --limit N               changed cells listed (default 20; 0 lists them all)
)",
                             run_repair};

}  // namespace gridtool
