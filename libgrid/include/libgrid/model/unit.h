// Workload on the ground: units (address points, buildings) carrying households. An input of
// partition and rebalance, checked there together with the barriers (model/barrier.h).
#pragma once

#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/model/barrier.h"

namespace libgrid {

// A unit of workload: an address point or a building's representative point, in the grid set's
// CRS, carrying its households.
struct Unit {
  Point location{};
  double weight = 1.0;
};

// Throws Error(kInvalidInput) naming the first unit (counted from 1) without a finite location
// or whose weight is not finite and >= 0, when the weights add up past the largest double (a
// sum every band and report is measured against), and the first barrier with fewer than 2
// points or a coordinate that is not finite.
void check_workload(const std::vector<Unit>& units, const std::vector<Barrier>& barriers);

}  // namespace libgrid
