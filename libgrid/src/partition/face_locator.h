// Which face of a FaceSet holds a point, by libgrid's own exact lookup and boundary rule.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "internal/geos_context.h"
#include "libgrid/geometry/point.h"
#include "libgrid/index/cell_index.h"
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

}  // namespace libgrid::internal
