#include "libgrid/stats/evaluation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "libgrid/duty/responsibility.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/working_calendar.h"

namespace libgrid {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int32_t kNoGroup = -1;
constexpr std::size_t kUnitCount = 4;

enum class GroupKind { kLevel, kWorker, kDepartment };

// What an event's cell and class decide: its group and its deadline.
struct Resolved {
  bool has_rule = false;
  std::int32_t group = kNoGroup;
  double deadline = 0.0;
  DeadlineUnit unit = DeadlineUnit::kWorkingHours;
};

struct Tally {
  std::int64_t events = 0, closed = 0, closed_on_time = 0, overdue = 0, reworked = 0;
  std::array<std::int64_t, kUnitCount> units{};
  std::vector<std::uint32_t> closed_events{};  // for the median handling time
};

// The one place where events meet the boundaries: the finest cell holding each point. With
// boundary versions, this is where each event will take the cells in force at its own time.
// Each event in the boundary version in force when it was reported, where the grid set has
// several; an event reported before the first is an error naming its row.
std::vector<CellId> locate_events(const CellIndex& index, const EventTable& events, int threads) {
  std::vector<CellId> finest(events.size());
  if (index.version_starts().empty()) {
    index.lookup(events.x, events.y, finest, threads);
    return finest;
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (index.version_at(events.reported_at[i]) >= 0) continue;
    const std::string first = format_local_time(index.version_starts().front());
    throw Error(ErrorKind::kInvalidInput,
                Location{events.source, "", static_cast<std::int64_t>(i + 1), "reported_at"},
                "time " + format_local_time(events.reported_at[i]) +
                    " is before the first boundary version (" + first.substr(0, first.find('T')) +
                    ")");
  }
  index.lookup(events.x, events.y, events.reported_at, finest, threads);
  return finest;
}

void check_sizes(const EventTable& events) {
  const std::size_t n = events.size();
  const auto fits = [n](std::size_t size, bool optional) {
    return size == n || (optional && size == 0);
  };
  if (!fits(events.y.size(), false) || !fits(events.event_class.size(), false) ||
      !fits(events.reported_at.size(), false) || !fits(events.event_id.size(), true) ||
      !fits(events.closed_at.size(), true) || !fits(events.reopened.size(), true)) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = events.source},
                "the event columns differ in length");
  }
}

LocalMinutes start_of(std::chrono::sys_days day) {
  return std::chrono::duration_cast<std::chrono::minutes>(day.time_since_epoch()).count();
}

void note(LeftOut& left, const EventTable& events, std::size_t i, std::string value) {
  if (left.count++ == 0) {
    left.first_row = static_cast<std::int64_t>(i + 1);
    left.first_id = events.event_id.empty() ? "" : events.event_id[i];
    left.first_value = std::move(value);
  }
}

std::string point_text(double x, double y) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g %.10g", x, y);
  return buffer;
}

double rate(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : kNaN;
}

double median(std::vector<double>& v) {
  if (v.empty()) return kNaN;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)) + upper) / 2;
}

// Handling times, in working minutes counted once per event however many groups (the total
// too) ask for them.
class HandlingTimes {
 public:
  HandlingTimes(const EventTable& events, const WorkingCalendar& calendar)
      : events_(events), calendar_(calendar), working_(events.size(), -1) {}

  // The handling time of event i in `unit`: working units in working time, others on the clock.
  double in(std::uint32_t i, DeadlineUnit unit) {
    const LocalMinutes reported = events_.reported_at[i], closed = events_.closed_at[i];
    switch (unit) {
      case DeadlineUnit::kUrgentHours:
        return static_cast<double>(closed - reported) / 60.0;
      case DeadlineUnit::kCalendarDays:
        return static_cast<double>(closed - reported) / (24.0 * 60.0);
      case DeadlineUnit::kWorkingHours:
        return static_cast<double>(working(i)) / 60.0;
      case DeadlineUnit::kWorkingDays:
        return static_cast<double>(working(i)) / 480.0;
    }
    return kNaN;
  }

 private:
  LocalMinutes working(std::uint32_t i) {
    if (working_[i] < 0) {
      working_[i] =
          working_minutes_between(events_.reported_at[i], events_.closed_at[i], calendar_);
    }
    return working_[i];
  }

  const EventTable& events_;
  const WorkingCalendar& calendar_;
  std::vector<LocalMinutes> working_;
};

