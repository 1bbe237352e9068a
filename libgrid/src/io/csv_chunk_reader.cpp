#include "io/csv_chunk_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/csv_records.h"
#include "libgrid/error.h"
#include "libgrid/io/gzip_name.h"

namespace libgrid::internal {

// The file, read with read(2), through zlib's inflate when it starts as gzip does.
struct CsvChunkReader::Source {
  int fd = -1;
  std::uint64_t raw_read = 0;  // bytes read from the file
  bool file_end = false;
  // Gzip only: the compressed bytes read and not yet inflated are z.next_in[0, z.avail_in).
  bool gzip = false;
  bool inflating = false;        // z is initialised
  bool between_members = false;  // a member ended: another one, zero padding or the end follow
  bool padding = false;          // zero bytes after the last member (as tapes pad; gzip allows)
  z_stream z{};
  std::vector<unsigned char> in;

  ~Source() {
    if (inflating) inflateEnd(&z);
    if (fd >= 0) ::close(fd);
  }

  // Reads up to `n` bytes at `into`: 0 at the end of the file.
  std::size_t read_some(void* into, std::size_t n, const std::string& path) {
    for (;;) {
      const ssize_t got = ::read(fd, into, n);
      if (got >= 0) {
        raw_read += static_cast<std::uint64_t>(got);
        if (got == 0) file_end = true;
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) {
        throw Error(ErrorKind::kIo, Location{.file = path},
                    std::string("cannot read: ") + std::strerror(errno));
      }
    }
  }

  // Moves the compressed bytes not yet inflated to the front of `in` and reads more after them.
  void read_input(const std::string& path) {
    if (file_end) return;
    if (z.avail_in > 0) std::memmove(in.data(), z.next_in, z.avail_in);
    z.next_in = in.data();
    z.avail_in +=
        static_cast<uInt>(read_some(in.data() + z.avail_in, in.size() - z.avail_in, path));
  }
};

CsvChunkReader::CsvChunkReader(std::string path, std::size_t chunk_bytes,
                               std::size_t max_record_bytes)
    : path_(std::move(path)),
      chunk_bytes_(std::max<std::size_t>(1, chunk_bytes)),
      max_record_bytes_(std::max<std::size_t>(1, max_record_bytes)),
      source_(std::make_unique<Source>()) {
  Source& source = *source_;
  source.fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (source.fd < 0) {
    throw Error(ErrorKind::kIo, Location{.file = path_},
                std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(source.fd, &info) == 0) file_size_ = static_cast<std::uint64_t>(info.st_size);

  // Gzip is told by its magic bytes, so that a gzip file under any name, or through a pipe, is
  // read as one.
  source.in.resize(std::size_t{1} << 18);
  source.z.next_in = source.in.data();
  // At most what was read before the header until now: the first chunk keeps its size.
  while (source.z.avail_in < 2 && !source.file_end) {
    source.z.avail_in += static_cast<uInt>(source.read_some(
        source.in.data() + source.z.avail_in, (std::size_t{1} << 16) - source.z.avail_in, path_));
  }
  source.gzip = source.z.avail_in >= 2 && source.in[0] == 0x1f && source.in[1] == 0x8b;
  if (source.gzip) {
    if (inflateInit2(&source.z, 15 + 16) != Z_OK) {
      throw Error(ErrorKind::kIo, Location{.file = path_}, "cannot start reading gzip data");
    }
    source.inflating = true;
  } else {
    if (is_gzip_name(path_) && source.z.avail_in > 0) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = path_},
                  "the name ends in .gz but the file is not gzip data");
    }
    pending_.append(
        std::string_view(reinterpret_cast<const char*>(source.in.data()), source.z.avail_in));
    source.z.avail_in = 0;
    source.in = {};
  }

  // The start decides the encoding; then the header is the first record.
  if (pending_.size() < (1u << 16)) fill((1u << 16) - pending_.size());
  const std::size_t bom = check_csv_start(pending_.view().substr(0, 1u << 16), path_);
  pending_.erase_front(bom);
  while (scan(), boundary_ == 0 && !at_end_) {
    if (pending_.size() > max_record_bytes_) record_too_long(0);
    fill(std::max<std::size_t>(chunk_bytes_, 1 << 16));
  }
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

void CsvChunkReader::record_too_long(std::int64_t feature) const {
  const std::size_t mb = max_record_bytes_ >> 20;
  const std::string what =
      "a record longer than " +
      (mb << 20 == max_record_bytes_ ? std::to_string(mb) + " MB"
                                     : std::to_string(max_record_bytes_) + " bytes") +
      // A quote open at the end of what was read is the likely cause.
      (in_quotes_ ? " (a quote never closed?)" : "");
  if (feature == 0)
    throw Error(ErrorKind::kInvalidInput, Location{.file = path_}, "header: " + what);
  throw Error(ErrorKind::kInvalidInput, Location{path_, "", feature, ""}, what);
}

bool CsvChunkReader::fill(std::size_t bytes) {
  if (at_end_) return false;
  const std::size_t old = pending_.size();
  pending_.resize_for_overwrite(old + bytes);
  std::size_t got = 0;
  if (source_->gzip) {
    got = inflate_into(pending_.data() + old, bytes);
  } else {
    while (got < bytes) {
      const std::size_t n = source_->read_some(pending_.data() + old + got, bytes - got, path_);
      if (n == 0) break;
      got += n;
    }
  }
  if (got < bytes) at_end_ = true;
  pending_.resize_for_overwrite(old + got);
  return got > 0;
}

std::size_t CsvChunkReader::inflate_into(char* into, std::size_t bytes) {
  Source& source = *source_;
  z_stream& z = source.z;
  std::size_t got = 0;
  while (got < bytes) {
    if (z.avail_in == 0) source.read_input(path_);
    if (source.between_members) {
      // Another member (concatenated gzip files are one gzip file), zero padding, or the end.
      while (z.avail_in > 0 && *z.next_in == 0) {
        ++z.next_in;
        --z.avail_in;
        source.padding = true;
      }
      if (z.avail_in == 0) {
        if (source.file_end) return got;
        continue;
      }
      if (z.avail_in < 2 && !source.file_end) {
        source.read_input(path_);
        continue;
      }
      if (source.padding || z.avail_in < 2 || z.next_in[0] != 0x1f || z.next_in[1] != 0x8b) {
        throw Error(ErrorKind::kInvalidInput, Location{.file = path_},
                    "bytes after the end of the gzip data that are not gzip: the file is "
                    "damaged or has something appended");
      }
      inflateReset(&z);
      source.between_members = false;
    }
    z.next_out = reinterpret_cast<Bytef*>(into + got);
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(bytes - got, std::size_t{1} << 30));
    const uInt room = z.avail_out;
    const int status = inflate(&z, Z_NO_FLUSH);
    got += room - z.avail_out;
    if (status == Z_STREAM_END) {
      source.between_members = true;
    } else if (status == Z_BUF_ERROR && z.avail_in == 0) {
      // No progress without more input: at the end of the file, the member was cut short.
      if (source.file_end) {
        throw Error(ErrorKind::kInvalidInput, Location{.file = path_},
                    "truncated or corrupted gzip data");
      }
    } else if (status != Z_OK) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = path_},
                  std::string("corrupted gzip data (") + (z.msg ? z.msg : "unknown error") + ")");
    }
  }
  return got;
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

std::uint64_t CsvChunkReader::bytes_read() const { return source_->raw_read - source_->z.avail_in; }

}  // namespace libgrid::internal
