// The office's working days: Monday to Friday, except public holidays, plus the weekend days
// that are worked to make up for a long holiday (调休).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace libgrid {

enum class DayKind {
  kHoliday,  // no work, whatever the weekday
  kWorkday,  // worked, whatever the weekday (a make-up working day)
};

std::string_view to_string(DayKind kind);  // "holiday", "workday"
std::optional<DayKind> parse_day_kind(std::string_view text);

class WorkingCalendar {
 public:
  // Marks one date as a holiday or a working day; a date marked again takes the new kind.
  void set(std::chrono::sys_days day, DayKind kind) { exceptions_[day] = kind; }

  // Monday to Friday unless marked a holiday; Saturday and Sunday only when marked a workday.
  bool is_working_day(std::chrono::sys_days day) const;

  // The marked dates, earliest first.
  const std::map<std::chrono::sys_days, DayKind>& exceptions() const { return exceptions_; }
  bool empty() const { return exceptions_.empty(); }

  friend bool operator==(const WorkingCalendar&, const WorkingCalendar&) = default;

 private:
  std::map<std::chrono::sys_days, DayKind> exceptions_;
};

// "YYYY-MM-DD" of a proleptic Gregorian date; nullopt when malformed or not a real date.
std::optional<std::chrono::sys_days> parse_date(std::string_view text);
std::string format_date(std::chrono::sys_days day);

}  // namespace libgrid
