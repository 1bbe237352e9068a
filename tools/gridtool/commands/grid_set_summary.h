// What import and info print about a grid set.
#pragma once

#include <iosfwd>
#include <string>

#include "libgrid/model/grid_set.h"

namespace gridtool {

// Levels with their cell counts, households and population; CRS, extent, roster and duty sizes.
void print_grid_set_summary(const libgrid::GridSet& grids, std::ostream& out);

// "One grid, one worker": warns on `err` about each cell of `grid_level` with no grid worker or
// with several. Returns the number of such cells; -1 when the grid set has no such level.
int check_grid_workers(const libgrid::GridSet& grids, const std::string& grid_level,
                       std::ostream& err);

}  // namespace gridtool
