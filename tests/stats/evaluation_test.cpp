#include "libgrid/stats/evaluation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <set>

#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "support/error_of.h"

namespace libgrid {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

LocalMinutes at(const char* text) { return *parse_local_time(text); }
sys_days day(const char* text) { return *parse_date(text); }

// The test's own notion of working time, minute by minute: 09:00-12:00 and 13:00-18:00 on
// Monday to Friday, except the holidays, plus the make-up days.
struct ReferenceCalendar {
  std::set<LocalMinutes> holidays, workdays;  // midnights

  bool working_minute(LocalMinutes t) const {
    const LocalMinutes midnight = t - ((t % 1440) + 1440) % 1440;
    const LocalMinutes minute = t - midnight;
    const long weekday = ((midnight / 1440) % 7 + 7 + 4) % 7;  // 1970-01-01 was a Thursday
    bool working = weekday >= 1 && weekday <= 5;
    if (holidays.count(midnight)) working = false;
    if (workdays.count(midnight)) working = true;
    return working && ((minute >= 540 && minute < 720) || (minute >= 780 && minute < 1080));
  }
  // The end of the `amount`-th working minute after `t`.
  LocalMinutes due(LocalMinutes t, LocalMinutes amount) const {
    for (; amount > 0; ++t) amount -= working_minute(t);
    return t;
  }
  LocalMinutes between(LocalMinutes from, LocalMinutes to) const {
    LocalMinutes n = 0;
    for (LocalMinutes t = from; t < to; ++t) n += working_minute(t);
    return n;
  }
};

class EvaluationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grids_.add_level("community");
    grids_.add_level("grid");
    const CellId community = grids_.add_cell(
        {.code = "001", .geometry = parse_wkt_area("POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))")});
    grids_.add_cell({.code = "001001",
                     .name = "甲",
                     .level = 1,
                     .parent = community,
                     .geometry = parse_wkt_area("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"),
                     .households = 300});
    grids_.add_cell({.code = "001002",
                     .name = "乙",
                     .level = 1,
                     .parent = community,
                     .geometry = parse_wkt_area("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"),
                     .households = 400});
    grids_.roster().entries.push_back({"001001", Role::kGridWorker, {"P2", "网格员甲", "2"}});
    auto& rules = grids_.duty_table().rules;
    rules.push_back({"01", "市容环境", "城管执法局", "community", 2, DeadlineUnit::kWorkingDays});
    rules.push_back({"0101", "暴露垃圾", "环卫所", "grid", 2, DeadlineUnit::kWorkingHours});
    rules.push_back({"04", "突发事件", "应急管理局", "community", 1, DeadlineUnit::kUrgentHours});
    // New Year 2026: Thursday 1 and Friday 2 January off, Sunday 4 January worked.
    grids_.calendar().set(day("2026-01-01"), DayKind::kHoliday);
    grids_.calendar().set(day("2026-01-02"), DayKind::kHoliday);
    grids_.calendar().set(day("2026-01-04"), DayKind::kWorkday);
    reference_.holidays = {at("2026-01-01T00:00"), at("2026-01-02T00:00")};
    reference_.workdays = {at("2026-01-04T00:00")};

    // Grid 甲 is x in (0, 1), grid 乙 x in (1, 2).
    add("E1", 0.5, "0101", "2025-12-31T17:00", "2026-01-04T10:00", 0);  // on time to the minute
    add("E2", 0.5, "0101", "2026-01-04T17:00", "2026-01-05T10:01", 0);  // a minute late
    add("E3", 1.5, "0102", "2026-01-01T00:08", "", 0);                  // open, overdue
    add("E4", 1.5, "0401", "2026-01-05T23:30", "2026-01-06T00:30", 2);  // urgent, on time
    add("E5", 0.5, "0101", "2026-01-06T09:00", "2026-01-06T13:00", 0);  // closed after as_of
    add("E6", 0.5, "0101", "2026-01-06T11:00", "", 1);                  // open, not yet due
    add("E7", 5.0, "0101", "2026-01-05T09:00", "", 0);                  // not covered
    add("E8", 0.5, "99", "2026-01-05T09:00", "", 0);                    // no duty rule
    add("E9", 0.5, "0101", "2026-01-07T09:00", "", 0);                  // after as_of
    options_.as_of = at("2026-01-06T12:00");
  }

  void add(const char* id, double x, const char* event_class, const char* reported,
           const char* closed, int reopened) {
    events_.event_id.push_back(id);
    events_.x.push_back(x);
    events_.y.push_back(0.5);
    events_.event_class.push_back(event_class);
    events_.reported_at.push_back(at(reported));
    events_.closed_at.push_back(*closed ? at(closed) : kStillOpen);
    events_.reopened.push_back(reopened);
  }

  // Due time from the test's reference calendar, for the three rules above.
  LocalMinutes reference_due(std::size_t i) const {
    const std::string& c = events_.event_class[i];
    if (c.rfind("0101", 0) == 0) return reference_.due(events_.reported_at[i], 2 * 60);
    if (c.rfind("04", 0) == 0) return events_.reported_at[i] + 60;
    return reference_.due(events_.reported_at[i], 2 * 8 * 60);
  }

  GridSet grids_;
  ReferenceCalendar reference_;
  EventTable events_;
  EvaluationOptions options_;
};

