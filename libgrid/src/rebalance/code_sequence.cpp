#include "rebalance/code_sequence.h"

#include <algorithm>

#include "libgrid/error.h"

namespace libgrid::internal {

CodeSequence::CodeSequence(const GridSet& grids, CellId parent, const std::vector<CellId>& cells) {
  prefix_ = parent == kNoCell ? "" : grids.cell(parent).code;
  for (CellId id : cells) {
    const std::string& code = grids.cell(id).code;
    const bool numbered = code.size() > prefix_.size() &&
                          code.compare(0, prefix_.size(), prefix_) == 0 &&
                          std::all_of(code.begin() + static_cast<long>(prefix_.size()), code.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
    const std::size_t digits = code.size() - prefix_.size();
    if (!numbered || (digits_ != 0 && digits != digits_) || digits > 18) {
      numbered_ = false;
      continue;
    }
    digits_ = digits;
    last_ = std::max(last_, std::stoull(code.substr(prefix_.size())));
  }
  if (digits_ == 0) {
    numbered_ = false;
    digits_ = 3;
  }
}

std::string CodeSequence::next(const GridSet& grids) {
  for (;;) {
    ++last_;
    std::string seq = std::to_string(last_);
    std::string code;
    if (numbered_) {
      if (seq.size() > digits_) {
        throw Error(ErrorKind::kInvalidInput, "parent '" + prefix_ + "' needs a new cell, but " +
                                                  std::to_string(digits_) +
                                                  " digits of sequence are used up");
      }
      code = prefix_ + std::string(digits_ - seq.size(), '0') + seq;
    } else {
      code = prefix_ + (prefix_.empty() ? "" : "-") + "new" + seq;
    }
    if (grids.find(code) == kNoCell) return code;
  }
}

}  // namespace libgrid::internal
