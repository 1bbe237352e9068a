// The refusal of points in the wrong CRS or with their axes swapped (see Assigner::check_crs).
#pragma once

#include <cstddef>
#include <span>

#include "libgrid/assign/assign.h"

namespace libgrid {
class CellIndex;
class GridSet;
class Transform;
}  // namespace libgrid

namespace libgrid::internal {

// `to_grid` takes the points from their CRS to the grid set's (nullptr: the same CRS).
void check_point_crs(const GridSet& grids, const CellIndex& index, const AssignOptions& options,
                     const Transform* to_grid, std::span<const double> x, std::span<const double> y,
                     std::size_t covered);

}  // namespace libgrid::internal
