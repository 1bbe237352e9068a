#include "libgrid/io/csv_table.h"

#include <charconv>
#include <cmath>

#include "internal/text.h"
#include "io/csv_records.h"
#include "io/input_file.h"
#include "libgrid/error.h"

namespace libgrid {

CsvTable CsvTable::read(const std::string& path) {
  internal::InputFile file(path);
  return parse(file.read_all(), file.name());
}

CsvTable CsvTable::parse(std::string_view text, const std::string& path_for_errors) {
  text.remove_prefix(internal::check_csv_start(text.substr(0, 1 << 16), path_for_errors));

  CsvTable table;
  table.path_ = path_for_errors;
  internal::CsvRecords records(text, table.path_, 0);
  std::vector<std::string_view> fields;
  if (!records.next(fields)) {
    throw Error(ErrorKind::kInvalidInput, Location{table.path_}, "no header row");
  }
  table.header_.assign(fields.begin(), fields.end());
  records.name_fields(table.header_);
  while (records.next(fields)) {
    if (fields.size() != table.header_.size()) {
      throw Error(ErrorKind::kInvalidInput, Location{table.path_, "", records.record(), ""},
                  internal::field_count_message(fields.size(), table.header_.size()));
    }
    table.rows_.emplace_back(fields.begin(), fields.end());
  }
  return table;
}

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int CsvTable::require_column(std::string_view name) const {
  const int index = column(name);
  if (index < 0) {
    throw Error(ErrorKind::kInvalidInput, Location{path_, "", -1, std::string(name)},
                "missing column");
  }
  return index;
}

double CsvTable::number(std::size_t i, int column) const {
  const std::string& raw = rows_[i][static_cast<std::size_t>(column)];
  const Location where{path_, "", static_cast<std::int64_t>(i) + 1,
                       header_[static_cast<std::size_t>(column)]};
  std::string_view text = internal::trim(raw);
  if (text.empty()) throw Error(ErrorKind::kInvalidInput, where, "empty, expected a number");
  // from_chars, unlike strtod, ignores the C locale; it only lacks strtod's leading '+'.
  std::string_view digits = text;
  if (digits.starts_with('+') && !digits.starts_with("+-")) digits.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    throw Error(ErrorKind::kInvalidInput, where, "not a number: '" + std::string(text) + "'");
  }
  if (!std::isfinite(value)) {
    throw Error(ErrorKind::kInvalidInput, where,
                "not a finite number: '" + std::string(text) + "'");
  }
  return value;
}

double CsvTable::coordinate(std::size_t i, int column) const {
  if (internal::trim(rows_[i][static_cast<std::size_t>(column)]).empty()) return std::nan("");
  return number(i, column);
}

void append_csv_field(std::string& line, std::string_view field) {
  // A plain loop: find_first_of would call memchr once per character.
  bool plain = true;
  for (const char c : field) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      plain = false;
      break;
    }
  }
  if (plain) {
    line += field;
    return;
  }
  line += '"';
  for (const char c : field) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

}  // namespace libgrid
