// The codes of the new cells of one parent: the parent's code and the next sequence after every
// code its cells have, in the width they use (cells "100001".."100004" of "100" give "100005").
// Where its cells' codes are not all the parent's code and digits of one width, a new cell is
// "<parent>-new<n>" instead ("new<n>" at the coarsest level). Codes already in the grid set are
// skipped, so a retired code is never given to other land.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "libgrid/model/grid_set.h"

namespace libgrid::internal {

class CodeSequence {
 public:
  // `parent` is kNoCell at the coarsest level (no prefix); `cells` are the parent's cells.
  CodeSequence(const GridSet& grids, CellId parent, const std::vector<CellId>& cells);

  // The next code not already in `grids`. Throws Error(kInvalidInput) when the sequence's digits
  // are used up.
  std::string next(const GridSet& grids);

 private:
  std::string prefix_;
  std::size_t digits_ = 0;
  unsigned long long last_ = 0;
  bool numbered_ = true;
};

}  // namespace libgrid::internal
