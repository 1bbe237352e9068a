#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "gridtool/gridtool.h"

namespace {

// A standard stream the caller closed (`<&-`, `>&-`, `2>&-`) is held by /dev/null opened the
// other way round: reading or writing it still fails with EBADF, as on the closed descriptor,
// and no file gridtool opens (the grid set, an output) can take its number and be read as the
// points or written over by the summary and the messages.
void hold_closed_standard_streams() {
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // The lowest free number, so `fd` itself: the streams are filled in order.
    (void)::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
  }
}

}  // namespace

int main(int argc, char** argv) {
  hold_closed_standard_streams();
  std::ios::sync_with_stdio(false);
  return gridtool::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
