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
  // A grid set around the North Pole (Lambert azimuthal): the South Pole has no place in it.
  GridSet polar;
  polar.set_crs("EPSG:3575");
  polar.add_level("grid");
  polar.add_cell({.code = "1", .geometry = parse_wkt_area(box(-100, -100, 100, 100))});
  const CellIndex index(polar);
  AssignOptions o = options(false, false);
  o.crs = "EPSG:4326";
  o.x_name = "lon";
  const Assigner a(polar, index, o);
  const std::vector<double> x = {0, 0}, y = {90, -90};
  AssignedPoints out;
  EXPECT_EQ(message_of([&] {
              a.assign({x, y}, 1, out);
            }),
            "points.csv: feature 2: field lon: point cannot be transformed from EPSG:4326");
}

TEST_F(AssignTest, LongitudeOrLatitudeOutOfRangeNamesTheRowAndTheColumn) {
  AssignOptions o = options(false, false);
  o.crs = "EPSG:4326";
  o.x_name = "lon";
  o.y_name = "lat";
  const Assigner a(grids_, *index_, o);
  AssignedPoints out;
  const auto message = [&](std::vector<double> x, std::vector<double> y) {
    return message_of([&] { a.assign({x, y}, 1, out); });
  };
  // The bounds themselves are longitudes and latitudes (the points transform; none is inside).
  a.assign({std::vector<double>{180, -180, 117}, std::vector<double>{39.9, 39.9, -90}}, 1, out);
  EXPECT_EQ(out.finest, (std::vector<CellId>{kNoCell, kNoCell, kNoCell}));
  EXPECT_EQ(message({117, 200}, {39.9, 39.9}),
            "points.csv: feature 2: field lon: longitude 200 is outside [-180, 180]: the points' "
            "CRS ('EPSG:4326') is longitude/latitude");
  EXPECT_EQ(message({117, -180.000001}, {39.9, 39.9}),
            "points.csv: feature 2: field lon: longitude -180.000001 is outside [-180, 180]: the "
            "points' CRS ('EPSG:4326') is longitude/latitude");
  // Latitude 95 is named before PROJ could fail on it, and a latitude that fits a longitude
  // (with a longitude that fits a latitude) asks about the columns' order.
  EXPECT_EQ(message({116.97, 116.97}, {39.9, 95}),
            "points.csv: feature 2: field lat: latitude 95 is outside [-90, 90]: the points' CRS "
            "('EPSG:4326') is longitude/latitude");
  EXPECT_EQ(message({116.97, 39.9}, {39.9, 116.97}),
            "points.csv: feature 2: field lat: latitude 116.97 is outside [-90, 90]: the points' "
            "CRS ('EPSG:4326') is longitude/latitude; are columns 'lon' and 'lat' the wrong way "
            "round?");
  // A row without x is still checked for its y.
  EXPECT_EQ(message({NAN}, {-91}),
            "points.csv: feature 1: field lat: latitude -91 is outside [-90, 90]: the points' CRS "
            "('EPSG:4326') is longitude/latitude");
}

TEST_F(AssignTest, MostPointsOutOfRangeAreExplainedByTheReadingThatFitsThem) {
  // The cells' corner in longitude/latitude, latitude first: every latitude is out of range,
  // and swapped they are inside; said as the CRS check says it.
  std::vector<double> lon = {500050, 500150}, lat = {4420050, 4420050};
  Transform("EPSG:32650", "EPSG:4326").apply(lon, lat);
  AssignOptions o = options(false, false);
  o.crs = "EPSG:4326";
  const Assigner a(grids_, *index_, o);
  AssignedPoints out;
  EXPECT_EQ(message_of([&] {
              a.assign({lat, lon}, 1, out);
            }),
            "points.csv: 100.0% of the points fall outside every cell, but 100.0% fall inside "
            "with x and y swapped: are columns 'x' and 'y' the wrong way round, or does the "
            "points' CRS list latitude or northing first?");
  // Projected points said to be longitude/latitude: they are in the grid set's CRS.
  const std::vector<double> x = {500050, 500150, 500150}, y = {4420050, 4420050, 4420050};
  EXPECT_EQ(message_of([&] {
              a.assign({x, y}, 1, out);
            }),
            "points.csv: 100.0% of the points fall outside every cell, but 100.0% fall inside in "
            "the grid set's CRS: are the points in the grid set's CRS?");
  // One such row among good ones is that row's fault.
  const std::vector<double> x2 = {lon[0], 500050, lon[1]}, y2 = {lat[0], 4420050, lat[1]};
  EXPECT_EQ(message_of([&] {
              a.assign({x2, y2}, 1, out);
            }),
            "points.csv: feature 2: field x: longitude 500050 is outside [-180, 180]: the points' "
            "CRS ('EPSG:4326') is longitude/latitude");
}

