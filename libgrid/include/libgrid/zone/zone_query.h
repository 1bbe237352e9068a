// Incident zones (应急): every cell of every level that a zone touches, with the share of its
// area inside, the households and people inside and who answers for it.
//
// A zone is an area (polygons in the grid set's CRS) or a true circle. Both are CLOSED: a cell
// is touched when it shares at least one point with the zone, its boundary included. A cell the
// zone only touches (along an edge or at a vertex, with no area in common) is listed once with
// an area share of exactly 0; a cell the zone covers has a share of exactly 1. Shares of a
// circle are those of the true disk (libgrid/geometry/disk_overlap.h), not of a polygon.
//
// HOUSEHOLDS AND PEOPLE. Where units (address points with households) are given and a cell holds
// at least one of them, its households inside are counted: the units inside the zone (its
// boundary included) that the cell holds under the boundary rule of
// libgrid/geometry/predicates.h, so no unit counts twice in a level; its people inside are those
// households times the cell's own people per household. Elsewhere both are estimated as the
// cell's households and population times its area share, and the cell is marked as estimated.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "libgrid/geometry/disk_overlap.h"
#include "libgrid/geometry/polygon.h"
#include "libgrid/model/cell.h"
#include "libgrid/model/roster.h"
#include "libgrid/model/unit.h"

namespace libgrid {

class GridSet;

struct ZoneCell {
  CellId cell = kNoCell;
  int level = 0;
  double area = 0.0;         // the whole cell's
  double area_inside = 0.0;  // of the cell inside the zone
  double share = 0.0;        // area_inside / area (0 for a cell of no area)
  double households = 0.0;   // inside the zone
  double population = 0.0;   // inside the zone
  bool estimated = true;     // households and population by area share, not counted from units
  std::size_t units = 0;     // units inside the zone held by the cell
  // The grid worker and the leaders answering for the cell (ResponsibilityResolver's rule: of
  // the deepest cell on its path that has any); empty for nobody.
  Person grid_worker{};
  std::vector<Person> leaders{};
};

struct ZoneLevelTotals {
  int level = 0;
  std::size_t cells = 0;            // touched
  std::size_t cells_covered = 0;    // share 1
  std::size_t cells_edge_only = 0;  // share 0: touching only
  std::size_t cells_estimated = 0;
  double area_inside = 0.0;
  double households = 0.0;
  double population = 0.0;
};

struct ZoneReport {
  double zone_area = 0.0;
  std::vector<ZoneCell> cells{};          // coarse levels first, then by code
  std::vector<ZoneLevelTotals> levels{};  // one per level of the grid set, coarse to fine
};

// Built once per grid set (an R-tree over every cell's envelope, and the units placed in their
// cells), then asked any number of zones. The grid set must outlive the query. Queries are
// const and may run in several threads at once.
class ZoneQuery {
 public:
  // Throws Error(kInvalidInput) for a unit with a negative or non-finite weight, or outside
  // coordinates that are not finite.
  explicit ZoneQuery(const GridSet& grids, std::vector<Unit> units = {});
  ~ZoneQuery();
  ZoneQuery(ZoneQuery&&) noexcept;
  ZoneQuery& operator=(ZoneQuery&&) noexcept;

  // Throws Error(kInvalidInput) for an empty zone, a coordinate that is not finite or a zone
  // that is not a valid polygon (saying why and where).
  ZoneReport cells_in(const MultiPolygon& zone) const;
  // Throws Error(kInvalidInput) unless the centre is finite and the radius finite and above 0.
  ZoneReport cells_in(const Circle& circle) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libgrid
