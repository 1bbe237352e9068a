// The faces of the parents' boundaries, the barriers and the cuts, noded together: the blocks a
// partition is made of. Faces of one parent that share boundary are adjacent; a face's boundary
// pieces lying on a barrier are measured, so that cuts along barriers can be preferred.
#pragma once

#include <cstddef>
#include <vector>

#include "internal/geos_context.h"
#include "libgrid/geometry/point.h"

namespace libgrid::internal {

struct FaceAdjacency {
  int a = 0;  // faces, a < b, of the same parent
  int b = 0;
  double length = 0.0;          // of the shared boundary
  double barrier_length = 0.0;  // of the part of it lying on a barrier
};

struct FaceSet {
  // Faces inside some parent, grouped by parent and, within a parent, ordered by their inside
  // point (y, then x): the same linework always gives the same order.
  std::vector<GeosContext::Geometry> geometry;
  std::vector<int> parent;  // index into the parents given to build_faces
  std::vector<double> area;
  std::vector<double> perimeter;
  std::vector<Point> inside;  // a point strictly inside
  std::vector<FaceAdjacency> adjacency;
  std::vector<std::size_t> first_of_parent;  // faces of parent p: [first[p], first[p + 1])
  // The parents' rings and the lines, noded: adding lines to these and noding again is
  // cheaper and surer than noding everything from scratch.
  GeosContext::Geometry linework;

  std::size_t size() const { return geometry.size(); }
};

// REQUIRES: `barriers` is the barriers' linework (or nullptr for none); `tolerance` is how far
// from a barrier a boundary piece may lie and still count as on it.
FaceSet build_faces(const GeosContext& geos, const std::vector<const GEOSGeometry*>& parents,
                    const std::vector<std::vector<Point>>& lines, const GEOSGeometry* barriers,
                    double tolerance);

// Dissolves faces (or cells) that meet edge to edge into one geometry: their coverage union,
// which keeps every vertex of the outer edges, or where rounding left them not quite edge to
// edge, their full union.
GeosContext::Geometry dissolve(const GeosContext& geos,
                               const std::vector<const GEOSGeometry*>& parts);

}  // namespace libgrid::internal
