// Builds a two-cell grid set in memory and looks up a point on the shared edge.
#include <iostream>

#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"

int main() {
  libgrid::GridSet grids;
  grids.add_level("grid");
  grids.add_cell(
      {.code = "west", .geometry = libgrid::parse_wkt_area("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")});
  grids.add_cell(
      {.code = "east", .geometry = libgrid::parse_wkt_area("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))")});
  const libgrid::CellIndex index(grids);
  const libgrid::CellId id = index.lookup({1.0, 0.5});
  if (id == libgrid::kNoCell || grids.cell(id).code != "east") {
    std::cerr << "consumer: wrong cell for a point on the shared edge\n";
    return 1;
  }
  std::cout << "consumer: ok\n";
  return 0;
}
