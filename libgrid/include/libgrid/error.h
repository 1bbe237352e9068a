// libgrid's error policy.
//
// Every failure a caller can cause (bad files, bad geometry, bad arguments) is reported as a
// libgrid::Error. Its message names where the problem is, most general first:
//
//   FILE: layer LAYER: feature N: field FIELD: what is wrong
//
// with the parts that do not apply left out. The gridtool command line prints exactly this
// message as one line on stderr and exits with status 2; the Python module raises ValueError
// (kind kInvalidInput) or OSError (kind kIo) with the same text.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace libgrid {

enum class ErrorKind {
  kInvalidInput,  // the input is readable but wrong: geometry, fields, values, arguments
  kIo,            // a file cannot be opened, read or written
};

// Where in the input a problem was found. Empty strings and a negative feature mean "not
// applicable". `feature` is the feature id in a layer, the 1-based data row in a CSV file, or
// the 0-based row position in a data frame, which messages then call a row (`feature_word`).
struct Location {
  std::string file{};
  std::string layer{};
  std::int64_t feature = -1;
  std::string field{};
  std::string_view feature_word = "feature";  // a string literal: "feature" or "row"
};

// "FILE: layer LAYER: feature N: field F" with the parts that apply; empty if none do.
std::string describe(const Location& where);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const Location& where, const std::string& detail);
  Error(ErrorKind kind, const std::string& detail) : Error(kind, Location{}, detail) {}

  ErrorKind kind() const { return kind_; }
  const Location& where() const { return where_; }
  // The message without the location prefix.
  const std::string& detail() const { return detail_; }

 private:
  ErrorKind kind_;
  Location where_;
  std::string detail_;
};

}  // namespace libgrid
