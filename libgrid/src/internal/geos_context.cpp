#include "internal/geos_context.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "libgrid/error.h"

namespace libgrid::internal {

namespace {

void store_error(const char* message, void* userdata) {
  *static_cast<std::string*>(userdata) = message != nullptr ? message : "";
}

// Enough digits to find the spot, not so many that the message is unreadable.
std::string coordinate_text(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

}  // namespace

std::string describe(const Invalidity& invalidity) {
  std::string what;
  if (invalidity.reason == "Self-intersection") {
    what = "self-intersecting polygon";
  } else if (invalidity.reason == "Ring Self-intersection") {
    what = "self-intersecting ring";
  } else {
    what = invalidity.reason;
    std::transform(what.begin(), what.end(), what.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return what + " at (" + coordinate_text(invalidity.location.x) + " " +
         coordinate_text(invalidity.location.y) + ")";
}

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
  if (handle_ == nullptr) throw Error(ErrorKind::kInvalidInput, "GEOS could not start");
  GEOSContext_setErrorMessageHandler_r(handle_, store_error, &last_error_);
  GEOSContext_setNoticeMessageHandler_r(handle_, nullptr, nullptr);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void GeosContext::fail(const char* what) const {
  throw Error(ErrorKind::kInvalidInput,
              std::string("GEOS ") + what + " failed" +
                  (last_error_.empty() ? std::string() : ": " + last_error_));
}

GeosContext::Geometry GeosContext::to_geos(const MultiPolygon& area) const {
  // GEOS adopts what it is given, also when it fails (but not the arrays holding it); until the
  // collection adopts them, the finished polygons in `parts` are ours to free.
  std::vector<GEOSGeometry*> parts;
  auto drop_parts = [&] {
    for (GEOSGeometry* g : parts) GEOSGeom_destroy_r(handle_, g);
  };
  std::vector<double> buffer;
  auto make_ring = [&](const Ring& ring) -> GEOSGeometry* {
    buffer.clear();
    for (const Point& p : ring) {
      buffer.push_back(p.x);
      buffer.push_back(p.y);
    }
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(
        handle_, buffer.data(), static_cast<unsigned>(ring.size()), 0, 0);
    if (seq == nullptr) return nullptr;
    return GEOSGeom_createLinearRing_r(handle_, seq);
  };
  for (const Polygon& polygon : area.polygons) {
    if (polygon.rings.empty()) continue;
    GEOSGeometry* shell = make_ring(polygon.rings.front());
    if (shell == nullptr) {
      drop_parts();
      fail("ring construction");
    }
    std::vector<GEOSGeometry*> holes;
    for (std::size_t r = 1; r < polygon.rings.size(); ++r) {
      GEOSGeometry* hole = make_ring(polygon.rings[r]);
      if (hole == nullptr) {
        GEOSGeom_destroy_r(handle_, shell);
        for (GEOSGeometry* h : holes) GEOSGeom_destroy_r(handle_, h);
        drop_parts();
        fail("ring construction");
      }
      holes.push_back(hole);
    }
    GEOSGeometry* made =
        GEOSGeom_createPolygon_r(handle_, shell, holes.data(), static_cast<unsigned>(holes.size()));
    if (made == nullptr) {
      drop_parts();
      fail("polygon construction");
    }
    parts.push_back(made);
  }
  GEOSGeometry* collection = GEOSGeom_createCollection_r(handle_, GEOS_MULTIPOLYGON, parts.data(),
                                                         static_cast<unsigned>(parts.size()));
  if (collection == nullptr) fail("multipolygon construction");  // GEOS freed the parts
  return Geometry(collection, GeometryDeleter{handle_});
}

GeosContext::Prepared GeosContext::prepare(const GEOSGeometry& geometry) const {
  const GEOSPreparedGeometry* prepared = GEOSPrepare_r(handle_, &geometry);
  if (prepared == nullptr) fail("prepare");
  return Prepared(prepared, PreparedDeleter{handle_});
}

std::optional<Invalidity> GeosContext::invalidity(const GEOSGeometry& geometry) const {
  char* reason = nullptr;
  GEOSGeometry* location = nullptr;
  const char valid = GEOSisValidDetail_r(
      handle_, &geometry, GEOSVALID_ALLOW_SELFTOUCHING_RING_FORMING_HOLE, &reason, &location);
  if (valid == 2) fail("validity check");
  if (valid == 1) return std::nullopt;
  Invalidity found;
  if (reason != nullptr) {
    found.reason = reason;
    GEOSFree_r(handle_, reason);
  }
  if (location != nullptr) {
    GEOSGeomGetX_r(handle_, location, &found.location.x);
    GEOSGeomGetY_r(handle_, location, &found.location.y);
    GEOSGeom_destroy_r(handle_, location);
  }
  return found;
}

bool GeosContext::intersects(const GEOSPreparedGeometry& a, const GEOSGeometry& b) const {
  const char result = GEOSPreparedIntersects_r(handle_, &a, &b);
  if (result == 2) fail("intersects");
  return result == 1;
}

double GeosContext::intersection_area(const GEOSGeometry& a, const GEOSGeometry& b) const {
  Geometry overlap(GEOSIntersection_r(handle_, &a, &b), GeometryDeleter{handle_});
  if (overlap == nullptr) fail("intersection");
  double result = 0.0;
  if (GEOSArea_r(handle_, overlap.get(), &result) == 0) fail("area");
  return result;
}

GeosContext::Geometry GeosContext::intersection(const GEOSGeometry& a,
                                                const GEOSGeometry& b) const {
  Geometry result(GEOSIntersection_r(handle_, &a, &b), GeometryDeleter{handle_});
  if (result == nullptr) fail("intersection");
  return result;
}

GeosContext::Geometry GeosContext::difference(const GEOSGeometry& a, const GEOSGeometry& b) const {
  Geometry result(GEOSDifference_r(handle_, &a, &b), GeometryDeleter{handle_});
  if (result == nullptr) fail("difference");
  return result;
}

GeosContext::Geometry GeosContext::own(GEOSGeometry* made, const char* what) const {
  if (made == nullptr) fail(what);
  return Geometry(made, GeometryDeleter{handle_});
}

GeosContext::Geometry GeosContext::collect(const std::vector<const GEOSGeometry*>& members) const {
  // The collection adopts its members, so it gets clones; GEOS frees them if it fails.
  std::vector<GEOSGeometry*> clones;
  for (const GEOSGeometry* g : members) {
    GEOSGeometry* clone = GEOSGeom_clone_r(handle_, g);
    if (clone == nullptr) {
      for (GEOSGeometry* c : clones) GEOSGeom_destroy_r(handle_, c);
      fail("clone");
    }
    clones.push_back(clone);
  }
  return own(GEOSGeom_createCollection_r(handle_, GEOS_GEOMETRYCOLLECTION, clones.data(),
                                         static_cast<unsigned>(clones.size())),
             "collection construction");
}

GeosContext::Geometry GeosContext::union_all(
    const std::vector<const GEOSGeometry*>& geometries) const {
  const Geometry collection = collect(geometries);
  return own(GEOSUnaryUnion_r(handle_, collection.get()), "union");
}

bool GeosContext::covers(const GEOSPreparedGeometry& a, const GEOSGeometry& b) const {
  const char result = GEOSPreparedCovers_r(handle_, &a, &b);
  if (result == 2) fail("covers");
  return result == 1;
}

double GeosContext::area(const GEOSGeometry& geometry) const {
  double result = 0.0;
  if (GEOSArea_r(handle_, &geometry, &result) == 0) fail("area");
  return result;
}

MultiPolygon GeosContext::to_multipolygon(const GEOSGeometry& geometry) const {
  MultiPolygon result;
  std::vector<double> buffer;
  auto read_ring = [&](const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(handle_, ring);
    unsigned size = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(handle_, seq, &size) == 0) fail("ring access");
    buffer.resize(2 * static_cast<std::size_t>(size));
    if (size > 0 && GEOSCoordSeq_copyToBuffer_r(handle_, seq, buffer.data(), 0, 0) == 0) {
      fail("ring access");
    }
    Ring points(size);
    for (std::size_t i = 0; i < size; ++i) points[i] = Point{buffer[2 * i], buffer[2 * i + 1]};
    return points;
  };
  auto visit = [&](auto& self, const GEOSGeometry* g) -> void {
    if (GEOSisEmpty_r(handle_, g) == 1) return;
    switch (GEOSGeomTypeId_r(handle_, g)) {
      case GEOS_POLYGON: {
        Polygon polygon;
        polygon.rings.push_back(read_ring(GEOSGetExteriorRing_r(handle_, g)));
        const int holes = GEOSGetNumInteriorRings_r(handle_, g);
        for (int i = 0; i < holes; ++i) {
          polygon.rings.push_back(read_ring(GEOSGetInteriorRingN_r(handle_, g, i)));
        }
        result.polygons.push_back(std::move(polygon));
        break;
      }
      case GEOS_MULTIPOLYGON:
      case GEOS_GEOMETRYCOLLECTION: {
        const int n = GEOSGetNumGeometries_r(handle_, g);
        for (int i = 0; i < n; ++i) self(self, GEOSGetGeometryN_r(handle_, g, i));
        break;
      }
      default:  // points and lines: where areas only touch
        break;
    }
  };
  visit(visit, &geometry);
  return result;
}

GeosContext::Geometry GeosContext::to_geos_lines(
    const std::vector<std::vector<Point>>& lines) const {
  std::vector<GEOSGeometry*> parts;
  std::vector<double> buffer;
  for (const auto& line : lines) {
    buffer.clear();
    for (const Point& p : line) {
      buffer.push_back(p.x);
      buffer.push_back(p.y);
    }
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(
        handle_, buffer.data(), static_cast<unsigned>(line.size()), 0, 0);
    GEOSGeometry* made = seq == nullptr ? nullptr : GEOSGeom_createLineString_r(handle_, seq);
    if (made == nullptr) {
      for (GEOSGeometry* g : parts) GEOSGeom_destroy_r(handle_, g);
      fail("line construction");
    }
    parts.push_back(made);
  }
  return own(GEOSGeom_createCollection_r(handle_, GEOS_MULTILINESTRING, parts.data(),
                                         static_cast<unsigned>(parts.size())),
             "multilinestring construction");
}

std::vector<std::vector<Point>> GeosContext::to_lines(const GEOSGeometry& geometry) const {
  std::vector<std::vector<Point>> result;
  std::vector<double> buffer;
  auto read = [&](const GEOSGeometry* line) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(handle_, line);
    unsigned size = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(handle_, seq, &size) == 0) fail("line access");
    buffer.resize(2 * static_cast<std::size_t>(size));
    if (size > 0 && GEOSCoordSeq_copyToBuffer_r(handle_, seq, buffer.data(), 0, 0) == 0) {
      fail("line access");
    }
    std::vector<Point> points(size);
    for (std::size_t i = 0; i < size; ++i) points[i] = Point{buffer[2 * i], buffer[2 * i + 1]};
    result.push_back(std::move(points));
  };
  auto visit = [&](auto& self, const GEOSGeometry* g) -> void {
    if (GEOSisEmpty_r(handle_, g) == 1) return;
    switch (GEOSGeomTypeId_r(handle_, g)) {
      case GEOS_LINESTRING:
      case GEOS_LINEARRING:
        read(g);
        break;
      case GEOS_POLYGON: {
        read(GEOSGetExteriorRing_r(handle_, g));
        const int holes = GEOSGetNumInteriorRings_r(handle_, g);
        for (int i = 0; i < holes; ++i) read(GEOSGetInteriorRingN_r(handle_, g, i));
        break;
      }
      case GEOS_MULTILINESTRING:
      case GEOS_MULTIPOLYGON:
      case GEOS_GEOMETRYCOLLECTION: {
        const int n = GEOSGetNumGeometries_r(handle_, g);
        for (int i = 0; i < n; ++i) self(self, GEOSGetGeometryN_r(handle_, g, i));
        break;
      }
      default:  // points
        break;
    }
  };
  visit(visit, &geometry);
  return result;
}

GeosContext::Geometry GeosContext::boundary(const GEOSGeometry& geometry) const {
  return own(GEOSBoundary_r(handle_, &geometry), "boundary");
}

GeosContext::Geometry GeosContext::node(const GEOSGeometry& lines) const {
  return own(GEOSNode_r(handle_, &lines), "noding");
}

GeosContext::Geometry GeosContext::node_on_grid(const GEOSGeometry& lines, double grid) const {
  return own(GEOSUnaryUnionPrec_r(handle_, &lines, grid), "snap-rounded noding");
}

std::vector<GeosContext::Geometry> GeosContext::polygonize(const GEOSGeometry& noded_lines) const {
  const GEOSGeometry* input = &noded_lines;
  const Geometry faces = own(GEOSPolygonize_r(handle_, &input, 1), "polygonize");
  std::vector<Geometry> result;
  const int n = GEOSGetNumGeometries_r(handle_, faces.get());
  result.reserve(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) {
    result.push_back(
        own(GEOSGeom_clone_r(handle_, GEOSGetGeometryN_r(handle_, faces.get(), i)), "clone"));
  }
  return result;
}

GeosContext::Geometry GeosContext::coverage_union(
    const std::vector<const GEOSGeometry*>& polygons) const {
  const Geometry collection = collect(polygons);
  return own(GEOSCoverageUnion_r(handle_, collection.get()), "coverage union");
}

GeosContext::Geometry GeosContext::snap(const GEOSGeometry& geometry, const GEOSGeometry& reference,
                                        double tolerance) const {
  return own(GEOSSnap_r(handle_, &geometry, &reference, tolerance), "snap");
}

GeosContext::Geometry GeosContext::make_valid(const GEOSGeometry& geometry) const {
  return own(GEOSMakeValid_r(handle_, &geometry), "make valid");
}

GeosContext::Geometry GeosContext::point(Point p) const {
  return own(GEOSGeom_createPointFromXY_r(handle_, p.x, p.y), "point construction");
}

std::vector<GeosContext::Geometry> GeosContext::voronoi_cells(const std::vector<Point>& sites,
                                                              const GEOSGeometry& frame) const {
  std::vector<GEOSGeometry*> points;
  for (const Point& p : sites) {
    GEOSGeometry* made = GEOSGeom_createPointFromXY_r(handle_, p.x, p.y);
    if (made == nullptr) {
      for (GEOSGeometry* q : points) GEOSGeom_destroy_r(handle_, q);
      fail("point construction");
    }
    points.push_back(made);
  }
  const Geometry multipoint =
      own(GEOSGeom_createCollection_r(handle_, GEOS_MULTIPOINT, points.data(),
                                      static_cast<unsigned>(points.size())),
          "multipoint construction");
  const Geometry diagram =
      own(GEOSVoronoiDiagram_r(handle_, multipoint.get(), &frame, 0.0, 0), "Voronoi diagram");
  // GEOS (before 3.12) gives the cells in an order of its own: each site takes the cell that
  // holds it, which for a site of a Voronoi diagram is the one it lies strictly inside.
  const int count = GEOSGetNumGeometries_r(handle_, diagram.get());
  std::vector<Geometry> cells;
  for (const Point& p : sites) {
    const Geometry site = point(p);
    const GEOSGeometry* holder = nullptr;
    for (int i = 0; i < count && holder == nullptr; ++i) {
      const GEOSGeometry* cell = GEOSGetGeometryN_r(handle_, diagram.get(), i);
      if (GEOSIntersects_r(handle_, cell, site.get()) == 1) holder = cell;
    }
    if (holder == nullptr) fail("Voronoi diagram: a site outside every cell");
    cells.push_back(own(GEOSGeom_clone_r(handle_, holder), "clone"));
  }
  return cells;
}

Point GeosContext::point_on_surface(const GEOSGeometry& geometry) const {
  const Geometry point = own(GEOSPointOnSurface_r(handle_, &geometry), "point on surface");
  Point p;
  if (GEOSisEmpty_r(handle_, point.get()) == 1 || GEOSGeomGetX_r(handle_, point.get(), &p.x) == 0 ||
      GEOSGeomGetY_r(handle_, point.get(), &p.y) == 0) {
    fail("point on surface");
  }
  return p;
}

double GeosContext::length(const GEOSGeometry& geometry) const {
  double result = 0.0;
  if (GEOSLength_r(handle_, &geometry, &result) == 0) fail("length");
  return result;
}

bool GeosContext::distance_within(const GEOSPreparedGeometry& a, const GEOSGeometry& b,
                                  double d) const {
  const char result = GEOSPreparedDistanceWithin_r(handle_, &a, &b, d);
  if (result == 2) fail("distance within");
  return result == 1;
}

GeosTree::GeosTree(const GeosContext& context, const std::vector<const GEOSGeometry*>& geometries)
    : context_(context), tree_(GEOSSTRtree_create_r(context.handle(), 10)) {
  if (tree_ == nullptr) throw Error(ErrorKind::kInvalidInput, "GEOS could not make an STR tree");
  for (std::size_t i = 0; i < geometries.size(); ++i) {
    // The item is the index itself, carried in the pointer GEOS takes for each item.
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the pointer is never dereferenced.
    void* const item = reinterpret_cast<void*>(static_cast<std::uintptr_t>(i));
    GEOSSTRtree_insert_r(context_.handle(), tree_, geometries[i], item);
  }
}

GeosTree::~GeosTree() { GEOSSTRtree_destroy_r(context_.handle(), tree_); }

std::vector<std::size_t> GeosTree::query(const GEOSGeometry& geometry) const {
  std::vector<std::size_t> found;
  GEOSSTRtree_query_r(
      context_.handle(), tree_, &geometry,
      [](void* item, void* userdata) {
        static_cast<std::vector<std::size_t>*>(userdata)->push_back(
            static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)));
      },
      &found);
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace libgrid::internal
