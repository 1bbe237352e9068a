#include "libgrid/testing/synthetic_street.h"

#include <gtest/gtest.h>

#include <cmath>

#include "libgrid/geometry/predicates.h"
#include "libgrid/validate/validate.h"
#include "support/error_of.h"

namespace libgrid::testing {
namespace {

SyntheticStreetOptions small(std::uint64_t seed = 1) {
  return {.seed = seed, .units = 2000, .households = 9000, .radius = 700.0, .compounds = 30};
}

TEST(SyntheticStreet, UnitsInsideCarryEveryHouseholdOnce) {
  const SyntheticStreet s = make_synthetic_street(small());
  ASSERT_EQ(s.grids.levels(), std::vector<std::string>{"street"});
  ASSERT_EQ(s.grids.size(), 1u);
  const Cell& street = s.grids.cell(0);
  EXPECT_EQ(street.households, 9000);
  EXPECT_TRUE(validate(s.grids).problems.empty());
  ASSERT_EQ(s.units.size(), 2000u);
  double total = 0.0, heaviest = 0.0;
  for (const Unit& u : s.units) {
    EXPECT_TRUE(holds(street.geometry, u.location));
    EXPECT_GE(u.weight, 1.0);
    EXPECT_EQ(u.weight, std::floor(u.weight));
    total += u.weight;
    heaviest = std::max(heaviest, u.weight);
  }
  EXPECT_EQ(total, 9000.0);
  EXPECT_LT(heaviest, 30.0) << "a micro-grid of 30-50 households can hold any unit";
}

TEST(SyntheticStreet, RoadsCrossTheStreetAndSideStreetsStartInIt) {
  const SyntheticStreet s = make_synthetic_street(small());
  const Box b = envelope(s.grids.cell(0).geometry);
  // Arterials both ways every 450 m over 1.4 x the radius each side, the river, side streets.
  const int arterials = 2 * (2 * static_cast<int>(std::floor(1.4 * 700.0 / 450.0)) + 1);
  ASSERT_EQ(s.roads.size(), static_cast<std::size_t>(arterials + 1 + 80));
  for (int r = 0; r <= arterials; ++r) {
    const Barrier& road = s.roads[static_cast<std::size_t>(r)];
    const Box reach = [&] {
      Box e;
      for (const Point& p : road) e.expand(p);
      return e;
    }();
    EXPECT_TRUE(reach.min_x < b.min_x || reach.min_y < b.min_y) << "road " << r;
    EXPECT_TRUE(reach.max_x > b.max_x || reach.max_y > b.max_y) << "road " << r;
  }
  for (std::size_t r = static_cast<std::size_t>(arterials) + 1; r < s.roads.size(); ++r) {
    EXPECT_TRUE(holds(s.grids.cell(0).geometry, s.roads[r].front())) << "side street " << r;
  }
}

TEST(SyntheticStreet, SameSeedSameStreet) {
  const SyntheticStreet a = make_synthetic_street(small(3));
  const SyntheticStreet b = make_synthetic_street(small(3));
  const SyntheticStreet c = make_synthetic_street(small(4));
  EXPECT_EQ(a.grids.cell(0).geometry.polygons[0].rings, b.grids.cell(0).geometry.polygons[0].rings);
  ASSERT_EQ(a.units.size(), b.units.size());
  for (std::size_t i = 0; i < a.units.size(); ++i) {
    EXPECT_EQ(a.units[i].location, b.units[i].location);
    EXPECT_EQ(a.units[i].weight, b.units[i].weight);
  }
  EXPECT_EQ(a.roads, b.roads);
  EXPECT_NE(a.units[0].location, c.units[0].location);
}

TEST(SyntheticStreet, RejectsOptionsOutsideTheirRequirements) {
  EXPECT_NE(error_of([] { make_synthetic_street({.units = 0}); }).detail().find("units"),
            std::string::npos);
  EXPECT_NE(error_of([] { make_synthetic_street({.units = 10, .households = 9}); })
                .detail()
                .find("households"),
            std::string::npos);
  EXPECT_NE(error_of([] { make_synthetic_street({.radius = -1}); }).detail().find("radius"),
            std::string::npos);
}

}  // namespace
}  // namespace libgrid::testing
