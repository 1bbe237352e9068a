// Who answers for an event at a point: locality (属地管理) and one responsible body per event
// (责任主体唯一).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libgrid/model/cell.h"
#include "libgrid/model/duty_table.h"
#include "libgrid/model/roster.h"

namespace libgrid {

class GridSet;

// One step of the escalation chain: a cell on the path and its leaders.
struct EscalationStep {
  CellId cell = kNoCell;
  std::vector<Person> leaders{};
};

struct Responsibility {
  std::vector<CellId> path{};  // coarsest first; empty when the point is not covered
  // The grid worker of the deepest cell on the path that has one; `grid_worker_cell` is that
  // cell (kNoCell when no cell on the path has a worker). Where a cell lists several workers
  // the first is taken and `grid_worker_count` says how many there were.
  Person grid_worker{};
  CellId grid_worker_cell = kNoCell;
  int grid_worker_count = 0;
  // Leaders and info workers of the deepest cell on the path that has any.
  std::vector<Person> grid_leaders{};
  std::vector<Person> info_workers{};
  // The duty rule for the event class; `has_rule` is false when none matches (or no class
  // was given), and the fields below are then empty.
  bool has_rule = false;
  DutyRule rule{};
  // The cell of the rule's handling level on the path (kNoCell if the path does not reach it).
  CellId handling_cell = kNoCell;
  // From the finest cell up to the coarsest.
  std::vector<EscalationStep> escalation{};
};

// Answers many questions against one grid set: the roster is indexed by cell once.
// The grid set must outlive the resolver.
class ResponsibilityResolver {
 public:
  explicit ResponsibilityResolver(const GridSet& grids);

  // REQUIRES: finest is kNoCell or a cell of the grid set. An empty event class matches no rule.
  Responsibility resolve(CellId finest, std::string_view event_class) const;

 private:
  const GridSet* grids_;
  std::vector<std::vector<std::size_t>> roster_of_cell_{};  // cell -> indexes of roster entries
  std::vector<Person> people_of(CellId cell, Role role) const;
};

// People's names joined by ";" (a person with no name by their id), as gridtool and Python
// print them; empty for nobody.
std::string names_text(const std::vector<Person>& people);

// The escalation chain, finest first: "CODE LEADER;LEADER > CODE > ..." (a cell with no leader
// shows its code alone); empty when the point is not covered.
std::string escalation_text(const GridSet& grids, const Responsibility& r);

// One-off convenience over ResponsibilityResolver.
Responsibility responsibility(const GridSet& grids, CellId finest, std::string_view event_class);

}  // namespace libgrid
