// Events as the evaluation (考核) reads them: where and when each was reported, its class, and,
// when known, when it was closed and how often it was returned for rework. Columns, not rows, so
// that a million events cost a few flat arrays.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/duty/deadline.h"

namespace libgrid {

// closed_at of an event still open.
inline constexpr LocalMinutes kStillOpen = std::numeric_limits<LocalMinutes>::min();

struct EventTable {
  std::string source{};                 // the file (or frame) named in messages
  std::vector<std::string> event_id{};  // empty when the source has no ids
  std::vector<double> x{}, y{};
  std::vector<std::string> event_class{};
  std::vector<LocalMinutes> reported_at{};
  std::vector<LocalMinutes> closed_at{};  // kStillOpen while open; empty when never known
  std::vector<std::int32_t> reopened{};   // returns for rework; empty when never known

  std::size_t size() const { return x.size(); }
};

// The fields of one event row, read with the same rules wherever events come from. Each throws
// Error(kInvalidInput) naming `source`, the 1-based `row` and `field`:
// a report time that is missing or not "YYYY-MM-DDTHH:MM[:SS]",
LocalMinutes parse_reported_at(std::string_view text, const std::string& source, std::int64_t row,
                               const std::string& field);
// a closing time that is not a time (empty is kStillOpen), or is before `reported`,
LocalMinutes parse_closed_at(std::string_view text, LocalMinutes reported,
                             const std::string& source, std::int64_t row, const std::string& field);
// a rework count that is not a whole number >= 0 (empty is 0).
std::int32_t parse_reopened(std::string_view text, const std::string& source, std::int64_t row,
                            const std::string& field);

// closed_at before reported_at, checked for events given as times rather than text.
// Throws Error(kInvalidInput) naming `source`, the 1-based row and `field`.
void check_closed_after_reported(LocalMinutes reported, LocalMinutes closed,
                                 const std::string& source, std::int64_t row,
                                 const std::string& field);

}  // namespace libgrid
