#include "render/map_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/write_all.h"
#include "libgrid/error.h"

namespace libgrid::internal {

MapSink::MapSink(const std::string& path, std::string name) : name_(std::move(name)) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    throw Error(ErrorKind::kIo, Location{.file = name_},
                std::string("cannot write the map: ") + std::strerror(errno));
  }
}

MapSink::~MapSink() {
  if (fd_ >= 0) ::close(fd_);
}

bool MapSink::append(const unsigned char* data, std::size_t length) {
  if (error_ == 0) error_ = write_all(fd_, data, length);
  return error_ == 0;
}

cairo_status_t MapSink::write(void* sink, const unsigned char* data, unsigned int length) {
  return static_cast<MapSink*>(sink)->append(data, length) ? CAIRO_STATUS_SUCCESS
                                                           : CAIRO_STATUS_WRITE_ERROR;
}

void MapSink::write_text(const std::string& text) {
  append(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

void MapSink::close() {
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && error_ == 0) error_ = errno;
  if (error_ != 0) {
    throw Error(ErrorKind::kIo, Location{.file = name_},
                std::string("cannot write the map: ") + std::strerror(error_));
  }
}

}  // namespace libgrid::internal
