// A fast 64-bit digest (four interleaved multiply-rotate lanes, in the style of xxHash64) for
// checksums of index files and fingerprints of grid sets. Not cryptographic: it detects
// truncation and corruption, not tampering.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace libgrid::internal {

class Digest {
 public:
  void add_bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    total_ += size;
    if (pending_size_ > 0) {  // complete a pending 32-byte block first
      const std::size_t take = std::min(size, sizeof pending_ - pending_size_);
      std::memcpy(pending_ + pending_size_, p, take);
      pending_size_ += take;
      p += take;
      size -= take;
      if (pending_size_ < sizeof pending_) return;
      block(pending_);
      pending_size_ = 0;
    }
    for (; size >= 32; p += 32, size -= 32) block(p);
    std::memcpy(pending_, p, size);
    pending_size_ = size;
  }
  void add_text(std::string_view text) {
    add_value(text.size());
    add_bytes(text.data(), text.size());
  }
  template <typename T>
  void add_value(const T& value) {
    add_bytes(&value, sizeof value);
  }

  std::uint64_t value() const {
    std::uint64_t h = rotl(lanes_[0], 1) + rotl(lanes_[1], 7) + rotl(lanes_[2], 12) +
                      rotl(lanes_[3], 18) + total_ * kPrime5;
    for (std::size_t i = 0; i < pending_size_; ++i) {
      h ^= pending_[i] * kPrime5;
      h = rotl(h, 11) * kPrime1;
    }
    h ^= h >> 33;
    h *= kPrime2;
    h ^= h >> 29;
    h *= kPrime3;
    h ^= h >> 32;
    return h;
  }

 private:
  static constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
  static constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;
  static constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ull;
  static constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ull;

  static std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

  void block(const unsigned char* p) {
    for (std::size_t lane = 0; lane < 4; ++lane) {
      std::uint64_t word;
      std::memcpy(&word, p + 8 * lane, 8);
      lanes_[lane] = rotl(lanes_[lane] + word * kPrime2, 31) * kPrime1;
    }
  }

  std::uint64_t lanes_[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
  unsigned char pending_[32] = {};
  std::size_t pending_size_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace libgrid::internal
