#include "internal/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libgrid/error.h"

namespace libgrid::internal {

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorKind::kIo, Location{.file = path},
                std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::kIo, Location{.file = path}, "not a regular file");
  }
  std::shared_ptr<MappedFile> file(new MappedFile());
  file->size_ = static_cast<std::size_t>(info.st_size);
  if (file->size_ > 0) {
    // Loading reads every page (checksum, structure check): faulting them in up front, in the
    // kernel, costs a fraction of taking one fault per page.
    void* p = mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
      const int error = errno;
      ::close(fd);
      throw Error(ErrorKind::kIo, Location{.file = path},
                  std::string("cannot map: ") + std::strerror(error));
    }
    file->data_ = static_cast<const unsigned char*>(p);
  }
  ::close(fd);  // the mapping stays valid
  return file;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) munmap(const_cast<unsigned char*>(data_), size_);
}

}  // namespace libgrid::internal
