#include "libgrid/assign/assign.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>

#include "libgrid/crs/transform.h"
#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "support/error_of.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::box;

std::string message_of(const std::function<void()>& f) { return testing::error_of(f).what(); }

// A community of two grids in UTM zone 50N (metres), with a roster and a duty table.
class AssignTest : public ::testing::Test {
 protected:
  AssignTest() {
    grids_.set_crs("EPSG:32650");
    grids_.add_level("community");
    grids_.add_level("grid");
    const CellId c = grids_.add_cell(
        {.code = "001", .geometry = parse_wkt_area(box(500000, 4420000, 500200, 4420100))});
    grids_.add_cell({.code = "001001",
                     .level = 1,
                     .parent = c,
                     .geometry = parse_wkt_area(box(500000, 4420000, 500100, 4420100))});
    grids_.add_cell({.code = "001002",
                     .level = 1,
                     .parent = c,
                     .geometry = parse_wkt_area(box(500100, 4420000, 500200, 4420100))});
    auto& roster = grids_.roster().entries;
    roster.push_back({"001", Role::kGridLeader, {"P1", "社区书记", "1"}});
    roster.push_back({"001001", Role::kGridWorker, {"P2", "网格员甲", "2"}});
    grids_.duty_table().rules.push_back(
        {"01", "市容环境", "城管执法局", "community", 2, DeadlineUnit::kWorkingHours});
    index_ = std::make_unique<CellIndex>(grids_);
  }

  AssignOptions options(bool with_class, bool with_time) const {
    AssignOptions o;
    o.source = "points.csv";
    o.has_class = with_class;
    o.has_time = with_time;
    o.time_name = "reported_at";
    return o;
  }

  std::vector<std::string> names(const Assigner& a) const {
    std::vector<std::string> out;
    for (const auto& c : a.columns()) out.push_back(c.name);
    return out;
  }

  GridSet grids_;
  std::unique_ptr<CellIndex> index_;
};

TEST_F(AssignTest, ColumnsFollowTheRosterTheClassAndTheTime) {
  EXPECT_EQ(
      names(Assigner(grids_, *index_, options(false, false))),
      (std::vector<std::string>{"community", "grid", "grid_worker", "grid_worker_id",
                                "grid_worker_phone", "grid_leader", "info_workers", "escalation"}));
  EXPECT_EQ(names(Assigner(grids_, *index_, options(true, true))),
            (std::vector<std::string>{"community", "grid", "grid_worker", "grid_worker_id",
                                      "grid_worker_phone", "grid_leader", "info_workers",
                                      "department", "handling_level", "handling_cell", "deadline",
                                      "deadline_unit", "escalation", "due"}));
}

TEST_F(AssignTest, ALevelNamedLikeAnInputColumnGetsCodeAndOtherClashesAreRefused) {
  AssignOptions o = options(false, false);
  o.input_columns = {"x", "y", "grid"};
  EXPECT_EQ(names(Assigner(grids_, *index_, o))[1], "grid_code");
  o.input_columns = {"x", "y", "grid_worker"};
  EXPECT_EQ(message_of([&] { Assigner(grids_, *index_, o); }),
            "points.csv: field grid_worker: the points already have a column of this name, "
            "which assign adds: rename or drop it");
}

TEST_F(AssignTest, AnswersEveryColumnAndKeepsRowsWithoutCoordinates) {
  const Assigner a(grids_, *index_, options(true, true));
  const std::vector<double> x = {500050, 500150, NAN, 600000};
  const std::vector<double> y = {4420050, 4420050, NAN, 4420050};
  const std::vector<std::string_view> classes = {"0101", "02", "01", "01"};
  const std::vector<std::string_view> times = {"2026-01-05T17:00", "2026-01-05T17:00", "", ""};
  AssignedPoints out;
  a.assign({x, y, classes, times}, 1, out);
  EXPECT_EQ(out.empty_coordinates, 1);
  std::string scratch;
  const auto row = [&](std::size_t i) {
    std::vector<std::string> values;
    for (const auto& c : a.columns()) values.emplace_back(a.value(c, out, i, scratch));
    return values;
  };
  EXPECT_EQ(row(0),
            (std::vector<std::string>{"001", "001001", "网格员甲", "P2", "2", "社区书记", "",
                                      "城管执法局", "community", "001", "2", "working_hours",
                                      "001001 > 001 社区书记", "2026-01-06T10:00"}));
  // No rule for class "02"; the grid has no worker.
  EXPECT_EQ(row(1), (std::vector<std::string>{"001", "001002", "", "", "", "社区书记", "", "", "",
                                              "", "", "", "001002 > 001 社区书记", ""}));
  // No coordinates, and outside every cell: not covered, but the class's department.
  for (const std::size_t i : {2u, 3u}) {
    EXPECT_EQ(out.finest[i], kNoCell);
    EXPECT_EQ(row(i)[7], "城管执法局");
    EXPECT_EQ(row(i)[9], "");
  }
}

