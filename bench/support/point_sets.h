// Seeded query points, made once per dataset and shared by every implementation measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "support/address_mixture.h"

namespace libgrid::bench {

struct PointSet {
  std::string name{};  // "uniform_extent", "uniform_coverage", "clustered"
  std::vector<double> x{}, y{};

  std::size_t size() const { return x.size(); }
};

// Uniform over the extent: water, gaps and the rim included.
PointSet uniform_in_extent(const Box& extent, std::size_t n, std::uint64_t seed);

// Uniform over the covered area: uniform points of the extent kept only where `index` finds a
// cell (the plain R-tree index is used as the reference).
PointSet uniform_in_coverage(const Box& extent, const CellIndex& index, std::size_t n,
                             std::uint64_t seed);

// Drawn from the address mixture mapped affinely onto the extent; draws falling outside the
// extent are drawn again, so every point lies in the extent like the uniform sets.
PointSet clustered(const Box& extent, const AddressMixture& mixture, std::size_t n,
                   std::uint64_t seed);

// Up to n vertices of the cells of `level` (closing points aside), a seeded sample: points
// exactly on boundaries, where implementations' rules differ. For cross-checks, not timing.
PointSet cell_vertices(const GridSet& grids, int level, std::size_t n, std::uint64_t seed);

}  // namespace libgrid::bench
