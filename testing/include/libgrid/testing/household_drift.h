// A seeded year of household drift, for rebalance tests and benchmarks: the units of a grid set
// after a new estate, a demolition or growth everywhere.
//
// THE ANCHOR. A new estate or a demolition lies around a point 70% of the way from the units'
// weighted centre to the unit farthest in `corner_direction` (the largest projection on it).
//
// - kNewEstate: `households` new households in a compact cluster around the anchor: points drawn
//   from a Gaussian whose spread is 3% of the diagonal of the grid set's extent (about 130 m on
//   a street 3 km across), each redrawn until it lies in a cell of the finest level. They come as
//   units of 10 households, the last one the remainder, appended after the given units.
// - kDemolition: exactly `households` removed from the units nearest the anchor, nearest first:
//   whole units go to weight 0, the last one is reduced in part.
// - kGrowth: every weight times (1 + growth), rounded to whole households by the largest
//   remainder method, so that the total is exactly round(total × (1 + growth)).
//
// The same options give the same units, coordinate for coordinate.
#pragma once

#include <cstdint>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/unit.h"

namespace libgrid::testing {

enum class HouseholdDrift { kNewEstate, kDemolition, kGrowth };

struct HouseholdDriftOptions {
  HouseholdDrift kind = HouseholdDrift::kGrowth;
  // kNewEstate: households added (e.g. 3000); kDemolition: households removed (e.g. 1500).
  // REQUIRES: >= 0; for kDemolition, at most the units' total.
  std::int64_t households = 0;
  double growth = 0.05;  // kGrowth: every unit grows by this share. REQUIRES: > -1, finite
  // Where the estate or the demolition lies, from the units' centre. REQUIRES: finite, not {0, 0}
  Point corner_direction{1, 1};
  std::uint64_t seed = 1;
};

// The units after a year of drift. Unit i of the result is unit i of `units` (same location,
// weight changed), so moves can be traced; a new estate's units are appended.
// REQUIRES: `units` is not empty and its weights are finite and >= 0; for kNewEstate, `grids`
// has cells at its finest level near the anchor. Throws Error(kInvalidInput) otherwise, or for
// options outside their REQUIRES.
std::vector<Unit> drift_households(const GridSet& grids, const std::vector<Unit>& units,
                                   const HouseholdDriftOptions& options);

}  // namespace libgrid::testing
