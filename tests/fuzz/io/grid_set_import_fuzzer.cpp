// import_grid_set on any GeoJSON text, as given and with make_valid: a grid set or Error.
// seeds: tests/cli/fixtures/*.geojson data/samples/*.geojson
#include <cstddef>
#include <cstdint>

#include "libgrid/error.h"
#include "libgrid/io/grid_set_import.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = libgrid::fuzz::write_input(data, size, ".geojson");
  for (const bool make_valid : {false, true}) {
    try {
      libgrid::import_grid_set({{.level = "grid", .path = path}},
                               libgrid::ImportOptions{.make_valid = make_valid});
      break;
    } catch (const libgrid::Error&) {
    }
  }
  return 0;
}
