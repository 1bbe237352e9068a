#include "libgrid/testing/household_drift.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "libgrid/index/cell_index.h"
#include "libgrid/testing/synthetic_street.h"
#include "support/error_of.h"

namespace libgrid::testing {
namespace {

const SyntheticStreet& street() {
  static const SyntheticStreet made = make_synthetic_street(
      {.seed = 1, .units = 2000, .households = 9000, .radius = 700.0, .compounds = 30});
  return made;
}

double total(const std::vector<Unit>& units) {
  double sum = 0.0;
  for (const Unit& u : units) sum += u.weight;
  return sum;
}

// The anchor as the header defines it, worked out here independently.
Point anchor(const std::vector<Unit>& units, Point direction) {
  const double w = total(units);
  Point c{0.0, 0.0};
  for (const Unit& u : units) {
    c.x += u.weight / w * u.location.x;
    c.y += u.weight / w * u.location.y;
  }
  Point far = c;
  double best = -std::numeric_limits<double>::infinity();
  for (const Unit& u : units) {
    const double along = (u.location.x - c.x) * direction.x + (u.location.y - c.y) * direction.y;
    if (along > best) {
      best = along;
      far = u.location;
    }
  }
  return {c.x + 0.7 * (far.x - c.x), c.y + 0.7 * (far.y - c.y)};
}

double spread() {
  const Box e = street().grids.extent();
  return 0.03 * std::hypot(e.max_x - e.min_x, e.max_y - e.min_y);
}

TEST(HouseholdDrift, NewEstateAddsWholeUnitsOfTenInAClusterOnTheGrids) {
  const std::vector<Unit>& before = street().units;
  const std::vector<Unit> after = drift_households(
      street().grids, before, {.kind = HouseholdDrift::kNewEstate, .households = 1234});
  ASSERT_EQ(after.size(), before.size() + 124);  // 123 units of 10 and one of 4
  EXPECT_EQ(total(after), total(before) + 1234);
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].location, before[i].location);
    EXPECT_EQ(after[i].weight, before[i].weight);
  }
  const Point at = anchor(before, {1, 1});
  const CellIndex index(street().grids);
  Point mean{0.0, 0.0};
  for (std::size_t i = before.size(); i < after.size(); ++i) {
    const Unit& u = after[i];
    EXPECT_EQ(u.weight, i + 1 < after.size() ? 10.0 : 4.0);
    EXPECT_NE(index.lookup_level(u.location, 0), kNoCell) << "new unit " << i;
    EXPECT_LT(std::hypot(u.location.x - at.x, u.location.y - at.y), 5 * spread())
        << "new unit " << i;
    mean.x += u.location.x / 124;
    mean.y += u.location.y / 124;
  }
  EXPECT_LT(std::hypot(mean.x - at.x, mean.y - at.y), 0.5 * spread());
  // North-east of the centre.
  const Point other = anchor(before, {-1, -1});
  EXPECT_GT(at.x, other.x);
  EXPECT_GT(at.y, other.y);
}

TEST(HouseholdDrift, DemolitionEmptiesTheNearestUnitsFirst) {
  const std::vector<Unit>& before = street().units;
  const std::vector<Unit> after = drift_households(
      street().grids, before,
      {.kind = HouseholdDrift::kDemolition, .households = 700, .corner_direction = {-1, -1}});
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(total(after), total(before) - 700);
  const Point at = anchor(before, {-1, -1});
  auto distance = [&](const Unit& u) {
    return std::hypot(u.location.x - at.x, u.location.y - at.y);
  };
  double farthest_changed = 0.0, nearest_kept = std::numeric_limits<double>::infinity();
  int partial = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].location, before[i].location);
    EXPECT_LE(after[i].weight, before[i].weight);
    EXPECT_EQ(after[i].weight, std::floor(after[i].weight));
    if (after[i].weight == before[i].weight) {
      nearest_kept = std::min(nearest_kept, distance(before[i]));
    } else {
      farthest_changed = std::max(farthest_changed, distance(before[i]));
      if (after[i].weight > 0.0) ++partial;
    }
  }
  EXPECT_LE(partial, 1);
  EXPECT_LE(farthest_changed, nearest_kept);
}

TEST(HouseholdDrift, DemolitionOfMoreThanThereIsThrows) {
  const Error e = error_of([] {
    drift_households(street().grids, street().units,
                     {.kind = HouseholdDrift::kDemolition, .households = 9001});
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(e.detail().find("9001"), std::string::npos);
  // All of it is fine.
  EXPECT_EQ(total(drift_households(street().grids, street().units,
                                   {.kind = HouseholdDrift::kDemolition, .households = 9000})),
            0.0);
}

TEST(HouseholdDrift, GrowthRoundsEveryUnitToAnExactTotal) {
  const std::vector<Unit>& before = street().units;
  for (double growth : {0.05, 0.013, -0.2}) {
    const std::vector<Unit> after = drift_households(street().grids, before, {.growth = growth});
    ASSERT_EQ(after.size(), before.size());
    EXPECT_EQ(total(after), std::round(9000 * (1 + growth))) << growth;
    for (std::size_t i = 0; i < before.size(); ++i) {
      EXPECT_EQ(after[i].location, before[i].location);
      EXPECT_EQ(after[i].weight, std::floor(after[i].weight));
      EXPECT_LT(std::abs(after[i].weight - before[i].weight * (1 + growth)), 1.0);
    }
  }
}

TEST(HouseholdDrift, SameSeedSameDrift) {
  const HouseholdDriftOptions estate{.kind = HouseholdDrift::kNewEstate, .households = 300};
  HouseholdDriftOptions other = estate;
  other.seed = 2;
  const std::vector<Unit> a = drift_households(street().grids, street().units, estate);
  const std::vector<Unit> b = drift_households(street().grids, street().units, estate);
  const std::vector<Unit> c = drift_households(street().grids, street().units, other);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].location, b[i].location);
    EXPECT_EQ(a[i].weight, b[i].weight);
  }
  EXPECT_NE(a.back().location, c.back().location);
}

TEST(HouseholdDrift, RejectsBadOptionsAndUnits) {
  const GridSet& g = street().grids;
  const std::vector<Unit>& u = street().units;
  auto detail = [](const std::function<void()>& f) { return error_of(f).detail(); };
  EXPECT_NE(detail([&] {
              drift_households(g, u, {.kind = HouseholdDrift::kNewEstate, .households = -1});
            }).find("households"),
            std::string::npos);
  EXPECT_NE(detail([&] { drift_households(g, u, {.growth = -1.0}); }).find("growth"),
            std::string::npos);
  EXPECT_NE(detail([&] {
              drift_households(g, u, {.growth = std::numeric_limits<double>::quiet_NaN()});
            }).find("growth"),
            std::string::npos);
  EXPECT_NE(
      detail([&] {
        drift_households(
            g, u,
            {.kind = HouseholdDrift::kNewEstate, .households = 10, .corner_direction = {0, 0}});
      }).find("corner_direction"),
      std::string::npos);
  EXPECT_NE(detail([&] { drift_households(g, {}, {}); }).find("units"), std::string::npos);
  EXPECT_NE(detail([&] {
              drift_households(g, {{{0, 0}, -1.0}}, {});
            }).find("weight"),
            std::string::npos);
  EXPECT_NE(detail([&] {
              drift_households(GridSet{}, u,
                               {.kind = HouseholdDrift::kNewEstate, .households = 10});
            }).find("levels"),
            std::string::npos);
}

}  // namespace
}  // namespace libgrid::testing
