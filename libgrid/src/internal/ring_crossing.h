// The edge test behind the boundary rule of libgrid/geometry/predicates.h.
//
// A point p belongs to an area when the nudged point q = p + (d^2, d), d -> 0+, is inside it.
// q lies on no edge, so the classic crossing count of a ray from q towards +x decides it. This
// function says whether edge a-b crosses that ray, computed from p exactly:
//  - q's ray meets the edge's line at height p.y + d, so the edge spans it exactly when one
//    endpoint is strictly above p.y and the other is not;
//  - the crossing is east of q when q is left of the edge directed upward; where p itself is on
//    the edge's line (orientation 0), q is left of it exactly when the upward edge leans east
//    (its +d term), and a vertical edge leaves q on its east side (the -d^2 term).
#pragma once

#include "internal/exact_orientation.h"
#include "libgrid/geometry/point.h"

namespace libgrid::internal {

inline bool crosses_north_ray(Point a, Point b, Point p) {
  const bool a_above = a.y > p.y;
  const bool b_above = b.y > p.y;
  if (a_above == b_above) return false;
  const Point lo = a_above ? b : a;
  const Point hi = a_above ? a : b;
  // Quick rejections: wholly west of p the edge cannot be east of q; wholly east it must be.
  if (lo.x < p.x && hi.x < p.x) return false;
  if (lo.x > p.x && hi.x > p.x) return true;
  const int side = exact_orientation(lo, hi, p);
  if (side != 0) return side > 0;
  return hi.x > lo.x;
}

}  // namespace libgrid::internal
