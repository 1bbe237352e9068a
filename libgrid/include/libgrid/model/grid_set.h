// A grid set: named levels, coarse to fine, and the cells of every level with their parents,
// plus the roster, the duty table and the working calendar that say who answers for them and
// by when.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/model/boundary_version.h"
#include "libgrid/model/cell.h"
#include "libgrid/model/duty_table.h"
#include "libgrid/model/roster.h"
#include "libgrid/model/working_calendar.h"

namespace libgrid {

// Throws the "unknown level" error of GridSet::require_level for `name` among `levels`.
[[noreturn]] void throw_unknown_level(std::string_view name, const std::vector<std::string>& levels,
                                      std::string_view option);

class GridSet {
 public:
  // Level names are data ("district", "street", "community", "grid", "microgrid", or any
  // other); add them coarse to fine. Returns the new level's index.
  // REQUIRES: `name` is not empty and not already a level.
  int add_level(std::string name);
  const std::vector<std::string>& levels() const { return levels_; }
  // Index of the level called `name`, or -1.
  int level_index(std::string_view name) const;
  // Index of the level called `name`; else the one "unknown level" error, Error(kInvalidInput)
  // naming the caller's `option` (see Location::option): "no level named 'x' (levels: a, b)".
  int require_level(std::string_view name, std::string_view option = "level") const;

  // Adds a cell and returns its id. Throws Error(kInvalidInput) when the code is empty or
  // already used, the level does not exist, the parent is not a cell of the level above, or the
  // cell's households or population would take its level's total past 64 bits.
  CellId add_cell(Cell cell);
  const Cell& cell(CellId id) const { return cells_[static_cast<std::size_t>(id)]; }
  const std::vector<Cell>& cells() const { return cells_; }
  std::size_t size() const { return cells_.size(); }
  // The cell with this code, or kNoCell.
  CellId find(std::string_view code) const;
  // Gives cell `id` a new code and keeps find() right. Only the cell changes: its children,
  // which point at it by id, follow; roster entries and codes that spell out the old code do
  // not (assign_codes in libgrid/codes/grid_code.h renames those too). Setting a cell's own code
  // again does nothing. Throws Error(kInvalidInput) when `id` is not a cell of this set, the code
  // is empty, or another cell has it.
  void set_code(CellId id, std::string code);
  std::vector<CellId> cells_of_level(int level) const;

  // The households and the population of a level's cells, summed. REQUIRES: the level exists.
  struct Totals {
    std::size_t cells = 0;
    std::int64_t households = 0;
    std::int64_t population = 0;
  };
  const Totals& totals(int level) const { return totals_[static_cast<std::size_t>(level)]; }

  // The cell and its ancestors, coarsest first.
  std::vector<CellId> path(CellId id) const;

  // The CRS as WKT (or any definition PROJ accepts); empty when unknown.
  const std::string& crs() const { return crs_; }
  void set_crs(std::string crs) { crs_ = std::move(crs); }

  Box extent() const;

  // A 64-bit digest of the levels, codes, parents and every coordinate: a saved index records
  // it to tell whether it was built from this grid set.
  std::uint64_t fingerprint() const;

  Roster& roster() { return roster_; }
  const Roster& roster() const { return roster_; }
  DutyTable& duty_table() { return duty_table_; }
  const DutyTable& duty_table() const { return duty_table_; }
  // The office's holidays and make-up working days; deadlines in working time follow it.
  WorkingCalendar& calendar() { return calendar_; }
  const WorkingCalendar& calendar() const { return calendar_; }

  // Boundary versions (libgrid/model/boundary_version.h), earliest first. Empty for a grid set
  // of one version, whose cells are all in force at every time. In a set of several, cells()
  // holds the cells of every version, find() answers the latest cell with the code, and at()
  // gives one version as a grid set of its own, which is what validation, rebalancing, partition
  // and rendering take.
  const std::vector<BoundaryVersion>& versions() const { return versions_; }
  bool has_versions() const { return !versions_.empty(); }
  // How many versions: 1 for a grid set without any.
  std::size_t version_count() const { return versions_.empty() ? 1 : versions_.size(); }

  // Adds `next` as a new version in force from `effective`, its cells matched to the latest
  // version's by code: a cell of unchanged boundary is kept once, with `next`'s fields. A grid set
  // without versions becomes its first version, in force from `first_effective` (none: since
  // always). The roster, duty table and calendar become `next`'s. Throws Error(kInvalidInput) when
  // `next` has other levels or another CRS, or `effective` is not after the latest version's date
  // (or `first_effective`).
  void add_version(std::chrono::sys_days effective, const GridSet& next,
                   std::optional<std::chrono::sys_days> first_effective = std::nullopt);

  // For work on one set of boundaries (validation, partition, repair, codes, maps, zones): throws
  // Error(kInvalidInput) when the grid set holds several versions, naming `task` and the
  // versions' dates, so that the caller takes one version first (version(), at()).
  void require_one_version(std::string_view task) const;

  // The index of the version in force at `t`, or -1 when `t` is before the first version.
  // 0 for a grid set without versions.
  int version_at(LocalMinutes t) const;
  // Version `v` as a grid set of one version (cells renumbered in order, parents followed).
  // REQUIRES: v < version_count().
  GridSet version(std::size_t v) const;
  // The version in force at `t`; throws Error(kInvalidInput) naming the first version's date
  // when `t` is before it.
  GridSet at(LocalMinutes t) const;

  // For readers of a grid set file of several versions: a cell that may share its code with
  // cells of other versions (find() then answers the latest added), and the versions, checked:
  // dates increasing (only the first may be since always), ids valid and increasing, parents in
  // force in the same version, codes unique within each. Throws Error(kInvalidInput).
  CellId add_version_cell(Cell cell);
  void set_versions(std::vector<BoundaryVersion> versions);

 private:
  std::vector<std::string> levels_;
  std::vector<Cell> cells_;
  std::vector<Totals> totals_;  // per level, kept by add_cell
  std::unordered_map<std::string, CellId> by_code_;
  std::string crs_;
  Roster roster_;
  DutyTable duty_table_;
  WorkingCalendar calendar_;
  std::vector<BoundaryVersion> versions_;
};

}  // namespace libgrid
