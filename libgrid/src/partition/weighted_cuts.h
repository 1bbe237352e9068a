// Straight cuts that split a block too heavy to be one piece between its units: weighted
// recursive bisection, each cut across the longer side of the units' spread, halfway between
// the two units that straddle the weighted split.
#pragma once

#include <vector>

#include "internal/geos_context.h"
#include "libgrid/geometry/point.h"

namespace libgrid::internal {

struct WeightedPoint {
  Point location;
  double weight;
};

// Cuts splitting `block` into pieces of about `granularity` or less (a piece can weigh more
// only where units share a location). Each cut is clipped to the block and overshoots its ends
// slightly, so that noding it with the block's boundary and the other cuts closes the pieces;
// the overshoots are dangles, which polygonising drops.
std::vector<std::vector<Point>> weighted_cuts(const GeosContext& geos, const GEOSGeometry& block,
                                              std::vector<WeightedPoint> points,
                                              double granularity);

}  // namespace libgrid::internal
