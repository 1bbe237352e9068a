#include "libgrid/model/duty_table.h"

#include "internal/text.h"

namespace libgrid {

std::string_view to_string(DeadlineUnit unit) {
  switch (unit) {
    case DeadlineUnit::kUrgentHours:
      return "urgent_hours";
    case DeadlineUnit::kWorkingHours:
      return "working_hours";
    case DeadlineUnit::kWorkingDays:
      return "working_days";
    case DeadlineUnit::kCalendarDays:
      return "calendar_days";
  }
  return "";
}

std::optional<DeadlineUnit> parse_deadline_unit(std::string_view text) {
  for (DeadlineUnit u : {DeadlineUnit::kUrgentHours, DeadlineUnit::kWorkingHours,
                         DeadlineUnit::kWorkingDays, DeadlineUnit::kCalendarDays}) {
    if (internal::iequals(text, to_string(u))) return u;
  }
  return std::nullopt;
}

const DutyRule* DutyTable::find(std::string_view event_class) const {
  const DutyRule* best = nullptr;
  for (const auto& rule : rules) {
    if (rule.event_class.empty() || !event_class.starts_with(rule.event_class)) continue;
    if (best == nullptr || rule.event_class.size() > best->event_class.size()) best = &rule;
  }
  return best;
}

}  // namespace libgrid
