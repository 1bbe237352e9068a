// Workload on the ground: units (address points, buildings) carrying households, and barriers
// (roads, rivers, walls) that cells prefer as boundaries. Inputs of partition and rebalance.
#pragma once

#include <vector>

#include "libgrid/geometry/point.h"

namespace libgrid {

// A unit of workload: an address point or a building's representative point, in the grid set's
// CRS, carrying its households.
struct Unit {
  Point location{};
  double weight = 1.0;
};

// A barrier: a polyline (road, river, wall) in the grid set's CRS.
using Barrier = std::vector<Point>;

// Throws Error(kInvalidInput) naming the first unit (counted from 1) without a finite location
// or whose weight is not finite and >= 0, when the weights add up past the largest double (a
// sum every band and report is measured against), and the first barrier with fewer than 2
// points or a coordinate that is not finite.
void check_workload(const std::vector<Unit>& units, const std::vector<Barrier>& barriers);

}  // namespace libgrid