TEST_F(AssignTest, ABadTimeNamesTheRowAndTheColumn) {
  const Assigner a(grids_, *index_, options(true, true));
  const std::vector<double> x = {500050, 500050}, y = {4420050, 4420050};
  const std::vector<std::string_view> classes = {"01", "01"}, times = {"", "yesterday"};
  AssignedPoints out;
  EXPECT_EQ(message_of([&] {
              a.assign({x, y, classes, times}, 10, out);
            }),
            "points.csv: feature 11: field reported_at: not a time 'YYYY-MM-DDTHH:MM': "
            "'yesterday'");
}

TEST_F(AssignTest, AnInfiniteCoordinateNamesTheRowAndTheColumnWhileNaNMeansNone) {
  AssignOptions o = options(false, false);
  o.y_name = "northing";
  const Assigner a(grids_, *index_, o);
  const std::vector<double> x = {500050, std::nan(""), 500050}, y = {4420050, 4420050, -INFINITY};
  AssignedPoints out;
  EXPECT_EQ(message_of([&] {
              a.assign({x, y}, 1, out);
            }),
            "points.csv: feature 3: field northing: not a finite number: '-inf'");
  a.assign({std::span(x).first(2), std::span(y).first(2)}, 1, out);
  EXPECT_EQ(out.finest, (std::vector<CellId>{1, kNoCell}));
  EXPECT_EQ(out.empty_coordinates, 1);
}

TEST_F(AssignTest, TimesAsMinutesGiveTheDueTimesTheirTextGives) {
  const Assigner a(grids_, *index_, options(true, true));
  const std::vector<double> x = {500050, 500150, 500050}, y = {4420050, 4420050, 4420050};
  const std::vector<std::string_view> classes = {"01", "01", "02"};
  const std::vector<std::string_view> text = {"2026-01-05T17:00", "", "2026-01-05T17:00"};
  const std::vector<LocalMinutes> minutes = {*parse_local_time("2026-01-05T17:00"),
                                             PointColumns::kNoTime,
                                             *parse_local_time("2026-01-05T17:00")};
  AssignedPoints from_text, from_minutes;
  a.assign({x, y, classes, text}, 1, from_text);
  a.assign({.x = x, .y = y, .event_class = classes, .time_minutes = minutes}, 1, from_minutes);
  EXPECT_EQ(from_minutes.due, from_text.due);
  // Monday 17:00 + 2 working hours: 1 h on Monday, 1 h on Tuesday from 09:00.
  EXPECT_EQ(format_local_time(from_minutes.due[0]), "2026-01-06T10:00");
  EXPECT_EQ(from_minutes.due[1], AssignedPoints::kNoDue);
  EXPECT_EQ(from_minutes.due[2], AssignedPoints::kNoDue);  // no rule for class 02
}

