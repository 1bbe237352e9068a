#include "libgrid/stats/event_table.h"

#include <gtest/gtest.h>

#include "support/error_of.h"

namespace libgrid {
namespace {

using testing::error_of;

TEST(EventTable, ParsesTimesAndCounts) {
  const LocalMinutes reported = parse_reported_at("2026-03-02T09:15", "e.csv", 1, "reported_at");
  EXPECT_EQ(reported, *parse_local_time("2026-03-02T09:15"));
  EXPECT_EQ(parse_closed_at("", reported, "e.csv", 1, "closed_at"), kStillOpen);
  EXPECT_EQ(parse_closed_at("2026-03-02 10:00", reported, "e.csv", 1, "closed_at"), reported + 45);
  EXPECT_EQ(parse_reopened("", "e.csv", 1, "reopened"), 0);
  EXPECT_EQ(parse_reopened("3", "e.csv", 1, "reopened"), 3);
}

TEST(EventTable, BadFieldsNameFileRowAndField) {
  EXPECT_STREQ(error_of([] { parse_reported_at("", "e.csv", 4, "reported_at"); }).what(),
               "e.csv: feature 4: field reported_at: no report time");
  EXPECT_STREQ(
      error_of([] { parse_reported_at("2026-02-30T09:00", "e.csv", 4, "reported_at"); }).what(),
      "e.csv: feature 4: field reported_at: not a time 'YYYY-MM-DDTHH:MM': "
      "'2026-02-30T09:00'");
  const LocalMinutes reported = *parse_local_time("2026-03-02T09:15");
  EXPECT_STREQ(
      error_of([&] {
        parse_closed_at("2026-03-02T09:00", reported, "e.csv", 7, "closed_at");
      }).what(),
      "e.csv: feature 7: field closed_at: closed at 2026-03-02T09:00, before it was reported "
      "(2026-03-02T09:15)");
  for (const char* bad : {"-1", "1.5", "x", "2 "}) {
    EXPECT_EQ(error_of([&] { parse_reopened(bad, "e.csv", 2, "reopened"); }).where().field,
              "reopened")
        << bad;
  }
}

}  // namespace
}  // namespace libgrid
