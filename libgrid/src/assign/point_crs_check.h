// The refusal of points in the wrong CRS or with their axes swapped (see Assigner::check_crs).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "libgrid/assign/assign.h"
#include "libgrid/error.h"

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

// The error check_point_crs throws when another reading of the points (axes swapped, another
// likely CRS) puts most of them inside a cell, or none; its other refusals are left out. For
// explaining coordinates out of their CRS's range: a latitude of 116 is a longitude, swapped.
std::optional<Error> other_reading_error(const GridSet& grids, const CellIndex& index,
                                         const AssignOptions& options, const Transform* to_grid,
                                         std::span<const double> x, std::span<const double> y,
                                         std::size_t covered);

}  // namespace libgrid::internal