TEST_F(AssignTest, ManyClassesAndRepeatedDatesGiveEachRowItsOwnRuleAndDueTime) {
  // 40 rules, more than are compared at once; rows cycle through 45 classes (5 without a rule,
  // a third longer than a word) and through times that share their dates, with and without
  // seconds.
  const auto class_name = [](int k) {
    return (k < 40 ? "c" : "none") + std::to_string(k) + (k % 3 == 0 ? "-long-name" : "");
  };
  for (int k = 0; k < 40; ++k) {
    const std::string cls = class_name(k);
    grids_.duty_table().rules.push_back({cls, "dept " + cls, "department " + cls, "community",
                                         static_cast<double>(1 + k % 9),
                                         DeadlineUnit::kWorkingHours});
  }
  const Assigner a(grids_, *index_, options(true, true));
  std::vector<std::string> class_text, time_text;
  for (int i = 0; i < 500; ++i) {
    class_text.push_back(class_name((i * 7) % 45));
    const int day = 1 + (i * 13) % 20, minute = (i * 37) % (24 * 60);
    char text[32];
    std::snprintf(text, sizeof text,
                  i % 5 == 0 ? "2026-03-%02d %02d:%02d:30" : "2026-03-%02dT%02d:%02d", day,
                  minute / 60, minute % 60);
    time_text.push_back(text);
  }
  const std::vector<double> x(class_text.size(), 500050), y(class_text.size(), 4420050);
  const std::vector<std::string_view> classes(class_text.begin(), class_text.end());
  const std::vector<std::string_view> times(time_text.begin(), time_text.end());
  AssignedPoints out;
  a.assign({x, y, classes, times}, 1, out);
  EXPECT_EQ(out.rules.size(), 45u);  // one answer per distinct class
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const DutyRule* rule = grids_.duty_table().find(classes[i]);
    EXPECT_EQ(out.rule[i], out.rule[i % 45]) << classes[i];  // rows 45 apart share their class
    const RuleAnswer& answer = out.rules[out.rule[i]];
    ASSERT_EQ(answer.has_rule, rule != nullptr) << classes[i];
    if (rule == nullptr) {
      EXPECT_EQ(out.due[i], AssignedPoints::kNoDue);
      continue;
    }
    EXPECT_EQ(answer.rule.event_class, rule->event_class);
    EXPECT_EQ(out.due[i], due_time(*parse_local_time(times[i]), rule->deadline, rule->unit))
        << times[i] << " " << classes[i];
  }
}

TEST_F(AssignTest, HundredsOfShortClassesEachFindTheirRule) {
  // More short classes than the batch's table of words holds (128): the rest are searched as
  // long ones are. Classes k0 to k149 have rules of their own.
  const auto class_name = [](int k) { return std::string("k").append(std::to_string(k)); };
  for (int k = 0; k < 150; ++k) {
    const std::string cls = class_name(k);
    grids_.duty_table().rules.push_back(
        {cls, cls, "department " + cls, "community", 1.0 + k, DeadlineUnit::kWorkingHours});
  }
  const Assigner a(grids_, *index_, options(true, false));
  std::vector<std::string> class_text;
  for (int i = 0; i < 3 * 300; ++i) class_text.push_back(class_name((i * 7) % 300));
  const std::vector<double> x(class_text.size(), 500050), y(class_text.size(), 4420050);
  const std::vector<std::string_view> classes(class_text.begin(), class_text.end());
  AssignedPoints out;
  a.assign({x, y, classes, {}}, 1, out);
  EXPECT_EQ(out.rules.size(), 300u);  // one answer per distinct class
  std::size_t own_rule = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const RuleAnswer& answer = out.rules[out.rule[i]];
    // A class without a rule of its own has its longest prefix's ("k154": "k15"), if any.
    const DutyRule* rule = grids_.duty_table().find(classes[i]);
    ASSERT_EQ(answer.has_rule, rule != nullptr) << classes[i];
    if (rule == nullptr) continue;
    EXPECT_EQ(answer.rule.event_class, rule->event_class) << classes[i];
    own_rule += answer.rule.event_class == classes[i];
  }
  EXPECT_EQ(own_rule, 3u * 150);
}

TEST_F(AssignTest, APointThatCannotBeTransformedIsNamed) {
  AssignOptions o = options(false, false);
  o.crs = "EPSG:4326";
  o.x_name = "lon";
  const Assigner a(grids_, *index_, o);
  const std::vector<double> x = {117.0, 500050}, y = {39.9, 4420050};
  AssignedPoints out;
  EXPECT_EQ(message_of([&] {
              a.assign({x, y}, 1, out);
            }),
            "points.csv: feature 2: field lon: point cannot be transformed from EPSG:4326");
}

