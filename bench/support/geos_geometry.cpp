#include "support/geos_geometry.h"

#include <vector>

namespace libgrid::bench {

GEOSGeometry* to_geos(GEOSContextHandle_t ctx, const MultiPolygon& area) {
  std::vector<GEOSGeometry*> polygons;
  for (const Polygon& polygon : area.polygons) {
    std::vector<GEOSGeometry*> rings;
    for (const Ring& ring : polygon.rings) {
      GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(ring.size()), 2);
      for (std::size_t i = 0; i < ring.size(); ++i) {
        GEOSCoordSeq_setXY_r(ctx, seq, static_cast<unsigned>(i), ring[i].x, ring[i].y);
      }
      rings.push_back(GEOSGeom_createLinearRing_r(ctx, seq));
    }
    polygons.push_back(GEOSGeom_createPolygon_r(ctx, rings[0], rings.data() + 1,
                                                static_cast<unsigned>(rings.size() - 1)));
  }
  return GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polygons.data(),
                                     static_cast<unsigned>(polygons.size()));
}

}  // namespace libgrid::bench
