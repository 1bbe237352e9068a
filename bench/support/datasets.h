// The grid sets the benchmarks run on, each loaded once per process.
#pragma once

#include <string>
#include <vector>

#include "libgrid/model/grid_set.h"

namespace libgrid::bench {

struct Dataset {
  std::string name{};  // short and filter-friendly: "nyc_districts"
  GridSet grids{};
  // The level peers index and answer: the finest. libgrid answers every level at once.
  int finest_level = 0;
};

// Every dataset whose files (or generator) are present, loaded on first call and cached. Prints
// one line for each one skipped and why.
const std::vector<Dataset>& available_datasets();

}  // namespace libgrid::bench
