#include "libgrid/io/calendar_csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include "libgrid/error.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

std::string write_csv(const std::string& text) {
  const std::string path = libgrid::testing::temporary_folder() + "/calendar.csv";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CalendarCsv, ReadsHolidaysAndMakeUpDays) {
  const WorkingCalendar calendar =
      read_calendar_csv(write_csv("date,kind,note\n"
                                  "2026-10-01,holiday,国庆节\n"
                                  " 2026-10-10 , workday ,\n"
                                  "2026-10-02,holiday,\n"));
  ASSERT_EQ(calendar.exceptions().size(), 3u);
  EXPECT_FALSE(calendar.is_working_day(*parse_date("2026-10-01")));  // Thursday
  EXPECT_FALSE(calendar.is_working_day(*parse_date("2026-10-02")));  // Friday
  EXPECT_TRUE(calendar.is_working_day(*parse_date("2026-10-10")));   // Saturday
  EXPECT_TRUE(calendar.is_working_day(*parse_date("2026-10-09")));   // an ordinary Friday
}

TEST(CalendarCsv, RefusesBadDatesNamingRowAndField) {
  for (const char* bad : {"2026-02-29", "2026/10/01", "10/01/2026", "2026-10-01T00:00", ""}) {
    const std::string path =
        write_csv(std::string("date,kind\n2026-09-30,holiday\n") + bad + ",holiday\n");
    const Error e = error_of([&] { read_calendar_csv(path); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << bad;
    EXPECT_EQ(e.where().feature, 2) << bad;
    EXPECT_EQ(e.where().field, "date") << bad;
  }
}

TEST(CalendarCsv, RefusesUnknownKindsAndRepeatedDates) {
  const Error kind =
      error_of([] { read_calendar_csv(write_csv("date,kind\n2026-10-01,festival\n")); });
  EXPECT_EQ(kind.where().field, "kind");
  EXPECT_NE(kind.detail().find("'festival'"), std::string::npos) << kind.what();

  const Error twice = error_of(
      [] { read_calendar_csv(write_csv("date,kind\n2026-10-01,holiday\n2026-10-01,workday\n")); });
  EXPECT_EQ(twice.where().feature, 2);
  EXPECT_NE(twice.detail().find("row 1"), std::string::npos) << twice.what();

  const Error missing = error_of([] { read_calendar_csv(write_csv("day,kind\n")); });
  EXPECT_EQ(missing.where().field, "date");
}

}  // namespace
}  // namespace libgrid
