// Writes the seeds of the binary formats into the folder given: an index file and a grid set
// GeoPackage of the CLI fixtures, made by this libgrid so they always match its formats.
#include <cstdio>
#include <string>

#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/roster_csv.h"
#include "support/fuzz_input.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_fuzz_seeds FOLDER\n");
    return 2;
  }
  const std::string folder = argv[1];
  try {
    libgrid::GridSet grids = libgrid::fuzz::fixture_grid_set();
    libgrid::CellIndex(grids).save(folder + "/fixture_city.lgi");
    grids.roster() = libgrid::read_roster_csv(
        libgrid::fuzz::source_path("tests/cli/fixtures/roster.csv"), grids);
    grids.duty_table() =
        libgrid::read_duty_csv(libgrid::fuzz::source_path("tests/cli/fixtures/duty.csv"), grids);
    libgrid::write_grid_set(grids, folder + "/fixture_city.gpkg");
  } catch (const libgrid::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
