#include "partition/face_set.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>
#include <utility>

#include "libgrid/error.h"
#include "libgrid/geometry/box.h"

namespace libgrid::internal {
namespace {

// A boundary segment by its end points, the same whichever face it is read from.
struct SegmentKey {
  Point a, b;
  bool operator==(const SegmentKey& o) const {
    return a.x == o.a.x && a.y == o.a.y && b.x == o.b.x && b.y == o.b.y;
  }
};

struct SegmentHash {
  std::size_t operator()(const SegmentKey& k) const {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (double v : {k.a.x, k.a.y, k.b.x, k.b.y}) {
      h ^= std::bit_cast<std::uint64_t>(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return static_cast<std::size_t>(h);
  }
};

bool before(Point p, Point q) { return p.x < q.x || (p.x == q.x && p.y < q.y); }

// Grids for snap-rounding the guides, as fractions of the extent's diagonal: from 3 µm to 3 cm
// for a street of 3 km. The finest first: a cut overshoots the block it splits by 1e-6 of the
// block's diagonal, and must still cross its ends once rounded.
constexpr double kGuideGrids[] = {1e-9, 1e-8, 1e-7, 1e-6, 1e-5};
// And never finer than this many units in the last place of the coordinates.
constexpr double kGuideGridUlps = 1024.0;

struct NodedLines {
  GeosContext::Geometry lines;
  double guides_moved = 0.0;  // how far a guide may have moved to get them noded
};

// The parents' rings and the guides (barriers and cuts) noded together. GEOS's iterated noding
// fails to converge where guides run nearly along each other or along a ring (a road digitised
// twice, a side street drawn along a main road). Then the guides, which may move a little while
// the parents' rings never do, are snap-rounded among themselves onto a fine grid and snapped
// onto the rings' vertices, and the noding is tried again, on coarser grids if need be.
NodedLines node_lines(const GeosContext& geos, const std::vector<const GEOSGeometry*>& parents,
                      const std::vector<std::vector<Point>>& guides) {
  std::vector<std::vector<Point>> rings;
  Box extent;
  for (const GEOSGeometry* parent : parents) {
    for (auto& ring : geos.to_lines(*parent)) {
      for (const Point& p : ring) extent.expand(p);
      rings.push_back(std::move(ring));
    }
  }
  std::vector<std::vector<Point>> linework = guides;
  linework.insert(linework.end(), rings.begin(), rings.end());
  try {
    return {geos.node(*geos.to_geos_lines(linework))};
  } catch (const Error&) {
    if (guides.empty()) throw;
  }
  const double diagonal = std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  const double magnitude = std::max({std::abs(extent.min_x), std::abs(extent.max_x),
                                     std::abs(extent.min_y), std::abs(extent.max_y)});
  const double finest = kGuideGridUlps * magnitude * std::numeric_limits<double>::epsilon();
  const GeosContext::Geometry ring_lines = geos.to_geos_lines(rings);
  const GeosContext::Geometry guide_lines = geos.to_geos_lines(guides);
  for (std::size_t k = 0;; ++k) {
    const double grid = std::max(kGuideGrids[k] * diagonal, finest);
    const GeosContext::Geometry rounded = geos.node_on_grid(*guide_lines, grid);
    const GeosContext::Geometry snapped = geos.snap(*rounded, *ring_lines, 2 * grid);
    linework = geos.to_lines(*snapped);
    linework.insert(linework.end(), rings.begin(), rings.end());
    try {
      return {geos.node(*geos.to_geos_lines(linework)), 3 * grid};
    } catch (const Error& e) {
      if (k + 1 == std::size(kGuideGrids)) {
        throw Error(e.kind(), e.detail() + " (even with the barriers moved by up to " +
                                  std::to_string(3 * grid) + ")");
      }
    }
  }
}

}  // namespace

FaceSet build_faces(const GeosContext& geos, const std::vector<const GEOSGeometry*>& parents,
                    const std::vector<std::vector<Point>>& lines, const GEOSGeometry* barriers,
                    double tolerance) {
  NodedLines noded = node_lines(geos, parents, lines);
  std::vector<GeosContext::Geometry> faces = geos.polygonize(*noded.lines);
  // A boundary piece counts as on a barrier within the tolerance, or as far as guides moved.
  tolerance = std::max(tolerance, noded.guides_moved);

  // Each face lies inside one parent or outside all: its inside point tells which.
  std::vector<GeosContext::Prepared> prepared;
  prepared.reserve(parents.size());
  for (const GEOSGeometry* parent : parents) prepared.push_back(geos.prepare(*parent));
  const GeosTree tree(geos, parents);
  struct Found {
    int parent;
    Point inside;
    std::size_t face;
  };
  std::vector<Found> found;
  for (std::size_t f = 0; f < faces.size(); ++f) {
    const Point inside = geos.point_on_surface(*faces[f]);
    const GeosContext::Geometry point = geos.point(inside);
    for (std::size_t p : tree.query(*point)) {
      if (geos.intersects(*prepared[p], *point)) {
        found.push_back({static_cast<int>(p), inside, f});
        break;
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& l, const Found& r) {
    if (l.parent != r.parent) return l.parent < r.parent;
    if (l.inside.y != r.inside.y) return l.inside.y < r.inside.y;
    return l.inside.x < r.inside.x;
  });

  FaceSet set;
  set.first_of_parent.assign(parents.size() + 1, 0);
  for (const Found& f : found) {
    set.geometry.push_back(std::move(faces[f.face]));
    set.parent.push_back(f.parent);
    set.inside.push_back(f.inside);
    set.area.push_back(geos.area(*set.geometry.back()));
    set.perimeter.push_back(geos.length(*set.geometry.back()));
    ++set.first_of_parent[static_cast<std::size_t>(f.parent) + 1];
  }
  std::partial_sum(set.first_of_parent.begin(), set.first_of_parent.end(),
                   set.first_of_parent.begin());

  // Neighbours: the noded linework gives both faces of an edge the very same segments.
  GeosContext::Prepared barrier_index;
  if (barriers != nullptr) barrier_index = geos.prepare(*barriers);
  std::unordered_map<SegmentKey, int, SegmentHash> owner;
  std::map<std::pair<int, int>, FaceAdjacency> shared;
  for (std::size_t f = 0; f < set.size(); ++f) {
    for (const auto& ring : geos.to_lines(*set.geometry[f])) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Point p = ring[i], q = ring[i + 1];
        const SegmentKey key = before(p, q) ? SegmentKey{p, q} : SegmentKey{q, p};
        const auto [it, inserted] = owner.try_emplace(key, static_cast<int>(f));
        if (inserted || it->second == static_cast<int>(f)) continue;
        const int other = it->second;
        if (set.parent[static_cast<std::size_t>(other)] != set.parent[f]) continue;
        const int a = std::min(other, static_cast<int>(f));
        const int b = std::max(other, static_cast<int>(f));
        FaceAdjacency& adj = shared[{a, b}];
        adj.a = a;
        adj.b = b;
        const double length = std::hypot(q.x - p.x, q.y - p.y);
        adj.length += length;
        if (barrier_index != nullptr) {
          const GeosContext::Geometry mid = geos.point({(p.x + q.x) / 2, (p.y + q.y) / 2});
          if (geos.distance_within(*barrier_index, *mid, tolerance)) adj.barrier_length += length;
        }
      }
    }
  }
  for (auto& [key, adj] : shared) set.adjacency.push_back(adj);
  set.linework = std::move(noded.lines);
  return set;
}

GeosContext::Geometry dissolve(const GeosContext& geos,
                               const std::vector<const GEOSGeometry*>& parts) {
  try {
    return geos.coverage_union(parts);
  } catch (const Error&) {
    return geos.union_all(parts);
  }
}

}  // namespace libgrid::internal
