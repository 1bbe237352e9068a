#include "index/peers/s2_lookup.h"

#include <s2/mutable_s2shape_index.h>
#include <s2/s2contains_point_query.h>
#include <s2/s2error.h>
#include <s2/s2latlng.h>
#include <s2/s2lax_polygon_shape.h>
#include <s2/s2loop.h>
#include <s2/s2polygon.h>

#include <vector>

#include "libgrid/crs/transform.h"

namespace libgrid::bench {
namespace {

// x, y in the grid set's CRS to a point on the sphere (see the header for the mapping).
struct ToSphere {
  bool geographic = true;
  double cx = 0.0, cy = 0.0;  // the extent's centre, for projected sets

  S2Point operator()(const Point& p) const {
    if (geographic) return S2LatLng::FromDegrees(p.y, p.x).ToPoint();
    return S2LatLng::FromDegrees(40.0 + (p.y - cy) * 1e-5, 117.0 + (p.x - cx) * 1e-5).ToPoint();
  }
};

double signed_area(const Ring& ring) {
  double a = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return a / 2.0;
}

// The ring on the sphere: no closing vertex, no repeated vertex, counter-clockwise when `ccw`.
std::vector<S2Point> to_loop(const Ring& ring, const ToSphere& to_sphere, bool ccw) {
  std::vector<S2Point> loop;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const S2Point p = to_sphere(ring[i]);
    if (loop.empty() || loop.back() != p) loop.push_back(p);
  }
  while (loop.size() > 1 && loop.back() == loop.front()) loop.pop_back();
  if ((signed_area(ring) > 0.0) != ccw) std::reverse(loop.begin(), loop.end());
  return loop;
}

// An S2Polygon when S2 accepts the cell as one, else nullptr.
std::unique_ptr<S2Polygon> to_polygon(const std::vector<std::vector<S2Point>>& loops) {
  std::vector<std::unique_ptr<S2Loop>> s2_loops;
  S2Error error;
  for (const auto& vertices : loops) {
    auto loop = std::make_unique<S2Loop>(vertices, S2Debug::DISABLE);
    if (loop->FindValidationError(&error)) return nullptr;
    loop->Normalize();
    s2_loops.push_back(std::move(loop));
  }
  auto polygon = std::make_unique<S2Polygon>();
  polygon->set_s2debug_override(S2Debug::DISABLE);
  polygon->InitNested(std::move(s2_loops));
  if (polygon->FindValidationError(&error)) return nullptr;
  return polygon;
}

}  // namespace

struct S2Lookup::Impl {
  MutableS2ShapeIndex index;
  std::vector<CellId> cell_of_shape;
  std::size_t lax = 0;
  // Reused between lookups, as S2 intends; hence not thread-safe.
  mutable S2ContainsPointQuery<MutableS2ShapeIndex> query;
  ToSphere to_sphere;
};

S2Lookup::S2Lookup(const GridSet& grids, int level) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  const Box extent = grids.extent();
  m.to_sphere.geographic = !grids.crs().empty() && is_geographic_crs(grids.crs());
  m.to_sphere.cx = (extent.min_x + extent.max_x) / 2.0;
  m.to_sphere.cy = (extent.min_y + extent.max_y) / 2.0;
  for (const CellId id : grids.cells_of_level(level)) {
    std::vector<std::vector<S2Point>> loops;
    for (const auto& polygon : grids.cell(id).geometry.polygons) {
      for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
        auto loop = to_loop(polygon.rings[r], m.to_sphere, /*ccw=*/r == 0);
        if (loop.size() >= 3) loops.push_back(std::move(loop));
      }
    }
    if (loops.empty()) continue;
    if (auto polygon = to_polygon(loops)) {
      m.index.Add(std::make_unique<S2Polygon::OwningShape>(std::move(polygon)));
    } else {
      m.index.Add(std::make_unique<S2LaxPolygonShape>(loops));
      ++m.lax;
    }
    m.cell_of_shape.push_back(id);
  }
  m.index.ForceBuild();
  m.query.Init(&m.index);
}

S2Lookup::~S2Lookup() = default;

CellId S2Lookup::lookup(double x, double y) const {
  CellId found = kNoCell;
  impl_->query.VisitContainingShapes(impl_->to_sphere({x, y}), [&](S2Shape* shape) {
    found = impl_->cell_of_shape[static_cast<std::size_t>(shape->id())];
    return false;  // the first will do
  });
  return found;
}

std::size_t S2Lookup::lax_cells() const { return impl_->lax; }
std::size_t S2Lookup::memory_bytes() const { return impl_->index.SpaceUsed(); }

}  // namespace libgrid::bench
