#include "io/input_file.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <sys/stat.h>
#include <unistd.h>

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

// What ISA-L's inflate returned, for a message.
const char* inflate_error(int status) {
  switch (status) {
    case ISAL_INCORRECT_CHECKSUM:
      return "incorrect data check";
    case ISAL_INVALID_WRAPPER:
      return "incorrect header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unknown compression method";
    case ISAL_INVALID_LOOKBACK:
      return "invalid distance too far back";
    case ISAL_INVALID_SYMBOL:
      return "invalid code";
    default:
      return "invalid block";
  }
}

}  // namespace

// The file's descriptor and, for gzip, ISA-L's inflate state (several times the speed of
// zlib's inflate). The bytes read from the file and not yet used are next_in[0, avail_in), for
// plain files too (the first bytes, read to tell gzip).
struct InputFile::Source {
  int fd = -1;
  bool owns_fd = true;                     // standard input stays open
  std::uint64_t raw_read = 0;              // bytes read from the file
  std::atomic<std::uint64_t> arrived = 0;  // raw_read, for other threads
  bool file_end = false;
  bool gzip = false;
  bool between_members = false;  // a member ended: another one, zero padding or the end follow
  bool padding = false;          // zero bytes after the last member (as tapes pad; gzip allows)
  std::unique_ptr<inflate_state> inflate;  // for gzip
  std::vector<unsigned char> in;
  unsigned char* next_in = nullptr;
  std::size_t avail_in = 0;

  ~Source() {
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
    if (avail_in > 0) std::memmove(in.data(), next_in, avail_in);
    next_in = in.data();
    avail_in += read_some(in.data() + avail_in, in.size() - avail_in, name);
  }

  // A gzip member starts: its header, text and trailer (CRC-32 and length, checked) follow.
  void start_member() {
    isal_inflate_init(inflate.get());
    inflate->crc_flag = ISAL_GZIP;
  }

  // The gzip text: up to `n` bytes at `into`, fewer only at the end.
  std::size_t inflate_into(char* into, std::size_t n, const std::string& name);
};

std::size_t InputFile::Source::inflate_into(char* into, std::size_t n, const std::string& name) {
  std::size_t got = 0;
  while (got < n) {
    if (avail_in == 0) read_input(name);
    if (between_members) {
      // Another member (concatenated gzip files are one gzip file), zero padding, or the end.
      while (avail_in > 0 && *next_in == 0) {
        ++next_in;
        --avail_in;
        padding = true;
      }
      if (avail_in == 0) {
        if (file_end) return got;
        continue;
      }
      if (avail_in < 2 && !file_end) {
        read_input(name);
        continue;
      }
      if (padding || avail_in < 2 || next_in[0] != 0x1f || next_in[1] != 0x8b) {
        throw Error(ErrorKind::kInvalidInput, Location{.file = name},
                    "bytes after the end of the gzip data that are not gzip: the file is "
                    "damaged or has something appended");
      }
      start_member();
      between_members = false;
    }
    inflate_state& z = *inflate;
    z.next_in = next_in;
    z.avail_in = static_cast<std::uint32_t>(std::min<std::size_t>(avail_in, std::size_t{1} << 30));
    const std::uint32_t offered = z.avail_in;
    z.next_out = reinterpret_cast<std::uint8_t*>(into + got);
    z.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(n - got, std::size_t{1} << 30));
    const std::uint32_t room = z.avail_out;
    const int status = isal_inflate(&z);
    next_in = z.next_in;
    avail_in -= offered - z.avail_in;
    got += room - z.avail_out;
    if (status < 0) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = name},
                  std::string("corrupted gzip data (") + inflate_error(status) + ")");
    }
    if (z.block_state == ISAL_BLOCK_FINISH) {
      between_members = true;
    } else if (room == z.avail_out && avail_in == 0 && file_end) {
      // No progress, and no more input: the member was cut short.
      throw Error(ErrorKind::kInvalidInput, Location{.file = name},
                  "truncated or corrupted gzip data");
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
#if defined(F_SETPIPE_SZ)
  // A pipe holds 64 kB: the program writing into it and this one would take turns every 64 kB,
  // a switch between them each time. Asked for 1 MB (the most an unprivileged program gets by
  // default); where refused, the pipe stays as it is.
  if (S_ISFIFO(info.st_mode)) ::fcntl(source.fd, F_SETPIPE_SZ, 1 << 20);
#endif

  // The first bytes tell gzip and the other compressed formats (a pipe may give them one at a
  // time).
  source.in.resize(std::size_t{1} << 18);
  source.next_in = source.in.data();
  while (source.avail_in < kMagicBytes && !source.file_end) {
    source.avail_in += source.read_some(source.in.data() + source.avail_in,
                                        (std::size_t{1} << 16) - source.avail_in, name_);
  }
  source.gzip = source.avail_in >= 2 && source.in[0] == 0x1f && source.in[1] == 0x8b;
  if (source.gzip) {
    source.inflate = std::make_unique<inflate_state>();
    source.start_member();
  } else if (const char* format = compressed_format(source.in.data(), source.avail_in)) {
    throw Error(
        ErrorKind::kInvalidInput, Location{.file = name_},
        std::string(format) + ", not CSV text: decompress it first (gzip is read as it is)");
  } else if (is_gzip_name(path) && source.avail_in > 0) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = name_},
                "the name ends in .gz but the file is not gzip data");
  }
}

InputFile::~InputFile() = default;

bool InputFile::gzip() const { return source_->gzip; }

std::uint64_t InputFile::bytes_read() const { return source_->raw_read - source_->avail_in; }

std::uint64_t InputFile::bytes_arrived() const {
  return source_->arrived.load(std::memory_order_relaxed);
}

std::size_t InputFile::read(char* into, std::size_t n) {
  Source& source = *source_;
  if (source.gzip) return source.inflate_into(into, n, name_);
  // The first bytes, read to tell gzip, then the file straight into `into`.
  std::size_t got = std::min<std::size_t>(n, source.avail_in);
  if (got > 0) {
    std::memcpy(into, source.next_in, got);
    source.next_in += got;
    source.avail_in -= got;
    if (source.avail_in == 0) source.in = {};
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
