// Boundary versions: a grid set may hold several versions of its boundaries, each in force from
// the start (00:00 local time) of its effective date until the next version's. The cells of all
// versions live in one table (GridSet::cells()); a cell whose boundary is unchanged from one
// version to the next (same level, code, parent and region: vertices added on its straight edges
// do not count) is the same cell, kept once, with the fields (name, households, population,
// kind, attributes) and vertices of the latest version holding it.
// A version is the list of the cell ids in force in it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "libgrid/duty/deadline.h"
#include "libgrid/model/cell.h"

namespace libgrid {

struct BoundaryVersion {
  // The first day the version is in force; none for a first version in force since always.
  std::optional<std::chrono::sys_days> effective{};
  std::vector<CellId> cells{};  // in increasing id order

  // The minute the version comes into force, or the smallest LocalMinutes when since always.
  LocalMinutes effective_minutes() const;
};

// "YYYY-MM-DD", or "(always)" for a version in force since always.
std::string describe_effective(const BoundaryVersion& version);

}  // namespace libgrid