TEST_F(EvaluationTest, ReferenceDueTimesFollowTheHolidaysAndTheMakeUpDay) {
  // Reported the afternoon before New Year: one hour that day, the other on the make-up Sunday.
  EXPECT_EQ(reference_due(0), at("2026-01-04T10:00"));
  EXPECT_EQ(reference_due(1), at("2026-01-05T10:00"));
  // Reported on the holiday: the two working days are Sunday 4 and Monday 5 January.
  EXPECT_EQ(reference_due(2), at("2026-01-05T18:00"));
  for (std::size_t i = 0; i < 6; ++i) {
    const double deadline = i == 3 ? 1 : (i == 2 ? 2 : 2);
    const DeadlineUnit unit = i == 3   ? DeadlineUnit::kUrgentHours
                              : i == 2 ? DeadlineUnit::kWorkingDays
                                       : DeadlineUnit::kWorkingHours;
    EXPECT_EQ(due_time(events_.reported_at[i], deadline, unit, grids_.calendar()), reference_due(i))
        << events_.event_id[i];
  }
}

TEST_F(EvaluationTest, ByLevelMatchesFiguresRecomputedFromFirstPrinciples) {
  const CellIndex index(grids_);
  options_.by = "grid";
  const Evaluation e = evaluate(grids_, index, events_, options_);
  ASSERT_EQ(e.groups.size(), 2u);
  EXPECT_EQ(e.as_of, at("2026-01-06T12:00"));

  // Recompute each cell's figures from the events with the reference calendar.
  for (const GroupEvaluation& g : e.groups) {
    const double lo = g.key == "001001" ? 0 : 1;
    std::int64_t events = 0, closed = 0, on_time = 0, overdue = 0, reworked = 0;
    for (std::size_t i = 0; i < 6; ++i) {  // E1..E6 are the events counted
      if (events_.x[i] < lo || events_.x[i] > lo + 1) continue;
      ++events;
      const LocalMinutes due = reference_due(i);
      const bool is_closed =
          events_.closed_at[i] != kStillOpen && events_.closed_at[i] <= *options_.as_of;
      closed += is_closed;
      on_time += is_closed && events_.closed_at[i] <= due;
      overdue += !is_closed && due < *options_.as_of;
      reworked += events_.reopened[i] > 0;
    }
    EXPECT_EQ(g.events, events) << g.key;
    EXPECT_EQ(g.closed, closed) << g.key;
    EXPECT_EQ(g.closed_on_time, on_time) << g.key;
    EXPECT_EQ(g.overdue, overdue) << g.key;
    EXPECT_EQ(g.open, events - closed) << g.key;
    EXPECT_EQ(g.settle_by_as_of, closed + overdue) << g.key;
    EXPECT_DOUBLE_EQ(g.closure_rate, double(closed) / events) << g.key;
    EXPECT_DOUBLE_EQ(g.on_time_rate, double(on_time) / (closed + overdue)) << g.key;
    EXPECT_DOUBLE_EQ(g.rework_rate, double(reworked) / events) << g.key;
    EXPECT_DOUBLE_EQ(g.events_per_100_households, 100.0 * events / g.households) << g.key;
  }
  // The same by hand: 甲 has E1 (on time), E2 (late), E5 (closed after as_of, so open and
  // overdue) and E6 (open, due at 14:00).
  const GroupEvaluation& a = e.groups[0];
  EXPECT_EQ(a.key, "001001");
  EXPECT_EQ(a.events, 4);
  EXPECT_EQ(a.closed, 2);
  EXPECT_EQ(a.closed_on_time, 1);
  EXPECT_EQ(a.overdue, 1);
  EXPECT_DOUBLE_EQ(a.on_time_rate, 1.0 / 3.0);
  EXPECT_EQ(a.handling_unit, DeadlineUnit::kWorkingHours);
  // E1 took 2 working hours, E2 2 hours and a minute.
  const double e1 = reference_.between(at("2025-12-31T17:00"), at("2026-01-04T10:00")) / 60.0;
  const double e2 = reference_.between(at("2026-01-04T17:00"), at("2026-01-05T10:01")) / 60.0;
  EXPECT_DOUBLE_EQ(e1, 2.0);
  EXPECT_DOUBLE_EQ(a.median_handling, (e1 + e2) / 2);
  // 乙: one working-days event and one urgent one; the tie goes to urgent hours.
  const GroupEvaluation& b = e.groups[1];
  EXPECT_EQ(b.handling_unit, DeadlineUnit::kUrgentHours);
  EXPECT_DOUBLE_EQ(b.median_handling, 1.0);

  EXPECT_EQ(e.total.events, 6);
  EXPECT_EQ(e.total.closed, 3);
  EXPECT_EQ(e.not_covered.count, 1);
  EXPECT_EQ(e.not_covered.first_id, "E7");
  EXPECT_EQ(e.unknown_class.count, 1);
  EXPECT_EQ(e.unknown_class.first_row, 8);
  EXPECT_EQ(e.unknown_class.first_value, "99");
  EXPECT_EQ(e.after_as_of, 1);
}

