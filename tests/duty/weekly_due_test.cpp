#include "duty/weekly_due.h"

#include <gtest/gtest.h>

#include "libgrid/model/working_calendar.h"

namespace libgrid::internal {
namespace {

// Every minute of three weeks (around the epoch, so negative times too, and in 2026), for
// deadlines shorter than a day, of several days and of fractions of an hour: the table gives
// what due_time gives.
TEST(WeeklyDue, GivesWhatDueTimeGivesAtEveryMinute) {
  constexpr LocalMinutes kDay = 24 * 60;
  const WorkingCalendar weekdays_only;
  const std::pair<double, DeadlineUnit> deadlines[] = {
      {0.0, DeadlineUnit::kWorkingHours},  {0.5, DeadlineUnit::kWorkingHours},
      {2.0, DeadlineUnit::kWorkingHours},  {8.0, DeadlineUnit::kWorkingHours},
      {9.25, DeadlineUnit::kWorkingHours}, {1.0, DeadlineUnit::kWorkingDays},
      {2.5, DeadlineUnit::kWorkingDays},   {30.0, DeadlineUnit::kWorkingDays}};
  // 1969-12-22 (a Monday) and 2026-11-02 (a Monday), three weeks from each.
  const LocalMinutes starts[] = {-10 * kDay, 20759 * kDay};
  for (const auto& [deadline, unit] : deadlines) {
    const WeeklyDue weekly(deadline, unit);
    for (const LocalMinutes start : starts) {
      for (LocalMinutes t = start; t < start + 21 * kDay; ++t) {
        ASSERT_EQ(weekly.due(t), due_time(t, deadline, unit, weekdays_only))
            << deadline << " " << to_string(unit) << " from " << format_local_time(t);
      }
    }
  }
}

// A constructed case: Friday 17:30 plus 2 working hours is Monday 10:30.
TEST(WeeklyDue, FridayEveningRunsOverTheWeekend) {
  const WeeklyDue weekly(2.0, DeadlineUnit::kWorkingHours);
  const auto friday = parse_local_time("2026-11-27T17:30");
  ASSERT_TRUE(friday);
  EXPECT_EQ(format_local_time(weekly.due(*friday)), "2026-11-30T10:30");
}

}  // namespace
}  // namespace libgrid::internal
