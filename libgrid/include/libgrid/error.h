// libgrid's error policy.
//
// Every failure a caller can cause (bad files, bad geometry, bad arguments) is reported as a
// libgrid::Error. Its message names where the problem is, most general first:
//
//   FILE: layer LAYER: feature N: field FIELD: option OPTION: what is wrong
//
// with the parts that do not apply left out. An option (an argument the caller chose: a level
// name, a tolerance, a thread count) is named face-neutrally, in snake_case ("crs",
// "beidou_level"), and each face spells it its own way when it prints the message: what() says
// "option crs", the gridtool command line "--crs" (message(spell_cli_option)), the Python module
// "crs=". The command line prints the message as one line on stderr and exits with status 2; the
// Python module raises ValueError (kind kInvalidInput) or OSError (kind kIo) with it.
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
  std::string option{};  // face-neutral snake_case name of the caller's option at fault
};

// How a face spells an option's face-neutral name, e.g. "beidou_level" -> "--beidou-level".
using OptionSpelling = std::string (*)(std::string_view option);
// "option beidou_level": the C++ spelling, the one what() uses.
std::string spell_cpp_option(std::string_view option);
// "--beidou-level": gridtool's spelling.
std::string spell_cli_option(std::string_view option);
// "beidou_level=": the Python module's spelling (a keyword argument).
std::string spell_python_option(std::string_view option);

// "FILE: layer LAYER: feature N: field F: OPTION" with the parts that apply, the option spelled
// by `spell`; empty if none apply.
std::string describe(const Location& where, OptionSpelling spell = spell_cpp_option);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const Location& where, const std::string& detail);
  Error(ErrorKind kind, const std::string& detail) : Error(kind, Location{}, detail) {}

  ErrorKind kind() const { return kind_; }
  const Location& where() const { return where_; }
  // The message without the location prefix.
  const std::string& detail() const { return detail_; }
  // The whole message with the option spelled by `spell`; what() is message(spell_cpp_option).
  std::string message(OptionSpelling spell) const;

 private:
  ErrorKind kind_;
  Location where_;
  std::string detail_;
};

}  // namespace libgrid
