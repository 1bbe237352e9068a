#include "io/csv_chunk_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "io/csv_records.h"
#include "libgrid/error.h"
#include "libgrid/io/gzip_name.h"

namespace libgrid::internal {

// The file, read with read(2) or through zlib.
struct CsvChunkReader::Source {
  int fd = -1;
  gzFile gz = nullptr;
  std::uint64_t plain_read = 0;
  ~Source() {
    if (gz != nullptr) gzclose(gz);
    if (fd >= 0) ::close(fd);
  }
};

CsvChunkReader::CsvChunkReader(std::string path, std::size_t chunk_bytes)
    : path_(std::move(path)),
      chunk_bytes_(std::max<std::size_t>(1, chunk_bytes)),
      source_(std::make_unique<Source>()) {
  source_->fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (source_->fd < 0) {
    throw Error(ErrorKind::kIo, Location{.file = path_},
                std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(source_->fd, &info) == 0) file_size_ = static_cast<std::uint64_t>(info.st_size);
  if (is_gzip_name(path_)) {
    source_->gz = gzdopen(source_->fd, "rb");
    if (source_->gz == nullptr) throw Error(ErrorKind::kIo, Location{.file = path_}, "cannot open");
    source_->fd = -1;  // gzclose closes it
    gzbuffer(source_->gz, 1 << 18);
  }

  // The start decides the encoding; then the header is the first record.
  fill(1 << 16);
  const std::size_t bom = check_csv_start(pending_.view(), path_);
  pending_.erase_front(bom);
  while (scan(), boundary_ == 0 && !at_end_) fill(std::max<std::size_t>(chunk_bytes_, 1 << 16));
  const std::size_t header_end = boundary_ > 0 ? boundary_ : pending_.size();
  CsvRecords records(pending_.view().substr(0, header_end), path_, 0);
  std::vector<std::string_view> fields;
  if (!records.next(fields)) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path_}, "no header row");
  }
  header_.assign(fields.begin(), fields.end());
  pending_.erase_front(records.position());
  scanned_ = 0;
  in_quotes_ = false;
  boundary_ = 0;
}

CsvChunkReader::~CsvChunkReader() = default;

bool CsvChunkReader::fill(std::size_t bytes) {
  if (at_end_) return false;
  const std::size_t old = pending_.size();
  pending_.resize_for_overwrite(old + bytes);
  std::size_t got = 0;
  while (got < bytes) {
    if (source_->gz != nullptr) {
      const int n =
          gzread(source_->gz, pending_.data() + old + got, static_cast<unsigned>(bytes - got));
      if (n < 0) {
        int status = Z_OK;
        const char* message = gzerror(source_->gz, &status);
        throw Error(ErrorKind::kInvalidInput, Location{.file = path_},
                    std::string("corrupted gzip data (") + (message ? message : "") + ")");
      }
      if (n == 0) {
        // zlib reports a stream cut short only as an end without an error; gzread then
        // returns 0 while the stream is not finished.
        int status = Z_OK;
        gzerror(source_->gz, &status);
        if (status != Z_OK && status != Z_STREAM_END) {
          throw Error(ErrorKind::kInvalidInput, Location{.file = path_},
                      "truncated or corrupted gzip data");
        }
        at_end_ = true;
        break;
      }
      got += static_cast<std::size_t>(n);
    } else {
      const ssize_t n = ::read(source_->fd, pending_.data() + old + got, bytes - got);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(ErrorKind::kIo, Location{.file = path_},
                    std::string("cannot read: ") + std::strerror(errno));
      }
      if (n == 0) {
        at_end_ = true;
        break;
      }
      got += static_cast<std::size_t>(n);
      source_->plain_read += static_cast<std::uint64_t>(n);
    }
  }
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
    if (at_end_) {
      take = pending_.size();  // the last record may lack its line end
      break;
    }
    if (boundary_ > 0 && pending_.size() >= chunk_bytes_) {
      take = boundary_;
      break;
    }
    fill(chunk_bytes_);
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

std::uint64_t CsvChunkReader::bytes_read() const {
  if (source_->gz != nullptr) return static_cast<std::uint64_t>(gzoffset(source_->gz));
  return source_->plain_read;
}

}  // namespace libgrid::internal
