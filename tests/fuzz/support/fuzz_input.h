// What the fuzz targets share: a file holding the input for readers that take a path, and a
// small grid set for readers that check codes and levels against one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "libgrid/model/grid_set.h"

namespace libgrid::fuzz {

// Writes the input to this process's input file named with `suffix` (".csv", ".geojson": GDAL
// and the CSV reader go by the name) and returns its path. The folder is removed at exit.
std::string write_input(const std::uint8_t* data, std::size_t size, std::string_view suffix);

// The CLI fixtures' community and grid levels (tests/cli/fixtures), read once: the codes and
// level names of their roster.csv and duty.csv.
const GridSet& fixture_grid_set();

// A path under the source tree.
std::string source_path(std::string_view relative);

}  // namespace libgrid::fuzz
