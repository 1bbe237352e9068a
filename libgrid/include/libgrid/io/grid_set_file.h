// The grid set file: one GeoPackage that every gridtool command and GridSet.read take.
//
// Layout: one polygon layer per level, named after the level, with the fields code, name,
// parent_code, households, population, kind and the sources' other fields; a table
// "libgrid_levels" (ordinal, name) giving the level order; tables "libgrid_roster" and
// "libgrid_duty" holding the roster and the duty table. The CRS is the layers' spatial reference.
#pragma once

#include <string>

#include "libgrid/model/grid_set.h"

namespace libgrid {

// Throws Error(kIo) when the file cannot be opened, Error(kInvalidInput) when it is not a
// libgrid grid set or a feature is broken.
GridSet read_grid_set(const std::string& path);

// Writes atomically (temporary file, then rename); an existing file is replaced.
void write_grid_set(const GridSet& grids, const std::string& path);

}  // namespace libgrid
