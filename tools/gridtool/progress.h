// A progress bar on stderr for long work: it appears only when stderr is a terminal and the work
// has already taken a second, so short runs and logs stay clean.
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace gridtool {

class Progress {
 public:
  enum Unit { kItems, kBytes };

  // `enabled` false (--no-progress, or not a terminal) makes every call a no-op. The bar shows
  // the share done, the rate and the time left.
  Progress(std::ostream& err, std::string label, std::size_t total, bool enabled,
           Unit unit = kItems);
  ~Progress();

  void update(std::size_t done);
  // For work whose size is known only once it started (e.g. a file's).
  void set_total(std::size_t total) { total_ = total; }
  // For work whose size is not known at all (a pipe): shows what is done and the rate.
  void set_open_ended() { open_ended_ = true; }
  void finish();

  // True when stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  std::ostream& err_;
  std::string label_;
  std::size_t total_;
  bool enabled_;
  Unit unit_;
  bool open_ended_ = false;
  bool shown_ = false;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace gridtool
