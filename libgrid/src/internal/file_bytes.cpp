#include "internal/file_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libgrid/error.h"

namespace libgrid::internal {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
  throw Error(ErrorKind::kIo, Location{.file = path}, what + ": " + std::strerror(error));
}

// The file opened for reading, closed when it goes out of scope.
class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) fail(path, "cannot open", errno);
    struct stat info {};
    if (fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd_);
      throw Error(ErrorKind::kIo, Location{.file = path}, "not a regular file");
    }
    size_ = static_cast<std::size_t>(info.st_size);
  }
  ~ReadOnlyFile() { ::close(fd_); }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

  int fd() const { return fd_; }
  std::size_t size() const { return size_; }

 private:
  int fd_;
  std::size_t size_ = 0;
};

}  // namespace

std::shared_ptr<const FileBytes> FileBytes::copy(const std::string& path) {
  const ReadOnlyFile file(path);
  std::shared_ptr<FileBytes> bytes(new FileBytes());
  if (file.size() == 0) return bytes;
  // Anonymous pages rather than the heap: page-aligned like a mapping, returned to the system
  // when the index goes, and write-protected once filled.
  void* p = mmap(nullptr, file.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) fail(path, "cannot allocate memory for the file", errno);
  bytes->data_ = static_cast<const unsigned char*>(p);
  bytes->reserved_ = file.size();
  // Huge pages where the system allows them: on the 166 MB city index, 4 KiB pages made the
  // copy ten times slower (faulting and zeroing each page as read() fills it).
  madvise(p, file.size(), MADV_HUGEPAGE);
  auto* into = static_cast<unsigned char*>(p);
  std::size_t have = 0;
  while (have < file.size()) {
    const ssize_t n = ::read(file.fd(), into + have, file.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "cannot read", errno);
    if (n == 0) break;  // cut short since it was opened: the reader reports a truncated file
    have += static_cast<std::size_t>(n);
  }
  bytes->size_ = have;
  mprotect(p, file.size(), PROT_READ);
  return bytes;
}

std::shared_ptr<const FileBytes> FileBytes::map(const std::string& path) {
  const ReadOnlyFile file(path);
  std::shared_ptr<FileBytes> bytes(new FileBytes());
  if (file.size() == 0) return bytes;
  // Loading reads every page (checksum, structure check): faulting them in up front, in the
  // kernel, costs a fraction of taking one fault per page.
  void* p = mmap(nullptr, file.size(), PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.fd(), 0);
  if (p == MAP_FAILED) fail(path, "cannot map", errno);
  bytes->data_ = static_cast<const unsigned char*>(p);
  bytes->size_ = bytes->reserved_ = file.size();
  return bytes;  // the mapping outlives the descriptor
}

FileBytes::~FileBytes() {
  if (data_ != nullptr) munmap(const_cast<unsigned char*>(data_), reserved_);
}

}  // namespace libgrid::internal
