// Evaluation (考核): how the cells, workers and departments of a grid set handle their events.
//
// Every event is located with the cell index and resolved with ResponsibilityResolver, exactly as
// assign does, and is due at due_time(reported_at, the duty rule's deadline and unit, calendar).
// It is then counted in one group: the cell of level `by` holding it, its grid worker
// ("worker"), or its duty rule's department ("department").
//
// Per group, as of the time `as_of` (a closing time after as_of counts as still open):
//   events             events of the group
//   closed             events closed by as_of;          closure_rate = closed / events
//   closed_on_time     closed at or before their due time
//   settle_by_as_of    events that should be settled by as_of: the closed ones plus the open
//                      overdue ones;                    on_time_rate = closed_on_time /
//                      settle_by_as_of
//   open, overdue      events not closed by as_of; overdue ones are due before as_of
//   reworked           events returned for rework at least once;  rework_rate = reworked / events
//   events_per_100_households  100 * events / households: the cell's for a level; for a worker
//                      the households of the cells they serve (a cell inside another they serve
//                      counted once); none for departments
//   handling_unit      the group's most common deadline unit (ties: the first of urgent hours,
//                      working hours, working days, calendar days)
//   median_handling    median time from report to closing of the closed events, in handling_unit:
//                      working hours and days are counted in working minutes of the calendar
//                      (8 working hours a day), urgent hours and calendar days in clock minutes
// A rate whose denominator is zero, and a figure that does not apply, is NaN.
//
// Events are left out of every group, and counted, when reported outside [from, to] or after
// as_of, not covered by any cell, of a class with no duty rule, or not reaching the group (a
// point no cell of level `by` holds, a path with no grid worker).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libgrid/duty/deadline.h"
#include "libgrid/model/cell.h"
#include "libgrid/model/duty_table.h"
#include "libgrid/stats/event_table.h"

namespace libgrid {

class CellIndex;
class GridSet;
class WorkingCalendar;

struct EvaluationOptions {
  // A level name of the grid set, "worker" or "department".
  std::string by = "grid";
  // Events reported on these dates, both included; unset: no bound.
  std::optional<std::chrono::sys_days> from{}, to{};
  // Unset: the start of the day after `to` when `to` is set, else the latest report or closing
  // time of the events in the period.
  std::optional<LocalMinutes> as_of{};
  // Unset: the grid set's calendar.
  const WorkingCalendar* calendar = nullptr;
  // Lookup threads; 0 uses every core.
  int threads = 0;
};

struct GroupEvaluation {
  std::string key{};        // the cell code, the worker's id (else name), or the department
  std::string name{};       // the cell's or worker's name; empty for a department
  CellId cell = kNoCell;    // the cell, for a level
  double households = 0.0;  // NaN where it has no meaning
  std::int64_t events = 0, closed = 0, closed_on_time = 0, settle_by_as_of = 0, open = 0,
               overdue = 0, reworked = 0;
  double events_per_100_households = 0.0, closure_rate = 0.0, on_time_rate = 0.0, rework_rate = 0.0;
  std::optional<DeadlineUnit> handling_unit{};  // unset for a group with no events
  double median_handling = 0.0;
};

// An event left out, counted, and the first one named (1-based row, its id when given).
struct LeftOut {
  std::int64_t count = 0;
  std::int64_t first_row = 0;
  std::string first_id{};
  std::string first_value{};  // the class or the point that was left out
};

struct Evaluation {
  std::string by{};
  bool by_level = false;
  LocalMinutes as_of = 0;
  std::vector<GroupEvaluation> groups{};  // level: every cell of it in grid set order;
                                          // else: groups with events, by key
  GroupEvaluation total{};                // every event counted in a group
  std::int64_t events_read = 0;
  std::int64_t outside_period = 0, after_as_of = 0;
  LeftOut not_covered{}, unknown_class{}, outside_group{};
};

// REQUIRES: `index` was built from `grids`. Throws Error(kInvalidInput) when `by` is no level,
// "worker" or "department", when the grid set has no duty table, or (for "worker") no roster.
Evaluation evaluate(const GridSet& grids, const CellIndex& index, const EventTable& events,
                    const EvaluationOptions& options = EvaluationOptions{});

}  // namespace libgrid
