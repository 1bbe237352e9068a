#include "libgrid/duty/deadline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace libgrid {
namespace {

LocalMinutes at(const char* text) {
  const auto t = parse_local_time(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

std::string due(const char* reported, double deadline, DeadlineUnit unit,
                const WorkingCalendar& calendar = WorkingCalendar{}) {
  return format_local_time(due_time(at(reported), deadline, unit, calendar));
}

std::chrono::sys_days date(const char* text) {
  const auto day = parse_date(text);
  EXPECT_TRUE(day.has_value()) << text;
  return day.value_or(std::chrono::sys_days{});
}

// The 2026 New Year and Spring Festival of the State Council's schedule: 1-3 January off and
// Sunday 4 January worked; 15-23 February off, Saturdays 14 and 28 February worked.
WorkingCalendar china_2026_winter() {
  WorkingCalendar calendar;
  for (const char* d : {"2026-01-01", "2026-01-02", "2026-01-03"}) {
    calendar.set(date(d), DayKind::kHoliday);
  }
  for (int d = 15; d <= 23; ++d) {
    calendar.set(std::chrono::sys_days(std::chrono::year(2026) / 2 / d), DayKind::kHoliday);
  }
  for (const char* d : {"2026-01-04", "2026-02-14", "2026-02-28"}) {
    calendar.set(date(d), DayKind::kWorkday);
  }
  return calendar;
}

TEST(LocalTime, ParsesAndFormats) {
  EXPECT_EQ(at("1970-01-01T00:00"), 0);
  EXPECT_EQ(at("1970-01-02 01:30:59"), 24 * 60 + 90);
  EXPECT_EQ(format_local_time(at("2026-02-28T23:59")), "2026-02-28T23:59");
  EXPECT_EQ(format_local_time(at("2024-02-29T08:00")), "2024-02-29T08:00");
  EXPECT_FALSE(parse_local_time("2026-02-29T08:00"));  // not a leap year
  EXPECT_FALSE(parse_local_time("2026-13-01T08:00"));
  EXPECT_FALSE(parse_local_time("2026-01-01T24:00"));
  EXPECT_FALSE(parse_local_time("2026-01-01"));
  EXPECT_FALSE(parse_local_time("yesterday"));
}

TEST(DueTime, RoundTheClockUnits) {
  EXPECT_EQ(due("2026-11-20T22:00", 4, DeadlineUnit::kUrgentHours), "2026-11-21T02:00");
  EXPECT_EQ(due("2026-12-31T10:15", 3, DeadlineUnit::kCalendarDays), "2027-01-03T10:15");
  EXPECT_EQ(due("2026-11-20T22:00", 0.5, DeadlineUnit::kUrgentHours), "2026-11-20T22:30");
}

TEST(DueTime, WorkingHoursSkipLunchNightsAndWeekends) {
  // 2026-11-20 is a Friday.
  EXPECT_EQ(due("2026-11-20T10:00", 1, DeadlineUnit::kWorkingHours), "2026-11-20T11:00");
  EXPECT_EQ(due("2026-11-20T11:30", 1, DeadlineUnit::kWorkingHours), "2026-11-20T13:30");
  EXPECT_EQ(due("2026-11-20T17:00", 2, DeadlineUnit::kWorkingHours), "2026-11-23T10:00");
  EXPECT_EQ(due("2026-11-21T03:00", 2, DeadlineUnit::kWorkingHours), "2026-11-23T11:00");
  EXPECT_EQ(due("2026-11-20T12:00", 3, DeadlineUnit::kWorkingHours), "2026-11-20T16:00");
  EXPECT_EQ(due("2026-11-20T09:00", 8, DeadlineUnit::kWorkingHours), "2026-11-20T18:00");
}

TEST(DueTime, WorkingDaysAreEightWorkingHours) {
  EXPECT_EQ(due("2026-11-20T10:00", 1, DeadlineUnit::kWorkingDays), "2026-11-23T10:00");
  EXPECT_EQ(due("2026-11-16T09:00", 5, DeadlineUnit::kWorkingDays), "2026-11-20T18:00");
  EXPECT_EQ(due("2026-11-22T20:00", 1, DeadlineUnit::kWorkingDays), "2026-11-23T18:00");
}

TEST(DueTime, HolidaysAreSkippedAndMakeUpDaysWorked) {
  const WorkingCalendar calendar = china_2026_winter();
  // Reported at 00:08 on New Year's Day (a Thursday, a holiday): the first working day is
  // Sunday 4 January, a make-up day; without the calendar it would be due the same evening.
  EXPECT_EQ(due("2026-01-01T00:08", 1, DeadlineUnit::kWorkingDays), "2026-01-01T18:00");
  EXPECT_EQ(due("2026-01-01T00:08", 1, DeadlineUnit::kWorkingDays, calendar), "2026-01-04T18:00");
  // Friday 13 February 17:00 with 2 working hours: one hour that day, then Saturday 14 February
  // is worked, so it is due at 10:00 then, not after the week-long holiday.
  EXPECT_EQ(due("2026-02-13T17:00", 2, DeadlineUnit::kWorkingHours, calendar), "2026-02-14T10:00");
  // Saturday 14 February 17:00 with 3 working days: 1 hour left that day, then nothing until
  // Tuesday 24 February (15-23 off), then 24 and 25 February and 7 hours of Thursday 26.
  EXPECT_EQ(due("2026-02-14T17:00", 3, DeadlineUnit::kWorkingDays, calendar), "2026-02-26T17:00");
  // Round-the-clock units ignore the calendar.
  EXPECT_EQ(due("2026-01-01T00:08", 4, DeadlineUnit::kUrgentHours, calendar), "2026-01-01T04:08");
  EXPECT_EQ(due("2026-01-01T00:08", 1, DeadlineUnit::kCalendarDays, calendar), "2026-01-02T00:08");
}

// Due time the slow way: minute by minute, counting the minutes that lie in working hours of a
// working day, until `amount` of them have passed.
LocalMinutes due_minute_by_minute(LocalMinutes t, LocalMinutes amount,
                                  const WorkingCalendar& calendar) {
  for (; amount > 0; ++t) {
    const auto day = std::chrono::floor<std::chrono::days>(
        std::chrono::sys_time<std::chrono::minutes>(std::chrono::minutes(t)));
    const LocalMinutes of_day = t - std::chrono::minutes(day.time_since_epoch()).count();
    const bool working_hour =
        (of_day >= 9 * 60 && of_day < 12 * 60) || (of_day >= 13 * 60 && of_day < 18 * 60);
    if (working_hour && calendar.is_working_day(day)) --amount;
  }
  return t;
}

TEST(DueTime, AgreesWithCountingMinuteByMinute) {
  const WorkingCalendar calendar = china_2026_winter();
  // Every minute from Thursday 12 to Wednesday 25 February 2026: a weekday, the make-up
  // Saturday, a Sunday, the holiday and the days after it.
  const LocalMinutes first = *parse_local_time("2026-02-12T00:00");
  const LocalMinutes last = *parse_local_time("2026-02-25T00:00");
  for (const double hours : {0.25, 1.0, 3.0, 4.5, 8.0, 9.0, 17.0}) {
    const auto amount = static_cast<LocalMinutes>(std::llround(hours * 60));
    for (LocalMinutes t = first; t < last; t += 17) {
      ASSERT_EQ(due_time(t, hours, DeadlineUnit::kWorkingHours, calendar),
                due_minute_by_minute(t, amount, calendar))
          << format_local_time(t) << " + " << hours << " working hours";
    }
  }
  for (LocalMinutes t = first; t < last; t += 29) {
    ASSERT_EQ(due_time(t, 2, DeadlineUnit::kWorkingDays),
              due_minute_by_minute(t, 2 * 480, WorkingCalendar{}))
        << format_local_time(t) << " + 2 working days";
  }
}

TEST(WorkingMinutes, BetweenTwoTimesIsTheInverseOfDueTime) {
  const WorkingCalendar calendar = china_2026_winter();
  const auto t = [](const char* text) { return *parse_local_time(text); };
  // Friday 13 February 17:00 to Saturday 14 February (a make-up day) 10:00: two working hours.
  EXPECT_EQ(working_minutes_between(t("2026-02-13T17:00"), t("2026-02-14T10:00"), calendar), 120);
  // Across the Spring Festival holiday nothing counts.
  EXPECT_EQ(working_minutes_between(t("2026-02-14T18:00"), t("2026-02-24T09:00"), calendar), 0);
  EXPECT_EQ(working_minutes_between(t("2026-02-14T10:00"), t("2026-02-13T17:00"), calendar), 0);
  for (const char* from : {"2026-01-01T00:08", "2026-02-13T11:30", "2026-02-14T17:00"}) {
    for (const double days : {0.25, 1.0, 3.5}) {
      const LocalMinutes due = due_time(t(from), days, DeadlineUnit::kWorkingDays, calendar);
      EXPECT_EQ(working_minutes_between(t(from), due, calendar), std::llround(days * 480)) << from;
    }
  }
}

TEST(WorkingCalendar, WeekdaysUnlessMarked) {
  const WorkingCalendar calendar = china_2026_winter();
  EXPECT_FALSE(calendar.is_working_day(date("2026-01-02")));  // Friday, holiday
  EXPECT_TRUE(calendar.is_working_day(date("2026-01-04")));   // Sunday, make-up day
  EXPECT_TRUE(calendar.is_working_day(date("2026-01-05")));   // an ordinary Monday
  EXPECT_FALSE(calendar.is_working_day(date("2026-01-10")));  // an ordinary Saturday
  EXPECT_TRUE(WorkingCalendar{}.is_working_day(date("2026-01-01")));
}

TEST(WorkingCalendar, DatesParseStrictly) {
  EXPECT_EQ(format_date(date("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parse_date("2026-02-29"));
  EXPECT_FALSE(parse_date("2026-1-05"));
  EXPECT_FALSE(parse_date("2026-01-05T00:00"));
  EXPECT_FALSE(parse_date("2026/01/05"));
  EXPECT_EQ(parse_day_kind("holiday"), DayKind::kHoliday);
  EXPECT_EQ(parse_day_kind("workday"), DayKind::kWorkday);
  EXPECT_FALSE(parse_day_kind("Holiday"));
}

TEST(WorkingCalendar, EveryDateFormatsAsPrintfDoesAndReadsBack) {
  using std::chrono::days;
  using std::chrono::sys_days;
  const auto expected = [](sys_days day) {
    const std::chrono::year_month_day date(day);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return std::string(text);
  };
  // Four centuries either side of today's dates, every day; then the ends of four digits.
  const sys_days first{std::chrono::year(1600) / 1 / 1}, last{std::chrono::year(2399) / 12 / 31};
  int checked = 0;
  for (sys_days day = first; day <= last; day += days(1), ++checked) {
    const std::string text = format_date(day);
    ASSERT_EQ(text, expected(day));
    ASSERT_EQ(parse_date(text), day) << text;
  }
  EXPECT_EQ(checked, 292194);
  const sys_days year_0{std::chrono::year(0) / 1 / 1}, year_9999{std::chrono::year(9999) / 12 / 31};
  for (const sys_days day : {year_0, year_0 + days(59), year_9999, year_9999 - days(306)}) {
    EXPECT_EQ(format_date(day), expected(day));
    EXPECT_EQ(parse_date(format_date(day)), day);
  }
  for (const sys_days outside : {year_0 - days(1), year_9999 + days(1)}) {
    EXPECT_EQ(format_date(outside), expected(outside));
  }
  EXPECT_EQ(format_local_time(at("0001-01-01T00:00")), "0001-01-01T00:00");
  EXPECT_EQ(format_local_time(at("9999-12-31T23:59")), "9999-12-31T23:59");
}

}  // namespace
}  // namespace libgrid
