#include <cmath>
#include <cstdio>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/boundary_versions_text.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/crs/transform.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/model/grid_set.h"

namespace gridtool {
namespace {

double parse_coordinate(const std::string& text, const char* which) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) {
    throw UsageError(std::string(which) + " must be a finite number, not '" + text + "'");
  }
  return v;
}

std::string people_text(const std::vector<libgrid::Person>& people) {
  return people.empty() ? "-" : libgrid::names_text(people);
}

int run_lookup(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  const Arguments a({{"crs"}, {"class"}, {"at"}}, args);
  if (a.positional().size() != 3) throw UsageError("give GRIDSET.gpkg X Y");
  const libgrid::GridSet grids = libgrid::read_grid_set(a.positional()[0]);
  double x = parse_coordinate(a.positional()[1], "X");
  double y = parse_coordinate(a.positional()[2], "Y");
  const double input_x = x, input_y = y;
  if (a.has("crs")) {
    const libgrid::Transform transform(a.value("crs"), grids.crs());
    transform.apply(std::span<double>(&x, 1), std::span<double>(&y, 1));
    if (!std::isfinite(x) || !std::isfinite(y)) {
      throw libgrid::Error(libgrid::ErrorKind::kInvalidInput,
                           "point " + a.positional()[1] + " " + a.positional()[2] +
                               " cannot be transformed from " + a.value("crs"));
    }
  }
  const libgrid::CellIndex index(grids);
  libgrid::CellId finest = libgrid::kNoCell;
  if (a.has("at")) {
    try {
      finest = index.lookup({x, y}, time_option(a, "at"));
    } catch (const libgrid::Error& e) {
      throw libgrid::Error(e.kind(), libgrid::Location{.file = a.positional()[0]}, e.detail());
    }
  } else {
    finest = index.lookup({x, y});
  }
  char where[200];
  std::snprintf(where, sizeof where, "%.9g %.9g", input_x, input_y);
  if (finest == libgrid::kNoCell) {
    out << "point " << where << " is not covered by any cell\n";
    return 0;
  }
  const libgrid::ResponsibilityResolver resolver(grids);
  const libgrid::Responsibility r = resolver.resolve(finest, a.value("class"));
  out << "point " << where << "\n\n";
  Table path({"level", "code", "name", "kind"});
  for (const libgrid::CellId id : r.path) {
    const auto& c = grids.cell(id);
    path.add_row({grids.levels()[static_cast<std::size_t>(c.level)], c.code, c.name,
                  std::string(libgrid::to_string(c.kind))});
  }
  path.print(out);
  out << '\n';
  if (r.grid_worker_cell != libgrid::kNoCell) {
    out << "grid worker:   " << r.grid_worker.name << " (" << r.grid_worker.id
        << (r.grid_worker.phone.empty() ? "" : ", " + r.grid_worker.phone) << ") of "
        << grids.cell(r.grid_worker_cell).code << '\n';
  } else {
    out << "grid worker:   none on the roster\n";
  }
  out << "grid leaders:  " << people_text(r.grid_leaders) << '\n';
  out << "info workers:  " << people_text(r.info_workers) << '\n';
  if (a.has("class")) {
    if (r.has_rule) {
      out << "event class:   " << r.rule.event_class << ' ' << r.rule.class_name << '\n'
          << "department:    " << r.rule.department << '\n'
          << "handled at:    " << r.rule.handling_level
          << (r.handling_cell != libgrid::kNoCell ? " " + grids.cell(r.handling_cell).code : "")
          << '\n'
          << "deadline:      " << r.rule.deadline << ' ' << libgrid::to_string(r.rule.unit) << '\n';
    } else {
      out << "event class:   " << a.value("class") << " has no duty rule\n";
    }
  }
  out << "escalation:    " << libgrid::escalation_text(grids, r) << '\n';
  return 0;
}

}  // namespace

const Command kLookupCommand{
    "lookup", "the cell path and the responsible people for one point",
    R"(usage: gridtool lookup GRIDSET.gpkg X Y [--crs CRS] [--class CODE] [--at TIME]

Prints the cells holding the point at every level, coarse to fine, its grid worker, grid
leaders and info workers, and the escalation chain up the levels. With --class, also the
department, handling level and deadline from the duty table. A grid set of several boundary
versions answers the latest, or the version in force at --at.

A point on a shared edge or vertex belongs to exactly one cell: the one holding the points
immediately north of it (nudged east where the edge is vertical).

options:
  --crs CRS      CRS of X and Y (default: the grid set's), e.g. EPSG:4326 for longitude/latitude,
                 GCJ-02 (Amap, Tencent) or BD-09 (Baidu) for the Chinese maps' offset ones
  --class CODE   event class code, e.g. 0101
  --at TIME      YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time): the boundaries in force then
)",
    run_lookup};

}  // namespace gridtool
