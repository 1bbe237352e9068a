#include "libgrid/assign/assign_csv.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "internal/text.h"
#include "io/csv_chunk_reader.h"
#include "io/csv_records.h"
#include "libgrid/assign/assign.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/thread_count.h"

namespace libgrid {
namespace {

// Points checked for a wrong CRS before anything is written.
constexpr std::size_t kCrsSample = 10000;

struct Job {
  std::size_t seq = 0;
  std::string text;
  std::uint64_t bytes_read = 0;
};

// A chunk, assigned and formatted. Messages in `error` count rows from the chunk's start.
struct ChunkResult {
  std::string output;
  std::vector<double> x, y;  // as read, for the CRS check
  std::vector<CellId> finest;
  std::int64_t empty_coordinates = 0;
  std::int64_t without_rule = 0;
  std::uint64_t bytes_read = 0;
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
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    throw Error(ErrorKind::kInvalidInput, Location{path, "", row, column},
                "not a number: '" + std::string(text) + "'");
  }
  return value;
}

// One gzip member holding `text`.
std::string gzip_member(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ErrorKind::kIo, "gzip: cannot start compressing");
  }
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw Error(ErrorKind::kIo, "gzip: compressing failed");
  return out;
}

// What every worker shares, and what each keeps of its own.
struct Columns {
  int x = -1, y = -1, event_class = -1, time = -1;
  std::size_t count = 0;
};

class ChunkWorker {
 public:
  ChunkWorker(const Assigner& assigner, const Columns& columns, const std::string& path, bool gzip)
      : assigner_(assigner), columns_(columns), path_(path), gzip_(gzip) {
    // The leading columns that depend on the cell alone are formatted once per cell.
    const auto& all = assigner.columns();
    while (prefix_columns_ < all.size() && depends_on_cell_only(all[prefix_columns_].kind)) {
      ++prefix_columns_;
    }
    with_due_ = !all.empty() && all.back().kind == AssignColumn::kDue;
    prefix_.resize(assigner.grids().size() + 1);
    has_prefix_.assign(assigner.grids().size() + 1, false);
  }

  void process(const std::string& text, ChunkResult& r) {
    internal::CsvRecords records(text, path_, 1);
    std::vector<std::string_view> fields;
    raws_.clear();
    classes_.clear();
    times_.clear();
    const auto& opts = assigner_.options();
    while (records.next(fields)) {
      const std::int64_t row = records.record();
      if (fields.size() != columns_.count) {
        throw Error(ErrorKind::kInvalidInput, Location{path_, "", row, ""},
                    "has " + std::to_string(fields.size()) + " fields, the header has " +
                        std::to_string(columns_.count));
      }
      raws_.push_back(records.raw());
      r.x.push_back(
          parse_coordinate(fields[static_cast<std::size_t>(columns_.x)], path_, row, opts.x_name));
      r.y.push_back(
          parse_coordinate(fields[static_cast<std::size_t>(columns_.y)], path_, row, opts.y_name));
      if (columns_.event_class >= 0) {
        classes_.push_back(fields[static_cast<std::size_t>(columns_.event_class)]);
      }
      if (columns_.time >= 0) times_.push_back(fields[static_cast<std::size_t>(columns_.time)]);
    }
    assigner_.assign({r.x, r.y, classes_, times_}, 1, batch_);
    r.empty_coordinates = batch_.empty_coordinates;

    // The columns between the cell's and due depend on the cell and the event class only:
    // formatted once per pair in a chunk.
    const auto& all = assigner_.columns();
    const std::size_t middle_end = with_due_ ? all.size() - 1 : all.size();
    middle_.clear();
    std::string& out = r.output;
    out.reserve(text.size() + raws_.size() * 48);
    for (std::size_t i = 0; i < raws_.size(); ++i) {
      out += raws_[i];
      out += prefix(batch_.finest[i]);
      const std::uint32_t rule = batch_.rule.empty() ? 0 : batch_.rule[i];
      if (prefix_columns_ < middle_end) {
        const std::uint64_t key =
            (static_cast<std::uint64_t>(static_cast<std::uint32_t>(batch_.finest[i] + 1)) << 32) |
            rule;
        auto [it, added] = middle_.try_emplace(key);
        if (added) {
          for (std::size_t c = prefix_columns_; c < middle_end; ++c) {
            it->second += ',';
            append_csv_field(it->second, assigner_.value(all[c], batch_, i, scratch_));
          }
        }
        out += it->second;
      }
      if (with_due_) {
        out += ',';
        if (batch_.due[i] != AssignedPoints::kNoDue) append_time(out, batch_.due[i]);
      }
      out += '\n';
      if (!batch_.rule.empty()) r.without_rule += !batch_.rules[rule].has_rule;
    }
    r.finest = std::move(batch_.finest);
    batch_.finest = {};
    if (gzip_) r.output = gzip_member(out);
  }

