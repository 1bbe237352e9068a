#include "io/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/io/gzip_name.h"
#include "libgrid/io/stream_names.h"

namespace libgrid::internal {

namespace {

// Enough of a file's start to tell the formats below.
constexpr unsigned kMagicBytes = 6;

// What a file that starts with `bytes` holds when it is compressed some other way than gzip (or
// archived), by the signatures of their formats; nullptr otherwise.
const char* compressed_format(const unsigned char* bytes, std::size_t size) {
  const auto starts = [&](std::initializer_list<unsigned char> magic) {
    return size >= magic.size() && std::equal(magic.begin(), magic.end(), bytes);
  };
  if (starts({0xFD, '7', 'z', 'X', 'Z', 0x00})) return "xz-compressed data";
  if (starts({'B', 'Z', 'h'}) && size >= 4 && bytes[3] >= '1' && bytes[3] <= '9')
    return "bzip2-compressed data";
  if (starts({0x28, 0xB5, 0x2F, 0xFD})) return "zstd-compressed data";
  if (starts({'P', 'K', 0x03, 0x04})) return "a zip archive";
  if (starts({'7', 'z', 0xBC, 0xAF, 0x27, 0x1C})) return "a 7-Zip archive";
  return nullptr;
}

}  // namespace

// The file's descriptor and, for gzip, zlib's stream. The bytes read from the file and not yet
// used are z.next_in[0, z.avail_in), for plain files too (the first bytes, read to tell gzip).
struct InputFile::Source {
  int fd = -1;
  bool owns_fd = true;                     // standard input stays open
  std::uint64_t raw_read = 0;              // bytes read from the file
  std::atomic<std::uint64_t> arrived = 0;  // raw_read, for other threads
  bool file_end = false;
  bool gzip = false;
  bool inflating = false;        // z is initialised
  bool between_members = false;  // a member ended: another one, zero padding or the end follow
  bool padding = false;          // zero bytes after the last member (as tapes pad; gzip allows)
  z_stream z{};
  std::vector<unsigned char> in;

  ~Source() {
    if (inflating) inflateEnd(&z);
    if (fd >= 0 && owns_fd) ::close(fd);
  }

  // Reads up to `n` bytes at `into`: 0 at the end of the file.
  std::size_t read_some(void* into, std::size_t n, const std::string& name) {
    for (;;) {
      const ssize_t got = ::read(fd, into, n);
      if (got >= 0) {
        raw_read += static_cast<std::uint64_t>(got);
        arrived.store(raw_read, std::memory_order_relaxed);
        if (got == 0) file_end = true;
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) {
        throw Error(ErrorKind::kIo, Location{.file = name},
                    std::string("cannot read: ") + std::strerror(errno));
      }
    }
  }

  // Moves the bytes not yet used to the front of `in` and reads more after them.
  void read_input(const std::string& name) {
    if (file_end) return;
    if (z.avail_in > 0) std::memmove(in.data(), z.next_in, z.avail_in);
    z.next_in = in.data();
    z.avail_in +=
        static_cast<uInt>(read_some(in.data() + z.avail_in, in.size() - z.avail_in, name));
  }

  // The gzip text: up to `n` bytes at `into`, fewer only at the end.
  std::size_t inflate_into(char* into, std::size_t n, const std::string& name);
};

std::size_t InputFile::Source::inflate_into(char* into, std::size_t n, const std::string& name) {
  std::size_t got = 0;
  while (got < n) {
    if (z.avail_in == 0) read_input(name);
    if (between_members) {
      // Another member (concatenated gzip files are one gzip file), zero padding, or the end.
      while (z.avail_in > 0 && *z.next_in == 0) {
        ++z.next_in;
        --z.avail_in;
        padding = true;
      }
      if (z.avail_in == 0) {
        if (file_end) return got;
        continue;
      }
      if (z.avail_in < 2 && !file_end) {
        read_input(name);
        continue;
      }
      if (padding || z.avail_in < 2 || z.next_in[0] != 0x1f || z.next_in[1] != 0x8b) {
        throw Error(ErrorKind::kInvalidInput, Location{.file = name},
                    "bytes after the end of the gzip data that are not gzip: the file is "
                    "damaged or has something appended");
      }
      inflateReset(&z);
      between_members = false;
    }
    z.next_out = reinterpret_cast<Bytef*>(into + got);
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(n - got, std::size_t{1} << 30));
    const uInt room = z.avail_out;
    const int status = inflate(&z, Z_NO_FLUSH);
    got += room - z.avail_out;
    if (status == Z_STREAM_END) {
      between_members = true;
    } else if (status == Z_BUF_ERROR && z.avail_in == 0) {
      // No progress without more input: at the end of the file, the member was cut short.
      if (file_end) {
        throw Error(ErrorKind::kInvalidInput, Location{.file = name},
                    "truncated or corrupted gzip data");
      }
    } else if (status != Z_OK) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = name},
                  std::string("corrupted gzip data (") + (z.msg ? z.msg : "unknown error") + ")");
    }
  }
  return got;
}

