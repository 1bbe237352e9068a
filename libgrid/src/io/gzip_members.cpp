#include "io/gzip_members.h"

#include <isa-l/igzip_lib.h>

#include <limits>

#include "libgrid/error.h"

namespace libgrid::internal {

GzipMembers::GzipMembers() : level_buffer_(ISAL_DEF_LVL1_DEFAULT) {}

void GzipMembers::compress(std::string_view text, ByteBuffer& out) {
  if (text.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
    throw Error(ErrorKind::kIo, "gzip: a chunk of 2 GB or more cannot be compressed as one member");
  }
  // A member is at most the text in stored blocks (5 bytes a block of up to 64 KB) with
  // ISA-L's largest block header and gzip's header and trailer; twice as much on the unlikely
  // overflow.
  std::size_t bound = text.size() + text.size() / 1024 + 1024;
  for (;;) {
    isal_zstream z{};
    isal_deflate_stateless_init(&z);
    z.level = 1;
    z.level_buf = level_buffer_.data();
    z.level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
    z.gzip_flag = IGZIP_GZIP;
    z.end_of_stream = 1;
    z.flush = NO_FLUSH;
    z.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<std::uint32_t>(text.size());
    out.clear();
    char* const at = out.room(bound);
    z.next_out = reinterpret_cast<std::uint8_t*>(at);
    z.avail_out = static_cast<std::uint32_t>(bound);
    const int status = isal_deflate_stateless(&z);
    if (status == COMP_OK) {
      out.commit(at + z.total_out);
      return;
    }
    if (status != STATELESS_OVERFLOW) throw Error(ErrorKind::kIo, "gzip: compressing failed");
    bound *= 2;
  }
}

std::string GzipMembers::member(std::string_view text) {
  ByteBuffer out;
  compress(text, out);
  return std::string(out.view());
}

}  // namespace libgrid::internal