 private:
  // "YYYY-MM-DDTHH:MM" as format_local_time writes it, with the date's text made once per day.
  void append_time(std::string& out, LocalMinutes t) {
    constexpr LocalMinutes kDay = 24 * 60;
    const LocalMinutes day = (t >= 0 ? t : t - kDay + 1) / kDay;
    if (day != day_ || day_text_.empty()) {
      day_ = day;
      day_text_ = format_local_time(day * kDay).substr(0, 11);  // "YYYY-MM-DDT"
    }
    const LocalMinutes minute = t - day * kDay;
    const char hh_mm[5] = {
        static_cast<char>('0' + minute / 600), static_cast<char>('0' + minute / 60 % 10), ':',
        static_cast<char>('0' + minute % 60 / 10), static_cast<char>('0' + minute % 10)};
    out += day_text_;
    out.append(hh_mm, sizeof hh_mm);
  }

  static bool depends_on_cell_only(AssignColumn kind) {
    return kind == AssignColumn::kLevelCode || kind == AssignColumn::kGridWorker ||
           kind == AssignColumn::kGridWorkerId || kind == AssignColumn::kGridWorkerPhone ||
           kind == AssignColumn::kGridLeader || kind == AssignColumn::kInfoWorkers ||
           kind == AssignColumn::kEscalation;
  }

  const std::string& prefix(CellId finest) {
    const auto k = static_cast<std::size_t>(finest + 1);
    if (!has_prefix_[k]) {
      AssignedPoints one;
      one.finest = {finest};
      std::string& text = prefix_[k];
      for (std::size_t c = 0; c < prefix_columns_; ++c) {
        text += ',';
        append_csv_field(text, assigner_.value(assigner_.columns()[c], one, 0, scratch_));
      }
      has_prefix_[k] = true;
    }
    return prefix_[k];
  }

  const Assigner& assigner_;
  const Columns& columns_;
  const std::string& path_;
  bool gzip_;
  std::size_t prefix_columns_ = 0;
  bool with_due_ = false;
  std::unordered_map<std::uint64_t, std::string> middle_;
  LocalMinutes day_ = 0;
  std::string day_text_;
  std::vector<std::string> prefix_;
  std::vector<bool> has_prefix_;
  std::vector<std::string_view> raws_, classes_, times_;
  AssignedPoints batch_;
  std::string scratch_;
};

// The output file, written with write(2).
class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) fail();
  }
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail();
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail();
  }

 private:
  [[noreturn]] void fail() const {
    throw Error(ErrorKind::kIo, Location{.file = path_},
                std::string("cannot write: ") + std::strerror(errno));
  }
  std::string path_;
  int fd_ = -1;
};

// Errors of a chunk count rows from its start; the file's row numbers add the rows before it.
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

// The reader, the workers and the in-order writer's hand-over.
struct Pipeline {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Job> jobs;
  std::map<std::size_t, ChunkResult> done;
  std::size_t read = 0;     // chunks read
  std::size_t written = 0;  // chunks taken by the writer
  bool reading_done = false;
  bool stop = false;
  std::exception_ptr reader_error;
};

}  // namespace

