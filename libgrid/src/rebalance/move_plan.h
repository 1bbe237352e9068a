// The moves of a rebalance on the pieces of one parent: which cell each piece ends in.
//
// Pieces (blocks or finer cells) start in their current cell. In order of cost:
//   1. A cell too light to stand alone merges into a neighbour when that moves fewer households
//      than filling it would; a cell whose excess its neighbours cannot absorb, or any cell while
//      the parent has fewer cells than its weight needs, splits into cells within the band
//      (recursive bisection on spanning trees).
//   2. Each cell still out of band sends its excess to (or draws its shortfall from) the nearest
//      cell with room (or to spare), through the chain of neighbours between them. Each step
//      moves the pieces along the shared boundary whose weight covers what is needed with the
//      least overshoot, never splitting the giving cell.
// Deterministic for a seed.
#pragma once

#include <cstdint>
#include <vector>

#include "partition/face_set.h"
#include "partition/tree_bisection.h"

namespace libgrid::internal {

struct PieceGraph {
  BlockGraph blocks;       // weight, area, perimeter, inside point and adjacency of each piece
  std::vector<int> owner;  // the cell each piece starts in: 0..cells-1
  int cells = 0;
};

struct MovePlan {
  std::vector<int> owner;   // the cell each piece ends in; cells >= PieceGraph::cells are new
  std::vector<bool> alive;  // per cell: false when merged away (or left empty)
};

MovePlan plan_moves(const PieceGraph& graph, double min_weight, double max_weight,
                    std::uint64_t seed);

// The number of connected groups of pieces held by each cell 0..cells-1.
std::vector<int> components_per_cell(const PieceGraph& graph, const std::vector<int>& owner,
                                     int cells);

}  // namespace libgrid::internal
