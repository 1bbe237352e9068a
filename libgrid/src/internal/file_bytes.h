// A whole file's bytes in memory, read-only, page-aligned; released when the last owner lets go.
//
// Either copied into memory the process owns, which nothing done to the file afterwards can
// change, or mapped from the file, which processes share through the page cache but which is
// only valid while nobody writes to the file: a file truncated under a mapping kills the process
// with SIGBUS on the next read of a page past its end, one rewritten in place changes the bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace libgrid::internal {

class FileBytes {
 public:
  // Throw Error(kIo) naming the file when it cannot be opened, read or mapped, or is not a
  // regular file.
  static std::shared_ptr<const FileBytes> copy(const std::string& path);
  static std::shared_ptr<const FileBytes> map(const std::string& path);
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  FileBytes() = default;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;      // the file's bytes
  std::size_t reserved_ = 0;  // the bytes mapped, for munmap
};

}  // namespace libgrid::internal
