// Where tests find their data: the repository's samples and the third-party data in
// ../shared/data beside the repository (absent on a clone outside the team: tests skip then).
#pragma once

#include <string>
#include <vector>

#include "libgrid/io/grid_set_import.h"

namespace libgrid::testing {

std::string source_path(const std::string& relative);  // inside the repository
// Path of a file in ../shared/data, or "" when that folder is absent.
std::string shared_data_path(const std::string& relative);
// A fresh, empty folder for one test's outputs, removed at exit.
std::string temporary_folder();
// The bytes of the file at `path`, whole; "" when it cannot be read.
std::string file_bytes(const std::string& path);
// The five levels of the sample city in data/samples, coarse to fine.
std::vector<LevelSource> sample_city_sources();

}  // namespace libgrid::testing

// Skips the current test with a message when a shared data file is absent.
#define LIBGRID_REQUIRE_SHARED(path_variable, relative)                                  \
  const std::string path_variable = ::libgrid::testing::shared_data_path(relative);      \
  if (path_variable.empty()) {                                                           \
    GTEST_SKIP() << "../shared/data/" << (relative) << " is absent: skipping this test"; \
  }                                                                                      \
  static_assert(true)
