// libgrid's CellIndex as a lookup peer, on its accelerated (quadtree) or plain (R-tree) path.
#pragma once

#include <string_view>

#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"

namespace libgrid::bench {

template <bool kAccelerated>
class LibgridLookup {
 public:
  static constexpr std::string_view kName = kAccelerated ? "libgrid_accelerated" : "libgrid_plain";

  // Indexes every level of `grids`, whatever `level` says: one lookup answers them all.
  LibgridLookup(const GridSet& grids, int /*level*/)
      : index_(grids, CellIndex::Options{.accelerated = kAccelerated}),
        all_levels_(grids.levels().size() > 1) {}

  // The finest cell. With several levels it also reads the cell's path, since "every level
  // answered" is what a caller of a multi-level set pays for; path(c).back() is c itself.
  CellId lookup(double x, double y) const {
    const CellId cell = index_.lookup({x, y});
    if (!all_levels_) return cell;
    const auto path = index_.path(cell);
    return path.empty() ? kNoCell : path.back();
  }

  const CellIndex& index() const { return index_; }

 private:
  CellIndex index_;
  bool all_levels_;
};

}  // namespace libgrid::bench
