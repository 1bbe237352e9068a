#include "libgrid/geometry/predicates.h"

#include <algorithm>

#include "internal/exact_orientation.h"
#include "internal/ring_crossing.h"

namespace libgrid {

int orientation(Point a, Point b, Point c) { return internal::exact_orientation(a, b, c); }

bool holds(const Ring& ring, Point p) {
  bool inside = false;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    if (internal::crosses_north_ray(ring[i], ring[i + 1], p)) inside = !inside;
  }
  return inside;
}

bool holds(const MultiPolygon& area, Point p) {
  bool inside = false;
  for (const auto& polygon : area.polygons) {
    for (const auto& ring : polygon.rings) {
      if (holds(ring, p)) inside = !inside;
    }
  }
  return inside;
}

namespace {
bool on_segment(Point a, Point b, Point p) {
  if (p.x < std::min(a.x, b.x) || p.x > std::max(a.x, b.x)) return false;
  if (p.y < std::min(a.y, b.y) || p.y > std::max(a.y, b.y)) return false;
  return internal::exact_orientation(a, b, p) == 0;
}
}  // namespace

PointLocation locate(const MultiPolygon& area, Point p) {
  for (const auto& polygon : area.polygons) {
    for (const auto& ring : polygon.rings) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        if (on_segment(ring[i], ring[i + 1], p)) return PointLocation::kBoundary;
      }
    }
  }
  // Off the boundary, the boundary rule's nudged point lies in the same face as p.
  return holds(area, p) ? PointLocation::kInterior : PointLocation::kExterior;
}

}  // namespace libgrid
