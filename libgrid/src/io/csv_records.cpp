#include "io/csv_records.h"

#include <glib.h>

#include <bit>
#include <cstring>

#include "internal/byte_scan.h"
#include "libgrid/error.h"

namespace libgrid::internal {
namespace {

bool ends_unquoted_run(char c) {
  return c == ',' || c == '\n' || c == '\r' || c == '"' || c == '\0';
}

// The position of the first ',', LF, CR, '"' or NUL at or after `pos` (`size` when none): where
// an unquoted field may end, or the text is not CSV. Sixteen bytes at a time where SSE2 is
// there: this scan is most of the time a CSV record takes to read.
std::size_t next_unquoted_stop(const char* data, std::size_t pos, std::size_t size) {
#if defined(__SSE2__)
  for (; pos + 16 <= size; pos += 16) {
    const unsigned mask = separator_mask16<',', '\n', '\r', '"', '\0'>(data + pos);
    if (mask != 0) return pos + static_cast<std::size_t>(std::countr_zero(mask));
  }
#endif
  while (pos < size && !ends_unquoted_run(data[pos])) ++pos;
  return pos;
}

}  // namespace

bool CsvRecords::next(std::vector<std::string_view>& fields) {
  fields.clear();
  while (pos_ < text_.size() && at_line_end()) pos_ += text_[pos_] == '\r' ? 2 : 1;
  if (pos_ >= text_.size()) return false;
  ++record_;
  const std::size_t start = pos_;
  for (;;) {
    fields.push_back(read_field(fields.size()));
    if (pos_ >= text_.size()) {
      raw_ = text_.substr(start);
      return true;
    }
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    raw_ =
        text_.substr(start, pos_ - start);  // read_field stops only at ',', a line end or the end
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    return true;
  }
}

std::string_view CsvRecords::read_field(std::size_t index) {
  const char* const data = text_.data();
  const std::size_t size = text_.size();
  if (pos_ < size && data[pos_] == '"') {
    const std::size_t begin = ++pos_;
    bool escaped = false;
    for (;;) {
      const void* quote = std::memchr(data + pos_, '"', size - pos_);
      if (quote == nullptr) fail("unterminated quoted field");
      pos_ = static_cast<std::size_t>(static_cast<const char*>(quote) - data) + 1;
      if (pos_ < size && data[pos_] == '"') {
        escaped = true;
        ++pos_;
        continue;
      }
      break;
    }
    if (pos_ < size && data[pos_] != ',' && !at_line_end()) {
      fail("unexpected character after a closing quote");
    }
    const std::string_view inside = text_.substr(begin, pos_ - 1 - begin);
    if (inside.find('\0') != std::string_view::npos) fail(kNotUtf8Csv, index);
    if (!escaped) return inside;
    std::string& field = unescaped_.emplace_back();
    for (std::size_t i = 0; i < inside.size(); ++i) {
      field += inside[i];
      if (inside[i] == '"') ++i;  // the second of ""
    }
    return field;
  }
  const std::size_t begin = pos_;
  for (;; ++pos_) {  // ++pos_ steps over a CR that does not end the line
    pos_ = next_unquoted_stop(data, pos_, size);
    if (pos_ >= size) break;
    const char c = data[pos_];
    if (c == ',' || c == '\n' || (c == '\r' && at_line_end())) break;
    if (c == '"') fail("a quote inside an unquoted field");
    if (c == '\0') fail(kNotUtf8Csv, index);
  }
  return text_.substr(begin, pos_ - begin);
}

void CsvRecords::fail(const std::string& what, std::size_t index) const {
  if (record_ == 0) throw Error(ErrorKind::kInvalidInput, Location{path_}, "header: " + what);
  std::string field;
  if (header_ != nullptr && index < header_->size()) field = (*header_)[index];
  throw Error(ErrorKind::kInvalidInput, Location{path_, "", record_, field}, what);
}

std::string field_count_message(std::size_t fields, std::size_t header_fields) {
  return "has " + std::to_string(fields) + (fields == 1 ? " field" : " fields") +
         ", the header has " + std::to_string(header_fields);
}

std::size_t check_csv_start(std::string_view head, const std::string& path) {
  // UTF-16 has a NUL in every ASCII character; a NUL further on is named with its row by
  // CsvRecords and the streaming reader.
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF") ||
      head.substr(0, head.find('\n')).find('\0') != std::string_view::npos) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path}, kNotUtf8Csv);
  }
  // A header of bytes that are not UTF-8: binary data, or text saved as GBK or Latin-1.
  // (A header longer than `head` may end in a character cut in two: that is no error.)
  const std::string_view header = head.substr(0, head.find('\n'));
  const char* valid_to = nullptr;
  if (!g_utf8_validate(header.data(), static_cast<gssize>(header.size()), &valid_to) &&
      (header.size() < head.size() || header.data() + header.size() - valid_to > 3)) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "the header is not UTF-8 text (binary data, or text in another encoding such as "
                "GBK): save it as CSV UTF-8");
  }
  const std::size_t cr = head.find('\r');
  if (cr != std::string_view::npos && cr < head.find('\n') && cr + 1 < head.size() &&
      head[cr + 1] != '\n') {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "lines end in CR only (old Mac Excel), not LF or CRLF: save it as CSV UTF-8");
  }
  return head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

}  // namespace libgrid::internal
