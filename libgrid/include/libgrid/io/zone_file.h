// Zones for ZoneQuery (libgrid/zone/zone_query.h) from files, well-known text and other CRSs,
// and the cells a zone touches written as a GeoPackage.
#pragma once

#include <string>
#include <vector>

#include "libgrid/geometry/disk_overlap.h"
#include "libgrid/geometry/polygon.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/zone/zone_query.h"

namespace libgrid {

// The union of the polygons of the first layer of any vector file GDAL reads, in `grid_crs`.
// The zone's CRS is `zone_crs` when given, else the layer's; a layer in a CRS other than the
// grid set's is refused unless `zone_crs` says which CRS to transform from (GeoJSON without a
// "crs" member is longitude/latitude). Throws Error(kInvalidInput) naming the file, layer and
// feature for: no polygons, a feature that is not a polygon, a ring not closed, a coordinate
// that is not a number, an invalid polygon (why and where), a point that cannot be transformed;
// Error(kIo) when the file cannot be opened.
MultiPolygon read_zone(const std::string& path, const std::string& grid_crs,
                       const std::string& zone_crs = "");

// POLYGON or MULTIPOLYGON text in `zone_crs` (the grid set's when empty), transformed into
// `grid_crs`. Throws Error(kInvalidInput) for text that does not parse, an invalid polygon or a
// point that cannot be transformed.
MultiPolygon parse_zone_wkt(const std::string& wkt, const std::string& grid_crs,
                            const std::string& zone_crs = "");

// A circle whose centre is in `zone_crs` (the grid set's when empty), moved into `grid_crs`; the
// radius stays in the grid set's units (metres in a projected CRS). Throws Error(kInvalidInput)
// when the centre cannot be transformed.
Circle circle_in_grid_crs(const Circle& circle, const std::string& grid_crs,
                          const std::string& zone_crs = "");

// A GeoPackage with one MultiPolygon layer "zone_cells" in the grid set's CRS: per touched cell
// its whole geometry and the fields code, name, level (the level's name), area, area_inside,
// share, households, population, estimated (boolean), units, grid_worker, grid_worker_phone,
// leader and leader_phone (names and phones joined by ";"); and a table "zone_levels" of the
// totals per level: level, cells, cells_covered, cells_edge_only, cells_estimated, area_inside,
// households, population. Written atomically (io/atomic_output.h), refusing to write over any of
// `inputs`; an existing file is replaced. Throws Error(kIo) when it cannot be written.
void write_zone_cells(const ZoneReport& report, const GridSet& grids, const std::string& path,
                      const std::vector<std::string>& inputs = {});

}  // namespace libgrid
