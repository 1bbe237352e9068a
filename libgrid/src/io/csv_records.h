// The one CSV parser (RFC 4180: commas, double-quoted fields with "" escapes and line ends
// inside, LF or CRLF line ends), used by CsvTable for whole files and by the streaming reader
// for chunks of whole records.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace libgrid::internal {

class CsvRecords {
 public:
  // `text` holds whole records. `path` and `first_record` (the number of the first record:
  // 0 for the header) are for messages.
  CsvRecords(std::string_view text, const std::string& path, std::int64_t first_record)
      : text_(text), path_(path), record_(first_record - 1) {}

  // Names the fields in messages by `header` (kept by reference), from the first field.
  void name_fields(const std::vector<std::string>& header) { header_ = &header; }

  // Reads the next record's fields; false at the end. Completely empty lines are skipped.
  // The views stay valid as long as the text and this object. Throws Error(kInvalidInput)
  // naming the record on an unterminated quote, a quote in the wrong place or a NUL byte.
  bool next(std::vector<std::string_view>& fields);

  // The last record as it is in the text, without its line end.
  std::string_view raw() const { return raw_; }
  // Where the next record starts (after the last one's line end).
  std::size_t position() const { return pos_; }
  // The number of the last record read.
  std::int64_t record() const { return record_; }

 private:
  bool at_line_end() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }
  // Reads the field numbered `index` (from 0) of the record.
  std::string_view read_field(std::size_t index);
  // Throws `what` naming the record and, when known, the field numbered `index`.
  [[noreturn]] void fail(const std::string& what, std::size_t index = SIZE_MAX) const;

  std::string_view text_;
  const std::string& path_;
  const std::vector<std::string>* header_ = nullptr;
  std::int64_t record_;
  std::size_t pos_ = 0;
  std::string_view raw_{};
  std::deque<std::string> unescaped_{};  // quoted fields with "" inside, unescaped
};

// What a NUL byte in a CSV file says, wherever it is: the text is not UTF-8.
inline constexpr const char* kNotUtf8Csv =
    "UTF-16 text (or binary data), not a UTF-8 CSV file: save it as CSV UTF-8";

// "has 3 fields, the header has 4": what a record of another number of fields than the header
// is told.
std::string field_count_message(std::size_t fields, std::size_t header_fields);

// Checks the start of a CSV file: refuses UTF-16 (or other text with NUL bytes in its first line),
// a header that is not UTF-8 and CR-only line ends (old Mac Excel) with a message saying what to
// do. Returns the length of a UTF-8 byte-order mark to skip (0 or 3).
std::size_t check_csv_start(std::string_view head, const std::string& path);

}  // namespace libgrid::internal
