// The rows of an assigned chunk that point at each answer, counted without the GIL.
#pragma once

#include <cstdint>
#include <vector>

#include "libgrid/assign/assign.h"

namespace libgrid::python {

// How many rows of a chunk point at each answer, counted beside the lookups without the GIL,
// with the first row of each (whose answer makes the str they all share).
struct AnswerTally {
  std::vector<std::int64_t> of_cell;           // rows of each finest cell + 1
  std::vector<std::size_t> cells;              // the finest cells + 1 met, in order
  std::vector<std::size_t> first_row_of_cell;  // of each of `cells`
  std::vector<std::int64_t> of_rule;           // rows of each of the batch's rules
  std::vector<std::size_t> first_row_of_rule;
  std::vector<std::int64_t> of_handling;  // rows of each handling cell
  std::vector<std::size_t> handlings;     // the handling cells met
  std::int64_t without_handling = 0;      // rows with a rule and no handling cell

  // Counts `batch` (`handling`: its rows' handling cells, or empty) in a grid set of
  // `grid_cells` cells.
  void count(const AssignedPoints& batch, const std::vector<CellId>& handling,
             std::size_t grid_cells) {
    for (const std::size_t k : cells) of_cell[k] = 0;
    for (const std::size_t h : handlings) of_handling[h] = 0;
    cells.clear();
    first_row_of_cell.clear();
    handlings.clear();
    without_handling = 0;
    of_cell.resize(grid_cells + 1, 0);
    of_handling.resize(grid_cells, 0);
    of_rule.assign(batch.rules.size(), 0);
    first_row_of_rule.resize(batch.rules.size());
    for (std::size_t i = 0; i < batch.finest.size(); ++i) {
      const auto k = static_cast<std::size_t>(batch.finest[i]) + 1;
      if (of_cell[k]++ == 0) {
        cells.push_back(k);
        first_row_of_cell.push_back(i);
      }
      if (batch.rule.empty()) continue;
      if (of_rule[batch.rule[i]]++ == 0) first_row_of_rule[batch.rule[i]] = i;
      if (handling.empty()) continue;
      if (handling[i] == kNoCell) {
        ++without_handling;
        continue;
      }
      const auto h = static_cast<std::size_t>(handling[i]);
      if (of_handling[h]++ == 0) handlings.push_back(h);
    }
  }
};

}  // namespace libgrid::python
