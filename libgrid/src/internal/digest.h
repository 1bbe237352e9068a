// A 64-bit digest of values fed one after another (XXH3-64 of libxxhash, seed 0, over the
// bytes given), for fingerprints of grid sets. Not cryptographic: it tells data apart, it does
// not detect tampering.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>

namespace libgrid::internal {

class Digest {
 public:
  Digest() : state_(XXH3_createState()) {
    if (state_ == nullptr) throw std::bad_alloc();
    XXH3_64bits_reset(state_.get());
  }

  void add_bytes(const void* data, std::size_t size) {
    XXH3_64bits_update(state_.get(), data, size);
  }
  void add_text(std::string_view text) {
    add_value(text.size());
    add_bytes(text.data(), text.size());
  }
  template <typename T>
  void add_value(const T& value) {
    add_bytes(&value, sizeof value);
  }

  std::uint64_t value() const { return XXH3_64bits_digest(state_.get()); }

 private:
  struct FreeState {
    void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
  };
  std::unique_ptr<XXH3_state_t, FreeState> state_;
};

}  // namespace libgrid::internal
