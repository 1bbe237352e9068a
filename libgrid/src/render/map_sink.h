// Where Cairo writes a map: through write(2) into the file, so that a failed write (a full disk,
// a file size limit) fails the run with its reason. Cairo's own file output does not always
// report one: a PDF cut short by the disk came out "written" and put in place.
#pragma once

#include <cairo.h>

#include <string>

namespace libgrid::internal {

class MapSink {
 public:
  // Opens (creates or truncates) the file at `path`; messages name it `name`. Error(kIo).
  MapSink(const std::string& path, std::string name);
  ~MapSink();
  MapSink(const MapSink&) = delete;
  MapSink& operator=(const MapSink&) = delete;

  // A cairo_write_func_t: pass the sink as its closure. After the first failed write, every
  // write fails.
  static cairo_status_t write(void* sink, const unsigned char* data, unsigned int length);
  // Writes `text` (a map Cairo made in memory); Error(kIo) naming the map and the reason.
  void write_text(const std::string& text);
  // Closes the file. Error(kIo) naming the map and the reason of the first failure, if any.
  void close();

 private:
  bool append(const unsigned char* data, std::size_t length);

  std::string name_;
  int fd_ = -1;
  int error_ = 0;  // errno of the first failed write
};

}  // namespace libgrid::internal
