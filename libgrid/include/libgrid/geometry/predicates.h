// Exact geometric predicates on double coordinates.
//
// Every answer here is exact for any finite input: an orientation is first evaluated in double
// precision with a forward error bound and, only when that cannot decide, evaluated again exactly
// with floating-point expansions. No answer depends on rounding.
//
// THE BOUNDARY RULE. A point p belongs to an area A when A's interior contains every point
//
//     p + (d^2, d)      for all small enough d > 0,
//
// that is, the point an infinitesimal step north of p, nudged an even smaller step east. So a
// point on a horizontal edge belongs to the area north of the edge; a point on a vertical edge
// to the area east of it; a point on a sloping edge to the area the edge's northward continuation
// from p leaves on its east side; a vertex to the one area that holds the points just north of
// it. Since those nudged points lie on no edge at all, two areas with disjoint interiors never
// share a point, and areas that cover a region with no gaps hold each of its points exactly
// once, including every point on shared edges, shared vertices and hole rings. Points on the
// north and east rim of the covered region belong to no area (as in S2's semi-open model).
#pragma once

#include "libgrid/geometry/point.h"
#include "libgrid/geometry/polygon.h"

namespace libgrid {

// Sign of the signed area of triangle (a, b, c): +1 when c lies left of the directed line
// a -> b (counter-clockwise turn), -1 when right, 0 when the three points are collinear. Exact.
int orientation(Point a, Point b, Point c);

// True when `area` holds `p` under the boundary rule above. Exact. Rings may be in any
// orientation; holes are told from shells by nesting (even-odd over all rings).
bool holds(const MultiPolygon& area, Point p);
bool holds(const Ring& ring, Point p);

// Where p lies relative to the closed area, in OGC terms. Exact.
enum class PointLocation { kInterior, kBoundary, kExterior };
PointLocation locate(const MultiPolygon& area, Point p);

}  // namespace libgrid
