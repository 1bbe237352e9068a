// Areas and distances between polygons and a true circle (a disk), computed from the circle
// itself, never from a polygon standing in for it.
#pragma once

#include "libgrid/geometry/point.h"
#include "libgrid/geometry/polygon.h"

namespace libgrid {

// A closed disk: every point within `radius` of `centre`.
struct Circle {
  Point centre{};
  double radius = 0.0;
};

// The area of `area` inside the disk. Exact up to rounding: each edge adds the signed area its
// triangle with the centre shares with the disk (a triangle where the edge runs inside, a
// circular sector where it runs outside), so the result is the true intersection, not that of a
// polygonised circle. Rings may be in any orientation; rings[0] of each polygon is the shell.
// REQUIRES: radius >= 0.
double area_inside(const MultiPolygon& area, const Circle& circle);

// The distance from `p` to the closed area (0 when it holds p, on its boundary included).
double distance(const MultiPolygon& area, Point p);

}  // namespace libgrid
