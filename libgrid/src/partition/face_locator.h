// Which face of a FaceSet holds a point, by libgrid's own exact lookup and boundary rule, and
// which units each face holds.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "internal/geos_context.h"
#include "libgrid/geometry/point.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/unit.h"
#include "partition/face_set.h"

namespace libgrid::internal {

class FaceLocator {
 public:
  // Locates among faces [first, last) of `faces`.
  FaceLocator(const GeosContext& geos, const FaceSet& faces, std::size_t first, std::size_t last);
  // The face holding p, else (rounding at the outer edge) the face whose inside point is
  // nearest to it.
  std::size_t locate(Point p) const;

 private:
  std::size_t first_;
  std::vector<Point> inside_;
  std::unique_ptr<CellIndex> index_;
};

// The units each face of a FaceSet holds.
struct FaceUnits {
  explicit FaceUnits(std::size_t faces) : weight(faces, 0.0), units(faces) {}

  std::vector<double> weight;                   // per face: its units' weight
  std::vector<std::vector<std::size_t>> units;  // per face: its units, as indices into the units
};

// Adds the units `which` (indices into `units`, in that order) to the faces of `locator`
// holding them. REQUIRES: `held` has a slot for every face of the locator's FaceSet.
void add_units(const FaceLocator& locator, const std::vector<Unit>& units,
               const std::vector<std::size_t>& which, FaceUnits& held);

// The units of every face of `faces`: each parent's units located among its own faces.
// REQUIRES: units_of_parent[p] lists the units inside parent p (indices into `units`), for
// every parent of `faces`.
FaceUnits weigh_faces(const GeosContext& geos, const FaceSet& faces, const std::vector<Unit>& units,
                      const std::vector<std::vector<std::size_t>>& units_of_parent);

}  // namespace libgrid::internal
