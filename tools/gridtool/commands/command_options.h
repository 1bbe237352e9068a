// Options that several commands share: the band of weight, lists of codes, seeds and limits,
// the units file, and the names of the files written beside the output grid set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gridtool/arguments.h"
#include "libgrid/model/unit.h"

namespace gridtool {

// "--target MIN:MAX" -> {MIN, MAX}; UsageError unless 0 <= MIN <= MAX and MAX > 0.
std::pair<double, double> parse_band(const std::string& text);

// "A,B,,C" -> {"A", "B", "C"}.
std::vector<std::string> split_codes(const std::string& text);
// Every code given to a repeatable option, each value split at commas.
std::vector<std::string> code_list(const Arguments& a, const std::string& name);

std::uint64_t seed_option(const Arguments& a);                       // --seed N, default 1
std::size_t limit_option(const Arguments& a, std::size_t fallback);  // --limit N, 0 for all

// --units PATH[:FIELD] as the path and the weight field ("" when not given).
std::pair<std::string, std::string> units_option(const Arguments& a);
// --units PATH[:FIELD] (and --units-crs), read into the grid set's CRS.
std::vector<libgrid::Unit> read_units_option(const Arguments& a, const std::string& grid_crs);

// OUT.gpkg -> OUT.SUFFIX (OUT.report.csv for "report.csv"); a name without ".gpkg" keeps it.
std::string sibling_path(const std::string& output, const std::string& suffix);

}  // namespace gridtool
