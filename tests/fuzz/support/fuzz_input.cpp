#include "support/fuzz_input.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "libgrid/io/grid_set_import.h"

namespace libgrid::fuzz {
namespace {

// One folder per process: fuzzers may run side by side (-jobs, several targets).
const std::filesystem::path& input_folder() {
  static const std::filesystem::path folder = [] {
    std::filesystem::path f =
        std::filesystem::temp_directory_path() / ("libgrid-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(f);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(input_folder(), ignored);
    });
    return f;
  }();
  return folder;
}

}  // namespace

std::string write_input(const std::uint8_t* data, std::size_t size, std::string_view suffix) {
  const std::string path = (input_folder() / ("input" + std::string(suffix))).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

const GridSet& fixture_grid_set() {
  static const GridSet grids =
      import_grid_set(
          {{.level = "community", .path = source_path("tests/cli/fixtures/community.geojson")},
           {.level = "grid", .path = source_path("tests/cli/fixtures/grid.geojson")}})
          .grids;
  return grids;
}

std::string source_path(std::string_view relative) {
  return std::string(LIBGRID_SOURCE_DIR) + "/" + std::string(relative);
}

}  // namespace libgrid::fuzz
