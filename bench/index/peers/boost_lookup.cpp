#include "index/peers/boost_lookup.h"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <utility>
#include <vector>

namespace libgrid::bench {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using BPoint = bg::model::d2::point_xy<double>;
using BPolygon = bg::model::polygon<BPoint>;
using BMultiPolygon = bg::model::multi_polygon<BPolygon>;
using BBox = bg::model::box<BPoint>;
using Entry = std::pair<BBox, std::size_t>;  // envelope, index into areas

BMultiPolygon to_boost(const MultiPolygon& area) {
  BMultiPolygon out;
  for (const auto& polygon : area.polygons) {
    BPolygon p;
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      auto& ring = r == 0 ? p.outer() : p.inners().emplace_back();
      for (const Point& v : polygon.rings[r]) ring.emplace_back(v.x, v.y);
    }
    out.push_back(std::move(p));
  }
  bg::correct(out);
  return out;
}

}  // namespace

struct BoostLookup::Impl {
  std::vector<BMultiPolygon> areas;
  std::vector<CellId> ids;
  bgi::rtree<Entry, bgi::rstar<16>> tree;
};

BoostLookup::BoostLookup(const GridSet& grids, int level) : impl_(std::make_unique<Impl>()) {
  std::vector<Entry> entries;
  for (const CellId id : grids.cells_of_level(level)) {
    if (grids.cell(id).geometry.empty()) continue;
    impl_->areas.push_back(to_boost(grids.cell(id).geometry));
    impl_->ids.push_back(id);
    entries.emplace_back(bg::return_envelope<BBox>(impl_->areas.back()), entries.size());
  }
  // The range constructor packs the tree (STR-like bulk loading).
  impl_->tree = bgi::rtree<Entry, bgi::rstar<16>>(entries.begin(), entries.end());
}

BoostLookup::~BoostLookup() = default;

CellId BoostLookup::lookup(double x, double y) const {
  const BPoint p(x, y);
  for (auto it = impl_->tree.qbegin(bgi::intersects(p)); it != impl_->tree.qend(); ++it) {
    if (bg::within(p, impl_->areas[it->second])) return impl_->ids[it->second];
  }
  return kNoCell;
}

}  // namespace libgrid::bench
