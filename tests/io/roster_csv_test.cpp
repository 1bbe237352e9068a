#include "libgrid/io/roster_csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "libgrid/error.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

std::string write_csv(const std::string& text) {
  const std::string path = libgrid::testing::temporary_folder() + "/table.csv";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

GridSet two_levels() {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId community = grids.add_cell(Cell{.code = "110101001001", .level = 0});
  grids.add_cell(Cell{.code = "110101001001001", .level = 1, .parent = community});
  return grids;
}

TEST(RosterCsv, ReadsEntriesInOrder) {
  const std::string path = write_csv(
      "\xEF\xBB\xBF"
      "cell_code,role,person_id,name,phone\r\n"
      "110101001001001,grid_worker,P1,张三,13800000000\r\n"
      " 110101001001 ,GRID_LEADER,P2,\"Li, Si\",\r\n"
      "110101001001001,info_worker,P3,王五,010-1234\r\n");
  const Roster roster = read_roster_csv(path, two_levels());
  ASSERT_EQ(roster.entries.size(), 3u);
  EXPECT_EQ(roster.entries[0].cell_code, "110101001001001");
  EXPECT_EQ(roster.entries[0].role, Role::kGridWorker);
  EXPECT_EQ(roster.entries[0].person.id, "P1");
  EXPECT_EQ(roster.entries[0].person.name, "张三");
  EXPECT_EQ(roster.entries[0].person.phone, "13800000000");
  EXPECT_EQ(roster.entries[1].cell_code, "110101001001");
  EXPECT_EQ(roster.entries[1].role, Role::kGridLeader);
  EXPECT_EQ(roster.entries[1].person.name, "Li, Si");
  EXPECT_EQ(roster.entries[1].person.phone, "");
  EXPECT_EQ(roster.entries[2].role, Role::kInfoWorker);
}

TEST(RosterCsv, RefusesUnknownCellNamingRowAndField) {
  const std::string path = write_csv(
      "cell_code,role,person_id,name,phone\n"
      "110101001001001,grid_worker,P1,a,1\n"
      "999,grid_worker,P2,b,2\n");
  const Error e = error_of([&] { read_roster_csv(path, two_levels()); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            path + ": feature 2: field cell_code: no cell has the code '999'");
}

TEST(RosterCsv, RefusesUnknownRole) {
  const std::string path = write_csv(
      "cell_code,role,person_id,name,phone\n"
      "110101001001001,volunteer,P1,a,1\n");
  const Error e = error_of([&] { read_roster_csv(path, two_levels()); });
  EXPECT_EQ(e.where().feature, 1);
  EXPECT_EQ(e.where().field, "role");
  EXPECT_NE(e.detail().find("'volunteer'"), std::string::npos) << e.what();
}

TEST(RosterCsv, RefusesMissingColumnAndEmptyPersonId) {
  const Error missing =
      error_of([&] { read_roster_csv(write_csv("cell_code,role,name,phone\n"), two_levels()); });
  EXPECT_EQ(missing.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(missing.where().field, "person_id");
  const Error empty = error_of([&] {
    read_roster_csv(write_csv("cell_code,role,person_id,name,phone\n"
                              "110101001001001,grid_worker, ,a,1\n"),
                    two_levels());
  });
  EXPECT_EQ(empty.where().field, "person_id");
  EXPECT_EQ(empty.where().feature, 1);
}

TEST(RosterCsv, MissingFileIsAnIoError) {
  const Error e = error_of([] { read_roster_csv("/no/such/roster.csv", GridSet{}); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(e.where().file, "/no/such/roster.csv");
}

TEST(DutyCsv, ReadsRulesWithOptionalClassName) {
  const std::string path = write_csv(
      "event_class,class_name,department,handling_level,deadline,deadline_unit\n"
      "01,市容环境,城管委,community,2,working_hours\n"
      "0101,,Sanitation,grid,0.5,urgent_hours\n"
      "04,Emergencies,Emergency office,community,1,calendar_days\n");
  const DutyTable duty = read_duty_csv(path, two_levels());
  ASSERT_EQ(duty.rules.size(), 3u);
  EXPECT_EQ(duty.rules[0].event_class, "01");
  EXPECT_EQ(duty.rules[0].class_name, "市容环境");
  EXPECT_EQ(duty.rules[0].department, "城管委");
  EXPECT_EQ(duty.rules[0].handling_level, "community");
  EXPECT_EQ(duty.rules[0].deadline, 2.0);
  EXPECT_EQ(duty.rules[0].unit, DeadlineUnit::kWorkingHours);
  EXPECT_EQ(duty.rules[1].class_name, "");
  EXPECT_EQ(duty.rules[1].deadline, 0.5);
  EXPECT_EQ(duty.rules[1].unit, DeadlineUnit::kUrgentHours);
  EXPECT_EQ(duty.rules[2].unit, DeadlineUnit::kCalendarDays);

  const DutyTable without =
      read_duty_csv(write_csv("event_class,department,handling_level,deadline,deadline_unit\n"
                              "06,Other,grid,3,working_days\n"),
                    two_levels());
  ASSERT_EQ(without.rules.size(), 1u);
  EXPECT_EQ(without.rules[0].unit, DeadlineUnit::kWorkingDays);
}

const char* kDutyHeader = "event_class,department,handling_level,deadline,deadline_unit\n";

TEST(DutyCsv, RefusesLevelThatIsNotALevelName) {
  const std::string path = write_csv(std::string(kDutyHeader) + "01,X,street,1,working_days\n");
  const Error e = error_of([&] { read_duty_csv(path, two_levels()); });
  EXPECT_EQ(std::string(e.what()),
            path + ": feature 1: field handling_level: 'street' is not a level of the grid set");
}

TEST(DutyCsv, RefusesBadDeadlines) {
  for (const char* deadline : {"-1", "abc", "", "inf"}) {
    const std::string path = write_csv(std::string(kDutyHeader) + "01,X,grid,1,working_days\n" +
                                       "02,X,grid," + deadline + ",working_days\n");
    const Error e = error_of([&] { read_duty_csv(path, two_levels()); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(e.where().feature, 2) << deadline;
    EXPECT_EQ(e.where().field, "deadline") << deadline;
  }
}

TEST(DutyCsv, RefusesUnknownUnit) {
  const std::string path = write_csv(std::string(kDutyHeader) + "01,X,grid,1,fortnights\n");
  const Error e = error_of([&] { read_duty_csv(path, two_levels()); });
  EXPECT_EQ(e.where().field, "deadline_unit");
  EXPECT_NE(e.detail().find("'fortnights'"), std::string::npos) << e.what();
}

TEST(DutyCsv, RefusesRepeatedEventClass) {
  const std::string path = write_csv(std::string(kDutyHeader) +
                                     "01,X,grid,1,working_days\n"
                                     "02,X,grid,1,working_days\n"
                                     "01,Y,grid,2,working_days\n");
  const Error e = error_of([&] { read_duty_csv(path, two_levels()); });
  EXPECT_EQ(std::string(e.what()),
            path + ": feature 3: field event_class: event class '01' is already given in row 1");
}

TEST(DutyCsv, RefusesMissingColumn) {
  const Error e = error_of([&] {
    read_duty_csv(write_csv("event_class,department,deadline,deadline_unit\n"), two_levels());
  });
  EXPECT_EQ(e.where().field, "handling_level");
}

}  // namespace
}  // namespace libgrid