TEST_F(AssignTest, ACoordinateBeyondAnyCrsNamesTheRowAndTheColumn) {
  const Assigner a(grids_, *index_, options(false, false));
  AssignedPoints out;
  const double bound = Assigner::kMaxCoordinate;
  a.assign({std::vector<double>{bound, -bound}, std::vector<double>{-bound, bound}}, 1, out);
  EXPECT_EQ(out.finest, (std::vector<CellId>{kNoCell, kNoCell}));
  EXPECT_EQ(
      message_of([&] {
        a.assign({std::vector<double>{500050, 5e300}, std::vector<double>{4420050, 0}}, 7, out);
      }),
      "points.csv: feature 8: field x: 5e+300 is beyond what any CRS gives (a magnitude over "
      "1e+09)");
  EXPECT_EQ(message_of([&] {
              a.assign({std::vector<double>{500050}, std::vector<double>{-1.5e9}}, 1, out);
            }),
            "points.csv: feature 1: field y: -1.5e+09 is beyond what any CRS gives (a magnitude "
            "over 1e+09)");
}

TEST_F(AssignTest, AnUnknownCrsIsRefusedWhenTheAssignerIsMade) {
  AssignOptions o = options(false, false);
  for (const char* crs : {"foo", "EPSG:99999", "GCJ-2000"}) {
    o.crs = crs;
    const Error e = testing::error_of([&] { Assigner(grids_, *index_, o); });
    EXPECT_EQ(e.where().option, "crs");
    EXPECT_EQ(e.message(spell_cli_option), std::string("--crs: unknown CRS '") + crs + "'");
  }
  o.crs = "WGS 84";  // a name PROJ knows
  const Assigner a(grids_, *index_, o);
}

TEST_F(AssignTest, AColumnReadUnderANameOfTwoColumnsIsRefused) {
  AssignOptions o = options(true, true);
  o.input_columns = {"id", "x", "note", "x", "y", "note", "event_class", "reported_at"};
  EXPECT_EQ(message_of([&] { Assigner(grids_, *index_, o); }),
            "points.csv: field x: 2 columns have this name (columns 2 and 4, counting from 1): "
            "rename all but one, so that it is clear which to read");
  o.input_columns = {"x", "y", "note", "note", "event_class", "reported_at"};
  const Assigner reads_no_note(grids_, *index_, o);  // columns it does not read may share
  o.input_columns = {"x", "y", "event_class", "reported_at", "reported_at", "reported_at"};
  EXPECT_EQ(message_of([&] { Assigner(grids_, *index_, o); }),
            "points.csv: field reported_at: 3 columns have this name (columns 4, 5 and 6, "
            "counting from 1): rename all but one, so that it is clear which to read");
  o.has_time = false;  // a time column not read
  const Assigner reads_no_time(grids_, *index_, o);
  o.input_columns = {"x", "y", "event_class", "event_class"};
  EXPECT_EQ(message_of([&] { Assigner(grids_, *index_, o); }).substr(0, 58),
            "points.csv: field event_class: 2 columns have this name (c");
  o.input_columns = {"x", "y"};
  o.has_class = false;
  o.y_name = "x";
  EXPECT_EQ(message_of([&] { Assigner(grids_, *index_, o); }),
            "points.csv: field x: read as both the x and the y coordinate: name two different "
            "columns");
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
  // None inside, and no other reading does better, but around the grid set: passes.
  const std::vector<double> near_x = {499000, 501000}, near_y = {4420050, 4420050};
  a.check_crs(near_x, near_y, 0);
  const std::vector<double> none = {NAN};
  a.check_crs(none, none, 0);
}

