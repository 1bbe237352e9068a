// The grid set file: one GeoPackage that every gridtool command and GridSet.read take.
//
// Layout: one polygon layer per level, named after the level, with the fields code, name,
// parent_code, households, population, kind and the sources' other fields; a table
// "libgrid_levels" (ordinal, name) giving the level order; tables "libgrid_roster" and
// "libgrid_duty" holding the roster and the duty table. The CRS is the layers' spatial reference.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "libgrid/model/grid_set.h"

namespace libgrid {

// Throws Error(kInvalidInput) naming the level when a grid set file cannot hold a level called
// `name`: names starting with "libgrid_" (in any case) are the file's own tables. Commands that
// add levels call it before their work; write_grid_set() calls it too.
void check_level_name(std::string_view name);

// Whether a cell attribute may have this name in a grid set file: not empty and, compared
// without case, none of the fields every level layer has (code, name, parent_code, households,
// population, kind, and GeoPackage's fid and geom).
bool attribute_name_allowed(std::string_view name);

// The most attribute columns one level's layer holds: SQLite's 2,000 columns a table, less the
// fields every level layer has.
inline constexpr std::size_t kMaxAttributeColumns = 1992;

// Throws Error(kIo) when the file cannot be opened, Error(kInvalidInput) when it is not a
// libgrid grid set or a feature is broken.
GridSet read_grid_set(const std::string& path);

// Writes atomically (temporary file, then rename); an existing file is replaced. Throws
// Error(kInvalidInput) for an attribute name not allowed, or more attribute columns on a level
// than kMaxAttributeColumns.
void write_grid_set(const GridSet& grids, const std::string& path);

}  // namespace libgrid
