#include "libgrid/assign/assign_csv.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "internal/byte_buffer.h"
#include "internal/byte_scan.h"
#include "internal/text.h"
#include "io/csv_chunk_reader.h"
#include "io/csv_records.h"
#include "io/gzip_members.h"
#include "io/sequential_file_writer.h"
#include "libgrid/assign/assign.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/model/duty_table.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/thread_count.h"

namespace libgrid {
namespace {

// Points checked for a wrong CRS before anything is written.
constexpr std::size_t kCrsSample = 10000;
// OutputIo::kAuto bypasses the page cache from points files of this size.
constexpr std::uint64_t kDirectFromBytes = std::uint64_t{64} << 20;

using internal::ByteBuffer;
using internal::separator_mask16;

struct Job {
  std::size_t seq = 0;
  ByteBuffer text;
};

// A chunk, assigned and formatted. Messages in `error` count rows from the chunk's start.
struct ChunkResult {
  ByteBuffer output;
  std::size_t gap = 0;  // the output's first bytes, before the chunk's: see ChunkWorker::process
  std::int64_t rows = 0;
  // Only while the writer still gathers points for the CRS check: as read, and their cells.
  std::vector<double> x, y;
  std::vector<CellId> finest;
  std::int64_t empty_coordinates = 0;
  std::int64_t without_rule = 0;
  std::exception_ptr error;
};

// A coordinate: NaN when empty; Error naming the row and column when not a finite number.
double parse_coordinate(std::string_view raw, const std::string& path, std::int64_t row,
                        const std::string& column) {
  std::string_view text = internal::trim(raw);
  if (text.empty()) return std::nan("");
  std::string_view digits = text;
  if (digits.starts_with('+') && !digits.starts_with("+-")) digits.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    throw Error(ErrorKind::kInvalidInput, Location{path, "", row, column},
                "number out of range: '" + std::string(text) + "'");
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    throw Error(ErrorKind::kInvalidInput, Location{path, "", row, column},
                "not a number: '" + std::string(text) + "'");
  }
  if (!std::isfinite(value)) {  // "inf", "nan": the words libgrid.assign uses for such floats
    throw Error(ErrorKind::kInvalidInput, Location{path, "", row, column},
                "not a finite number: '" + std::string(text) + "'");
  }
  return value;
}

// The number of decimal digits (0 to 8) at the start of the eight bytes `word` (the first byte
// in the lowest), and their value.
[[gnu::always_inline]] inline int leading_digits(std::uint64_t word, std::uint64_t& value) {
  const std::uint64_t v = word - 0x3030303030303030;  // '0' off every byte
  // A byte is no digit when it is above 9 after that: +0x76 sets its high bit, or it had it.
  const std::uint64_t not_digit = ((v + 0x7676767676767676) | v) & 0x8080808080808080;
  const int count = not_digit == 0 ? 8 : std::countr_zero(not_digit) / 8;
  if (count == 0) {
    value = 0;
    return 0;
  }
  // Keep the digits, moved up to the top bytes (zeros before them), then combine pairs,
  // fours and eights (the standard eight-digit SWAR conversion).
  std::uint64_t d = v << (8 * (8 - count));
  d = (d * 10) + (d >> 8);
  d = (((d & 0x000000FF000000FF) * 0x000F424000000064) +
       (((d >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >>
      32;
  value = d;
  return count;
}

// A coordinate written plainly ("-73.863398": an optional '-', 1 to 7 digits, and optionally
// '.' and 1 to 7 digits; at most 15 digits in all), or false to leave it to parse_coordinate.
// Such a number is an integer below 2^53 over a power of ten up to 10^7, both exact in a
// double, so one IEEE division rounds it correctly: the same double std::from_chars gives, at a
// fraction of the cost. `readable` is where the bytes after the field stop being readable.
[[gnu::always_inline]] inline bool parse_plain_decimal(std::string_view text, const char* readable,
                                                       double& value) {
  static constexpr std::uint64_t kScales[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  p += negative;
  const auto word_at = [&](const char* at) {
    std::uint64_t word = 0;
    if (readable - at >= 8) {
      std::memcpy(&word, at, 8);
    } else {
      std::memcpy(&word, at, static_cast<std::size_t>(readable - at));
    }
    return word;
  };
  std::uint64_t integer = 0;
  const int count = leading_digits(word_at(p), integer);
  // None, eight or more, or digits past the field's end: left to the full parser.
  if (count == 0 || count == 8 || count > end - p) return false;
  if (count == end - p) {
    value = negative ? -static_cast<double>(integer) : static_cast<double>(integer);
    return true;
  }
  if (p[count] != '.') return false;
  p += count + 1;
  std::uint64_t fraction = 0;
  const int decimals = leading_digits(word_at(p), fraction);
  if (decimals == 0 || decimals == 8 || decimals != end - p) return false;
  const double magnitude =
      static_cast<double>(integer * kScales[decimals] + fraction) / kPowersOfTen[decimals];
  value = negative ? -magnitude : magnitude;
  return true;
}

// "HH:MM" of every minute of a day, for the due column.
constexpr std::size_t kMinutesOfDay = std::size_t{24} * 60;
constexpr std::array<std::array<char, 5>, kMinutesOfDay> clock_texts() {
  std::array<std::array<char, 5>, kMinutesOfDay> texts{};
  for (int m = 0; m < static_cast<int>(kMinutesOfDay); ++m) {
    texts[static_cast<std::size_t>(m)] = {
        static_cast<char>('0' + m / 600), static_cast<char>('0' + m / 60 % 10), ':',
        static_cast<char>('0' + m % 60 / 10), static_cast<char>('0' + m % 10)};
  }
  return texts;
}
constexpr auto kClockTexts = clock_texts();

// What every worker shares, and what each keeps of its own.
struct Columns {
  int x = -1, y = -1, event_class = -1, time = -1;
  std::size_t count = 0;
};

class ChunkWorker {
 public:
  // `per_finest` counts the rows of every finest cell ([cell + 1]) this worker assigns.
  ChunkWorker(const Assigner& assigner, const Columns& columns, const std::string& path, bool gzip,
              std::vector<std::int64_t>& per_finest)
      : assigner_(assigner),
        columns_(columns),
        path_(path),
        gzip_(gzip ? std::make_unique<internal::GzipMembers>() : nullptr),
        per_finest_(per_finest) {
    per_finest_.assign(assigner.grids().size() + 1, 0);
    const auto& all = assigner.columns();
    with_due_ = !all.empty() && all.back().kind == AssignColumn::kDue;
    const int last_read = std::max({columns.x, columns.y, columns.event_class, columns.time});
    commas_.resize(static_cast<std::size_t>(last_read) + 1);
  }

  // `keep_points`: hand the points and their cells to the writer for the CRS check. `place`
  // is told the size of the chunk's output and answers where in the output it starts; the
  // output is laid out from that place's offset in its alignment unit on (r.gap), so that it
  // can be written from where it is. With gzip, the compressed member starts the buffer.
  template <typename Place>
  void process(std::string_view text, ChunkResult& r, bool keep_points, Place&& place) {
    x_.clear();
    y_.clear();
    raws_.clear();
    classes_.clear();
    times_.clear();
    // Most files quote nothing: their chunks take the fast path, which cuts out only the
    // fields assign reads; a chunk with a quote goes through the full parser.
    if (!split_unquoted(text)) {
      split_records(text.substr(quoted_from_), rows_before_quote_ + 1);  // the rest
    }
    assigner_.assign({x_, y_, classes_, times_}, 1, batch_);
    r.rows = static_cast<std::int64_t>(raws_.size());
    r.empty_coordinates = batch_.empty_coordinates;

    // Every column but due depends on the cell and the duty rule only: its text is made once per
    // pair and kept across chunks, found by the rule's place in the duty table.
    rule_numbers_.resize(batch_.rules.size());
    const auto& duty_rules = assigner_.grids().duty_table().rules;
    for (std::size_t k = 0; k < batch_.rules.size(); ++k) {
      const DutyRule* rule =
          batch_.rules[k].has_rule
              ? assigner_.grids().duty_table().find(batch_.rules[k].rule.event_class)
              : nullptr;
      rule_numbers_[k] = rule ? static_cast<std::size_t>(rule - duty_rules.data()) + 1 : 0;
    }
    // Bounded memory for huge cities with many rules: start over past a quarter million texts.
    if (columns_texts_.size() >= (1u << 18)) {
      columns_texts_.clear();
      for (auto& cells : text_of_cell_) std::fill(cells.begin(), cells.end(), 0);
    }
    // The output's size first, row by row, then its bytes at their place.
    row_texts_.resize(raws_.size());
    std::uint64_t size = 0;
    for (std::size_t i = 0; i < raws_.size(); ++i) {
      const std::uint32_t rule = batch_.rule.empty() ? 0 : batch_.rule[i];
      row_texts_[i] = columns_text(i, rule_numbers_.empty() ? 0 : rule_numbers_[rule]);
      size += raws_[i].size() + columns_texts_[row_texts_[i]].size() + 1;
      if (with_due_) {
        size += 1;
        if (batch_.due[i] != AssignedPoints::kNoDue)
          size += text_of_day(day_of(batch_.due[i])).size() + 5;
      }
      if (!batch_.rule.empty()) r.without_rule += !batch_.rules[rule].has_rule;
    }
    r.gap = gzip_ ? 0 : static_cast<std::size_t>(place(size) % ByteBuffer::kAlignment);
    ByteBuffer& out = r.output;
    out.reserve(r.gap + static_cast<std::size_t>(size));
    out.resize_for_overwrite(r.gap);
    char* at = out.room(static_cast<std::size_t>(size));
    for (std::size_t i = 0; i < raws_.size(); ++i) {
      at = copy(at, raws_[i]);
      at = copy(at, columns_texts_[row_texts_[i]]);
      if (with_due_) {
        *at++ = ',';
        if (batch_.due[i] != AssignedPoints::kNoDue) at = write_time(at, batch_.due[i]);
      }
      *at++ = '\n';
    }
    out.commit(at);
    if (out.size() != r.gap + size) {
      throw std::logic_error("assign: a chunk's output differs from its size worked out before");
    }
    for (const CellId c : batch_.finest) ++per_finest_[static_cast<std::size_t>(c) + 1];
    if (keep_points) {
      r.x = x_;
      r.y = y_;
      r.finest = batch_.finest;
    }
    if (gzip_) {
      gzip_->compress(out.view(), packed_);
      out.swap(packed_);
    }
  }

 private:
  static char* copy(char* at, std::string_view bytes) {
    std::memcpy(at, bytes.data(), bytes.size());
    return at + bytes.size();
  }

  // Whole records through the one CSV parser; the first is the chunk's record `first_record`.
  void split_records(std::string_view text, std::int64_t first_record) {
    internal::CsvRecords records(text, path_, first_record);
    records.name_fields(assigner_.options().input_columns);
    while (records.next(fields_)) {
      const std::int64_t row = records.record();
      if (fields_.size() != columns_.count) throw field_count_error(row, fields_.size());
      const auto field = [&](int c) {
        return c >= 0 ? fields_[static_cast<std::size_t>(c)] : std::string_view();
      };
      readable_ = nullptr;  // a field may be an unescaped copy: read no further than it
      add_row(records.raw(), field(columns_.x), field(columns_.y), field(columns_.event_class),
              field(columns_.time), row);
    }
  }

  // A chunk without a quote, as CsvRecords reads it: fields end at a comma, records at LF (a CR
  // before it is no part of the record), blank lines are skipped, a NUL byte is refused. One
  // pass finds the commas, line ends, NULs and quotes sixteen bytes at a time; only the fields
  // assign reads are cut out. False at the first quote: the records from the one it is in on
  // (from quoted_from_, after rows_before_quote_ records) are for split_records.
  bool split_unquoted(std::string_view text) {
    const char* const data = text.data();
    const std::size_t size = text.size();
    readable_ = data + size;
    std::size_t row_start = 0;
    std::size_t field = 0;  // of the record being read
    std::int64_t row = 0;
    const auto end_record = [&](std::size_t record_end) {
      const std::size_t fields = field + 1;
      ++row;
      if (fields != columns_.count) throw field_count_error(row, fields);
      const auto cut = [&](int c) {
        if (c < 0) return std::string_view();
        const auto f = static_cast<std::size_t>(c);
        const std::size_t begin = f == 0 ? row_start : commas_[f - 1] + 1;
        const std::size_t end = f == field ? record_end : commas_[f];
        return std::string_view(data + begin, end - begin);
      };
      add_row(std::string_view(data + row_start, record_end - row_start), cut(columns_.x),
              cut(columns_.y), cut(columns_.event_class), cut(columns_.time), row);
    };
    // False at a quote.
    const auto at_separator = [&](std::size_t at) {
      if (data[at] == ',') {
        if (field < commas_.size()) commas_[field] = at;
        ++field;
        return true;
      }
      if (data[at] == '"') {
        quoted_from_ = row_start;
        rows_before_quote_ = row;
        return false;
      }
      if (data[at] == '\0') throw not_utf8_error(row + 1, field);
      std::size_t record_end = at;
      if (record_end > row_start && data[record_end - 1] == '\r') --record_end;
      if (record_end > row_start) end_record(record_end);  // else a blank line
      row_start = at + 1;
      field = 0;
      return true;
    };
    std::size_t base = 0;
#if defined(__SSE2__)
    for (; base + 16 <= size; base += 16) {
      for (unsigned mask = separator_mask16<',', '\n', '\0', '"'>(data + base); mask != 0;
           mask &= mask - 1) {
        if (!at_separator(base + static_cast<std::size_t>(std::countr_zero(mask)))) return false;
      }
    }
#endif
    for (; base < size; ++base) {
      const char c = data[base];
      if ((c == ',' || c == '\n' || c == '\0' || c == '"') && !at_separator(base)) return false;
    }
    if (row_start < size) end_record(size);  // the file's last record may lack its line end
    return true;
  }

  void add_row(std::string_view raw, std::string_view x, std::string_view y,
               std::string_view event_class, std::string_view time, std::int64_t row) {
    const auto& opts = assigner_.options();
    raws_.push_back(raw);
    x_.push_back(coordinate(x, row, opts.x_name));
    y_.push_back(coordinate(y, row, opts.y_name));
    if (columns_.event_class >= 0) classes_.push_back(event_class);
    if (columns_.time >= 0) times_.push_back(time);
  }

  double coordinate(std::string_view text, std::int64_t row, const std::string& column) const {
    double value = 0.0;
    const char* const readable = readable_ ? readable_ : text.data() + text.size();
    if (parse_plain_decimal(text, readable, value)) return value;
    return parse_coordinate(text, path_, row, column);
  }

  Error field_count_error(std::int64_t row, std::size_t fields) const {
    return Error(ErrorKind::kInvalidInput, Location{path_, "", row, ""},
                 internal::field_count_message(fields, columns_.count));
  }

  // A NUL byte in field number `field` (from 0) of the row.
  Error not_utf8_error(std::int64_t row, std::size_t field) const {
    const auto& header = assigner_.options().input_columns;
    return Error(ErrorKind::kInvalidInput,
                 Location{path_, "", row, field < header.size() ? header[field] : ""},
                 internal::kNotUtf8Csv);
  }

  static LocalMinutes day_of(LocalMinutes t) { return (t >= 0 ? t : t - kDay + 1) / kDay; }
  // The date and 'T' of a day as format_local_time writes them ("YYYY-MM-DDT"), made once per
  // day (rows come in any order of days: a small table keeps the recent ones).
  const std::string& text_of_day(LocalMinutes day) {
    DayText& known = day_texts_[static_cast<std::uint64_t>(day) % day_texts_.size()];
    if (known.text.empty() || known.day != day) {
      known.day = day;
      known.text = format_local_time(day * kDay);
      known.text.resize(known.text.size() - 5);  // without "00:00"
    }
    return known.text;
  }

  // A time as format_local_time writes it, "YYYY-MM-DDTHH:MM".
  char* write_time(char* at, LocalMinutes t) {
    const LocalMinutes day = day_of(t);
    at = copy(at, text_of_day(day));
    std::memcpy(at, kClockTexts[static_cast<std::size_t>(t - day * kDay)].data(), 5);
    return at + 5;
  }

  // The place in columns_texts_ of the text of the columns before due for row i of the batch,
  // whose rule is the duty table's `rule_number` (1-based; 0: none).
  std::uint32_t columns_text(std::size_t i, std::size_t rule_number) {
    if (rule_number >= text_of_cell_.size()) text_of_cell_.resize(rule_number + 1);
    std::vector<std::uint32_t>& known = text_of_cell_[rule_number];
    if (known.empty()) known.assign(assigner_.grids().size() + 1, 0);
    std::uint32_t& slot = known[static_cast<std::size_t>(batch_.finest[i]) + 1];
    if (slot == 0) {
      std::string& text = columns_texts_.emplace_back();
      const auto& all = assigner_.columns();
      for (std::size_t c = 0; c < (with_due_ ? all.size() - 1 : all.size()); ++c) {
        text += ',';
        append_csv_field(text, assigner_.value(all[c], batch_, i, scratch_));
      }
      slot = static_cast<std::uint32_t>(columns_texts_.size());
    }
    return slot - 1;
  }

  static constexpr LocalMinutes kDay = LocalMinutes{24} * 60;

  const Assigner& assigner_;
  const Columns& columns_;
  const std::string& path_;
  std::unique_ptr<internal::GzipMembers> gzip_;  // for gzip output
  ByteBuffer packed_;                            // a chunk compressed, swapped with its text
  std::vector<std::int64_t>& per_finest_;
  std::vector<double> x_, y_;
  const char* readable_ = nullptr;  // the end of the chunk, when fields may be read past
  std::size_t quoted_from_ = 0;     // where split_unquoted met a quote: its record's start
  std::int64_t rows_before_quote_ = 0;
  bool with_due_ = false;
  // [rule number][finest cell + 1]: 1 + the place of its columns' text in columns_texts_.
  std::vector<std::vector<std::uint32_t>> text_of_cell_;
  std::vector<std::string> columns_texts_;
  std::vector<std::size_t> rule_numbers_;  // of the batch's rules
  std::vector<std::uint32_t> row_texts_;   // the place of each row's text in columns_texts_
  struct DayText {
    LocalMinutes day = 0;
    std::string text;
  };
  std::array<DayText, 64> day_texts_{};
  std::vector<std::string_view> fields_;
  std::vector<std::size_t> commas_;  // of the record being read, up to the last column read
  std::vector<std::string_view> raws_, classes_, times_;
  AssignedPoints batch_;
  std::string scratch_;
};

// Errors of a chunk count rows from its start, and the reader's from the first record after the
// chunks it handed out: the file's row numbers add the rows before.
[[noreturn]] void rethrow_in_file(const std::exception_ptr& error, std::int64_t rows_before) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    if (e.where().feature < 0) throw;
    Location where = e.where();
    where.feature += rows_before;
    throw Error(e.kind(), where, e.detail());
  }
}

// What the workers share. Each worker reads the next chunk (one at a time, in order), assigns it,
// and leaves its result here; whichever worker finds the next chunk's result waiting writes it,
// and those after it, while the others go on: no thread of its own hands chunks round, so a
// chunk costs a wake-up or two instead of one per hand-over (each an interrupt between cores,
// which a virtual machine pays dearly for). Points from a pipe are the exception: there a thread
// reads ahead (into `jobs`), so that the program writing into the pipe never waits for a worker
// to come for its bytes.
struct Pipeline {
  std::mutex reading;  // held by the worker reading the next chunk
  std::mutex mutex;    // over everything below
  // One condition per waiter, so that a change wakes only the threads it concerns.
  std::condition_variable room_freed;   // a reader waits to read past the chunks in flight
  std::condition_variable job_added;    // with read-ahead, the workers wait for a chunk
  std::condition_variable placed_more;  // a worker waits for where its output starts
  std::condition_variable finished;     // the caller's thread waits for the end, showing progress
  std::deque<Job> jobs;                 // read ahead, in order
  // Results waiting for the chunks before them to be written. A failed read leaves its error
  // here as the result of the chunk it would have been.
  std::map<std::size_t, ChunkResult> done;
  // Buffers written and handed back, for the next chunks: no fresh pages for every chunk.
  std::vector<ByteBuffer> spare_texts;
  std::vector<ByteBuffer> spare_outputs;
  std::atomic<bool> crs_sampled = false;  // the CRS check has its points
  std::size_t read = 0;                   // chunks read (and failed reads)
  std::size_t written = 0;                // chunks written
  bool writing = false;                   // a worker is writing results, in order
  // Where each chunk's output starts: known once the sizes of all before it are.
  std::map<std::size_t, std::uint64_t> sizes;   // of chunks not placed yet
  std::map<std::size_t, std::uint64_t> starts;  // of chunks placed, until their worker reads it
  std::size_t placed = 0;                       // chunks placed
  std::uint64_t next_start = 0;                 // where chunk `placed` starts
  bool reading_done = false;                    // at the end of the file, or a read failed
  bool stop = false;
  std::exception_ptr error;  // the run's, the first in the file's order

  bool all_written() const { return reading_done && written == read; }
};

}  // namespace

AssignCsvSummary assign_csv(const GridSet& grids, const CellIndex& index,
                            const AssignCsvOptions& options) {
  internal::CsvChunkReader reader(options.points_path, options.chunk_bytes);
  const std::string& path = reader.name();  // "standard input" for "-"
  const auto& header = reader.header();
  Columns columns;
  columns.count = header.size();
  columns.x =
      find_point_column(header, path, options.x_column, "x coordinate", kXColumnGuesses, true);
  columns.y =
      find_point_column(header, path, options.y_column, "y coordinate", kYColumnGuesses, true);
  columns.event_class = find_point_column(header, path, options.class_column, "event class",
                                          kClassColumnGuesses, false);
  columns.time =
      find_point_column(header, path, options.time_column, "time", kTimeColumnGuesses, false);
  AssignOptions assign_options;
  assign_options.crs = options.crs;
  assign_options.calendar = options.calendar;
  assign_options.input_columns = header;
  assign_options.source = path;
  assign_options.x_name = header[static_cast<std::size_t>(columns.x)];
  assign_options.y_name = header[static_cast<std::size_t>(columns.y)];
  assign_options.has_class = columns.event_class >= 0;
  assign_options.has_time = columns.event_class >= 0 && columns.time >= 0;
  // Boundary versions need every point's time, with or without an event class.
  const bool versioned = !index.version_starts().empty();
  if (versioned && columns.time < 0) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "the grid set has " + std::to_string(index.version_starts().size()) +
                    " boundary versions: the points need a time column (--time; none of "
                    "reported_at, time found)");
  }
  if (!assign_options.has_time && !versioned) columns.time = -1;
  if (columns.event_class >= 0) {
    assign_options.class_name = header[static_cast<std::size_t>(columns.event_class)];
  }
  if (columns.time >= 0) {
    assign_options.time_name = header[static_cast<std::size_t>(columns.time)];
  }
  const Assigner assigner(grids, index, assign_options);

  AssignCsvSummary summary;
  summary.with_duty =
      std::any_of(assigner.columns().begin(), assigner.columns().end(),
                  [](const OutputColumn& c) { return c.kind == AssignColumn::kDepartment; });

  // A pipe's size is not known (0): what comes through one is as likely to be large.
  const bool direct = options.output_io == OutputIo::kDirect ||
                      (options.output_io == OutputIo::kAuto &&
                       (reader.file_size() == 0 || reader.file_size() >= kDirectFromBytes));
  internal::SequentialFileWriter output(options.output_path, direct, options.output_name);
  {
    std::string line;
    for (const auto& name : header) {
      if (!line.empty()) line += ',';
      append_csv_field(line, name);
    }
    for (const auto& column : assigner.columns()) {
      line += ',';
      append_csv_field(line, column.name);
    }
    line += '\n';
    output.write(options.gzip_output ? internal::GzipMembers().member(line) : line);
  }

  const unsigned workers = worker_count(options.threads);
  const std::size_t max_in_flight = 2 * workers + 2;
  Pipeline p;
  std::vector<std::thread> threads;
  const auto stop_all = [&] {
    {
      std::lock_guard lock(p.mutex);
      p.stop = true;
    }
    p.room_freed.notify_all();
    p.job_added.notify_all();
    p.placed_more.notify_all();
    p.finished.notify_all();
    for (auto& t : threads) t.join();
    threads.clear();
  };

  p.next_start = output.bytes_written();  // where the first chunk's output starts
  // The output's size of chunk `seq`: places it and the chunks after it that wait for it.
  const auto size_known = [&](std::size_t seq, std::uint64_t size) {
    {
      std::lock_guard lock(p.mutex);
      p.sizes.emplace(seq, size);
      for (auto it = p.sizes.find(p.placed); it != p.sizes.end(); it = p.sizes.find(p.placed)) {
        p.starts.emplace(p.placed, p.next_start);
        p.next_start += it->second;
        p.sizes.erase(it);
        ++p.placed;
      }
    }
    p.placed_more.notify_all();
  };

  // The points' CRS is checked on a thread of its own once the first kCrsSample points are in,
  // while the chunks keep flowing: trying the likely other CRSs through PROJ takes 10-20 ms. The
  // output is a temporary file until the run ends, so a failed check leaves nothing behind, and
  // its error comes before any later chunk's, as when the check ran in line.
  std::vector<double> sample_x, sample_y;
  std::size_t sample_covered = 0;
  bool check_started = false;
  std::future<void> crs_check;  // after the samples it reads: waited for before they go
  const auto start_check = [&] {
    check_started = true;
    p.crs_sampled.store(true, std::memory_order_release);
    crs_check = std::async(std::launch::async,
                           [&] { assigner.check_crs(sample_x, sample_y, sample_covered); });
  };
  // Rethrows the check's error once it is known, or after waiting for it.
  const auto crs_verdict = [&](bool wait) {
    if (!crs_check.valid()) return;
    if (wait || crs_check.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      crs_check.get();
    }
  };
  // The next chunk's result, in the file's order, by one worker at a time (see Pipeline): the
  // summary, the CRS check's points, and the output. Buffers written since go to `spare`.
  const auto write_in_order = [&](ChunkResult& r, std::vector<ByteBuffer>& spare) {
    if (r.error) {
      crs_verdict(true);
      rethrow_in_file(r.error, summary.rows);
    }
    summary.rows += r.rows;
    summary.empty_coordinates += r.empty_coordinates;
    summary.without_rule += r.without_rule;
    if (!check_started) {
      for (std::size_t i = 0; i < r.x.size() && sample_x.size() < kCrsSample; ++i) {
        if (std::isnan(r.x[i]) || std::isnan(r.y[i])) continue;
        sample_x.push_back(r.x[i]);
        sample_y.push_back(r.y[i]);
        sample_covered += r.finest[i] != kNoCell;
      }
      if (sample_x.size() >= kCrsSample) start_check();
    }
    crs_verdict(false);
    if (options.gzip_output) {
      output.write(r.output.view());
      spare.push_back(std::move(r.output));
    } else {
      output.write_owned(std::move(r.output), r.gap);
    }
    for (ByteBuffer written; output.take_written(written);) spare.push_back(std::move(written));
  };

  // Reads the next chunk into `job`, once there is room for one more in flight: false at the end
  // of the file, at a failed read (whose error is left as the result of the chunk it would have
  // been, before the end is told) or at a stop. One reader at a time.
  const auto read_next = [&](Job& job) {
    std::unique_lock read_lock(p.reading);
    {
      std::unique_lock lock(p.mutex);
      p.room_freed.wait(
          lock, [&] { return p.stop || p.reading_done || p.read - p.written < max_in_flight; });
      if (p.stop || p.reading_done) return false;
      if (!p.spare_texts.empty()) {
        job.text = std::move(p.spare_texts.back());
        p.spare_texts.pop_back();
      }
      job.seq = p.read;
    }
    bool more = false;
    std::exception_ptr error;
    try {
      more = reader.next(job.text);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(p.mutex);
      if (error) {
        ChunkResult failed;
        failed.error = error;
        p.done.emplace(p.read, std::move(failed));
      }
      if (more || error) ++p.read;
      p.reading_done = !more;
    }
    if (!more) {
      p.room_freed.notify_all();  // the other readers stop
      p.job_added.notify_all();   // with read-ahead, the workers find the end
    }
    return more;
  };
  // With read-ahead (points from a pipe), the chunks' reader.
  const auto read_ahead_loop = [&] {
    for (;;) {
      Job job;
      if (!read_next(job)) return;
      {
        std::lock_guard lock(p.mutex);
        p.jobs.push_back(std::move(job));
      }
      p.job_added.notify_one();
    }
  };
  const bool read_ahead = reader.file_size() == 0;  // a pipe, or an empty file

  // Writes the results waiting in the file's order, from the next one on, unless another worker
  // is at it; the others go on meanwhile. Called with p.mutex held by `lock`; the writes run
  // without it. Buffers written go back to the spares through `spare`.
  const auto write_ready = [&](std::unique_lock<std::mutex>& lock, std::vector<ByteBuffer>& spare) {
    p.writing = true;
    for (auto it = p.done.find(p.written); !p.stop && it != p.done.end();
         it = p.done.find(p.written)) {
      ChunkResult next = std::move(it->second);
      p.done.erase(it);
      lock.unlock();
      std::exception_ptr failed;
      try {
        write_in_order(next, spare);
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      ++p.written;
      for (auto& buffer : spare) p.spare_outputs.push_back(std::move(buffer));
      spare.clear();
      if (failed) {
        p.error = failed;
        p.stop = true;
      }
      p.room_freed.notify_one();
    }
    p.writing = false;
    if (p.stop || p.all_written()) {
      lock.unlock();
      p.room_freed.notify_all();
      p.placed_more.notify_all();
      p.finished.notify_all();
    }
  };

  struct Stopped {};
  std::vector<std::vector<std::int64_t>> per_finest_of_worker(workers);
  const auto work = [&](unsigned w) {
    ChunkWorker worker(assigner, columns, path, options.gzip_output, per_finest_of_worker[w]);
    std::vector<ByteBuffer> spare;
    for (;;) {
      Job job;
      ChunkResult result;
      bool more = false;
      if (read_ahead) {
        std::unique_lock lock(p.mutex);
        p.job_added.wait(lock, [&] { return p.stop || !p.jobs.empty() || p.reading_done; });
        if (p.stop) return;
        if (!p.jobs.empty()) {
          job = std::move(p.jobs.front());
          p.jobs.pop_front();
          more = true;
        }
      } else {
        more = read_next(job);
      }
      if (more) {
        {
          std::lock_guard lock(p.mutex);
          if (!p.spare_outputs.empty()) {
            result.output = std::move(p.spare_outputs.back());
            p.spare_outputs.pop_back();
          }
        }
        // A chunk after a failed one waits here until the failure is written, which stops the
        // run.
        const auto place = [&](std::uint64_t size) {
          size_known(job.seq, size);
          std::unique_lock lock(p.mutex);
          p.placed_more.wait(lock, [&] { return p.stop || p.placed > job.seq; });
          if (p.stop) throw Stopped{};
          const auto it = p.starts.find(job.seq);
          const std::uint64_t start = it->second;
          p.starts.erase(it);
          return start;
        };
        try {
          worker.process(job.text.view(), result, !p.crs_sampled.load(std::memory_order_acquire),
                         place);
        } catch (const Stopped&) {
          return;
        } catch (...) {
          result.error = std::current_exception();
        }
      }
      // At the end, what is left is written: a failed read's error may be next.
      std::unique_lock lock(p.mutex);
      if (more) p.done.emplace(job.seq, std::move(result));
      if (job.text.capacity() > 0) p.spare_texts.push_back(std::move(job.text));
      if (!p.writing) write_ready(lock, spare);
      if (!more) return;
    }
  };
  try {
    if (read_ahead) threads.emplace_back(read_ahead_loop);
    for (unsigned w = 0; w < workers; ++w) threads.emplace_back(work, w);
    // Progress while the workers run, from what has come in: a slow pipe fills a chunk in
    // minutes.
    std::uint64_t progress_shown = 0;
    const auto show_progress = [&](std::uint64_t bytes) {
      progress_shown = std::max(progress_shown, bytes);
      if (options.progress) options.progress(progress_shown, reader.file_size());
    };
    {
      std::unique_lock lock(p.mutex);
      while (!p.finished.wait_for(lock, std::chrono::milliseconds(250),
                                  [&] { return p.stop || p.all_written(); })) {
        lock.unlock();
        show_progress(reader.bytes_arrived());
        lock.lock();
      }
    }
    stop_all();
    if (p.error) std::rethrow_exception(p.error);
    if (!check_started) start_check();  // fewer points than a sample
    crs_verdict(true);
    show_progress(reader.bytes_read());
  } catch (...) {
    stop_all();
    throw;
  }
  output.close();

  std::vector<std::int64_t> per_finest(grids.size() + 1, 0);
  for (const auto& counts : per_finest_of_worker) {
    for (std::size_t k = 0; k < counts.size(); ++k) per_finest[k] += counts[k];
  }
  summary.not_covered = per_finest[0];
  summary.per_cell.assign(grids.size(), 0);
  for (std::size_t k = 1; k < per_finest.size(); ++k) {
    for (CellId id = static_cast<CellId>(k - 1); id != kNoCell; id = grids.cell(id).parent) {
      summary.per_cell[static_cast<std::size_t>(id)] += per_finest[k];
    }
  }
  return summary;
}

}  // namespace libgrid
