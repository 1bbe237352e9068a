#include "gridtool/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>

namespace gridtool {

Progress::Progress(std::ostream& err, std::string label, std::size_t total, bool enabled, Unit unit)
    : err_(err),
      label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      unit_(unit),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

void Progress::update(std::size_t done) {
  done_ = done;
  if (!enabled_ || (total_ == 0 && !open_ended_)) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1)) return;
  if (shown_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  shown_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = static_cast<double>(done) / seconds;
  if (open_ended_) {
    char figures[64];
    if (unit_ == kBytes) {
      // kB below a megabyte: a slow pipe would read "0 MB/s".
      const auto size = [](double bytes) {
        char text[32];
        std::snprintf(text, sizeof text, bytes < 1e6 ? "%.0f kB" : "%.0f MB",
                      bytes < 1e6 ? bytes / 1e3 : bytes / 1e6);
        return std::string(text);
      };
      std::snprintf(figures, sizeof figures, "%s, %s/s  ", size(static_cast<double>(done)).c_str(),
                    size(rate).c_str());
    } else {
      std::snprintf(figures, sizeof figures, "%zu, %.0f/s  ", done, rate);
    }
    err_ << '\r' << label_ << ' ' << figures << std::flush;
    return;
  }
  constexpr int kWidth = 30;
  const double share = static_cast<double>(done) / static_cast<double>(total_);
  const int filled = std::min(kWidth, static_cast<int>(share * kWidth));
  const double left = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
  char figures[96];
  if (unit_ == kBytes) {
    std::snprintf(figures, sizeof figures, "%.0f/%.0f MB, %.0f MB/s, %.0f s left  ",
                  static_cast<double>(done) / 1e6, static_cast<double>(total_) / 1e6, rate / 1e6,
                  left);
  } else {
    std::snprintf(figures, sizeof figures, "%zu/%zu, %.0f/s, %.0f s left  ", done, total_, rate,
                  left);
  }
  err_ << '\r' << label_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
       << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] "
       << static_cast<int>(share * 100) << "% (" << figures << ')' << std::flush;
}

void Progress::finish() {
  if (!shown_) return;
  update(open_ended_ ? done_ : total_);
  err_ << '\n';
  shown_ = false;
}

}  // namespace gridtool
