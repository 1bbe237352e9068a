// Boost.Geometry as a lookup peer: a bgi::rtree (R*-tree, packed) over the cells' envelopes,
// then bg::within(point, multipolygon) on the candidates. within() is false on the boundary.
#pragma once

#include <memory>
#include <string_view>

#include "libgrid/model/grid_set.h"

namespace libgrid::bench {

class BoostLookup {
 public:
  static constexpr std::string_view kName = "boost";

  // Indexes the cells of `level`; bg::correct() fixes each polygon's orientation and closure.
  BoostLookup(const GridSet& grids, int level);
  ~BoostLookup();
  BoostLookup(const BoostLookup&) = delete;
  BoostLookup& operator=(const BoostLookup&) = delete;

  CellId lookup(double x, double y) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libgrid::bench
