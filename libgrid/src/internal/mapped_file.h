// A whole file mapped read-only into memory; unmapped when the last owner lets go.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace libgrid::internal {

class MappedFile {
 public:
  // Throws Error(kIo) naming the file when it cannot be opened or mapped.
  static std::shared_ptr<const MappedFile> open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  MappedFile() = default;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace libgrid::internal
