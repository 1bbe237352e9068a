#include "partition/face_locator.h"

#include <cmath>
#include <string>
#include <utility>

#include "libgrid/model/grid_set.h"

namespace libgrid::internal {

FaceLocator::FaceLocator(const GeosContext& geos, const FaceSet& faces, std::size_t first,
                         std::size_t last)
    : first_(first) {
  GridSet set;
  set.add_level("face");
  for (std::size_t f = first; f < last; ++f) {
    Cell cell;
    cell.code = std::to_string(f);
    cell.geometry = geos.to_multipolygon(*faces.geometry[f]);
    set.add_cell(std::move(cell));
  }
  for (std::size_t f = first; f < last; ++f) inside_.push_back(faces.inside[f]);
  index_ = std::make_unique<CellIndex>(set);
}

std::size_t FaceLocator::locate(Point p) const {
  const CellId found = index_->lookup(p);
  if (found != kNoCell) return first_ + static_cast<std::size_t>(found);
  std::size_t best = 0;
  double best_d = INFINITY;
  for (std::size_t i = 0; i < inside_.size(); ++i) {
    const double d = std::hypot(inside_[i].x - p.x, inside_[i].y - p.y);
    if (d < best_d) {
      best_d = d;
      best = i;
    }
  }
  return first_ + best;
}

void add_units(const FaceLocator& locator, const std::vector<Unit>& units,
               const std::vector<std::size_t>& which, FaceUnits& held) {
  for (std::size_t u : which) {
    const std::size_t f = locator.locate(units[u].location);
    held.weight[f] += units[u].weight;
    held.units[f].push_back(u);
  }
}

FaceUnits weigh_faces(const GeosContext& geos, const FaceSet& faces, const std::vector<Unit>& units,
                      const std::vector<std::vector<std::size_t>>& units_of_parent) {
  FaceUnits held(faces.size());
  for (std::size_t p = 0; p + 1 < faces.first_of_parent.size(); ++p) {
    const std::size_t first = faces.first_of_parent[p], last = faces.first_of_parent[p + 1];
    if (first == last) continue;
    add_units(FaceLocator(geos, faces, first, last), units, units_of_parent[p], held);
  }
  return held;
}

}  // namespace libgrid::internal
