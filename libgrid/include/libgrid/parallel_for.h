// Data-parallel loops over a batch: the one place where libgrid splits work over threads, so
// that the `threads` option means the same in every verb and every face (see thread_count.h).
// Built on oneTBB's parallel_for, which stays a private dependency: nothing of it is seen here.
#pragma once

#include <cstddef>
#include <functional>

namespace libgrid {

// Calls body(begin, end) on disjoint, contiguous, non-empty pieces that together cover [0, n),
// on up to worker_count(threads) threads (the calling thread among them, and never more than
// the cores TBB may use), and returns when every piece is done. No piece is shorter than
// `min_piece` unless n is: a batch under two pieces' worth runs whole on the calling thread,
// where a thread would cost more than it saves. Which piece an index falls in depends on the
// thread count, so a body whose answer for an index depends on that index only gives the same
// results for any count. Nothing promises that two pieces run at the same time.
// An exception thrown by body is rethrown here (one of them, when several pieces throw; pieces
// not yet started are skipped). Error(kInvalidInput, option "threads") for a negative count,
// as worker_count, whatever n.
void parallel_for(std::size_t n, int threads, std::size_t min_piece,
                  const std::function<void(std::size_t begin, std::size_t end)>& body);

}  // namespace libgrid
