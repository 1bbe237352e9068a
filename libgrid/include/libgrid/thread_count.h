// The `threads` option every parallel verb takes (lookups, assign, stats): how many workers it
// means, and the one error for a count that means nothing.
#pragma once

namespace libgrid {

// Workers for `threads`: n > 0 is n, 0 is every core (at least one). Error(kInvalidInput,
// option "threads") for a negative count, the same from C++, gridtool and Python.
unsigned worker_count(int threads);

}  // namespace libgrid
