#include "io/csv_chunk_reader.h"

#include <algorithm>
#include <cstring>

#include "io/csv_records.h"
#include "io/input_file.h"
#include "libgrid/error.h"

namespace libgrid::internal {

CsvChunkReader::CsvChunkReader(const std::string& path, std::size_t chunk_bytes,
                               std::size_t max_record_bytes)
    : chunk_bytes_(std::max<std::size_t>(1, chunk_bytes)),
      max_record_bytes_(std::max<std::size_t>(1, max_record_bytes)),
      file_(std::make_unique<InputFile>(path)) {
  // The start decides the encoding; then the header is the first record.
  if (pending_.size() < (1u << 16)) fill((1u << 16) - pending_.size());
  const std::size_t bom = check_csv_start(pending_.view().substr(0, 1u << 16), name());
  pending_.erase_front(bom);
  while (scan(), boundary_ == 0 && !at_end_) {
    if (pending_.size() > max_record_bytes_) record_too_long(0);
    fill(std::max<std::size_t>(chunk_bytes_, 1 << 16));
  }
  const std::size_t header_end = boundary_ > 0 ? boundary_ : pending_.size();
  CsvRecords records(pending_.view().substr(0, header_end), name(), 0);
  std::vector<std::string_view> fields;
  if (!records.next(fields)) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = name()}, "no header row");
  }
  header_.assign(fields.begin(), fields.end());
  pending_.erase_front(records.position());
  scanned_ = 0;
  in_quotes_ = false;
  boundary_ = 0;
}

CsvChunkReader::~CsvChunkReader() = default;

void CsvChunkReader::record_too_long(std::int64_t feature) const {
  const std::size_t mb = max_record_bytes_ >> 20;
  const std::string what =
      "a record longer than " +
      (mb << 20 == max_record_bytes_ ? std::to_string(mb) + " MB"
                                     : std::to_string(max_record_bytes_) + " bytes") +
      // A quote open at the end of what was read is the likely cause.
      (in_quotes_ ? " (a quote never closed?)" : "");
  if (feature == 0)
    throw Error(ErrorKind::kInvalidInput, Location{.file = name()}, "header: " + what);
  throw Error(ErrorKind::kInvalidInput, Location{name(), "", feature, ""}, what);
}

bool CsvChunkReader::fill(std::size_t bytes) {
  if (at_end_) return false;
  const std::size_t old = pending_.size();
  pending_.resize_for_overwrite(old + bytes);
  const std::size_t got = file_->read(pending_.data() + old, bytes);
  if (got < bytes) at_end_ = true;
  pending_.resize_for_overwrite(old + got);
  return got > 0;
}

void CsvChunkReader::scan() {
  if (scanned_ >= pending_.size()) return;
  const char* const data = pending_.data();
  const std::size_t size = pending_.size();
  // The common case, a region without quotes: its last line end is the boundary.
  if (!in_quotes_ && std::memchr(data + scanned_, '"', size - scanned_) == nullptr) {
    const void* last = size > scanned_ ? memrchr(data + scanned_, '\n', size - scanned_) : nullptr;
    if (last != nullptr)
      boundary_ = static_cast<std::size_t>(static_cast<const char*>(last) - data) + 1;
    scanned_ = size;
    return;
  }
  for (std::size_t i = scanned_; i < size; ++i) {
    if (data[i] == '"') {
      in_quotes_ = !in_quotes_;  // "" inside quotes toggles twice
    } else if (data[i] == '\n' && !in_quotes_) {
      boundary_ = i + 1;
    }
  }
  scanned_ = size;
}

bool CsvChunkReader::next(ByteBuffer& chunk) {
  chunk.clear();
  std::size_t take = 0;
  for (;;) {
    scan();
    // What follows the boundary is part of one record: past the cap, the whole records before
    // it go first, and the next call fails naming it.
    if (pending_.size() - boundary_ > max_record_bytes_) {
      if (boundary_ == 0) record_too_long(1);
      take = boundary_;
      break;
    }
    if (at_end_) {
      take = pending_.size();  // the last record may lack its line end
      break;
    }
    if (boundary_ > 0 && pending_.size() >= chunk_bytes_) {
      take = boundary_;
      break;
    }
    // Up to a chunk in all, in a buffer of a chunk's size: the buffers handed round (and the
    // memory the run touches) stay a chunk each. Only a record longer than that grows one.
    if (pending_.size() < chunk_bytes_) {
      pending_.reserve(chunk_bytes_);
      fill(chunk_bytes_ - pending_.size());
    } else {
      fill(chunk_bytes_);
    }
  }
  if (take == 0) return false;
  // The chunk takes the buffer (no copy of the bulk); what follows the boundary, part of a
  // record, moves to the start of the chunk's old buffer.
  chunk.swap(pending_);
  pending_.assign(chunk.view().substr(take));
  chunk.resize_for_overwrite(take);
  // What is left was scanned from a record's start, so in_quotes_ still holds at its end; it
  // has no line end outside quotes.
  scanned_ = pending_.size();
  boundary_ = 0;
  return true;
}

std::uint64_t CsvChunkReader::bytes_read() const { return file_->bytes_read(); }

std::uint64_t CsvChunkReader::file_size() const { return file_->size(); }

std::uint64_t CsvChunkReader::bytes_arrived() const { return file_->bytes_arrived(); }

const std::string& CsvChunkReader::name() const { return file_->name(); }

}  // namespace libgrid::internal
