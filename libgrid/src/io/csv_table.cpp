#include "libgrid/io/csv_table.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include <zlib.h>

#include "internal/text.h"
#include "libgrid/error.h"

namespace libgrid {

namespace {

// Splits RFC 4180 text into records. Completely empty lines are skipped, so a trailing newline
// or a blank line at the end is not a record.
class RecordReader {
 public:
  RecordReader(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  // Reads the next record into `fields`; false at the end of the text. `record` numbers the
  // records read so far (0 = the header) for messages.
  bool next(std::vector<std::string>& fields, std::int64_t record) {
    fields.clear();
    while (pos_ < text_.size() && at_line_end()) skip_line_end();
    if (pos_ >= text_.size()) return false;
    for (;;) {
      fields.push_back(read_field(record));
      if (pos_ >= text_.size()) return true;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      skip_line_end();  // read_field stops only at a comma, a line end or the end
      return true;
    }
  }

 private:
  bool at_line_end() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }
  void skip_line_end() { pos_ += text_[pos_] == '\r' ? 2 : 1; }

  std::string read_field(std::int64_t record) {
    std::string field;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size()) fail(record, "unterminated quoted field");
        const char c = text_[pos_++];
        if (c != '"') {
          field += c;
        } else if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';
          ++pos_;
        } else {
          break;
        }
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
        fail(record, "unexpected character after a closing quote");
      }
      return field;
    }
    while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      if (text_[pos_] == '"') fail(record, "a quote inside an unquoted field");
      field += text_[pos_++];
    }
    return field;
  }

  [[noreturn]] void fail(std::int64_t record, const std::string& what) const {
    if (record == 0) throw Error(ErrorKind::kInvalidInput, Location{path_}, "header: " + what);
    throw Error(ErrorKind::kInvalidInput, Location{path_, "", record, ""}, what);
  }

  std::string_view text_;
  const std::string& path_;
  std::size_t pos_ = 0;
};

}  // namespace

namespace {

// A gzip-compressed file, whole; truncation and corruption are errors, not a short read.
std::string read_gzip(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw Error(ErrorKind::kIo, Location{.file = path},
                std::string("cannot open: ") + std::strerror(errno));
  }
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(n));
  int status = Z_OK;
  const char* message = gzerror(file, &status);
  const std::string reason = message != nullptr ? message : "";
  gzclose(file);
  if (n < 0 || (status != Z_OK && status != Z_STREAM_END)) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "truncated or corrupted gzip data (" + reason + ")");
  }
  return text;
}

}  // namespace

CsvTable CsvTable::read(const std::string& path) {
  if (path.ends_with(".gz")) return parse(read_gzip(path), path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kIo, Location{path},
                std::string("cannot open: ") + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::kIo, Location{path}, "cannot read");
  return parse(text.str(), path);
}

CsvTable CsvTable::parse(std::string_view text, const std::string& path_for_errors) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  CsvTable table;
  table.path_ = path_for_errors;
  RecordReader reader(text, table.path_);
  if (!reader.next(table.header_, 0)) {
    throw Error(ErrorKind::kInvalidInput, Location{table.path_}, "no header row");
  }
  std::vector<std::string> fields;
  for (std::int64_t row = 1; reader.next(fields, row); ++row) {
    if (fields.size() != table.header_.size()) {
      throw Error(ErrorKind::kInvalidInput, Location{table.path_, "", row, ""},
                  "has " + std::to_string(fields.size()) + " fields, the header has " +
                      std::to_string(table.header_.size()));
    }
    table.rows_.push_back(std::move(fields));
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
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    throw Error(ErrorKind::kInvalidInput, where, "not a number: '" + std::string(text) + "'");
  }
  return value;
}

double CsvTable::coordinate(std::size_t i, int column) const {
  if (internal::trim(rows_[i][static_cast<std::size_t>(column)]).empty()) return std::nan("");
  return number(i, column);
}

void append_csv_field(std::string& line, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
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
