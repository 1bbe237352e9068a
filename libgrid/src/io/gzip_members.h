// gzip members for streamed outputs, each chunk's text compressed on its own (gzip reads members
// one after another as one file). ISA-L's deflate at its level 1: on assign's output here, five
// times the speed of zlib's fastest level, and smaller.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "internal/byte_buffer.h"

namespace libgrid::internal {

class GzipMembers {
 public:
  GzipMembers();

  // Replaces `out` with one gzip member holding `text`. Throws Error(kIo) when compressing fails.
  void compress(std::string_view text, ByteBuffer& out);
  std::string member(std::string_view text);

 private:
  std::vector<std::uint8_t> level_buffer_;  // ISA-L's working memory for level 1, kept
};

}  // namespace libgrid::internal
