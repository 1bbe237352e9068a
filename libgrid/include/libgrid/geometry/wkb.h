// Well-known binary for cells' geometry: the form Shapely, GeoPandas and GDAL read fastest.
#pragma once

#include <string>

#include "libgrid/geometry/polygon.h"

namespace libgrid {

// ISO WKB of a MULTIPOLYGON (type 6), little-endian, 2-D: every ring as held (closed), holes
// after their shell. An empty area is a MULTIPOLYGON with no polygons.
std::string to_wkb(const MultiPolygon& area);

}  // namespace libgrid
