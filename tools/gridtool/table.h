// Plain-text tables for the summaries gridtool prints, aligned for a terminal (CJK characters
// count as two columns).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace gridtool {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Marks a column of names: left-aligned even when every value is a placeholder ("-").
  void text_column(std::size_t column) { text_columns_.push_back(column); }
  // Columns whose every value is a number (or "-") are right-aligned.
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::size_t> text_columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text in terminal columns.
std::size_t display_width(const std::string& text);

std::string format_count(long long n);  // 12345 -> "12,345"
// The count and the noun: (1, "cell", "cells") -> "1 cell", (12345, ...) -> "12,345 cells".
std::string plural(std::size_t n, const std::string& one, const std::string& many);
std::string format_percent(double share);  // 0.1234 -> "12.3%"
// Six significant digits, for areas and lengths from square metres to square degrees.
std::string format_measure(double v);  // 0.000123456789 -> "0.000123457"

}  // namespace gridtool
