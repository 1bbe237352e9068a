// Due times on a working calendar without holidays or make-up days, for streams of events.
//
// On such a calendar a deadline in working time, counted from any moment, ends a fixed number
// of minutes after that moment's midnight for each weekday and minute of the day: a table of
// one week's minutes, made once per deadline, answers every event with one look-up instead of
// a walk over the days (due_time, duty/deadline.h, gives the same answers).
#pragma once

#include <cstdint>
#include <vector>

#include "libgrid/duty/deadline.h"
#include "libgrid/model/duty_table.h"

namespace libgrid::internal {

class WeeklyDue {
 public:
  // For a deadline in working hours or working days (other units need no table).
  WeeklyDue(double deadline, DeadlineUnit unit);

  // due_time(reported, deadline, unit, WorkingCalendar{}).
  LocalMinutes due(LocalMinutes reported) const {
    const LocalMinutes day = (reported >= 0 ? reported : reported - kDay + 1) / kDay;
    const auto weekday = static_cast<std::size_t>(((day % 7) + 7) % 7);  // 0: a Thursday
    const auto minute = static_cast<std::size_t>(reported - day * kDay);
    return day * kDay + after_midnight_[weekday * kDay + minute];
  }

 private:
  static constexpr LocalMinutes kDay = LocalMinutes{24} * 60;
  // [weekday * kDay + minute of the day]: the due time in minutes after that day's midnight.
  std::vector<std::int64_t> after_midnight_;
};

}  // namespace libgrid::internal
