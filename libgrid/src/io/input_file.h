// A file read once from start to end, as the text it holds: through a gzip inflate when its first
// bytes are gzip's, whatever its name, so that a gzip file under any name, through a pipe or on
// standard input is read as one. Gzip members one after another are one file (as gzip writes
// them with -c >>), and zero bytes after the last member are padding; anything else after the
// gzip data is refused, which zlib's gzread would pass over without a word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace libgrid::internal {

class InputFile {
 public:
  // Opens `path` ("-": standard input) and reads its first bytes. Throws Error(kIo) naming the
  // file when it cannot be opened or read, Error(kInvalidInput) when its name ends in ".gz" (in
  // any case) but its bytes are not gzip data, when they are another compressed format's (xz,
  // bzip2, zstd, zip, 7-Zip), or when the file is a terminal.
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Reads up to `n` bytes of text at `into`: fewer only at the end of the file, 0 past it.
  // Throws Error(kInvalidInput) on truncated or corrupted gzip data and on bytes after it that
  // are not gzip, Error(kIo) on a read error.
  std::size_t read(char* into, std::size_t n);
  // Reads all the text that is left.
  std::string read_all();

  // What messages call the file: its path, or "standard input".
  const std::string& name() const { return name_; }
  bool gzip() const;
  // For progress: bytes of the file read and used so far (compressed bytes for gzip), and its
  // size: 0 where it is not known (a pipe).
  std::uint64_t bytes_read() const;
  // Bytes of the file read so far, wherever the reading stands (within a read() too), for a
  // thread other than the reader's.
  std::uint64_t bytes_arrived() const;
  std::uint64_t size() const { return size_; }

 private:
  struct Source;
  std::string name_;
  std::unique_ptr<Source> source_;
  std::uint64_t size_ = 0;
};

}  // namespace libgrid::internal
