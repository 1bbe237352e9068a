// What every point-in-grid implementation under measurement offers, so one benchmark template
// serves them all.
#pragma once

#include <concepts>
#include <string_view>

#include "libgrid/model/cell.h"
#include "libgrid/model/grid_set.h"

namespace libgrid::bench {

// Built from one level of a grid set (libgrid indexes every level; the others index `level`
// only), a peer answers one point at a time with the grid set's id of the cell holding it, or
// kNoCell. Coordinates are the grid set's own. Used from one thread.
template <class T>
concept LookupPeer = std::constructible_from<T, const GridSet&, int> &&
    requires(const T& peer, double x, double y) {
  { T::kName } -> std::convertible_to<std::string_view>;
  { peer.lookup(x, y) } -> std::same_as<CellId>;
};

}  // namespace libgrid::bench
