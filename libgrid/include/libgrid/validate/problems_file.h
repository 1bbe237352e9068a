// A validation report as a GeoPackage a planner opens in QGIS.
//
// Layout: a MultiPolygon layer "problems" with every problem that has an area to show (gaps,
// overlaps, outside parts, stray parts, invalid cells), and a table "problems_table" with no
// geometry holding the others (codes, missing parents, grid workers). Both have the fields
// level (the level's index), level_name, kind, cell_code, other_code, area, thickness, sliver
// (boolean) and detail. The CRS is the grid set's.
#pragma once

#include <string>

#include "libgrid/model/grid_set.h"
#include "libgrid/validate/validate.h"

namespace libgrid {

// Writes atomically (temporary file, then rename); an existing file is replaced. Throws
// Error(kIo) when the file cannot be written.
void write_problems(const ValidationReport& report, const GridSet& grids, const std::string& path);

// Reads a file write_problems wrote: the problems of "problems", then those of "problems_table",
// each in the order written.
// Throws Error(kIo) when the file cannot be opened, Error(kInvalidInput) when it is not one.
ValidationReport read_problems(const std::string& path);

}  // namespace libgrid
