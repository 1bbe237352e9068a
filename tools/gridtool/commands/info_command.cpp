#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/boundary_versions_text.h"
#include "gridtool/commands/commands.h"
#include "gridtool/commands/grid_set_summary.h"
#include "libgrid/io/grid_set_file.h"

namespace gridtool {
namespace {

int run_info(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"grid-level"}}, args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  const libgrid::GridSet grids = libgrid::read_grid_set(a.positional()[0]);
  out << a.positional()[0] << "\n\n";
  // Of several boundary versions, the summary and the checks are the latest's.
  const libgrid::GridSet latest = grids.version(grids.version_count() - 1);
  print_grid_set_summary(latest, out);
  print_boundary_versions(grids, out);
  const std::string grid_level = a.value("grid-level", "grid");
  if (a.has("grid-level")) latest.require_level(grid_level, "grid_level");
  check_grid_workers(latest, grid_level, err);
  return 0;
}

}  // namespace

const Command kInfoCommand{"info", "levels, cell counts, CRS, extent and households of a grid set",
                           R"(usage: gridtool info GRIDSET.gpkg [--grid-level NAME]

Prints the levels coarse to fine with their cell counts, households and population, the CRS,
the extent, and the sizes of the roster and the duty table. Warns about every grid with no
grid worker or with several ("one grid, one worker"). For a grid set of several boundary
versions, these are of the latest, followed by every version (effective date, cells per level)
and the cells each added, removed and reshaped per level.

options:
  --grid-level NAME   the level whose cells need exactly one grid worker (default: grid)
)",
                           run_info};

}  // namespace gridtool
