#include "gridtool/commands/grid_set_summary.h"

#include <cstdio>
#include <ostream>

#include "gridtool/table.h"

namespace gridtool {

void print_grid_set_summary(const libgrid::GridSet& grids, std::ostream& out) {
  Table table({"level", "name", "cells", "households", "population"});
  for (std::size_t l = 0; l < grids.levels().size(); ++l) {
    const libgrid::GridSet::Totals& totals = grids.totals(static_cast<int>(l));
    table.add_row({std::to_string(l), grids.levels()[l],
                   format_count(static_cast<long long>(totals.cells)),
                   format_count(totals.households), format_count(totals.population)});
  }
  table.print(out);
  const libgrid::Box box = grids.extent();
  char extent[160] = "empty";
  if (!box.empty()) {
    std::snprintf(extent, sizeof extent, "%.6f %.6f, %.6f %.6f", box.min_x, box.min_y, box.max_x,
                  box.max_y);
  }
  const std::string crs = grids.crs().size() > 60 ? grids.crs().substr(0, 57) + "..." : grids.crs();
  out << "\ncrs:     " << (crs.empty() ? "unknown" : crs) << "\nextent:  " << extent
      << "\nroster:  " << format_count(static_cast<long long>(grids.roster().entries.size()))
      << " entries\nduty:    "
      << format_count(static_cast<long long>(grids.duty_table().rules.size()))
      << " event classes\n";
  if (grids.calendar().empty()) return;
  long long holidays = 0, workdays = 0;
  for (const auto& [day, kind] : grids.calendar().exceptions()) {
    (kind == libgrid::DayKind::kHoliday ? holidays : workdays) += 1;
  }
  out << "calendar: " << format_count(holidays) << " holidays, " << format_count(workdays)
      << " make-up working days\n";
}

int check_grid_workers(const libgrid::GridSet& grids, const std::string& grid_level,
                       std::ostream& err) {
  const int level = grids.level_index(grid_level);
  if (level < 0) return -1;
  if (grids.roster().empty()) return 0;
  int problems = 0;
  for (const libgrid::CellId id : grids.cells_of_level(level)) {
    const auto& cell = grids.cell(id);
    const auto workers = grids.roster().people(cell.code, libgrid::Role::kGridWorker);
    if (workers.size() == 1) continue;
    ++problems;
    err << "warning: " << grid_level << ' ' << cell.code << " (" << cell.name << ") has "
        << (workers.empty() ? "no grid worker" : std::to_string(workers.size()) + " grid workers")
        << "; one grid, one worker\n";
  }
  return problems;
}

}  // namespace gridtool
