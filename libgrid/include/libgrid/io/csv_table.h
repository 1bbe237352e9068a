// A small, strict CSV reader (RFC 4180: commas, double-quoted fields, "" escapes, CRLF or LF,
// an optional UTF-8 byte-order mark) for rosters, duty tables and point files, plain or gzip'd.
// UTF-16 and CR-only line ends are refused, saying so. Whole files; gridtool assign streams the
// same records in chunks (libgrid/assign/assign_csv.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace libgrid {

class CsvTable {
 public:
  // Reads the whole file ("-": standard input), through gzip when its first bytes are gzip's,
  // whatever its name. Throws Error(kIo) when it cannot be read, Error(kInvalidInput) on damaged
  // gzip data, a ".gz" name on data that is not gzip, an unterminated quote, a row with a
  // different number of fields than the header, or no header.
  static CsvTable read(const std::string& path);
  static CsvTable parse(std::string_view text, const std::string& path_for_errors);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t row_count() const { return rows_.size(); }
  const std::vector<std::string>& row(std::size_t i) const { return rows_[i]; }

  // Index of a column by exact name, or -1.
  int column(std::string_view name) const;
  // Index of a column by exact name; throws Error(kInvalidInput) naming the file and field.
  int require_column(std::string_view name) const;

  // The value in row i (0-based) as a finite double; throws Error(kInvalidInput) naming the
  // file, the 1-based data row and the field when it is empty or not a finite number.
  double number(std::size_t i, int column) const;
  // Like number(), but an empty (or blank) value is NaN: a point without coordinates.
  double coordinate(std::size_t i, int column) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Writes one CSV field, quoted when it needs to be.
void append_csv_field(std::string& line, std::string_view field);

}  // namespace libgrid
