// Comparing a peer's answers with libgrid's on the same points, before anything is timed.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>

#include "libgrid/model/grid_set.h"
#include "support/point_sets.h"

namespace libgrid::bench {

struct CrossCheck {
  std::size_t points = 0;
  std::size_t differ = 0;
  std::size_t peer_none = 0;       // the peer found no cell where the reference found one
  std::size_t reference_none = 0;  // the reference found none where the peer found one
  std::size_t other_cell = 0;      // both found a cell, not the same one
  // Over the points that differ: how far the farthest lies from the nearest edge of the cells
  // the two answers name, in the grid set's units (degrees or metres). Tiny values mean only
  // boundary points differ, where GEOS and Boost say "outside" and S2 breaks ties its own way.
  double max_edge_distance = 0.0;
};

// answer(i) against reference[i] for the first reference.size() points of `points`.
CrossCheck cross_check(const GridSet& grids, const PointSet& points,
                       std::span<const CellId> reference,
                       const std::function<CellId(std::size_t)>& answer);

// "12 of 100000 differ (peer none 12, reference none 0, other cell 0; max 3.1e-12 from an edge)"
std::string describe(const CrossCheck& check);

}  // namespace libgrid::bench
