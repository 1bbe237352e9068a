// The `threads` option every parallel verb takes (lookups, assign, stats): how many workers it
// means, and the one error for a count that means nothing.
#pragma once

namespace libgrid {

// The most workers a verb takes: more than any machine has cores, few enough that a mistyped
// count cannot start millions of threads.
inline constexpr int kMaxThreads = 4096;

// Workers for `threads`: n > 0 is n, 0 is every core (at least one). Error(kInvalidInput,
// option "threads") for a count below 0 or above kMaxThreads, the same from C++, gridtool and
// Python.
unsigned worker_count(int threads);

}  // namespace libgrid
