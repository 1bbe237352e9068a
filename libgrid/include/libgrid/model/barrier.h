// Barriers on the ground (roads, rivers, walls): lines that cells prefer as boundaries. An input
// of partition and rebalance.
#pragma once

#include <vector>

#include "libgrid/geometry/point.h"

namespace libgrid {

// A barrier: a polyline (road, river, wall) in the grid set's CRS.
using Barrier = std::vector<Point>;

}  // namespace libgrid
