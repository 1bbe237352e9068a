#include "libgrid/duty/responsibility.h"

#include <gtest/gtest.h>

#include "libgrid/geometry/wkt.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {
namespace {

class ResponsibilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grids_.add_level("community");
    grids_.add_level("grid");
    community_ = grids_.add_cell(
        {.code = "001", .geometry = parse_wkt_area("POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))")});
    grid_a_ = grids_.add_cell({.code = "001001",
                               .level = 1,
                               .parent = community_,
                               .geometry = parse_wkt_area("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")});
    grid_b_ = grids_.add_cell({.code = "001002",
                               .level = 1,
                               .parent = community_,
                               .geometry = parse_wkt_area("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))")});
    auto& roster = grids_.roster().entries;
    roster.push_back({"001", Role::kGridLeader, {"P1", "社区书记", "1"}});
    roster.push_back({"001001", Role::kGridWorker, {"P2", "网格员甲", "2"}});
    roster.push_back({"001001", Role::kGridLeader, {"P3", "网格长甲", "3"}});
    roster.push_back({"001001", Role::kInfoWorker, {"P4", "楼长", "4"}});
    roster.push_back({"001001", Role::kInfoWorker, {"P5", "志愿者", "5"}});
    auto& rules = grids_.duty_table().rules;
    rules.push_back({"01", "市容环境", "城管执法局", "community", 2, DeadlineUnit::kWorkingDays});
    rules.push_back({"0101", "暴露垃圾", "环卫所", "grid", 2, DeadlineUnit::kWorkingHours});
  }

  GridSet grids_;
  CellId community_ = kNoCell, grid_a_ = kNoCell, grid_b_ = kNoCell;
};

TEST_F(ResponsibilityTest, GridWithFullRoster) {
  const Responsibility r = responsibility(grids_, grid_a_, "0101");
  EXPECT_EQ(r.path, (std::vector<CellId>{community_, grid_a_}));
  EXPECT_EQ(r.grid_worker.name, "网格员甲");
  EXPECT_EQ(r.grid_worker_cell, grid_a_);
  EXPECT_EQ(r.grid_worker_count, 1);
  ASSERT_EQ(r.grid_leaders.size(), 1u);
  EXPECT_EQ(r.grid_leaders[0].id, "P3");
  ASSERT_EQ(r.info_workers.size(), 2u);
  EXPECT_EQ(r.info_workers[1].name, "志愿者");
  ASSERT_TRUE(r.has_rule);
  EXPECT_EQ(r.rule.department, "环卫所");  // the subclass rule wins over the major class
  EXPECT_EQ(r.handling_cell, grid_a_);
  ASSERT_EQ(r.escalation.size(), 2u);
  EXPECT_EQ(r.escalation[0].cell, grid_a_);
  EXPECT_EQ(r.escalation[1].cell, community_);
  EXPECT_EQ(r.escalation[1].leaders[0].name, "社区书记");
}

TEST_F(ResponsibilityTest, GridWithoutWorkerEscalatesToCommunityLeader) {
  const Responsibility r = responsibility(grids_, grid_b_, "0105");
  EXPECT_EQ(r.grid_worker_cell, kNoCell);
  EXPECT_EQ(r.grid_worker_count, 0);
  ASSERT_EQ(r.grid_leaders.size(), 1u);
  EXPECT_EQ(r.grid_leaders[0].name, "社区书记");
  ASSERT_TRUE(r.has_rule);
  EXPECT_EQ(r.rule.event_class, "01");  // falls back to the major class
  EXPECT_EQ(r.handling_cell, community_);
}

TEST_F(ResponsibilityTest, SeveralWorkersAreCounted) {
  grids_.roster().entries.push_back({"001001", Role::kGridWorker, {"P9", "网格员乙", "9"}});
  const Responsibility r = responsibility(grids_, grid_a_, "");
  EXPECT_EQ(r.grid_worker.id, "P2");
  EXPECT_EQ(r.grid_worker_count, 2);
  EXPECT_FALSE(r.has_rule);
}

TEST_F(ResponsibilityTest, NotCoveredHasEmptyPathButStillTheRule) {
  const Responsibility r = responsibility(grids_, kNoCell, "0101");
  EXPECT_TRUE(r.path.empty());
  EXPECT_TRUE(r.has_rule);
  EXPECT_EQ(r.handling_cell, kNoCell);
  EXPECT_EQ(r.grid_worker_cell, kNoCell);
}

TEST(DutyTable, UnknownClassHasNoRule) {
  DutyTable table;
  table.rules.push_back({"04", "", "应急管理局", "street", 1, DeadlineUnit::kUrgentHours});
  EXPECT_EQ(table.find("0501"), nullptr);
  EXPECT_EQ(table.find(""), nullptr);
  ASSERT_NE(table.find("0402"), nullptr);
}

}  // namespace
}  // namespace libgrid
