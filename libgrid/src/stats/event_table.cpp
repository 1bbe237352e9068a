#include "libgrid/stats/event_table.h"

#include <charconv>

#include "libgrid/error.h"

namespace libgrid {
namespace {

Error bad_field(const std::string& source, std::int64_t row, const std::string& field,
                const std::string& what) {
  return Error(ErrorKind::kInvalidInput, Location{source, "", row, field}, what);
}

}  // namespace

LocalMinutes parse_reported_at(std::string_view text, const std::string& source, std::int64_t row,
                               const std::string& field) {
  if (text.empty()) throw bad_field(source, row, field, "no report time");
  const auto t = parse_local_time(text);
  if (!t) {
    throw bad_field(source, row, field,
                    "not a time 'YYYY-MM-DDTHH:MM': '" + std::string(text) + "'");
  }
  return *t;
}

LocalMinutes parse_closed_at(std::string_view text, LocalMinutes reported,
                             const std::string& source, std::int64_t row,
                             const std::string& field) {
  if (text.empty()) return kStillOpen;
  const auto t = parse_local_time(text);
  if (!t) {
    throw bad_field(
        source, row, field,
        "not a time 'YYYY-MM-DDTHH:MM' (empty while open): '" + std::string(text) + "'");
  }
  check_closed_after_reported(reported, *t, source, row, field);
  return *t;
}

std::int32_t parse_reopened(std::string_view text, const std::string& source, std::int64_t row,
                            const std::string& field) {
  if (text.empty()) return 0;
  std::int32_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
    throw bad_field(source, row, field,
                    "not a count of returns for rework (a whole number, 0 or more): '" +
                        std::string(text) + "'");
  }
  return n;
}

void check_closed_after_reported(LocalMinutes reported, LocalMinutes closed,
                                 const std::string& source, std::int64_t row,
                                 const std::string& field) {
  if (closed != kStillOpen && closed < reported) {
    throw bad_field(source, row, field,
                    "closed at " + format_local_time(closed) + ", before it was reported (" +
                        format_local_time(reported) + ")");
  }
}

}  // namespace libgrid
