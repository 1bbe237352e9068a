#include "duty/weekly_due.h"

namespace libgrid::internal {

WeeklyDue::WeeklyDue(double deadline, DeadlineUnit unit) : after_midnight_(7 * kDay) {
  // Days 0 to 6 since 1970-01-01 (a Thursday) stand for every week.
  const WorkingCalendar weekdays_only;
  for (LocalMinutes day = 0; day < 7; ++day) {
    for (LocalMinutes minute = 0; minute < kDay; ++minute) {
      const LocalMinutes midnight = day * kDay;
      after_midnight_[static_cast<std::size_t>(midnight + minute)] =
          due_time(midnight + minute, deadline, unit, weekdays_only) - midnight;
    }
  }
}

}  // namespace libgrid::internal
