// Partition: a new, finer level under the cells of an existing one.
//
// BY UNITS (PartitionMethod::kUnits). Units are points carrying a weight (households). Each
// parent is cut into blocks by its boundary and the barrier lines (roads, rivers, walls); blocks
// heavier than the granularity are split further by straight cuts between their units (weighted
// recursive bisection). The blocks' adjacency graph is then split into connected parts by
// recursive bisection on random spanning trees (seeded): each split takes, over many trees, the
// tree edge whose two sides are within the band and whose cut is the most compact and runs most
// along barriers. Parts are dissolved into cells. Where no split meets the band, the blocks are
// refined and the split is tried again; what still misses the band is reported with its reason.
//
// REGULAR (kSquare, kHex, kBeidou): cells of a square or hexagonal lattice of a given size, or of
// the Beidou grid (GB/T 39409-2020) at a given level, clipped to each parent. Units, if given,
// only weigh the cells.
//
// EXACT NESTING. All parents' boundaries, the barriers and the cuts are noded together and
// polygonised once, so the new cells of a parent cover it with no gap or overlap and neighbours
// share their edges vertex for vertex; the lookup's boundary rule then holds at the new level.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/model/barrier.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/unit.h"

namespace libgrid {

enum class PartitionMethod { kUnits, kSquare, kHex, kBeidou };

std::string_view to_string(PartitionMethod method);  // "units", "square", "hex", "beidou"
std::optional<PartitionMethod> parse_partition_method(std::string_view text);

struct PartitionOptions {
  std::string parent_level{};          // REQUIRES: the finest level of the grid set
  std::string new_level{};             // REQUIRES: not a level yet
  std::vector<std::string> parents{};  // codes; empty means every cell of parent_level
  PartitionMethod method = PartitionMethod::kUnits;

  // kUnits: either a band of weight per cell (min_weight..max_weight) or a number of cells per
  // parent (count, as equal as possible).
  std::optional<double> min_weight{};
  std::optional<double> max_weight{};
  int count = 0;
  std::uint64_t seed = 1;

  double size = 0.0;     // kSquare: side; kHex: distance between opposite edges (CRS units)
  int beidou_level = 0;  // kBeidou: 1..10

  // New codes: the parent's code plus this many digits of sequence, numbered west→east,
  // north→south within the parent.
  int code_digits = 3;
};

struct PartitionCellReport {
  std::string code{};
  std::string parent_code{};
  double weight = 0.0;
  // Below the band's minimum (negative) or above its maximum (positive); 0 inside. With
  // PartitionOptions::count: the difference from the parent's mean.
  double deviation = 0.0;
  double area = 0.0;
  double polsby_popper = 0.0;  // 4π·area / perimeter², 1 for a disc
  double barrier_share = 0.0;  // share of the perimeter inside the parent lying on barriers
};

// Why a parent's cells could not all be put in the band.
struct Infeasibility {
  std::string parent_code{};
  std::string cell_code{};  // the cell out of band; empty when it concerns the whole parent
  std::string reason{};
};

// Overall figures of a set of cells, for the partition and for the baselines beside it.
struct PartitionSummary {
  std::string method{};  // "libgrid", "square grid", "k-means + Voronoi"
  std::size_t cells = 0;
  std::size_t cells_in_band = 0;
  double min_weight = 0.0;
  double max_weight = 0.0;
  double max_deviation = 0.0;  // largest |deviation|, see PartitionCellReport::deviation
  double mean_polsby_popper = 0.0;
  double mean_barrier_share = 0.0;
};

struct PartitionReport {
  std::vector<PartitionCellReport> cells{};  // in code order
  std::vector<Infeasibility> infeasible{};
  std::size_t units = 0;
  std::size_t units_outside = 0;    // outside every cell of the parent level: not counted
  std::size_t units_elsewhere = 0;  // in parents not partitioned (PartitionOptions::parents)
  double total_weight = 0.0;        // of the units inside the partitioned parents
  PartitionSummary summary{};
  std::vector<PartitionSummary> baselines{};  // see partition_baselines()
};

// Adds options.new_level under options.parent_level and fills it. The new cells carry the
// weight of their units as households (rounded), kind basic, and for kBeidou the attribute
// "beidou_code". Throws Error(kInvalidInput) for bad options (empty or inverted band, unknown
// level or parent, a level below parent_level, a negative or non-finite weight, a barrier of
// fewer than 2 points, a non-positive size, a Beidou level outside 1..10 or a grid set without
// a CRS for it). Infeasible balance is reported, never thrown.
PartitionReport partition(GridSet& grids, const std::vector<Unit>& units,
                          const std::vector<Barrier>& barriers, const PartitionOptions& options);

// The two usual recipes with the same number of cells per parent, measured like the partition:
// a square grid clipped to each parent, and k-means of the units with their Voronoi cells
// clipped to each parent. `grids` holds the partition's result (options.new_level filled).
std::vector<PartitionSummary> partition_baselines(const GridSet& grids,
                                                  const std::vector<Unit>& units,
                                                  const std::vector<Barrier>& barriers,
                                                  const PartitionOptions& options);

}  // namespace libgrid
