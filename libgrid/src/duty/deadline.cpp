#include "libgrid/duty/deadline.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

namespace libgrid {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

sys_days day_of(LocalMinutes t) {
  return std::chrono::floor<days>(std::chrono::sys_time<minutes>(minutes(t)));
}

LocalMinutes start_of(sys_days day) {
  return std::chrono::duration_cast<minutes>(day.time_since_epoch()).count();
}

constexpr LocalMinutes kMinutesPerHour = 60;

// Working periods of a working day, in minutes after midnight: 09:00-12:00 and 13:00-18:00.
constexpr std::array<std::array<LocalMinutes, 2>, 2> kPeriods{
    {{9 * kMinutesPerHour, 12 * kMinutesPerHour}, {13 * kMinutesPerHour, 18 * kMinutesPerHour}}};

// A working day's working minutes before `minute` after midnight (0 to 480), and the minute
// after midnight at which its `worked`-th working minute (1 to 480) ends.
LocalMinutes worked_before(LocalMinutes minute) {
  const auto& [morning, afternoon] = kPeriods;
  if (minute <= morning[0]) return 0;
  if (minute <= morning[1]) return minute - morning[0];
  const LocalMinutes morning_length = morning[1] - morning[0];
  if (minute <= afternoon[0]) return morning_length;
  return morning_length + std::min(minute, afternoon[1]) - afternoon[0];
}

LocalMinutes end_of_working_minute(LocalMinutes worked) {
  const auto& [morning, afternoon] = kPeriods;
  const LocalMinutes morning_length = morning[1] - morning[0];
  return worked <= morning_length ? morning[0] + worked : afternoon[0] + worked - morning_length;
}

// Day by day on the calendar, but each working day in one step: what is left fits in it or
// takes all of its working minutes.
LocalMinutes add_working_minutes(LocalMinutes t, LocalMinutes amount,
                                 const WorkingCalendar& calendar) {
  if (amount <= 0) return t;
  const LocalMinutes per_day = worked_before(LocalMinutes{24} * 60);
  sys_days day = day_of(t);
  LocalMinutes worked = worked_before(t - start_of(day));  // of the first day, before t
  for (;; day += days(1), worked = 0) {
    if (!calendar.is_working_day(day)) continue;
    if (worked + amount <= per_day) return start_of(day) + end_of_working_minute(worked + amount);
    amount -= per_day - worked;
  }
}

bool read_digits(std::string_view text, std::size_t pos, unsigned& value) {
  value = 0;
  for (std::size_t i = pos; i < pos + 2; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<LocalMinutes> parse_local_time(std::string_view text) {
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  const auto day = parse_date(text.substr(0, 10));
  unsigned h = 0, mi = 0, s = 0;
  if (!day || (text[10] != 'T' && text[10] != ' ') || !read_digits(text, 11, h) ||
      text[13] != ':' || !read_digits(text, 14, mi)) {
    return std::nullopt;
  }
  if (text.size() == 19 && (text[16] != ':' || !read_digits(text, 17, s))) return std::nullopt;
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  return start_of(*day) + LocalMinutes{h} * kMinutesPerHour + mi;
}

std::string format_local_time(LocalMinutes t) {
  const sys_days day = day_of(t);
  const auto minute = static_cast<unsigned>(t - start_of(day));
  const char hh_mm[6] = {
      'T', static_cast<char>('0' + minute / 600),     static_cast<char>('0' + minute / 60 % 10),
      ':', static_cast<char>('0' + minute % 60 / 10), static_cast<char>('0' + minute % 10)};
  return format_date(day).append(hh_mm, sizeof hh_mm);
}

LocalMinutes due_time(LocalMinutes reported, double deadline, DeadlineUnit unit,
                      const WorkingCalendar& calendar) {
  const auto in_minutes = [](double v) {
    return static_cast<LocalMinutes>(std::llround(v * 60.0));
  };
  switch (unit) {
    case DeadlineUnit::kUrgentHours:
      return reported + in_minutes(deadline);
    case DeadlineUnit::kCalendarDays:
      return reported + in_minutes(deadline * 24.0);
    case DeadlineUnit::kWorkingHours:
      return add_working_minutes(reported, in_minutes(deadline), calendar);
    case DeadlineUnit::kWorkingDays:
      return add_working_minutes(reported, in_minutes(deadline * 8.0), calendar);
  }
  return reported;
}

LocalMinutes working_minutes_between(LocalMinutes from, LocalMinutes to,
                                     const WorkingCalendar& calendar) {
  LocalMinutes total = 0;
  for (sys_days day = day_of(from); from < to; day += days(1), from = start_of(day)) {
    if (!calendar.is_working_day(day)) continue;
    const LocalMinutes midnight = start_of(day);
    for (const auto& [start, end] : kPeriods) {
      total += std::max<LocalMinutes>(
          0, std::min(to, midnight + end) - std::max(from, midnight + start));
    }
  }
  return total;
}

}  // namespace libgrid
