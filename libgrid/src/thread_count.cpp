#include "libgrid/thread_count.h"

#include <algorithm>
#include <string>
#include <thread>

#include "libgrid/error.h"

namespace libgrid {

unsigned worker_count(int threads) {
  if (threads < 0 || threads > kMaxThreads) {
    throw Error(ErrorKind::kInvalidInput, Location{.option = "threads"},
                "must be a whole number from 0 to " + std::to_string(kMaxThreads) +
                    " (0: every core), not " + std::to_string(threads));
  }
  if (threads > 0) return static_cast<unsigned>(threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace libgrid
