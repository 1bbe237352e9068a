// A CSV file, plain or gzip'd, read in chunks of whole records (a quoted field may hold line
// ends, so a chunk ends only at a line end outside quotes), for streaming in constant memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "internal/byte_buffer.h"

namespace libgrid::internal {

class InputFile;

// The longest record the reader holds. A chunk ends only at a line end outside quotes, so one
// quote never closed would otherwise make the reader hold the rest of the file; real records
// (a note with a photo's text pasted in) stay far below this.
inline constexpr std::size_t kMaxCsvRecordBytes = std::size_t{64} << 20;

class CsvChunkReader {
 public:
  // Opens the file ("-": standard input; see InputFile, which also tells gzip) and reads its
  // header. Throws Error(kIo) when it cannot be read, Error(kInvalidInput) for a ".gz" name on
  // data that is not gzip, Error(kInvalidInput) for no header, text that is not UTF-8
  // CSV (see check_csv_start) or a header longer than `max_record_bytes`.
  CsvChunkReader(const std::string& path, std::size_t chunk_bytes,
                 std::size_t max_record_bytes = kMaxCsvRecordBytes);
  ~CsvChunkReader();
  CsvChunkReader(const CsvChunkReader&) = delete;
  CsvChunkReader& operator=(const CsvChunkReader&) = delete;

  const std::vector<std::string>& header() const { return header_; }

  // Replaces `chunk` with the next whole records: about chunk_bytes of them, more when one
  // record is longer. False at the end of the file. Throws Error(kInvalidInput) on truncated or
  // corrupted gzip data, data after the gzip data that is not gzip, and a record longer than
  // max_record_bytes (its feature number counts from the first record not yet handed out: 1 is
  // the record after the last chunk); Error(kIo) on a read error.
  bool next(ByteBuffer& chunk);

  // What messages call the file: its path, or "standard input".
  const std::string& name() const;
  // For progress: bytes of the file read so far (compressed bytes for gzip), and its size (0
  // where it is not known: a pipe).
  std::uint64_t bytes_read() const;
  std::uint64_t file_size() const;
  // Bytes of the file read so far, from any thread, while next() waits for a slow pipe too.
  std::uint64_t bytes_arrived() const;

 private:
  // Appends up to `bytes` of the file's text to pending_; false at the end of the file.
  bool fill(std::size_t bytes);
  // Scans pending_ from scanned_ for line ends outside quotes.
  void scan();
  // Throws the error for a record of more than max_record_bytes_ (the one pending_ ends in,
  // scanned): `feature` 0 is the header.
  [[noreturn]] void record_too_long(std::int64_t feature) const;

  std::size_t chunk_bytes_;
  std::size_t max_record_bytes_;
  std::unique_ptr<InputFile> file_;
  std::vector<std::string> header_;
  ByteBuffer pending_;        // read, not yet handed out
  std::size_t scanned_ = 0;   // pending_[0, scanned_) is scanned
  bool in_quotes_ = false;    // at scanned_
  std::size_t boundary_ = 0;  // end of the last whole record in pending_ (after its line end)
  bool at_end_ = false;
};

}  // namespace libgrid::internal
