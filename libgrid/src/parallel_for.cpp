#include "libgrid/parallel_for.h"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "libgrid/thread_count.h"

namespace libgrid {

void parallel_for(std::size_t n, int threads, std::size_t min_piece,
                  const std::function<void(std::size_t begin, std::size_t end)>& body) {
  min_piece = std::max<std::size_t>(1, min_piece);
  std::size_t workers = worker_count(threads);
  if (n == 0) return;
  // More threads than TBB may run (the cores, or a tbb::global_control of the program's) would
  // only make TBB warn on stderr.
  workers =
      std::min({workers, n / min_piece,
                tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)});
  if (workers <= 1) {
    body(0, n);
    return;
  }
  // One piece per worker, as even as TBB splits: the lookups sort each piece's points, and the
  // smaller pieces a work-stealing split makes lose that order (the city's batch: 25 -> 13 M/s
  // on 2 threads).
  tbb::task_arena arena(static_cast<int>(workers));
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, min_piece),
        [&body](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); },
        tbb::static_partitioner());
  });
}

}  // namespace libgrid
