// read_calendar_csv on any bytes: a working calendar or Error; what it reads must hold only
// dates that format back to themselves.
// seeds: tests/cli/fixtures/calendar*.csv data/samples/calendar.csv
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "libgrid/error.h"
#include "libgrid/io/calendar_csv.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = libgrid::fuzz::write_input(data, size, ".csv");
  try {
    const libgrid::WorkingCalendar calendar = libgrid::read_calendar_csv(path);
    for (const auto& [day, kind] : calendar.exceptions()) {
      if (libgrid::parse_date(libgrid::format_date(day)) != day) std::abort();
    }
  } catch (const libgrid::Error&) {
  }
  return 0;
}
