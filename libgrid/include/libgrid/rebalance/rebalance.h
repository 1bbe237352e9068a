// Rebalance: the yearly adjustment (动态调整) of an existing level with minimal change.
//
// The cells of a level are the starting plan; units (address points, buildings) carry today's
// households. Inside each parent, land moves between neighbouring cells until every cell is
// within the band wherever that is possible, moving as few households as possible, then as little
// boundary as possible, then keeping cells compact:
//
//   1. A cell too heavy for its neighbours to absorb splits (recursive bisection on spanning
//      trees, as partition draws cells); a cell too light to stand alone merges into the
//      neighbour it shares most boundary with.
//   2. Households then move across boundaries, the lightest pieces that cover the excess first,
//      along a chain of neighbours where the next neighbour is full.
//
// PIECES. When the level has a finer level, land moves in whole finer cells: they keep their
// geometry and codes and only change parent. At the finest level, land moves in blocks cut by the
// cells' own boundaries and the barriers, and, in the cells that change, by straight cuts between
// units (partition's weighted cuts).
//
// GUARANTEES, checked before the grid set is changed: the cells of each parent cover the same
// land as before with no overlap; cells re-drawn from pieces share their edges vertex for vertex;
// every cell is contiguous (unless the land it may hold is in parts); locked and dedicated cells
// and the cells of parents not adjusted keep their geometry and fields byte for byte, and cells
// of parents where nothing moves keep their geometry (households become today's); households
// are conserved; the result is the same for the same seed. Where no number of cells of a
// parent fits the band, its cells are left as they are and the report says so.
//
// CODES. A cell keeps its code where it keeps most of its area; a new cell takes the next
// sequence after every code its parent's cells have; a retired code is not given to other land.
// Roster entries of retired cells are removed and listed in the report.
//
// FIELDS. A cell of the level gets today's households; where its land changed, its population
// is what its pieces bring, each piece carrying its old cell's population in proportion to its
// households (to its area where the old cell had none). New cells are basic, without a name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "libgrid/model/barrier.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/roster.h"
#include "libgrid/model/unit.h"
#include "libgrid/partition/partition.h"

namespace libgrid {

struct RebalanceOptions {
  std::string level{};  // REQUIRES: a level of the grid set
  double min_weight = 0.0;
  double max_weight = 0.0;             // REQUIRES: 0 <= min_weight <= max_weight, max_weight > 0
  std::vector<std::string> locks{};    // codes of cells of `level` that must not change
  std::vector<std::string> parents{};  // codes of the parents to adjust; empty means all
  std::uint64_t seed = 1;
};

enum class RebalanceStatus {
  kKept,     // keeps its code (its land may have changed)
  kNew,      // a new cell: needs a grid worker
  kRetired,  // merged away or split so that no part keeps most of its land
  kLocked,   // locked or dedicated: untouched
};
std::string_view to_string(RebalanceStatus status);  // "kept", "new", "retired", "locked"

struct RebalanceCellReport {
  std::string code{};
  std::string parent_code{};
  RebalanceStatus status = RebalanceStatus::kKept;
  double weight_before = 0.0;  // today's units inside the cell as it was (0 for a new cell)
  double weight_after = 0.0;   // today's units inside the cell as it is (0 when retired)
  bool in_band_before = false;
  bool in_band_after = false;
  // Of the households in the cell before, the share still in a cell of this code (1 when it
  // had none).
  double kept_share = 1.0;
  double area_before = 0.0;
  double area_after = 0.0;
  double polsby_popper = 0.0;  // after (before for a retired cell): 4π·area / perimeter²
};

// One piece of land that changed cell.
struct RebalanceMove {
  std::string piece{};  // the finer cell's code; empty at the finest level
  // The units in the piece: their positions in the units given (0-based).
  std::vector<std::size_t> units{};
  std::string from_code{};
  std::string to_code{};
  double households = 0.0;
  double area = 0.0;
};

struct RebalanceTotals {
  std::size_t cells_before = 0;
  std::size_t cells_after = 0;
  // Cells within the band; dedicated cells (a school, a hospital) count as in it.
  std::size_t in_band_before = 0;
  std::size_t in_band_after = 0;
  double households = 0.0;  // of the units inside the adjusted parents
  double moved = 0.0;       // households whose cell code changed
  // Per parent, max(total excess over the band, total shortfall under it) before, summed: what
  // any plan keeping the number of cells must move. Merging cells away can move less.
  double lower_bound = 0.0;
  double core_retention = 1.0;  // share of households kept in a cell of the same code
  std::size_t cells_touched = 0;
  double boundary_changed = 0.0;  // length of boundary drawn or removed between cells
  std::size_t codes_kept = 0;
  std::size_t codes_new = 0;
  std::size_t codes_retired = 0;
};

struct RebalanceReport {
  std::vector<RebalanceCellReport> cells{};  // of the adjusted parents, in code order
  std::vector<RebalanceMove> moves{};
  // Cells still out of band, each with its reason (dedicated cells are not held to the band),
  // and parents whose weight fits no number of cells in the band.
  std::vector<Infeasibility> infeasible{};
  std::vector<RosterEntry> retired_roster{};  // entries of retired codes, removed
  std::size_t units = 0;
  std::size_t units_outside = 0;    // outside every cell of the level: not counted
  std::size_t units_elsewhere = 0;  // in cells of parents not adjusted
  RebalanceTotals totals{};
};

// Adjusts options.level of `grids` in place. Throws Error(kInvalidInput), leaving `grids` as it
// was, for: an unknown level, an empty or inverted band, a lock or parent naming an unknown code
// or a cell of another level, a negative or non-finite weight, a barrier of fewer than 2 points,
// and a level whose cells overlap or leave gaps inside a parent. A band that cannot be met is
// reported (RebalanceReport::infeasible), never thrown.
RebalanceReport rebalance(GridSet& grids, const std::vector<Unit>& units,
                          const std::vector<Barrier>& barriers, const RebalanceOptions& options);

}  // namespace libgrid
