// Which department handles each class of event, at which level, and by when (定责、定流程).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace libgrid {

enum class DeadlineUnit {
  kUrgentHours,   // hours, round the clock
  kWorkingHours,  // hours inside the working calendar (see duty/deadline.h)
  kWorkingDays,   // working days of 8 working hours
  kCalendarDays,  // days, round the clock
};

std::string_view to_string(DeadlineUnit unit);  // "urgent_hours", "working_hours", ...
std::optional<DeadlineUnit> parse_deadline_unit(std::string_view text);

struct DutyRule {
  std::string event_class{};  // e.g. "01" (a major class) or "0101" (a subclass)
  std::string class_name{};
  std::string department{};
  std::string handling_level{};  // a level name of the grid set, e.g. "street"
  double deadline = 0.0;
  DeadlineUnit unit = DeadlineUnit::kWorkingHours;
};

struct DutyTable {
  std::vector<DutyRule> rules{};

  bool empty() const { return rules.empty(); }
  // The rule whose event_class is the longest prefix of `event_class` ("0103" falls back to
  // "01" when only the major class has a rule); nullptr when none matches.
  const DutyRule* find(std::string_view event_class) const;
};

}  // namespace libgrid
