// Assign for files: a points CSV in, the same rows with the assign columns out, streamed.
//
// A reader cuts the file into chunks of whole records, workers parse, look up and format chunks
// in parallel, and the output is written in order: memory stays constant whatever the file's
// size, and the output is the same bytes for any number of threads and any chunk size. Points
// ("-": standard input) are read through gzip when they start as gzip does, whatever the name
// (a pipe too; members one after another are one file); an output name ending in ".gz" is
// written through gzip (one member per chunk, which every gzip reader reads as one stream).
//
// Rows keep their text as it is (quotes, CRLF line ends become LF); rows without coordinates
// are kept, not covered, and counted. Any bad row stops the run with one Error naming the
// file, the row (1-based, not counting the header) and the column: fields not matching the
// header, a coordinate that is not a finite number, a time that is not one, a point that cannot
// be transformed; also points in the wrong CRS (see Assigner::check_crs, on the first ten
// thousand points), damaged gzip (truncated, a bad checksum, bytes after it that are not gzip)
// or a ".gz" name on data that is not gzip, UTF-16 text or a NUL byte anywhere, CR-only line
// ends, and a record longer than 64 MB (a quote never closed: the reader does not hold the rest
// of the file).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "libgrid/model/cell.h"
#include "libgrid/model/working_calendar.h"

namespace libgrid {

class CellIndex;
class GridSet;

// How the output file is written. kDirect bypasses the page cache (O_DIRECT): for outputs of
// gigabytes, the kernel then neither copies every byte into fresh cache pages (most of the CPU
// time the output costs) nor evicts what other programs cache, and the file is written at the
// disk's speed. kBuffered goes through the page cache, which absorbs a small output at once.
// kAuto: kDirect for points files of 64 MiB or more and for points of unknown size (a pipe,
// standard input). Where the filesystem refuses O_DIRECT, the page cache is used; the bytes are
// the same either way.
enum class OutputIo { kAuto, kDirect, kBuffered };

struct AssignCsvOptions {
  std::string points_path;
  // Where to write (a temporary file, typically); gzip'd when `gzip_output`.
  std::string output_path;
  // What messages call the output (the name the user gave); "" names output_path.
  std::string output_name{};
  bool gzip_output = false;
  // Column names; detected from the header when not given (see find_point_column).
  std::optional<std::string> x_column, y_column, class_column, time_column;
  std::string crs{};  // the points' CRS, "" = the grid set's
  int threads = 0;    // workers; 0 = every core
  // The working calendar for due times; none: the grid set's own.
  std::optional<WorkingCalendar> calendar{};
  std::size_t chunk_bytes = 1 << 20;
  OutputIo output_io = OutputIo::kAuto;
  // Called in order after each chunk with the bytes of the input read so far and its size.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress{};
};

struct AssignCsvSummary {
  std::int64_t rows = 0;
  std::int64_t not_covered = 0;  // rows without coordinates among them
  std::int64_t empty_coordinates = 0;
  std::int64_t without_rule = 0;  // with the duty columns: rows whose class has no rule
  bool with_duty = false;
  std::vector<std::int64_t> per_cell;  // rows whose path passes through each cell
};

// Throws Error as described above; the output file is then incomplete (the caller removes it).
AssignCsvSummary assign_csv(const GridSet& grids, const CellIndex& index,
                            const AssignCsvOptions& options);

}  // namespace libgrid
