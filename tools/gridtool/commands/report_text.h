// How partition and rebalance write numbers and report their units and cells out of band.
#pragma once

#include <cstddef>
#include <fstream>
#include <iosfwd>
#include <string>
#include <vector>

#include "libgrid/partition/partition.h"

namespace gridtool {

// v with `decimals` decimals; empty for NaN (a figure that does not apply).
std::string fixed(double v, int decimals);
// A weight (households): comma-grouped when whole, two decimals otherwise; empty for NaN.
std::string weight_text(double v);
// One CSV field, quoted when it needs to be.
std::string csv_field(const std::string& s);
// Closes a CSV file written at `path`; Error(kIo) saying it "cannot write the WHAT" if any write
// failed.
void close_csv(std::ofstream& csv, const std::string& path, const std::string& what);

// Under a table of `shown` of `total` cells: "... and N more in the report CSV" when some were
// left out.
void print_rest_note(std::size_t shown, std::size_t total, std::ostream& out);

struct UnitCounts {
  std::size_t read = 0;
  std::size_t outside = 0;    // outside every cell of the level: not counted
  std::size_t elsewhere = 0;  // in parents left alone
  double weight_inside = 0.0;
};

// "units: N read, weight W inside[, K ELSEWHERE]" on `out`, and on `err` a warning naming
// `level` when units lie outside it.
void print_unit_counts(const UnitCounts& units, const std::string& command,
                       const std::string& level, const std::string& elsewhere, std::ostream& out,
                       std::ostream& err);

// "out of band (N):" and a table of parent, cell and reason; nothing when there are none.
void print_out_of_band(const std::vector<libgrid::Infeasibility>& infeasible, std::ostream& out);

}  // namespace gridtool
