#include "libgrid/thread_count.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "libgrid/error.h"
#include "support/error_of.h"

namespace libgrid {
namespace {

TEST(WorkerCount, PositiveIsTakenAsGiven) {
  EXPECT_EQ(worker_count(1), 1u);
  EXPECT_EQ(worker_count(7), 7u);
}

TEST(WorkerCount, ZeroIsEveryCore) {
  EXPECT_EQ(worker_count(0), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(WorkerCount, NegativeIsRefusedNamingTheOption) {
  const Error e = testing::error_of([] { worker_count(-1); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().option, "threads");
  EXPECT_STREQ(e.what(),
               "option threads: must be a whole number from 0 to 4096 (0: every core), not -1");
  EXPECT_EQ(e.message(spell_cli_option),
            "--threads: must be a whole number from 0 to 4096 (0: every core), not -1");
  EXPECT_EQ(e.message(spell_python_option),
            "threads=: must be a whole number from 0 to 4096 (0: every core), not -1");
}

TEST(WorkerCount, MoreThanTheMostIsRefused) {
  EXPECT_EQ(worker_count(kMaxThreads), static_cast<unsigned>(kMaxThreads));
  const Error e = testing::error_of([] { worker_count(kMaxThreads + 1); });
  EXPECT_EQ(e.message(spell_cli_option),
            "--threads: must be a whole number from 0 to 4096 (0: every core), not 4097");
}

}  // namespace
}  // namespace libgrid
