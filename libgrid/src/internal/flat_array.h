// A read-only array that either owns its elements or views memory owned elsewhere (a mapped
// index file), so the index's structures read the same way in both cases.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace libgrid::internal {

template <typename T>
class FlatArray {
 public:
  FlatArray() = default;
  explicit FlatArray(std::vector<T> values)
      : owned_(std::move(values)), data_(owned_.data()), size_(owned_.size()) {}
  // REQUIRES: `data` outlives this array and is suitably aligned for T.
  static FlatArray view(const T* data, std::size_t size) {
    FlatArray a;
    a.data_ = data;
    a.size_ = size;
    return a;
  }

  FlatArray(FlatArray&& other) noexcept { *this = std::move(other); }
  FlatArray& operator=(FlatArray&& other) noexcept {
    const bool owning = other.data_ == other.owned_.data();
    owned_ = std::move(other.owned_);
    data_ = owning ? owned_.data() : other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
    return *this;
  }
  FlatArray(const FlatArray&) = delete;
  FlatArray& operator=(const FlatArray&) = delete;

  const T& operator[](std::size_t i) const { return data_[i]; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::span<const T> span() const { return {data_, size_}; }
  std::size_t bytes() const { return size_ * sizeof(T); }

 private:
  std::vector<T> owned_;
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace libgrid::internal
