// Repair of slivers between a level and the level above: children snapped to their parent.
//
// Separately digitised layers disagree along their shared boundaries by thin strips, which
// validate() reports as slivers (gaps and parts outside the parent no thicker than its
// tolerance). repair() moves the children onto their parent's boundary where it is within a
// snap tolerance, so that those strips go away, and leaves everything thicker alone: a real
// problem stays a real problem, for validate() to report.
//
// For each cell below the top level (or of one level), coarse levels first so that a cell is
// snapped to its parent as already repaired (where the parent changed, the cell is first
// snapped to the parent as it was, so that it follows its parent's moves):
//  1. SNAP. The cell's vertices within the tolerance of a vertex of the parent move onto it,
//     and the parent's vertices within the tolerance of the cell's segments are inserted into
//     them (GEOS's snapping, with the parent's boundary as the reference). Siblings that share
//     an edge see the same reference, so their shared vertices move alike.
//  2. CLIP. Each part of the snapped cell outside its parent that is a sliver (thickness
//     2 × area / perimeter no more than the tolerance, as validate() measures it) is cut off;
//     thicker parts outside stay. A snapped geometry that GEOS finds invalid is made valid
//     first, keeping only its areas.
//  3. Steps 1 and 2 are repeated until the cell no longer changes (cutting makes new vertices
//     that may be within reach of the parent's), so that repairing twice changes nothing more.
// Then, per parent, two children that did not overlap before but do after (snapping can pull
// one over the other where a vertex of the parent is inserted into only one of them) are
// parted: the later child in the grid set's order loses the shared area.
//
// Gaps close where the snapping reaches: a child vertex within the tolerance of a parent
// vertex, or a parent vertex within the tolerance of a child's segment. A child edge running
// along a parent edge with no vertex near either end is left where it is.
//
// Only geometry changes: codes, parents, households, attributes, roster and duty table stay.
// Tolerances and areas are in the grid set's CRS units (metres, or degrees for lon/lat data).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "libgrid/model/grid_set.h"

namespace libgrid {

struct RepairOptions {
  // Snap tolerance, in CRS units. REQUIRES: finite, > 0, and no smaller than one unit in the
  // last place of the largest coordinate (2^-52 of it).
  double snap = 0.0;
  // The level whose cells are snapped to their parents; -1 for every level below the top.
  // REQUIRES: -1, or a level index >= 1 (the top level has no parents).
  int level = -1;
};

// What repair() did to one cell.
struct CellRepair {
  CellId cell = kNoCell;
  int level = 0;
  std::string code{};
  std::string parent_code{};
  // Vertices of the cell before (closing points not counted) that are not vertices after:
  // moved onto the parent's, or cut off with a sliver.
  std::size_t vertices_moved = 0;
  // Vertices after that were not there before: the parent's inserted, and where a sliver was cut.
  std::size_t vertices_added = 0;
  double area_before = 0.0;
  double area_after = 0.0;
  double area_out = 0.0;  // area of the cell before that is not in it after
  double area_in = 0.0;   // area of the cell after that was not in it before
};

struct RepairReport {
  // The cells whose geometry changed, ordered by level, then code.
  std::vector<CellRepair> cells{};
  // Codes of cells left as they are because their geometry or their parent's is invalid (as
  // validate() reports it): snapping has nothing sound to start from.
  std::vector<std::string> skipped{};

  std::size_t vertices_moved() const;
  double area_out() const;
  double area_in() const;
};

// Snaps the cells of `grids` to their parents as described above, in place, and says what
// changed. Throws Error(kInvalidInput) for a tolerance that is not as RepairOptions requires, an
// unknown level or the top level, a cell that would vanish (all of it a sliver outside its parent;
// the message names it), or when GEOS fails (naming the cell); `grids` is left unchanged then.
RepairReport repair(GridSet& grids, const RepairOptions& options);

}  // namespace libgrid
