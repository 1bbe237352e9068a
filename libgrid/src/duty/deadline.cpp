#include "libgrid/duty/deadline.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace libgrid {
namespace {

constexpr LocalMinutes kMinutesPerDay = 24 * 60;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

bool is_weekday(std::int64_t day) {
  const std::int64_t weekday = ((day % 7) + 7 + 3) % 7;  // 0 = Monday; 1970-01-01 was a Thursday
  return weekday < 5;
}

// Working periods of a weekday, in minutes after midnight: 09:00-12:00 and 13:00-18:00.
constexpr std::array<std::array<LocalMinutes, 2>, 2> kPeriods{
    {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}}};

LocalMinutes add_working_minutes(LocalMinutes t, LocalMinutes minutes) {
  if (minutes <= 0) return t;
  std::int64_t day = t >= 0 ? t / kMinutesPerDay : (t - kMinutesPerDay + 1) / kMinutesPerDay;
  while (true) {
    if (is_weekday(day)) {
      for (const auto& [start, end] : kPeriods) {
        const LocalMinutes s = day * kMinutesPerDay + start;
        const LocalMinutes e = day * kMinutesPerDay + end;
        if (t >= e) continue;
        t = std::max(t, s);
        const LocalMinutes take = std::min(e - t, minutes);
        t += take;
        minutes -= take;
        if (minutes == 0) return t;
      }
    }
    ++day;
    t = day * kMinutesPerDay;
  }
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, unsigned& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<LocalMinutes> parse_local_time(std::string_view text) {
  unsigned y, mo, d, h, mi, s = 0;
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  if (!read_digits(text, 0, 4, y) || text[4] != '-' || !read_digits(text, 5, 2, mo) ||
      text[7] != '-' || !read_digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != ' ') ||
      !read_digits(text, 11, 2, h) || text[13] != ':' || !read_digits(text, 14, 2, mi)) {
    return std::nullopt;
  }
  if (text.size() == 19 && (text[16] != ':' || !read_digits(text, 17, 2, s))) return std::nullopt;
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  const std::int64_t day = days_from_civil(y, mo, d);
  std::int64_t cy;
  unsigned cm, cd;
  civil_from_days(day, cy, cm, cd);
  if (cm != mo || cd != d) return std::nullopt;  // 29 February of a common year
  return day * kMinutesPerDay + h * 60 + mi;
}

std::string format_local_time(LocalMinutes t) {
  const std::int64_t day = t >= 0 ? t / kMinutesPerDay : (t - kMinutesPerDay + 1) / kMinutesPerDay;
  const LocalMinutes minute = t - day * kMinutesPerDay;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld", static_cast<long long>(y),
                m, d, static_cast<long long>(minute / 60), static_cast<long long>(minute % 60));
  return buffer;
}

LocalMinutes due_time(LocalMinutes reported, double deadline, DeadlineUnit unit) {
  const auto minutes = [](double v) { return static_cast<LocalMinutes>(std::llround(v * 60.0)); };
  switch (unit) {
    case DeadlineUnit::kUrgentHours:
      return reported + minutes(deadline);
    case DeadlineUnit::kCalendarDays:
      return reported + minutes(deadline * 24.0);
    case DeadlineUnit::kWorkingHours:
      return add_working_minutes(reported, minutes(deadline));
    case DeadlineUnit::kWorkingDays:
      return add_working_minutes(reported, minutes(deadline * 8.0));
  }
  return reported;
}

}  // namespace libgrid