// The wrong-CRS checks work from a single point.
TEST_F(AssignTest, OnePointWithSwappedAxesIsRefused) {
  const Assigner a(grids_, *index_, options(false, false));
  const std::vector<double> x = {4420050}, y = {500050};
  EXPECT_EQ(message_of([&] { a.check_crs(x, y, 0); }),
            "points.csv: 100.0% of the points fall outside every cell, but 100.0% fall inside "
            "with x and y swapped: are columns 'x' and 'y' the wrong way round, or does the "
            "points' CRS list latitude or northing first?");
}

TEST_F(AssignTest, LongitudeLatitudeAgainstAProjectedGridSetIsRefusedSayingSo) {
  std::vector<double> x = {500050}, y = {4420050};
  Transform("EPSG:32650", "EPSG:4326").apply(x, y);
  const Assigner a(grids_, *index_, options(false, false));
  EXPECT_EQ(message_of([&] { a.check_crs(x, y, 0); }),
            "points.csv: 100.0% of the points fall outside every cell, but 100.0% fall inside in "
            "EPSG:4326 (longitude/latitude): give the points' CRS as EPSG:4326");
  // Latitude first.
  EXPECT_NE(message_of([&] {
              a.check_crs(y, x, 0);
            }).find("in EPSG:4326 (longitude/latitude) with longitude and latitude swapped"),
            std::string::npos);
}

TEST_F(AssignTest, ProjectedPointsAgainstALongitudeLatitudeGridSetAreRefused) {
  // The same grid set in longitude/latitude.
  GridSet geographic;
  geographic.set_crs("EPSG:4326");
  geographic.add_level("grid");
  std::vector<double> x = {500000, 500200}, y = {4420000, 4420100};
  Transform("EPSG:32650", "EPSG:4326").apply(x, y);
  geographic.add_cell({.code = "1", .geometry = parse_wkt_area(box(x[0], y[0], x[1], y[1]))});
  const CellIndex index(geographic);
  const Assigner a(geographic, index, options(false, false));
  const std::vector<double> px = {500050}, py = {4420050};
  EXPECT_EQ(message_of([&] { a.check_crs(px, py, 0); }),
            "points.csv: 100.0% of the points fall outside every cell, but 100.0% fall inside in "
            "EPSG:32650: give the points' CRS as EPSG:32650");
  // Far from anything likely: still refused, since they cannot be longitude/latitude.
  const std::vector<double> fx = {12345678}, fy = {-9876543};
  EXPECT_EQ(message_of([&] { a.check_crs(fx, fy, 0); }),
            "points.csv: no point falls inside any cell, and the points (e.g. x 1.23457e+07, "
            "y -9.87654e+06) are not longitude/latitude, which the grid set's CRS is: give the "
            "points' CRS");
}

TEST_F(AssignTest, PointsMostlyInsideOrWithoutAnyBetterReadingPass) {
  const Assigner a(grids_, *index_, options(false, false));
  const std::vector<double> x = {500050, 1}, y = {4420050, 1};
  a.check_crs(x, y, 1);
  const std::vector<double> far_x = {900000}, far_y = {100};
  a.check_crs(far_x, far_y, 0);  // outside, but no other reading does better
  const std::vector<double> none = {NAN};
  a.check_crs(none, none, 0);
}

TEST(FindPointColumn, ARequestedNameOrTheFirstGuessIgnoringCase) {
  const std::vector<std::string> header = {"id", "LON", "Lat"};
  EXPECT_EQ(find_point_column(header, "p.csv", std::nullopt, "x", kXColumnGuesses, true), 1);
  EXPECT_EQ(find_point_column(header, "p.csv", "Lat", "y", kYColumnGuesses, true), 2);
  EXPECT_EQ(find_point_column(header, "p.csv", std::nullopt, "time", kTimeColumnGuesses, false),
            -1);
  EXPECT_EQ(
      message_of([&] { find_point_column(header, "p.csv", "lat", "y", kYColumnGuesses, true); }),
      "p.csv: field lat: no such column");
}

}  // namespace
}  // namespace libgrid
