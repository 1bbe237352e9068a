// Deadlines on the working calendar.
//
// Working hours are 09:00-12:00 and 13:00-18:00 local time (8 a day) on the working days of a
// WorkingCalendar: Monday to Friday unless a public holiday, plus make-up working days. Times are
// local civil times without a zone, written "YYYY-MM-DDTHH:MM" (a space may stand for the T, and
// ":SS" may follow).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libgrid/model/duty_table.h"
#include "libgrid/model/working_calendar.h"

namespace libgrid {

// Minutes since 1970-01-01T00:00 in local civil time.
using LocalMinutes = std::int64_t;

std::optional<LocalMinutes> parse_local_time(std::string_view text);
std::string format_local_time(LocalMinutes t);  // "YYYY-MM-DDTHH:MM"

// When an event reported at `reported` is due: urgent hours and calendar days run round the
// clock; working hours and working days (8 working hours each) run only inside working hours of
// `calendar`'s working days, starting at the next working minute when reported outside them.
// Without a calendar, every Monday to Friday is a working day.
LocalMinutes due_time(LocalMinutes reported, double deadline, DeadlineUnit unit,
                      const WorkingCalendar& calendar = WorkingCalendar{});

// The working minutes of `calendar` between two times: how long an event took in working time.
// Zero when `to` is not after `from`.
LocalMinutes working_minutes_between(LocalMinutes from, LocalMinutes to,
                                     const WorkingCalendar& calendar = WorkingCalendar{});

}  // namespace libgrid
