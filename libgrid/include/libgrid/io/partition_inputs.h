// Reading a partition's units (address points, buildings) and barriers (roads, rivers, walls).
#pragma once

#include <string>
#include <vector>

#include "libgrid/model/barrier.h"
#include "libgrid/model/unit.h"

namespace libgrid {

// Units from a CSV file (.csv or .csv.gz, or "-" for standard input: columns x and y, or
// lon/lng/longitude and lat/latitude) or any vector source GDAL reads (points; polygons count at a point inside them).
// `weight_field` names the households column, empty for weight 1 each. Coordinates are turned
// into `grid_crs`: from `source_crs` when given, else from the layer's CRS, else for CSV from
// EPSG:4326 when the columns are longitude/latitude and `grid_crs` when they are x/y.
// Throws Error naming the file, feature (CSV: row) and field: missing columns or field, a weight
// that is not a number or negative, lines, empty geometry, latitude and longitude swapped.
std::vector<Unit> read_units(const std::string& path, const std::string& weight_field,
                             const std::string& grid_crs, const std::string& source_crs = "");

// Barriers from any vector source of lines (LineString, MultiLineString), turned into
// `grid_crs` like units. Error naming the feature for anything that is not a line.
std::vector<Barrier> read_barriers(const std::string& path, const std::string& grid_crs,
                                   const std::string& source_crs = "");

}  // namespace libgrid
