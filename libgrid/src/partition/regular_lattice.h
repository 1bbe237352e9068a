// Regular lattices for partitioning land without units: squares, hexagons, the Beidou grid.
// A lattice gives its lines over an extent (each line once, vertices computed from integer
// lattice coordinates so that lines meet exactly) and the lattice cell holding a point.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"

namespace libgrid::internal {

struct Lattice {
  std::vector<std::vector<Point>> lines;
  // A name for the lattice cell holding the point ("i j" for squares and hexagons, the Beidou
  // code for the Beidou grid).
  std::function<std::string(Point)> cell_of;
};

// Squares of side `size` aligned on multiples of it. Error(kInvalidInput) when the extent
// needs more than `max_cells` of them.
Lattice square_lattice(const Box& extent, double size, double max_cells);
// Pointy-top hexagons `size` apart between opposite edges, centred on a lattice through 0,0.
Lattice hex_lattice(const Box& extent, double size, double max_cells);
// The Beidou grid (GB/T 39409-2020) at `level`, its lines drawn in `crs` (which PROJ turns
// into longitude/latitude), densified so that their curvature in `crs` is followed.
Lattice beidou_lattice(const Box& extent, int level, const std::string& crs, double max_cells);

}  // namespace libgrid::internal