AssignCsvSummary assign_csv(const GridSet& grids, const CellIndex& index,
                            const AssignCsvOptions& options) {
  const std::string& path = options.points_path;
  internal::CsvChunkReader reader(path, options.chunk_bytes);
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

  OutputFile output(options.output_path);
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
    output.write(options.gzip_output ? gzip_member(line) : line);
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
    p.changed.notify_all();
    for (auto& t : threads) t.join();
    threads.clear();
  };

  threads.emplace_back([&] {
    for (;;) {
      {
        std::unique_lock lock(p.mutex);
        p.changed.wait(lock, [&] { return p.stop || p.read - p.written < max_in_flight; });
        if (p.stop) return;
      }
      Job job;
      job.seq = p.read;
      bool more = false;
      std::exception_ptr error;
      try {
        more = reader.next(job.text);
        job.bytes_read = reader.bytes_read();
      } catch (...) {
        error = std::current_exception();
      }
      {
        std::lock_guard lock(p.mutex);
        if (more) {
          p.jobs.push_back(std::move(job));
          ++p.read;
        } else {
          p.reader_error = error;
          p.reading_done = true;
        }
      }
      p.changed.notify_all();
      if (!more) return;
    }
  });
  for (unsigned w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      ChunkWorker worker(assigner, columns, path, options.gzip_output);
      for (;;) {
        Job job;
        {
          std::unique_lock lock(p.mutex);
          p.changed.wait(lock, [&] { return p.stop || !p.jobs.empty() || p.reading_done; });
          if (p.stop || p.jobs.empty()) return;
          job = std::move(p.jobs.front());
          p.jobs.pop_front();
        }
        ChunkResult result;
        result.bytes_read = job.bytes_read;
        try {
          worker.process(job.text, result);
        } catch (...) {
          result.error = std::current_exception();
        }
        {
          std::lock_guard lock(p.mutex);
          p.done.emplace(job.seq, std::move(result));
        }
        p.changed.notify_all();
      }
    });
  }

  std::vector<std::int64_t> per_finest(grids.size() + 1, 0);
  // Nothing is written until the first points pass the CRS check.
  std::vector<ChunkResult> held;
  std::vector<double> sample_x, sample_y;
  std::size_t sample_covered = 0;
  bool checked = false;
  const auto check_sample = [&] {
    assigner.check_crs(sample_x, sample_y, sample_covered);
    checked = true;
    for (const ChunkResult& r : held) output.write(r.output);
    held.clear();
  };
  try {
    for (std::size_t seq = 0;; ++seq) {
      ChunkResult r;
      {
        std::unique_lock lock(p.mutex);
        p.changed.wait(lock,
                       [&] { return p.done.count(seq) > 0 || (p.reading_done && seq >= p.read); });
        auto it = p.done.find(seq);
        if (it == p.done.end()) {
          if (p.reader_error) std::rethrow_exception(p.reader_error);
          break;
        }
        r = std::move(it->second);
        p.done.erase(it);
        p.written = seq + 1;
      }
      p.changed.notify_all();
      if (r.error) rethrow_in_file(r.error, summary.rows);

      summary.rows += static_cast<std::int64_t>(r.finest.size());
      summary.empty_coordinates += r.empty_coordinates;
      summary.without_rule += r.without_rule;
      for (const CellId c : r.finest) ++per_finest[static_cast<std::size_t>(c + 1)];
      if (options.progress) options.progress(r.bytes_read, reader.file_size());
      if (checked) {
        output.write(r.output);
        continue;
      }
      for (std::size_t i = 0; i < r.x.size() && sample_x.size() < kCrsSample; ++i) {
        if (std::isnan(r.x[i]) || std::isnan(r.y[i])) continue;
        sample_x.push_back(r.x[i]);
        sample_y.push_back(r.y[i]);
        sample_covered += r.finest[i] != kNoCell;
      }
      r.x = {};
      r.y = {};
      r.finest = {};
      held.push_back(std::move(r));
      if (sample_x.size() >= kCrsSample) check_sample();
    }
    if (!checked) check_sample();
  } catch (...) {
    stop_all();
    throw;
  }
  stop_all();
  output.close();

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
