#include "libgrid/model/working_calendar.h"

#include <cstdio>
#include <string>

namespace libgrid {

namespace {

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// Writes n (below 100) as two digits at `at`.
void put_two_digits(char* at, unsigned n) {
  at[0] = static_cast<char>('0' + n / 10 % 10);
  at[1] = static_cast<char>('0' + n % 10);
}

}  // namespace

std::string_view to_string(DayKind kind) {
  return kind == DayKind::kHoliday ? "holiday" : "workday";
}

std::optional<DayKind> parse_day_kind(std::string_view text) {
  if (text == "holiday") return DayKind::kHoliday;
  if (text == "workday") return DayKind::kWorkday;
  return std::nullopt;
}

bool WorkingCalendar::is_working_day(std::chrono::sys_days day) const {
  if (!exceptions_.empty()) {
    const auto marked = exceptions_.find(day);
    if (marked != exceptions_.end()) return marked->second == DayKind::kWorkday;
  }
  const std::chrono::weekday weekday(day);
  return weekday != std::chrono::Saturday && weekday != std::chrono::Sunday;
}

std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, y) ||
      !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(y),
                                         std::chrono::month(static_cast<unsigned>(m)),
                                         std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

std::string format_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day date(day);
  const int year = static_cast<int>(date.year());
  const auto month = static_cast<unsigned>(date.month());
  const auto day_of_month = static_cast<unsigned>(date.day());
  char text[32];
  if (year < 0 || year > 9999) {
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, month, day_of_month);
    return text;
  }
  // Digit by digit otherwise: assign formats a due date per row, where snprintf cost a quarter
  // of the run.
  const auto y = static_cast<unsigned>(year);
  put_two_digits(text, y / 100);
  put_two_digits(text + 2, y % 100);
  text[4] = '-';
  put_two_digits(text + 5, month);
  text[7] = '-';
  put_two_digits(text + 8, day_of_month);
  return std::string(text, 10);
}

}  // namespace libgrid