TEST_F(EvaluationTest, WithoutTheHolidaysTheNewYearEventIsLate) {
  const CellIndex index(grids_);
  const WorkingCalendar weekdays_only;
  options_.calendar = &weekdays_only;
  const Evaluation e = evaluate(grids_, index, events_, options_);
  // On a plain Monday-to-Friday calendar E1 is due on 2026-01-01T10:00, so it is late; E2,
  // reported on an ordinary Sunday, is due on Monday at 11:00, so it is on time.
  ReferenceCalendar plain;
  EXPECT_GT(at("2026-01-04T10:00"), plain.due(at("2025-12-31T17:00"), 120));
  EXPECT_LE(at("2026-01-05T10:01"), plain.due(at("2026-01-04T17:00"), 120));
  EXPECT_EQ(e.groups[0].closed_on_time, 1);
  EXPECT_EQ(e.groups[0].closed, 2);
}

TEST_F(EvaluationTest, ByWorkerAndByDepartment) {
  const CellIndex index(grids_);
  options_.by = "worker";
  const Evaluation w = evaluate(grids_, index, events_, options_);
  ASSERT_EQ(w.groups.size(), 1u);
  EXPECT_EQ(w.groups[0].key, "P2");
  EXPECT_EQ(w.groups[0].name, "网格员甲");
  EXPECT_EQ(w.groups[0].events, 4);
  EXPECT_DOUBLE_EQ(w.groups[0].events_per_100_households, 100.0 * 4 / 300);
  EXPECT_EQ(w.outside_group.count, 2);  // 乙 has no grid worker

  options_.by = "department";
  const Evaluation d = evaluate(grids_, index, events_, options_);
  ASSERT_EQ(d.groups.size(), 3u);
  EXPECT_EQ(d.groups[0].key, "城管执法局");
  EXPECT_EQ(d.groups[0].events, 1);
  EXPECT_EQ(d.groups[0].handling_unit, DeadlineUnit::kWorkingDays);
  EXPECT_TRUE(std::isnan(d.groups[0].events_per_100_households));
  EXPECT_DOUBLE_EQ(d.groups[0].on_time_rate, 0.0);  // E3 is open and overdue
}

TEST_F(EvaluationTest, PeriodAndDefaultAsOf) {
  const CellIndex index(grids_);
  options_.as_of.reset();
  options_.from = day("2026-01-05");
  options_.to = day("2026-01-05");
  const Evaluation e = evaluate(grids_, index, events_, options_);
  EXPECT_EQ(e.as_of, at("2026-01-06T00:00"));  // the end of `to`
  // On the 5th: E4 (at 23:30), E7 (not covered) and E8 (no rule).
  EXPECT_EQ(e.outside_period, 6);
  EXPECT_EQ(e.total.events, 1);

  options_.from.reset();
  options_.to.reset();
  const Evaluation all = evaluate(grids_, index, events_, options_);
  EXPECT_EQ(all.as_of, at("2026-01-07T09:00"));  // the latest time in the events
}

TEST_F(EvaluationTest, OpenEventsWithoutClosingTimesAndNoRework) {
  const CellIndex index(grids_);
  events_.closed_at.clear();
  events_.reopened.clear();
  const Evaluation e = evaluate(grids_, index, events_, options_);
  EXPECT_EQ(e.total.closed, 0);
  EXPECT_TRUE(std::isnan(e.total.rework_rate));
  EXPECT_TRUE(std::isnan(e.total.median_handling));
}

TEST_F(EvaluationTest, RefusesWhatCannotBeEvaluated) {
  const CellIndex index(grids_);
  options_.by = "building";
  EXPECT_NE(
      std::string(testing::error_of([&] { evaluate(grids_, index, events_, options_); }).what())
          .find("cannot group by 'building'"),
      std::string::npos);
  options_.by = "grid";
  grids_.duty_table().rules.clear();
  EXPECT_NE(
      std::string(testing::error_of([&] { evaluate(grids_, index, events_, options_); }).what())
          .find("no duty table"),
      std::string::npos);
}

}  // namespace
}  // namespace libgrid
