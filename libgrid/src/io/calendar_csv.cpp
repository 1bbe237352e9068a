#include "libgrid/io/calendar_csv.h"

#include <unordered_map>

#include "io/csv_row_reader.h"
#include "libgrid/io/csv_table.h"

namespace libgrid {

WorkingCalendar read_calendar_csv(const std::string& path) {
  return read_calendar_csv(CsvTable::read(path));
}

WorkingCalendar read_calendar_csv(const CsvTable& table) {
  const int date = table.require_column("date");
  const int kind = table.require_column("kind");

  WorkingCalendar calendar;
  std::unordered_map<std::string, std::size_t> first_row;  // date -> 1-based row
  for (std::size_t i = 0; i < table.row_count(); ++i) {
    const internal::CsvRowReader row(table, i);
    const std::string date_text = row.required(date);
    const auto day = parse_date(date_text);
    if (!day) row.fail(date, "'" + date_text + "' is not a date (expected YYYY-MM-DD)");
    const auto [seen, added] = first_row.emplace(date_text, i + 1);
    if (!added) {
      row.fail(date,
               "date " + date_text + " is already given in row " + std::to_string(seen->second));
    }
    const std::string kind_text = row.required(kind);
    const auto parsed = parse_day_kind(kind_text);
    if (!parsed) {
      row.fail(kind, "unknown kind '" + kind_text + "' (expected holiday or workday)");
    }
    calendar.set(*day, *parsed);
  }
  return calendar;
}

}  // namespace libgrid
