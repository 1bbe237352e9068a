// Well-known text for the geometry values libgrid uses: readable test fixtures and debugging.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/geometry/polygon.h"

namespace libgrid {

// Reads POLYGON or MULTIPOLYGON (EMPTY allowed). Throws Error(kInvalidInput) naming the offset
// of the first bad character.
MultiPolygon parse_wkt_area(std::string_view wkt);
// Reads POINT or MULTIPOINT, in both MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)) forms.
std::vector<Point> parse_wkt_points(std::string_view wkt);

// MULTIPOLYGON text with the shortest decimal form that reads back to the same doubles.
std::string to_wkt(const MultiPolygon& area);
std::string to_wkt(Point p);

}  // namespace libgrid
