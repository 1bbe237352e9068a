#include "index/peers/geos_lookup.h"

#include "support/geos_geometry.h"

namespace libgrid::bench {
GeosLookup::GeosLookup(const GridSet& grids, int level) : ctx_(GEOS_init_r()) {
  tree_ = GEOSSTRtree_create_r(ctx_, 10);
  for (const CellId id : grids.cells_of_level(level)) {
    const MultiPolygon& area = grids.cell(id).geometry;
    if (area.empty()) continue;
    geoms_.push_back(to_geos(ctx_, area));
    prepared_.push_back(GEOSPrepare_r(ctx_, geoms_.back()));
    ids_.push_back(id);
  }
  // The tree keeps pointers to its items: insert only once ids_ has stopped growing.
  for (std::size_t i = 0; i < geoms_.size(); ++i) {
    GEOSSTRtree_insert_r(ctx_, tree_, geoms_[i], &ids_[i]);
    double x = 0.0, y = 0.0;
    GEOSGeom_getXMin_r(ctx_, geoms_[i], &x);
    GEOSGeom_getYMin_r(ctx_, geoms_[i], &y);
    GEOSGeometry* probe = GEOSGeom_createPointFromXY_r(ctx_, x, y);
    GEOSPreparedContains_r(ctx_, prepared_[i], probe);
    GEOSGeom_destroy_r(ctx_, probe);
  }
  // The STRtree builds itself on its first query.
  GEOSGeometry* probe = GEOSGeom_createPointFromXY_r(ctx_, 0.0, 0.0);
  lookup(probe);
  GEOSGeom_destroy_r(ctx_, probe);
}

GeosLookup::~GeosLookup() {
  GEOSSTRtree_destroy_r(ctx_, tree_);
  for (auto* p : prepared_) GEOSPreparedGeom_destroy_r(ctx_, p);
  for (auto* g : geoms_) GEOSGeom_destroy_r(ctx_, g);
  GEOS_finish_r(ctx_);
}

CellId GeosLookup::lookup(double x, double y) const {
  GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx_, x, y);
  const CellId found = lookup(point);
  GEOSGeom_destroy_r(ctx_, point);
  return found;
}

CellId GeosLookup::lookup(const GEOSGeometry* point) const {
  struct Query {
    const GeosLookup* self;
    const GEOSGeometry* point;
    CellId found = kNoCell;
  } q{this, point};
  // The C API has no early exit from a query; skip the contains test once a cell is found.
  GEOSSTRtree_query_r(
      ctx_, tree_, point,
      [](void* item, void* data) {
        auto* q = static_cast<Query*>(data);
        if (q->found != kNoCell) return;
        const auto i =
            static_cast<std::size_t>(static_cast<const CellId*>(item) - q->self->ids_.data());
        if (GEOSPreparedContains_r(q->self->ctx_, q->self->prepared_[i], q->point)) {
          q->found = q->self->ids_[i];
        }
      },
      &q);
  return q.found;
}

GeosPointsLookup::GeosPointsLookup(const GeosLookup& geos, std::span<const double> x,
                                   std::span<const double> y)
    : geos_(geos) {
  points_.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    points_.push_back(GEOSGeom_createPointFromXY_r(geos.context(), x[i], y[i]));
  }
}

GeosPointsLookup::~GeosPointsLookup() {
  for (auto* p : points_) GEOSGeom_destroy_r(geos_.context(), p);
}

}  // namespace libgrid::bench
