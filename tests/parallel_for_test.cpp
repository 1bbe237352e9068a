#include "libgrid/parallel_for.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/thread_count.h"
#include "support/error_of.h"

namespace libgrid {
namespace {

struct Split {
  std::vector<std::pair<std::size_t, std::size_t>> pieces;  // in order of begin
  std::set<std::thread::id> threads;
};

Split split(std::size_t n, int threads, std::size_t min_piece) {
  Split r;
  std::mutex m;
  parallel_for(n, threads, min_piece, [&](std::size_t begin, std::size_t end) {
    const std::lock_guard lock(m);
    r.pieces.emplace_back(begin, end);
    r.threads.insert(std::this_thread::get_id());
  });
  std::sort(r.pieces.begin(), r.pieces.end());
  return r;
}

TEST(ParallelFor, PiecesCoverTheRangeOnceAndAreNoShorterThanAsked) {
  for (const std::size_t n : {1, 2, 3, 7, 100, 4095, 8192, 8193, 28673, 100000}) {
    for (const std::size_t min_piece : {1, 3, 4096}) {
      for (const int threads : {1, 2, 3, 7, 0}) {
        const Split r = split(n, threads, min_piece);
        SCOPED_TRACE(::testing::Message()
                     << "n " << n << " min_piece " << min_piece << " threads " << threads);
        ASSERT_FALSE(r.pieces.empty());
        std::size_t next = 0;
        for (const auto& [begin, end] : r.pieces) {
          EXPECT_EQ(begin, next);
          EXPECT_LT(begin, end);
          if (n >= min_piece) {
            EXPECT_GE(end - begin, min_piece);
          }
          next = end;
        }
        EXPECT_EQ(next, n);
        EXPECT_LE(r.threads.size(), worker_count(threads));
      }
    }
  }
}

TEST(ParallelFor, EveryIndexGetsTheSameAnswerOnAnyNumberOfThreads) {
  const std::size_t n = 50000;
  const auto answers = [n](int threads) {
    std::vector<std::size_t> out(n, 0);
    parallel_for(n, threads, 1000, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) out[i] = i * i % 7919;
    });
    return out;
  };
  const std::vector<std::size_t> one = answers(1);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(one[i], i * i % 7919);
  for (const int threads : {2, 3, 7, 0}) EXPECT_EQ(answers(threads), one) << threads;
}

TEST(ParallelFor, OneThreadOrASmallBatchRunsWholeOnTheCallingThread) {
  for (const auto& [n, threads] : {std::pair<std::size_t, int>{100000, 1}, {8191, 7}}) {
    const Split r = split(n, threads, 4096);
    ASSERT_EQ(r.pieces.size(), 1u);
    EXPECT_EQ(r.pieces[0], std::make_pair(std::size_t{0}, n));
    EXPECT_EQ(*r.threads.begin(), std::this_thread::get_id());
  }
}

TEST(ParallelFor, ALargeBatchIsSplitWhenThreadsAreAsked) {
  // Only the split is promised: the pieces may all run on one thread.
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one core: nothing to split for";
  EXPECT_GE(split(100000, 2, 4096).pieces.size(), 2u);
}

TEST(ParallelFor, NothingToDoCallsNothing) {
  bool called = false;
  parallel_for(0, 3, 1, [&](std::size_t, std::size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelFor, AnExceptionInAPieceReachesTheCaller) {
  for (const int threads : {1, 2, 7}) {
    EXPECT_THROW(parallel_for(70000, threads, 4096,
                              [](std::size_t begin, std::size_t end) {
                                if (begin <= 50000 && 50000 < end) {
                                  throw std::runtime_error("piece of 50000");
                                }
                              }),
                 std::runtime_error)
        << threads;
  }
}

TEST(ParallelFor, NegativeThreadsAreRefusedAsByWorkerCount) {
  const Error e =
      testing::error_of([] { parallel_for(0, -2, 1, [](std::size_t, std::size_t) {}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().option, "threads");
  EXPECT_STREQ(e.what(),
               "option threads: must be a whole number from 0 to 4096 (0: every core), not -2");
}

}  // namespace
}  // namespace libgrid
