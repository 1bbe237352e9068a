// Small text helpers shared by the parsers and the messages.
#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

namespace libgrid::internal {

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// ASCII white space (space, \t, \n, \v, \f, \r) whatever the locale: a program embedding
// libgrid (Python among them) may set one, and this runs for every field of a streamed file.
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A number for a message: six significant digits, as "%g" writes them.
inline std::string short_number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace libgrid::internal
