// The land a rebalance moves, and the pieces it moves in.
//
// Each group (the cells of the level under one parent) trades the land of its movable cells.
// That land is cut into faces by the movable cells' boundaries and, above the finest level, by
// the finer cells' boundaries; at the finest level by the barriers and, in the cells that
// change, by cuts between units instead. The faces are then grouped into the pieces land moves
// in: one piece per finer cell (its faces together), or one piece per face at the finest level.
#pragma once

#include <cstddef>
#include <vector>

#include "internal/geos_context.h"
#include "libgrid/geometry/point.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/unit.h"
#include "partition/face_set.h"
#include "rebalance/move_plan.h"

namespace libgrid::internal {

// The cells of the level under one parent (kNoCell at the coarsest level).
struct CellGroup {
  CellId parent = kNoCell;
  std::vector<CellId> cells;    // all of them, in id order
  std::vector<CellId> movable;  // not locked: the plan's cells 0..n-1
};

// What the faces are assigned to: the grid set, its groups and the units inside them.
struct LandSource {
  const GridSet& grids;
  const CellIndex& index;
  int level;  // the level adjusted
  bool has_finer;
  const std::vector<Unit>& units;
  const std::vector<std::vector<std::size_t>>& units_of_group;  // per group: its movable units
  const std::vector<CellGroup>& groups;
};

// The lines the land is cut by, over the region of each group.
struct LandLines {
  std::vector<const GEOSGeometry*> regions;  // per group: its movable cells dissolved
  std::vector<std::vector<Point>> lines;
  const GEOSGeometry* barriers = nullptr;  // the barriers' linework, or nullptr
  double tolerance = 0.0;                  // how far from a barrier still counts as on it
};

// The faces the pieces are made of, and what each holds.
struct LandLayout {
  FaceSet faces;
  std::vector<CellId> owner;  // the cell of the level holding each face
  std::vector<CellId> child;  // the finer cell holding it, kNoCell at the finest level
  std::vector<double> weight;
  std::vector<std::vector<std::size_t>> units;
};

// Cuts the regions by the lines and gives each face its cell, its finer cell and its units.
LandLayout lay_out_land(const GeosContext& geos, const LandSource& source, const LandLines& land);

// The pieces of one group: faces grouped by finer cell (or one face each at the finest level).
struct GroupPieces {
  PieceGraph graph;
  std::vector<std::vector<std::size_t>> faces;  // per piece
  std::vector<CellId> child;                    // per piece, kNoCell at the finest level
  int region_parts = 1;                         // connected parts of the group's region
};

// Faces thinner than `sliver_width` (twice their area over their perimeter) join the piece they
// share most boundary with. REQUIRES: `group` is group `group_index` of the layout's source.
GroupPieces make_group_pieces(const LandLayout& layout, const CellGroup& group,
                              std::size_t group_index, double sliver_width);

}  // namespace libgrid::internal
