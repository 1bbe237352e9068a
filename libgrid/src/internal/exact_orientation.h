// Exact orientation of three double-precision points.
//
// The determinant is first computed in doubles with Shewchuk's forward error bound; only when the
// rounded value is too close to zero to trust is it computed again exactly, as a sum of products
// held in a floating-point expansion (each product split exactly with fma). Exact unless a
// product underflows, which needs coordinates below about 1e-150 in magnitude.
#pragma once

#include <cmath>

#include "libgrid/geometry/point.h"

namespace libgrid::internal {

int exact_orientation_slow(Point a, Point b, Point c);

inline int exact_orientation(Point a, Point b, Point c) {
  const double left = (b.x - a.x) * (c.y - a.y);
  const double right = (b.y - a.y) * (c.x - a.x);
  const double det = left - right;
  // (3 + 16 eps) eps, Shewchuk's ccwerrboundA.
  constexpr double kErrorBound = 3.3306690738754716e-16;
  const double bound = kErrorBound * (std::abs(left) + std::abs(right));
  if (det > bound) return 1;
  if (det < -bound) return -1;
  return exact_orientation_slow(a, b, c);
}

}  // namespace libgrid::internal
