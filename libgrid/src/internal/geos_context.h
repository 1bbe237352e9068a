// The one place libgrid talks to GEOS: a thin RAII layer over the reentrant C API (geos_c.h).
//
// A GeosContext owns one GEOS handle; objects made through it must not outlive it and must not
// be used from two threads at once. Failures inside GEOS are thrown as Error(kInvalidInput)
// carrying GEOS's own message; callers add the location they know.
#pragma once

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/geometry/polygon.h"

namespace libgrid::internal {

// Why GEOS finds a geometry invalid, and where.
struct Invalidity {
  std::string reason;  // GEOS's words, e.g. "Self-intersection"
  Point location;
};

// "self-intersecting polygon at (116.578149 40.076461)": the reason in plain words, for messages.
std::string describe(const Invalidity& invalidity);

class GeosContext {
 public:
  struct GeometryDeleter {
    GEOSContextHandle_t handle;
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(handle, g); }
  };
  struct PreparedDeleter {
    GEOSContextHandle_t handle;
    void operator()(const GEOSPreparedGeometry* g) const { GEOSPreparedGeom_destroy_r(handle, g); }
  };
  using Geometry = std::unique_ptr<GEOSGeometry, GeometryDeleter>;
  using Prepared = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

  GeosContext();
  ~GeosContext();
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;

  GEOSContextHandle_t handle() const { return handle_; }

  // REQUIRES: every ring is closed and has at least 4 points (GEOS refuses anything else).
  Geometry to_geos(const MultiPolygon& area) const;
  Prepared prepare(const GEOSGeometry& geometry) const;

  // nullopt when valid. A ring touching itself to form a hole is accepted (the ESRI model that
  // shapefiles and most administrative data use).
  std::optional<Invalidity> invalidity(const GEOSGeometry& geometry) const;

  bool intersects(const GEOSPreparedGeometry& a, const GEOSGeometry& b) const;
  double intersection_area(const GEOSGeometry& a, const GEOSGeometry& b) const;

  // Overlays (GEOS's OverlayNG). An intersection of areas may also hold lines and points where
  // they only touch; to_multipolygon keeps the areas.
  Geometry intersection(const GEOSGeometry& a, const GEOSGeometry& b) const;
  Geometry difference(const GEOSGeometry& a, const GEOSGeometry& b) const;
  // The union of all of them; an empty collection when there are none.
  Geometry union_all(const std::vector<const GEOSGeometry*>& geometries) const;
  bool covers(const GEOSPreparedGeometry& a, const GEOSGeometry& b) const;
  double area(const GEOSGeometry& geometry) const;
  // The polygons of any geometry, collections searched, lines and points dropped.
  MultiPolygon to_multipolygon(const GEOSGeometry& geometry) const;

  // Linework. A MultiLineString of the given polylines (each of at least 2 points).
  Geometry to_geos_lines(const std::vector<std::vector<Point>>& lines) const;
  // The line strings of any geometry, collections searched, areas' rings included.
  std::vector<std::vector<Point>> to_lines(const GEOSGeometry& geometry) const;
  Geometry boundary(const GEOSGeometry& geometry) const;
  // The lines split at every crossing and overlap, each piece once. Throws where GEOS's
  // iterated noding does not converge (lines nearly along each other).
  Geometry node(const GEOSGeometry& lines) const;
  // The same, snap-rounded onto a grid of `grid` (never fails, but moves every vertex onto the
  // grid).
  Geometry node_on_grid(const GEOSGeometry& lines, double grid) const;
  // The faces that fully noded lines enclose, holes found; dangles and cut edges dropped.
  std::vector<Geometry> polygonize(const GEOSGeometry& noded_lines) const;
  // The union of polygons that meet only along exactly shared edges, faster than union_all
  // and keeping every vertex of the outer edges.
  Geometry coverage_union(const std::vector<const GEOSGeometry*>& polygons) const;
  // `geometry` with its vertices moved to `reference`'s vertices within `tolerance`, and
  // `reference`'s vertices within `tolerance` of its segments inserted into them.
  Geometry snap(const GEOSGeometry& geometry, const GEOSGeometry& reference,
                double tolerance) const;
  Geometry make_valid(const GEOSGeometry& geometry) const;
  Geometry point(Point p) const;
  // The Voronoi cell of each site, in the sites' order, over at least `frame`'s envelope. Equal
  // sites get the same cell. REQUIRES: at least one site.
  std::vector<Geometry> voronoi_cells(const std::vector<Point>& sites,
                                      const GEOSGeometry& frame) const;
  // A point inside an area (on a line for lines); for empty geometry it throws.
  Point point_on_surface(const GEOSGeometry& geometry) const;
  double length(const GEOSGeometry& geometry) const;
  bool distance_within(const GEOSPreparedGeometry& a, const GEOSGeometry& b, double d) const;

 private:
  [[noreturn]] void fail(const char* what) const;
  Geometry own(GEOSGeometry* made, const char* what) const;
  // A GeometryCollection of clones of `members`.
  Geometry collect(const std::vector<const GEOSGeometry*>& members) const;

  GEOSContextHandle_t handle_;
  std::string last_error_;  // written by GEOS's error handler
};

// An STR tree over some geometries' envelopes, answering with their indices.
// REQUIRES: the geometries and the context outlive the tree.
class GeosTree {
 public:
  GeosTree(const GeosContext& context, const std::vector<const GEOSGeometry*>& geometries);
  ~GeosTree();
  GeosTree(const GeosTree&) = delete;
  GeosTree& operator=(const GeosTree&) = delete;

  // Indices of the geometries whose envelope meets `geometry`'s, in increasing order.
  std::vector<std::size_t> query(const GEOSGeometry& geometry) const;

 private:
  const GeosContext& context_;
  GEOSSTRtree* tree_;
};

}  // namespace libgrid::internal
