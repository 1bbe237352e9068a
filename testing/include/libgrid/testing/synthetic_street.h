// A seeded generator of a street to partition: its outline, the address points of its
// households and its road network, for partition benchmarks and scale tests.
//
// The street is one irregular, star-shaped outline around `origin`. Units cluster in
// residential compounds of different sizes (a Gaussian spread around each compound's centre),
// with a tenth scattered across the street; each unit carries a whole number of households, at
// least one, and they sum to exactly `households`. Roads are arterials running roughly north
// and east across the whole street (gently bent polylines that reach past its outline), a river
// winding through it diagonally, and short side streets that end inside blocks (dangles, as in
// real networks). Coordinates are in metres, EPSG:4548.
//
// The same options give the same street, coordinate for coordinate.
#pragma once

#include <cstdint>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/model/barrier.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/unit.h"

namespace libgrid::testing {

struct SyntheticStreetOptions {
  std::uint64_t seed = 1;
  int units = 10000;                // REQUIRES: >= 1
  std::int64_t households = 50000;  // REQUIRES: >= units
  double radius = 1500.0;           // mean distance of the outline from origin. REQUIRES: > 0
  Point origin{500000.0, 4420000.0};
  int compounds = 160;          // residential compounds. REQUIRES: >= 1
  double road_spacing = 450.0;  // between arterials. REQUIRES: > 0
  int side_streets = 80;        // REQUIRES: >= 0
};

struct SyntheticStreet {
  // One level "street" with one cell, code "110119001", households the units' sum.
  GridSet grids{};
  std::vector<Unit> units{};
  std::vector<Barrier> roads{};
};

// Throws Error(kInvalidInput) for options outside their REQUIRES.
SyntheticStreet make_synthetic_street(const SyntheticStreetOptions& options = {});

}  // namespace libgrid::testing
