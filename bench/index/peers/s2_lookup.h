// S2 (libs2 0.10) as a lookup peer: a MutableS2ShapeIndex holding one polygon shape per cell,
// queried with S2ContainsPointQuery in S2's default SEMI_OPEN vertex model (like libgrid's
// rule, every point of a shared boundary belongs to exactly one of the cells, though S2 breaks
// the tie its own way).
//
// S2 works on the sphere, with geodesic edges. Coordinates map onto it as follows:
//   - a geographic grid set (its CRS says lon/lat): x, y are longitude, latitude in degrees;
//   - a projected one (metres): an affine patch, 1e-5 degree per metre, the extent's centre
//     placed at 117 E, 40 N. S2 only needs a consistent mapping; over a city-sized patch the
//     geodesic edges stray from the planar ones by far less than a millimetre.
// A cell becomes an S2Polygon (loops normalised, nesting found by InitNested) when S2 finds it
// valid, else an S2LaxPolygonShape with shells turned counter-clockwise and holes clockwise.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "libgrid/model/grid_set.h"

namespace libgrid::bench {

class S2Lookup {
 public:
  static constexpr std::string_view kName = "s2";

  // Indexes the cells of `level` and builds the index at once (S2 would build it lazily).
  S2Lookup(const GridSet& grids, int level);
  ~S2Lookup();
  S2Lookup(const S2Lookup&) = delete;
  S2Lookup& operator=(const S2Lookup&) = delete;

  // Not thread-safe: the query object is reused between calls.
  CellId lookup(double x, double y) const;

  // Cells S2 rejected as polygons, indexed as lax polygon shapes instead.
  std::size_t lax_cells() const;
  // S2's own estimate of the index's memory.
  std::size_t memory_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libgrid::bench