// Fills the figures of `g` from its tally.
void finish(GroupEvaluation& g, Tally& t, const EventTable& events, HandlingTimes& handling) {
  g.events = t.events;
  g.closed = t.closed;
  g.closed_on_time = t.closed_on_time;
  g.open = t.events - t.closed;
  g.overdue = t.overdue;
  g.settle_by_as_of = t.closed + t.overdue;
  g.reworked = t.reworked;
  g.closure_rate = rate(g.closed, g.events);
  g.on_time_rate = rate(g.closed_on_time, g.settle_by_as_of);
  g.rework_rate = events.reopened.empty() ? kNaN : rate(g.reworked, g.events);
  g.events_per_100_households =
      g.households > 0 ? 100.0 * static_cast<double>(g.events) / g.households : kNaN;
  g.median_handling = kNaN;
  if (t.events == 0) return;
  const auto most = std::max_element(t.units.begin(), t.units.end());  // first of equals
  const auto unit = static_cast<DeadlineUnit>(most - t.units.begin());
  g.handling_unit = unit;
  std::vector<double> times;
  times.reserve(t.closed_events.size());
  for (const std::uint32_t i : t.closed_events) {
    times.push_back(handling.in(i, unit));
  }
  g.median_handling = median(times);
}

// Households of the cells each grid worker serves, a cell inside another of theirs counted once.
std::unordered_map<std::string, double> households_served(const GridSet& grids) {
  std::unordered_map<std::string, std::unordered_set<CellId>> served;
  for (const RosterEntry& e : grids.roster().entries) {
    if (e.role != Role::kGridWorker) continue;
    const CellId cell = grids.find(e.cell_code);
    if (cell == kNoCell) continue;
    served[e.person.id.empty() ? e.person.name : e.person.id].insert(cell);
  }
  std::unordered_map<std::string, double> households;
  for (const auto& [key, cells] : served) {
    double sum = 0.0;
    for (const CellId cell : cells) {
      bool inside_another = false;
      for (CellId up = grids.cell(cell).parent; up != kNoCell && !inside_another;
           up = grids.cell(up).parent) {
        inside_another = cells.count(up) > 0;
      }
      if (!inside_another) sum += static_cast<double>(grids.cell(cell).households);
    }
    households[key] = sum;
  }
  return households;
}

}  // namespace

