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

}  // namespace libgrid
