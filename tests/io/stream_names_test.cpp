#include "libgrid/io/stream_names.h"

#include <gtest/gtest.h>

namespace libgrid {
namespace {

TEST(StreamNames, DashIsNamedByItsStreamOtherPathsAsGiven) {
  EXPECT_EQ(input_name("-"), "standard input");
  EXPECT_EQ(output_name("-"), "standard output");
  EXPECT_EQ(input_name("events.csv"), "events.csv");
  EXPECT_EQ(output_name("/dev/stdout"), "/dev/stdout");
  EXPECT_EQ(input_name("./-"), "./-");
}

}  // namespace
}  // namespace libgrid
