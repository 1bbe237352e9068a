// A working calendar from a CSV file with the columns date (YYYY-MM-DD) and kind (holiday or
// workday): the public holidays and the make-up working days (调休) of the office's year.
// A missing column, a bad date, an unknown kind or a date given twice throws
// Error(kInvalidInput) naming the file, row and field.
#pragma once

#include <string>

#include "libgrid/io/csv_table.h"
#include "libgrid/model/working_calendar.h"

namespace libgrid {

WorkingCalendar read_calendar_csv(const std::string& path);
// The same from a table already read (CsvTable::parse of a data frame's CSV text, say).
WorkingCalendar read_calendar_csv(const CsvTable& table);

}  // namespace libgrid
