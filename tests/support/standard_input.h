// Standard input fed from a pipe for the life of the object, for tests of readers given "-".
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

namespace libgrid::testing {

class StandardInputFrom {
 public:
  // A thread writes `bytes` into the pipe, `piece` bytes at a time (so that a reader meets
  // short reads), `pause` after each, then closes it: the reader sees a pipe of unknown size
  // and its end.
  explicit StandardInputFrom(std::string bytes, std::size_t piece = 1 << 16,
                             std::chrono::milliseconds pause = {})
      : bytes_(std::move(bytes)), saved_(::dup(STDIN_FILENO)) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) return;
    ::dup2(ends[0], STDIN_FILENO);
    ::close(ends[0]);
    writer_ = std::thread([this, end = ends[1], piece, pause] {
      // A reader that stops early makes the write fail with EPIPE, not end the tests.
      sigset_t pipe_signal;
      sigemptyset(&pipe_signal);
      sigaddset(&pipe_signal, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
      for (std::size_t at = 0; at < bytes_.size();) {
        const ssize_t n = ::write(end, bytes_.data() + at, std::min(piece, bytes_.size() - at));
        if (n <= 0) break;  // the reader stopped early and closed its end
        at += static_cast<std::size_t>(n);
        std::this_thread::sleep_for(pause);
      }
      ::close(end);
    });
  }
  ~StandardInputFrom() {
    // The reading end goes first, so that a writer blocked on a full pipe ends.
    ::dup2(saved_, STDIN_FILENO);
    ::close(saved_);
    if (writer_.joinable()) writer_.join();
  }
  StandardInputFrom(const StandardInputFrom&) = delete;
  StandardInputFrom& operator=(const StandardInputFrom&) = delete;

 private:
  std::string bytes_;
  int saved_;
  std::thread writer_;
};

}  // namespace libgrid::testing
