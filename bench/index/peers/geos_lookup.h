// GEOS (3.11 C API) as a lookup peer: an STRtree over the cells' envelopes and a prepared
// geometry per cell, GEOSPreparedContains_r on the candidates. This is the usual fast GEOS
// recipe; contains() is false on a cell's boundary, so points exactly on an edge get no cell.
#pragma once

#include <geos_c.h>

#include <span>
#include <string_view>
#include <vector>

#include "libgrid/model/grid_set.h"

namespace libgrid::bench {

class GeosLookup {
 public:
  static constexpr std::string_view kName = "geos";

  // Indexes the cells of `level`. Touches every prepared geometry once, so the point locators
  // GEOS builds lazily are counted in the build, as S2's index is.
  GeosLookup(const GridSet& grids, int level);
  ~GeosLookup();
  GeosLookup(const GeosLookup&) = delete;
  GeosLookup& operator=(const GeosLookup&) = delete;

  // Builds the query point, then answers it: what a caller holding bare coordinates pays.
  CellId lookup(double x, double y) const;
  // Answers a point built beforehand.
  CellId lookup(const GEOSGeometry* point) const;

  GEOSContextHandle_t context() const { return ctx_; }

 private:
  GEOSContextHandle_t ctx_;
  GEOSSTRtree* tree_ = nullptr;
  std::vector<GEOSGeometry*> geoms_;
  std::vector<const GEOSPreparedGeometry*> prepared_;
  std::vector<CellId> ids_;
};

// GEOS with every query point built before timing starts: GEOS at its fastest, for callers that
// already hold GEOS geometries. lookup(i) answers point i of the set it was made with.
class GeosPointsLookup {
 public:
  static constexpr std::string_view kName = "geos_points";

  GeosPointsLookup(const GeosLookup& geos, std::span<const double> x, std::span<const double> y);
  ~GeosPointsLookup();
  GeosPointsLookup(const GeosPointsLookup&) = delete;
  GeosPointsLookup& operator=(const GeosPointsLookup&) = delete;

  CellId lookup(std::size_t i) const { return geos_.lookup(points_[i]); }
  std::size_t size() const { return points_.size(); }

 private:
  const GeosLookup& geos_;
  std::vector<GEOSGeometry*> points_;
};

}  // namespace libgrid::bench
