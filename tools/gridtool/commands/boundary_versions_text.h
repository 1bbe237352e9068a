// What info and version print about a grid set's boundary versions, and the time options of the
// commands that take a version.
#pragma once

#include <iosfwd>
#include <string>

#include "gridtool/arguments.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/model/grid_set.h"

namespace gridtool {

// The versions (effective date, cells per level) and, for each after the first, the cells
// added, removed and reshaped (the same code, another cell) per level. Nothing for a grid set
// of one version.
void print_boundary_versions(const libgrid::GridSet& grids, std::ostream& out);

// The option's value as a local time: "YYYY-MM-DD" (its first minute) or "YYYY-MM-DDTHH:MM";
// a UsageError naming the option otherwise. REQUIRES: the option is given.
libgrid::LocalMinutes time_option(const Arguments& a, const std::string& name);

// What a command that reads one set of boundaries (validate, render, area) works on: the grid
// set itself or, of a set of several versions, the latest, which it says on `err`.
libgrid::GridSet latest_boundaries(libgrid::GridSet grids, const std::string& path,
                                   std::ostream& err);

}  // namespace gridtool
