#include "libgrid/geometry/polygon.h"

#include <cmath>

namespace libgrid {

Box envelope(const MultiPolygon& area) {
  Box box;
  for (const auto& polygon : area.polygons) {
    if (polygon.rings.empty()) continue;
    for (const Point& p : polygon.rings.front()) box.expand(p);
  }
  return box;
}

namespace {
// Shoelace about the ring's first point: with coordinates of millions (projected metres) the
// products about the origin would round to ~1e-4, swamping the area of a thin strip.
double ring_area(const Ring& ring) {
  if (ring.empty()) return 0.0;
  const Point o = ring.front();
  double twice = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += (ring[i].x - o.x) * (ring[i + 1].y - o.y) - (ring[i + 1].x - o.x) * (ring[i].y - o.y);
  }
  return std::abs(twice) / 2.0;
}
}  // namespace

double area(const MultiPolygon& area) {
  double total = 0.0;
  for (const auto& polygon : area.polygons) {
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      total += (r == 0 ? 1.0 : -1.0) * ring_area(polygon.rings[r]);
    }
  }
  return total;
}

double perimeter(const MultiPolygon& area) {
  double total = 0.0;
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        total += std::hypot(ring[i + 1].x - ring[i].x, ring[i + 1].y - ring[i].y);
      }
    }
  }
  return total;
}

std::size_t vertex_count(const MultiPolygon& area) {
  std::size_t n = 0;
  for (const auto& polygon : area.polygons) {
    for (const auto& ring : polygon.rings) n += ring.empty() ? 0 : ring.size() - 1;
  }
  return n;
}

}  // namespace libgrid
