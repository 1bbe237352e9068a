#include "libgrid/duty/deadline.h"

#include <gtest/gtest.h>

namespace libgrid {
namespace {

LocalMinutes at(const char* text) {
  const auto t = parse_local_time(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

std::string due(const char* reported, double deadline, DeadlineUnit unit) {
  return format_local_time(due_time(at(reported), deadline, unit));
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

}  // namespace
}  // namespace libgrid
