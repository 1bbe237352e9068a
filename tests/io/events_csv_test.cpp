#include "libgrid/io/events_csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include "libgrid/error.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

std::string write_csv(const std::string& text) {
  const std::string path = libgrid::testing::temporary_folder() + "/events.csv";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(EventsCsv, ReadsTheColumnsByName) {
  const std::string path = write_csv(
      "event_id,reported_at,X,y,event_class,closed_at,reopened,note\n"
      "E1,2026-03-02T09:00,1.5,2.5,0101,2026-03-02T10:00,1,a\n"
      "E2,2026-03-02T09:30,3,4,04,,,b\n");
  const EventTable events = read_events_csv(path);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events.source, path);
  EXPECT_EQ(events.event_id[1], "E2");
  EXPECT_EQ(events.x[0], 1.5);
  EXPECT_EQ(events.y[1], 4.0);
  EXPECT_EQ(events.event_class[0], "0101");
  EXPECT_EQ(events.closed_at[0] - events.reported_at[0], 60);
  EXPECT_EQ(events.closed_at[1], kStillOpen);
  EXPECT_EQ(events.reopened[0], 1);
  EXPECT_EQ(events.reopened[1], 0);
}

TEST(EventsCsv, ClosingAndReworkAreOptional) {
  const EventTable events =
      read_events_csv(write_csv("x,y,class,time\n1,2,0101,2026-03-02T09:00\n"));
  EXPECT_TRUE(events.closed_at.empty());
  EXPECT_TRUE(events.reopened.empty());
  EXPECT_TRUE(events.event_id.empty());
}

TEST(EventsCsv, BadInputNamesFileRowAndField) {
  const std::string missing = write_csv("x,y,event_class\n1,2,0101\n");
  EXPECT_EQ(std::string(error_of([&] { read_events_csv(missing); }).what()),
            missing + ": field reported_at: no such column");
  const std::string early = write_csv(
      "x,y,event_class,reported_at,closed_at\n1,2,01,2026-03-02T09:00,\n"
      "1,2,01,2026-03-02T09:00,2026-03-01T09:00\n");
  const Error e = error_of([&] { read_events_csv(early); });
  EXPECT_EQ(e.where().feature, 2);
  EXPECT_EQ(e.where().field, "closed_at");
}

}  // namespace
}  // namespace libgrid
