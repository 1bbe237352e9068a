// A CSV file, plain or gzip'd, read in chunks of whole records (a quoted field may hold line
// ends, so a chunk ends only at a line end outside quotes), for streaming in constant memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "internal/byte_buffer.h"

namespace libgrid::internal {

class CsvChunkReader {
 public:
  // Opens the file and reads its header (a name ending in ".gz", in any case, is read through
  // gzip). Throws Error(kIo) when it cannot be read, Error(kInvalidInput) for no header or text
  // that is not UTF-8 CSV (see check_csv_start).
  CsvChunkReader(std::string path, std::size_t chunk_bytes);
  ~CsvChunkReader();
  CsvChunkReader(const CsvChunkReader&) = delete;
  CsvChunkReader& operator=(const CsvChunkReader&) = delete;

  const std::vector<std::string>& header() const { return header_; }

  // Replaces `chunk` with the next whole records: about chunk_bytes of them, more when one
  // record is longer. False at the end of the file. Throws Error(kInvalidInput) on truncated or
  // corrupted gzip data and Error(kIo) on a read error.
  bool next(ByteBuffer& chunk);

  // For progress: bytes of the file read so far (compressed bytes for gzip), and its size.
  std::uint64_t bytes_read() const;
  std::uint64_t file_size() const { return file_size_; }

 private:
  // Appends up to `bytes` from the file to pending_; false at the end of the file.
  bool fill(std::size_t bytes);
  // Scans pending_ from scanned_ for line ends outside quotes.
  void scan();

  struct Source;
  std::string path_;
  std::size_t chunk_bytes_;
  std::unique_ptr<Source> source_;
  std::uint64_t file_size_ = 0;
  std::vector<std::string> header_;
  ByteBuffer pending_;        // read, not yet handed out
  std::size_t scanned_ = 0;   // pending_[0, scanned_) is scanned
  bool in_quotes_ = false;    // at scanned_
  std::size_t boundary_ = 0;  // end of the last whole record in pending_ (after its line end)
  bool at_end_ = false;
};

}  // namespace libgrid::internal
