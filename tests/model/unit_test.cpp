#include "libgrid/model/unit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "libgrid/error.h"
#include "support/error_of.h"

namespace libgrid {
namespace {

using testing::error_of;

TEST(Workload, AcceptsFiniteWeightsAndLines) {
  EXPECT_NO_THROW(check_workload({{{0, 0}, 0.0}, {{1, 1}, 2.5}}, {{{0, 0}, {1, 1}}}));
  EXPECT_NO_THROW(check_workload({}, {}));
  const double most = std::numeric_limits<double>::max();
  EXPECT_NO_THROW(check_workload({{{0, 0}, most / 2}, {{1, 1}, most / 2}}, {}));
}

TEST(Workload, NamesTheFirstUnitOrBarrierAtFault) {
  const double nan = std::nan("");
  EXPECT_EQ(error_of([&] {
              check_workload({{{0, 0}, 1}, {{nan, 0}, 1}}, {});
            }).detail(),
            "unit 2 has no finite location");
  EXPECT_EQ(error_of([] {
              check_workload({{{0, 0}, -1}}, {});
            }).detail(),
            "unit 1 has weight -1: weights must be finite and not negative");
  EXPECT_EQ(error_of([] {
              check_workload({{{0, 0}, 1e308}, {{1, 1}, 1e308}}, {});
            }).detail(),
            "unit 2 takes the total weight past the largest number a double holds");
  EXPECT_EQ(error_of([] {
              check_workload({}, {{{0, 0}, {1, 1}}, {{2, 2}}});
            }).detail(),
            "barrier 2 is not a line (fewer than 2 points)");
  const Error e = error_of([&] { check_workload({}, {{{0, 0}, {nan, 1}}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.detail(), "barrier 1 has a coordinate that is not finite");
}

}  // namespace
}  // namespace libgrid
