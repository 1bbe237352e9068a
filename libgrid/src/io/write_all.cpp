#include "io/write_all.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace libgrid::internal {

int write_all(int fd, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

int write_file(const std::string& path, const void* data, std::size_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  const int error = write_all(fd, data, size);
  if (::close(fd) != 0 && error == 0) return errno;
  return error;
}

}  // namespace libgrid::internal