InputFile::InputFile(const std::string& path)
    : name_(input_name(path)), source_(std::make_unique<Source>()) {
  Source& source = *source_;
  if (path == "-") {
    source.fd = STDIN_FILENO;
    source.owns_fd = false;
  } else {
    source.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (source.fd < 0) {
      throw Error(ErrorKind::kIo, Location{.file = name_},
                  std::string("cannot open: ") + std::strerror(errno));
    }
  }
  // Read from a terminal ("-", /dev/stdin, /dev/tty), the run would wait for rows typed by hand,
  // with no word.
  if (::isatty(source.fd)) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = name_},
                "is a terminal, not a file: pipe the file in, or name it");
  }
  struct stat info {};
  if (::fstat(source.fd, &info) == 0 && S_ISREG(info.st_mode))
    size_ = static_cast<std::uint64_t>(info.st_size);

  // The first bytes tell gzip and the other compressed formats (a pipe may give them one at a
  // time).
  source.in.resize(std::size_t{1} << 18);
  source.z.next_in = source.in.data();
  while (source.z.avail_in < kMagicBytes && !source.file_end) {
    source.z.avail_in += static_cast<uInt>(source.read_some(
        source.in.data() + source.z.avail_in, (std::size_t{1} << 16) - source.z.avail_in, name_));
  }
  source.gzip = source.z.avail_in >= 2 && source.in[0] == 0x1f && source.in[1] == 0x8b;
  if (source.gzip) {
    if (inflateInit2(&source.z, 15 + 16) != Z_OK) {
      throw Error(ErrorKind::kIo, Location{.file = name_}, "cannot start reading gzip data");
    }
    source.inflating = true;
  } else if (const char* format = compressed_format(source.in.data(), source.z.avail_in)) {
    throw Error(
        ErrorKind::kInvalidInput, Location{.file = name_},
        std::string(format) + ", not CSV text: decompress it first (gzip is read as it is)");
  } else if (is_gzip_name(path) && source.z.avail_in > 0) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = name_},
                "the name ends in .gz but the file is not gzip data");
  }
}

InputFile::~InputFile() = default;

bool InputFile::gzip() const { return source_->gzip; }

std::uint64_t InputFile::bytes_read() const { return source_->raw_read - source_->z.avail_in; }

std::uint64_t InputFile::bytes_arrived() const {
  return source_->arrived.load(std::memory_order_relaxed);
}

std::size_t InputFile::read(char* into, std::size_t n) {
  Source& source = *source_;
  if (source.gzip) return source.inflate_into(into, n, name_);
  // The first bytes, read to tell gzip, then the file straight into `into`.
  z_stream& z = source.z;
  std::size_t got = std::min<std::size_t>(n, z.avail_in);
  if (got > 0) {
    std::memcpy(into, z.next_in, got);
    z.next_in += got;
    z.avail_in -= static_cast<uInt>(got);
    if (z.avail_in == 0) source.in = {};
  }
  while (got < n && !source.file_end) got += source.read_some(into + got, n - got, name_);
  return got;
}

std::string InputFile::read_all() {
  std::string text;
  std::size_t size = 0;
  for (;;) {
    // Room for the rest of a regular file's bytes at once, else 1 MB more at a time.
    const std::size_t room = std::max<std::size_t>(std::size_t{1} << 20,
                                                   size_ > bytes_read() ? size_ - bytes_read() : 0);
    text.resize(size + room);
    const std::size_t got = read(text.data() + size, room);
    size += got;
    if (got < room) break;
  }
  text.resize(size);
  return text;
}

}  // namespace libgrid::internal
