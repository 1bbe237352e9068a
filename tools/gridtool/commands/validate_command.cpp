#include <map>
#include <ostream>
#include <utility>

#include "gridtool/arguments.h"
#include "gridtool/commands/boundary_versions_text.h"
#include "gridtool/commands/command_options.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/validate/problems_file.h"
#include "libgrid/validate/validate.h"

namespace gridtool {
namespace {

std::string level_name(const libgrid::GridSet& grids, int level) {
  return grids.levels()[static_cast<std::size_t>(level)];
}

void print_summary(const libgrid::GridSet& grids, const libgrid::ValidationReport& report,
                   std::ostream& out) {
  struct Sums {
    long long problems = 0, slivers = 0;
    double area = 0.0;
  };
  std::map<std::pair<int, libgrid::ProblemKind>, Sums> sums;  // report order: level, kind
  for (const libgrid::Problem& p : report.problems) {
    Sums& s = sums[{p.level, p.kind}];
    ++s.problems;
    s.slivers += p.sliver;
    s.area += p.area;
  }
  Table table({"level", "kind", "problems", "slivers", "real", "area"});
  for (const auto& [key, s] : sums) {
    table.add_row({level_name(grids, key.first), std::string(libgrid::to_string(key.second)),
                   format_count(s.problems), format_count(s.slivers),
                   format_count(s.problems - s.slivers), s.area > 0 ? format_measure(s.area) : ""});
  }
  table.print(out);
}

void print_real_problems(const libgrid::GridSet& grids, const libgrid::ValidationReport& report,
                         std::size_t limit, std::ostream& out) {
  Table table({"level", "code", "other code", "kind", "area", "thickness", "detail"});
  std::size_t shown = 0;
  for (const libgrid::Problem& p : report.problems) {
    if (p.sliver) continue;
    if (limit > 0 && shown == limit) break;
    ++shown;
    const bool has_area = p.area > 0;
    table.add_row({level_name(grids, p.level), p.cell_code, p.other_code,
                   std::string(libgrid::to_string(p.kind)), has_area ? format_measure(p.area) : "",
                   has_area ? format_measure(p.thickness) : "", p.detail});
  }
  table.print(out);
  if (shown < report.real_count()) {
    out << "... and " << format_count(static_cast<long long>(report.real_count() - shown))
        << " more (--limit 0 lists them all)\n";
  }
}

int run_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"tolerance"}, {"grid-level"}, {"output", 'o'}, {"limit"}}, args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  libgrid::ValidateOptions options;
  options.tolerance = a.number("tolerance", 0.0);
  options.grid_level = a.value("grid-level", options.grid_level);
  const std::size_t limit = limit_option(a, 20);
  const std::string output = a.value("output");
  if (!output.empty()) {
    // A missing folder, or an output that is the input, fails before the work.
    const libgrid::AtomicOutput probe(output, {a.positional()[0]});
  }

  const std::string& path = a.positional()[0];
  const libgrid::GridSet grids = latest_boundaries(libgrid::read_grid_set(path), path, err);
  const libgrid::ValidationReport report = libgrid::validate(grids, options);
  if (!output.empty()) libgrid::write_problems(report, grids, output);

  out << "validated " << path << ": " << format_count(static_cast<long long>(grids.size()))
      << " cells on " << grids.levels().size() << " levels, tolerance "
      << format_measure(options.tolerance) << "\n\n";
  const std::size_t slivers = report.sliver_count();
  const std::size_t real = report.real_count();
  if (report.problems.empty()) {
    out << "no problems found\n";
  } else {
    print_summary(grids, report, out);
    out << '\n';
    if (real == 0) {
      out << "no problems beyond " << format_count(static_cast<long long>(slivers))
          << (slivers == 1 ? " sliver" : " slivers") << " no thicker than the tolerance\n";
    } else {
      out << format_count(static_cast<long long>(real)) << (real == 1 ? " problem" : " problems");
      if (slivers > 0) {
        out << " (and " << format_count(static_cast<long long>(slivers))
            << (slivers == 1 ? " sliver" : " slivers") << " not listed)";
      }
      out << ":\n";
      print_real_problems(grids, report, limit, out);
    }
  }
  if (!output.empty()) {
    out << "\nwrote " << output << '\n';
  }
  return report.clean() ? 0 : 1;
}

}  // namespace

const Command kValidateCommand{
    "validate", "report gaps, overlaps, slivers, bad codes and unstaffed grids",
    R"(usage: gridtool validate GRIDSET.gpkg [--tolerance T] [-o PROBLEMS.gpkg] [options]

Checks every level against the level above and reports:
  gap                        part of a parent covered by none of its children
  overlap                    area shared by two cells of one level
  outside_parent             part of a cell outside its parent
  invalid_geometry           geometry GEOS finds invalid (such cells skip the checks above)
  not_contiguous             a cell in more parts than its parent
  malformed_code             a code not all digits, or of another length, unlike most of
                             its level
  code_not_extending_parent  a code that does not start with its parent's code
  no_parent                  a cell below the top level with no parent
  grid_workers               a grid without exactly one grid worker (when there is a roster)

A gap, overlap, outside part or stray part no thicker than the tolerance (thickness: 2 x
area / perimeter, in the grid set's CRS units: metres, or degrees for lon/lat data) is a
sliver, where two layers digitised apart disagree; slivers are counted, not listed, and do
not count as problems for the exit status.

Prints a table per level and kind (problems, slivers, real ones, total area in square CRS
units) and lists the real problems.

Exit status: 0 no problems but slivers, 1 problems found, 2 bad input or usage.

options:
  --tolerance T           sliver thickness (default 0: nothing is a sliver)
  --grid-level NAME       the level whose cells need exactly one grid worker (default: grid)
  -o, --output OUT.gpkg   write every problem, slivers included, to a GeoPackage for QGIS
                          (replaced if it exists): those with an area in the MultiPolygon
                          layer "problems", the others (codes, parents, workers) in the
                          table "problems_table"; fields level, level_name, kind, cell_code,
                          other_code, area, thickness, sliver, detail
  --limit N               real problems listed (default 20; 0 lists them all)
)",
    run_validate};

}  // namespace gridtool
