// Polygon values as plain vectors of points, cheap to build, copy and hand to NumPy.
#pragma once

#include <cstddef>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"

namespace libgrid {

// A closed ring: the first point equals the last, so edge i runs from ring[i] to ring[i + 1].
using Ring = std::vector<Point>;

// rings[0] is the shell, the others are holes. Orientation is not significant.
struct Polygon {
  std::vector<Ring> rings{};
};

// Any number of polygons; a cell's geometry is always held as a MultiPolygon.
struct MultiPolygon {
  std::vector<Polygon> polygons{};

  bool empty() const { return polygons.empty(); }
};

Box envelope(const MultiPolygon& area);
// Unsigned area: shells minus holes.
double area(const MultiPolygon& area);
// Length of every ring, holes included.
double perimeter(const MultiPolygon& area);
// Number of ring vertices, closing points not counted.
std::size_t vertex_count(const MultiPolygon& area);

}  // namespace libgrid