// Points in a CRS whose numbers look like the grid set's: Web Mercator, the next Gauss-Kruger
// zone, or the grid set's own CRS when another was given.
TEST_F(AssignTest, PointsInAnotherProjectedCrsAreRefusedSayingWhich) {
  const Assigner a(grids_, *index_, options(false, false));
  for (const char* crs : {"EPSG:3857", "EPSG:4547", "EPSG:4549", "EPSG:4548", "EPSG:4527"}) {
    std::vector<double> x = {500050, 500150}, y = {4420050, 4420050};
    Transform("EPSG:32650", crs).apply(x, y);
    EXPECT_EQ(message_of([&] { a.check_crs(x, y, 0); }),
              std::string("points.csv: 100.0% of the points fall outside every cell, but 100.0% "
                          "fall inside in ") +
                  crs + ": give the points' CRS as " + crs)
        << crs;
  }
  AssignOptions o = options(false, false);
  o.crs = "EPSG:3857";
  const Assigner told_mercator(grids_, *index_, o);
  const std::vector<double> x = {500050}, y = {4420050};
  EXPECT_EQ(message_of([&] { told_mercator.check_crs(x, y, 0); }),
            "points.csv: 100.0% of the points fall outside every cell, but 100.0% fall inside in "
            "the grid set's CRS: are the points in the grid set's CRS?");
}

// None inside a cell, none near the grid set, and none where their CRS is used: they are not in
// that CRS.
TEST_F(AssignTest, PointsAllAwayFromTheGridSetAreRefusedNamingTheOptionCrs) {
  const Assigner a(grids_, *index_, options(false, false));
  // 1,500 km east of UTM zone 50's central meridian: far outside its 114E-120E.
  const std::vector<double> x = {2000000, 2000500.4}, y = {100, 250};
  const Error e = testing::error_of([&] { a.check_crs(x, y, 0); });
  EXPECT_EQ(e.message(spell_cli_option),
            "points.csv: --crs: no point falls inside the grid set's extent, nor where their CRS "
            "is used: the points lie at x 2000000 to 2000500, y 100 to 250, the grid set at x "
            "500000 to 500200, y 4420000 to 4420100 (in the grid set's CRS, EPSG:32650): give "
            "the points' CRS if it is another");
  // With a CRS given, the points are compared in the grid set's.
  AssignOptions o = options(false, false);
  o.crs = "EPSG:32651";
  const Assigner b(grids_, *index_, o);
  std::vector<double> bx = {2000000}, by = {100};
  EXPECT_NE(message_of([&] {
              b.check_crs(bx, by, 0);
            }).find("(in the grid set's CRS, EPSG:32650): is EPSG:32651 the points' CRS?"),
            std::string::npos);
  // Where the CRS is used, only not in the grid set (Harbin, say): not covered, but no error.
  const std::vector<double> harbin_x = {300000, 300100}, harbin_y = {5000000, 5000000};
  a.check_crs(harbin_x, harbin_y, 0);
  // One point covered: a file reaching beyond the grid set is fine.
  const std::vector<double> mixed_x = {2000000, 500050}, mixed_y = {100, 4420050};
  a.check_crs(mixed_x, mixed_y, 1);
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

TEST(FindPointColumn, ANameOfTwoColumnsIsRefusedWhetherRequestedOrGuessed) {
  const std::vector<std::string> header = {"id", "x", "y", "x", "X"};
  const std::string expected =
      "p.csv: field x: 2 columns have this name (columns 2 and 4, counting from 1): rename all "
      "but one, so that it is clear which to read";
  EXPECT_EQ(
      message_of([&] { find_point_column(header, "p.csv", "x", "x", kXColumnGuesses, true); }),
      expected);
  EXPECT_EQ(message_of([&] {
              find_point_column(header, "p.csv", std::nullopt, "x", kXColumnGuesses, true);
            }),
            expected);
  EXPECT_EQ(find_point_column(header, "p.csv", "X", "x", kXColumnGuesses, true), 4);
  EXPECT_EQ(find_point_column(header, "p.csv", std::nullopt, "y", kYColumnGuesses, true), 2);
}

}  // namespace
}  // namespace libgrid
