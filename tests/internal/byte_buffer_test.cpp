#include "internal/byte_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace libgrid::internal {
namespace {

std::uintptr_t address(const ByteBuffer& buffer) {
  return reinterpret_cast<std::uintptr_t>(buffer.data());
}

// Grown a byte at a time and by leaps, past the size that takes huge pages: every byte kept,
// the start always on an O_DIRECT unit, and on a huge page once that large.
TEST(ByteBuffer, GrowingKeepsTheBytesAndTheAlignment) {
  ByteBuffer buffer;
  std::string expected;
  for (std::size_t step : {std::size_t{1}, std::size_t{4095}, std::size_t{70000},
                           std::size_t{2} << 20, std::size_t{3}, std::size_t{5} << 20}) {
    for (int k = 0; k < 3; ++k) {
      std::string piece(step, '\0');
      for (std::size_t i = 0; i < step; ++i) {
        piece[i] = static_cast<char>('a' + (expected.size() + i) % 26);
      }
      buffer.append(piece);
      expected += piece;
      ASSERT_EQ(buffer.size(), expected.size());
      ASSERT_GE(buffer.capacity(), buffer.size());
      EXPECT_EQ(address(buffer) % ByteBuffer::kAlignment, 0u) << buffer.capacity();
      if (buffer.capacity() >= (std::size_t{2} << 20)) {
        EXPECT_EQ(address(buffer) % (std::size_t{2} << 20), 0u) << buffer.capacity();
      }
    }
  }
  EXPECT_TRUE(buffer.view() == expected);
}

// reserve() takes what it is asked for, rounded to huge pages only from 2 MiB on, never
// doubles as growing by append does, and keeps the bytes.
TEST(ByteBuffer, ReserveTakesWhatIsAskedAndKeepsTheBytes) {
  ByteBuffer buffer;
  buffer.reserve(1000);
  EXPECT_EQ(buffer.capacity(), 1000u);
  buffer.assign("kept");
  buffer.reserve(1001);
  EXPECT_EQ(buffer.capacity(), 1001u);
  EXPECT_EQ(buffer.view(), "kept");
  buffer.reserve(10);  // smaller: nothing changes
  EXPECT_EQ(buffer.capacity(), 1001u);
  buffer.reserve((std::size_t{5} << 20) / 2);
  EXPECT_EQ(buffer.capacity(), std::size_t{4} << 20);
  EXPECT_EQ(address(buffer) % (std::size_t{2} << 20), 0u);
  EXPECT_EQ(buffer.view(), "kept");
  ByteBuffer grown;  // append from 1001 bytes to 1002 doubles
  grown.reserve(1001);
  grown.append(std::string(1002, 'x'));
  EXPECT_EQ(grown.capacity(), 2002u);
}

// The resident bytes of the mappings within [from, from + size), from /proc/self/smaps (the
// kernel splits a mapping where advice differs); -1 where there is no such file.
long long resident_bytes(const void* from, std::size_t size) {
  std::ifstream smaps("/proc/self/smaps");
  if (!smaps) return -1;
  const auto first = reinterpret_cast<std::uintptr_t>(from);
  bool inside = false;
  long long total = 0;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = first <= begin && end <= first + size;
    } else if (inside && line.rfind("Rss:", 0) == 0) {
      long long kb = 0;
      std::istringstream(line.substr(4)) >> kb;
      total += kb * 1024;
    }
  }
  return total;
}

// Filled to what was reserved, a buffer's rounding up to the next huge page stays untouched: a
// huge page is zeroed whole at its first touch, so only the whole ones asked for are huge.
TEST(ByteBuffer, OnlyTheBytesAskedForAreMadeResident) {
  ByteBuffer buffer;
  const std::size_t asked = (std::size_t{5} << 20) / 2;  // 2.5 MiB, in 4 MiB of room
  buffer.reserve(asked);
  ASSERT_EQ(buffer.capacity(), std::size_t{4} << 20);
  char* at = buffer.room(asked);
  for (std::size_t i = 0; i < asked; ++i) at[i] = static_cast<char>(i);
  buffer.commit(at + asked);
  const long long resident = resident_bytes(buffer.data(), buffer.capacity());
  if (resident < 0) GTEST_SKIP() << "no /proc/self/smaps here";
  EXPECT_GE(resident, static_cast<long long>(asked));
  EXPECT_LE(resident, static_cast<long long>(asked + ByteBuffer::kAlignment));
}

TEST(ByteBuffer, RoomCommitEraseAndSwap) {
  ByteBuffer a;
  char* at = a.room(10);
  for (char c : std::string("0123456789")) *at++ = c;
  a.commit(at);
  a.erase_front(3);
  EXPECT_EQ(a.view(), "3456789");
  a.resize_for_overwrite(4);
  EXPECT_EQ(a.view(), "3456");
  ByteBuffer b;
  b.assign("xyz");
  a.swap(b);
  EXPECT_EQ(a.view(), "xyz");
  EXPECT_EQ(b.view(), "3456");
  a.clear();
  EXPECT_TRUE(a.view().empty());
}

}  // namespace
}  // namespace libgrid::internal
