// Bytes in one heap block, grown without first clearing what is about to be written over
// (std::string::resize zeroes every byte it adds: a pass over each chunk of a streamed file).
// The block starts on a 4096-byte boundary, so that a file opened with O_DIRECT can be written
// straight from it; a block of 2 MiB or more is in huge pages where the kernel allows (the
// whole huge pages of the size asked for: its rounding up takes 4 KiB pages as it is touched).
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

namespace libgrid::internal {

class ByteBuffer {
 public:
  static constexpr std::size_t kAlignment = 4096;

  ByteBuffer() = default;
  // A buffer moved from is empty, with no block.
  ByteBuffer(ByteBuffer&& other) noexcept { swap(other); }
  ByteBuffer& operator=(ByteBuffer&& other) noexcept {
    ByteBuffer taken(std::move(other));
    swap(taken);
    return *this;
  }

  // Room for `n` more bytes at the end; commit() says how many were written.
  char* room(std::size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    return data_.get() + size_;
  }
  void commit(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
  // Keeps the first min(n, size()) bytes; those past them are left as they were, unset.
  void resize_for_overwrite(std::size_t n) {
    if (n > capacity_) grow(n);
    size_ = n;
  }
  // Room for `n` bytes in all, and no more than that (rounded up to whole huge pages from
  // 2 MiB on): a buffer recycled for pieces of one size touches no page it does not use.
  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }
  void append(std::string_view bytes) {
    if (bytes.empty()) return;
    char* at = room(bytes.size());
    std::memcpy(at, bytes.data(), bytes.size());
    commit(at + bytes.size());
  }
  void assign(std::string_view bytes) {
    clear();
    append(bytes);
  }
  // Drops the first `n` bytes.
  void erase_front(std::size_t n) {
    n = std::min(n, size_);
    if (n == 0) return;
    std::memmove(data_.get(), data_.get() + n, size_ - n);
    size_ -= n;
  }
  void clear() { size_ = 0; }
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_.get(), size_}; }
  void swap(ByteBuffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

 private:
  void grow(std::size_t needed) { reallocate(std::max(needed, 2 * capacity_)); }
  void reallocate(std::size_t capacity);  // at least `capacity`, keeping the bytes
  // Frees a block as grow() made it: `bytes` long, in huge pages when that is 2 MiB or more.
  struct FreeBlock {
    std::size_t bytes;
    void operator()(char* p) const;
  };
  std::unique_ptr<char, FreeBlock> data_;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace libgrid::internal
