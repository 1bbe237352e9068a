// read_grid_set on any bytes as a GeoPackage: a grid set or Error.
// seeds: generated-seeds/*.gpkg
#include <cstddef>
#include <cstdint>

#include "libgrid/error.h"
#include "libgrid/io/grid_set_file.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = libgrid::fuzz::write_input(data, size, ".gpkg");
  try {
    libgrid::read_grid_set(path);
  } catch (const libgrid::Error&) {
  }
  return 0;
}
