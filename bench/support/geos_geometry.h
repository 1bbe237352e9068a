// libgrid geometry as GEOS geometry, for the peers that answer with GEOS in the benchmarks.
#pragma once

#include <geos_c.h>

#include "libgrid/geometry/polygon.h"

namespace libgrid::bench {

// A new GEOS MultiPolygon with the rings of `area`, owned by the caller (GEOSGeom_destroy_r).
GEOSGeometry* to_geos(GEOSContextHandle_t ctx, const MultiPolygon& area);

}  // namespace libgrid::bench
