#include "gridtool/table.h"

#include <cstdio>
#include <ostream>

namespace gridtool {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    // Three- and four-byte sequences here are CJK ideographs and punctuation: two columns.
    width += length >= 3 ? 2 : 1;
    i += length;
  }
  return width;
}

namespace {
// Counts are printed comma-grouped, so a bare run of six or more digits is a code (an
// identifier, left-aligned), not a quantity.
bool is_numeric(const std::string& s) {
  if (s.empty()) return false;
  if (s.size() >= 6 && s.find_first_not_of("0123456789") == std::string::npos) return false;
  for (char c : s) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == '-' ||
          c == '%')) {
      return false;
    }
  }
  return true;
}
}  // namespace

void Table::print(std::ostream& out) const {
  const std::size_t columns = header_.size();
  std::vector<std::size_t> width(columns, 0);
  std::vector<bool> numeric(columns, !rows_.empty());
  for (std::size_t c = 0; c < columns; ++c) width[c] = display_width(header_[c]);
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
      width[c] = std::max(width[c], display_width(row[c]));
      if (!row[c].empty() && !is_numeric(row[c])) numeric[c] = false;
    }
  }
  for (const std::size_t c : text_columns_) {
    if (c < columns) numeric[c] = false;
  }
  auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    std::string text;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      const std::string pad(width[c] - display_width(cell), ' ');
      if (c) text += "  ";
      text += numeric[c] && !is_header ? pad + cell : cell + (c + 1 < columns ? pad : "");
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(header_, true);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < columns; ++c) rule.emplace_back(width[c], '-');
  line(rule, true);
  for (const auto& row : rows_) line(row, false);
}

std::string format_count(long long n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string text = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return format_count(static_cast<long long>(n)) + " " + (n == 1 ? one : many);
}

std::string format_percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", share * 100.0);
  return buffer;
}

std::string format_measure(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace gridtool
