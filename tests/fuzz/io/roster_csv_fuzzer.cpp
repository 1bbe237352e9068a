// read_roster_csv on any bytes, against the CLI fixtures' grid set: a roster or Error.
// seeds: tests/cli/fixtures/*roster*.csv data/samples/roster.csv
#include <cstddef>
#include <cstdint>

#include "libgrid/error.h"
#include "libgrid/io/roster_csv.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const libgrid::GridSet& grids = libgrid::fuzz::fixture_grid_set();
  const std::string path = libgrid::fuzz::write_input(data, size, ".csv");
  try {
    libgrid::read_roster_csv(path, grids);
  } catch (const libgrid::Error&) {
  }
  return 0;
}