Evaluation evaluate(const GridSet& grids, const CellIndex& index, const EventTable& events,
                    const EvaluationOptions& options) {
  check_sizes(events);
  const int level = grids.level_index(options.by);
  GroupKind kind = GroupKind::kLevel;
  if (level < 0) {
    if (options.by == "worker") {
      kind = GroupKind::kWorker;
    } else if (options.by == "department") {
      kind = GroupKind::kDepartment;
    } else {
      throw Error(ErrorKind::kInvalidInput, Location{.option = "by"},
                  "cannot group by '" + options.by +
                      "': not a level of the grid set, worker or "
                      "department");
    }
  }
  if (grids.duty_table().empty()) {
    throw Error(ErrorKind::kInvalidInput,
                "the grid set has no duty table, so the events have no deadlines");
  }
  if (kind == GroupKind::kWorker && grids.roster().empty()) {
    throw Error(ErrorKind::kInvalidInput,
                "the grid set has no roster, so the events have no grid workers");
  }
  const WorkingCalendar& calendar = options.calendar ? *options.calendar : grids.calendar();
  const std::size_t n = events.size();

  Evaluation result;
  result.by = options.by;
  result.by_level = kind == GroupKind::kLevel;
  result.events_read = static_cast<std::int64_t>(n);

  // The period, and as_of from it when not given.
  const LocalMinutes period_start =
      options.from ? start_of(*options.from) : std::numeric_limits<LocalMinutes>::min();
  const LocalMinutes period_end = options.to ? start_of(*options.to + std::chrono::days(1))
                                             : std::numeric_limits<LocalMinutes>::max();
  const auto in_period = [&](std::size_t i) {
    return events.reported_at[i] >= period_start && events.reported_at[i] < period_end;
  };
  LocalMinutes as_of = 0;
  if (options.as_of) {
    as_of = *options.as_of;
  } else if (options.to) {
    as_of = period_end;
  } else {
    as_of = std::numeric_limits<LocalMinutes>::min();
    for (std::size_t i = 0; i < n; ++i) {
      if (!in_period(i)) continue;
      as_of = std::max(as_of, events.reported_at[i]);
      if (!events.closed_at.empty()) as_of = std::max(as_of, events.closed_at[i]);
    }
    if (as_of == std::numeric_limits<LocalMinutes>::min()) as_of = 0;
  }
  result.as_of = as_of;

  // The groups known before the events: every cell of the level.
  std::vector<Tally> tallies;
  std::vector<CellId> group_of_cell;                 // level: cell -> group
  std::map<std::string, std::int32_t> group_of_key;  // worker, department: key -> group
  if (kind == GroupKind::kLevel) {
    group_of_cell.assign(grids.size(), kNoGroup);
    for (const CellId id : grids.cells_of_level(level)) {
      const Cell& c = grids.cell(id);
      group_of_cell[static_cast<std::size_t>(id)] = static_cast<CellId>(result.groups.size());
      GroupEvaluation g;
      g.key = c.code;
      g.name = c.name;
      g.cell = id;
      g.households = static_cast<double>(c.households);
      result.groups.push_back(std::move(g));
    }
    tallies.resize(result.groups.size());
  }
  const auto worker_households = kind == GroupKind::kWorker
                                     ? households_served(grids)
                                     : std::unordered_map<std::string, double>{};
  const auto group_by_key = [&](const std::string& key, const std::string& name) {
    const auto [at, added] =
        group_of_key.emplace(key, static_cast<std::int32_t>(result.groups.size()));
    if (added) {
      GroupEvaluation g;
      g.key = key;
      g.name = name;
      g.households = kNaN;
      if (kind == GroupKind::kWorker) {
        const auto h = worker_households.find(key);
        g.households = h == worker_households.end() ? 0.0 : h->second;
      }
      result.groups.push_back(std::move(g));
      tallies.emplace_back();
    }
    return at->second;
  };

  const std::vector<CellId> finest = locate_events(index, events, options.threads);
  const ResponsibilityResolver resolver(grids);
  // Resolutions depend on the finest cell and the class only: resolved once per pair.
  std::unordered_map<std::string_view, std::int32_t> class_ids;
  std::unordered_map<std::uint64_t, Resolved> resolved;
  const auto resolve = [&](CellId cell, const std::string& event_class) -> const Resolved& {
    const auto [class_at, _] =
        class_ids.emplace(event_class, static_cast<std::int32_t>(class_ids.size()));
    const std::uint64_t key =
        (static_cast<std::uint64_t>(class_at->second) << 32) | static_cast<std::uint32_t>(cell);
    const auto found = resolved.find(key);
    if (found != resolved.end()) return found->second;
    const Responsibility r = resolver.resolve(cell, event_class);
    Resolved answer;
    answer.has_rule = r.has_rule;
    answer.deadline = r.rule.deadline;
    answer.unit = r.rule.unit;
    if (r.has_rule) {
      switch (kind) {
        case GroupKind::kLevel:
          for (const CellId id : r.path) {
            if (grids.cell(id).level == level) {
              answer.group = group_of_cell[static_cast<std::size_t>(id)];
            }
          }
          break;
        case GroupKind::kWorker:
          if (r.grid_worker_cell != kNoCell) {
            const Person& p = r.grid_worker;
            answer.group = group_by_key(p.id.empty() ? p.name : p.id, p.name);
          }
          break;
        case GroupKind::kDepartment:
          if (!r.rule.department.empty()) answer.group = group_by_key(r.rule.department, "");
          break;
      }
    }
    return resolved.emplace(key, answer).first->second;
  };

  Tally total;
  for (std::size_t i = 0; i < n; ++i) {
    const LocalMinutes reported = events.reported_at[i];
    if (!in_period(i)) {
      ++result.outside_period;
      continue;
    }
    if (reported > as_of) {
      ++result.after_as_of;
      continue;
    }
    if (finest[i] == kNoCell) {
      note(result.not_covered, events, i, point_text(events.x[i], events.y[i]));
      continue;
    }
    const Resolved& r = resolve(finest[i], events.event_class[i]);
    if (!r.has_rule) {
      note(result.unknown_class, events, i, events.event_class[i]);
      continue;
    }
    if (r.group == kNoGroup) {
      note(result.outside_group, events, i, point_text(events.x[i], events.y[i]));
      continue;
    }
    const LocalMinutes due = due_time(reported, r.deadline, r.unit, calendar);
    const LocalMinutes closed = events.closed_at.empty() ? kStillOpen : events.closed_at[i];
    const bool is_closed = closed != kStillOpen && closed <= as_of;
    for (Tally* t : {&tallies[static_cast<std::size_t>(r.group)], &total}) {
      ++t->events;
      ++t->units[static_cast<std::size_t>(r.unit)];
      if (!events.reopened.empty() && events.reopened[i] > 0) ++t->reworked;
      if (is_closed) {
        ++t->closed;
        if (closed <= due) ++t->closed_on_time;
        t->closed_events.push_back(static_cast<std::uint32_t>(i));
      } else if (due < as_of) {
        ++t->overdue;
      }
    }
  }

  HandlingTimes handling(events, calendar);
  for (std::size_t g = 0; g < result.groups.size(); ++g) {
    finish(result.groups[g], tallies[g], events, handling);
  }
  if (kind != GroupKind::kLevel) {
    std::sort(result.groups.begin(), result.groups.end(),
              [](const GroupEvaluation& a, const GroupEvaluation& b) { return a.key < b.key; });
  }
  result.total.key = "total";
  result.total.households = kNaN;
  if (kind != GroupKind::kDepartment) {
    double households = 0.0;
    for (const auto& g : result.groups) households += g.households;
    result.total.households = households;
  }
  finish(result.total, total, events, handling);
  return result;
}

}  // namespace libgrid
