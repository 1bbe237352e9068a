// Writing bytes with write(2) until all are written or one write fails, keeping its errno: the
// reason a message gives when a disk is full or a file size limit is reached (std::ofstream
// keeps none).
#pragma once

#include <cstddef>
#include <string>

namespace libgrid::internal {

// Writes `size` bytes at `data` to `fd`; 0 when all are written, else the errno of the failure.
int write_all(int fd, const void* data, std::size_t size);

// Creates (or truncates) the file at `path` and writes `size` bytes at `data` to it; 0 when all
// are written and the file is closed, else the errno of the failure.
int write_file(const std::string& path, const void* data, std::size_t size);

}  // namespace libgrid::internal
