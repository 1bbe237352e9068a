#include "io/sequential_file_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "libgrid/error.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid::internal {
namespace {

namespace fs = std::filesystem;

// Bytes no two places of which repeat within a block, so a misplaced block shows.
std::string numbered_bytes(std::size_t n) {
  std::string text;
  text.reserve(n);
  for (std::size_t i = 0; text.size() < n; ++i) text += std::to_string(i) + ',';
  text.resize(n);
  return text;
}

class SequentialFileWriterTest : public ::testing::TestWithParam<bool> {
 protected:
  SequentialFileWriterTest() {
    // ctest runs each test in a process of its own, side by side: a folder per test and process.
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test->name()) + "_" + std::to_string(::getpid());
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("libgrid_sequential_writer_" + name);
    fs::create_directories(dir_);
  }
  ~SequentialFileWriterTest() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// Sizes around the alignment unit (4096) and the block (4 MiB), written in pieces of every size
// from one byte to several blocks: the file holds exactly the bytes given, page cache or not.
TEST_P(SequentialFileWriterTest, TheFileHoldsExactlyTheBytesWritten) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4096}, std::size_t{4097},
        4 * kMiB - 1, 4 * kMiB, 4 * kMiB + 1, 13 * kMiB + 123}) {
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{4096}, std::size_t{100003}, 9 * kMiB}) {
      if (piece == 1 && size > 5 * kMiB) continue;  // slow, and adds nothing
      const std::string text = numbered_bytes(size);
      const fs::path path = dir_ / "out.csv";
      SequentialFileWriter writer(path.string(), GetParam());
      for (std::size_t at = 0; at < size; at += piece) {
        writer.write(std::string_view(text).substr(at, piece));
      }
      writer.close();
      EXPECT_EQ(writer.bytes_written(), size);
      ASSERT_EQ(fs::file_size(path), size) << "size " << size << ", pieces of " << piece;
      EXPECT_TRUE(libgrid::testing::file_bytes(path) == text)
          << "size " << size << ", pieces of " << piece;
    }
  }
}

// Buffers handed over whole, laid out from the file's offset in its alignment unit, between
// bytes copied in: the file holds them all in order, and every buffer comes back.
TEST_P(SequentialFileWriterTest, BuffersHandedOverWholeLandInOrderAndComeBack) {
  constexpr std::size_t kUnit = SequentialFileWriter::kAlignment;
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  const std::string text = numbered_bytes(30 * kMiB);
  const std::vector<std::size_t> sizes = {0,         1,         100,         kUnit - 1, kUnit,
                                          kUnit + 1, 3 * kUnit, 70000,       5 * kMiB,  2,
                                          kUnit - 2, 4 * kMiB,  9 * kMiB + 7};
  for (const bool copy_between : {false, true}) {
    const fs::path path = dir_ / "out.csv";
    SequentialFileWriter writer(path.string(), GetParam());
    std::size_t at = 0;
    int handed = 0;
    for (const std::size_t size : sizes) {
      if (copy_between) {
        // Some bytes copied in between, at times whole units and more: those go out as they
        // are, the last partial one into the next buffer's gap.
        const std::size_t copied = handed % 2 == 0 ? 5 : 3 * kUnit + 17;
        writer.write(std::string_view(text).substr(at, copied));
        at += copied;
      }
      const std::size_t gap = writer.bytes_written() % kUnit;
      ByteBuffer buffer;
      ASSERT_EQ(reinterpret_cast<std::uintptr_t>(buffer.room(gap + size)) % kUnit, 0u);
      buffer.resize_for_overwrite(gap);
      buffer.append(std::string_view(text).substr(at, size));
      at += size;
      writer.write_owned(std::move(buffer), gap);
      ++handed;
    }
    writer.close();
    EXPECT_EQ(writer.bytes_written(), at);
    ASSERT_EQ(fs::file_size(path), at);
    EXPECT_TRUE(libgrid::testing::file_bytes(path) == text.substr(0, at)) << copy_between;
    int back = 0;
    for (ByteBuffer buffer; writer.take_written(buffer);) ++back;
    EXPECT_EQ(back, handed);
  }
}

// A buffer laid out for another place would land bytes in the wrong place: refused.
TEST_P(SequentialFileWriterTest, ABufferLaidOutForAnotherPlaceIsRefused) {
  SequentialFileWriter writer((dir_ / "out.csv").string(), GetParam());
  writer.write("abc");
  ByteBuffer buffer;
  buffer.append("abcdef");
  EXPECT_THROW(writer.write_owned(std::move(buffer), 0), std::logic_error);
}

// A pipe, written past its unknown size: the bytes arrive in order.
TEST_P(SequentialFileWriterTest, APipeGetsTheBytesInOrder) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string received;
  std::thread reader([&] {
    char buffer[65536];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) received.append(buffer, n);
  });
  const std::string text = numbered_bytes(std::size_t{11} << 20);
  {
    SequentialFileWriter writer("/proc/self/fd/" + std::to_string(fds[1]), GetParam());
    ::close(fds[1]);
    for (std::size_t at = 0; at < text.size(); at += 1000003) {
      const std::size_t gap = writer.bytes_written() % SequentialFileWriter::kAlignment;
      ByteBuffer buffer;
      buffer.resize_for_overwrite(gap);
      buffer.append(std::string_view(text).substr(at, 1000003));
      writer.write_owned(std::move(buffer), gap);
    }
    writer.close();
  }
  reader.join();
  ::close(fds[0]);
  EXPECT_TRUE(received == text);
}

TEST_P(SequentialFileWriterTest, ReplacesWhatTheFileHeld) {
  const fs::path path = dir_ / "out.csv";
  std::ofstream(path) << numbered_bytes(100000);
  SequentialFileWriter writer(path.string(), GetParam());
  writer.write("a,b\n");
  writer.close();
  EXPECT_EQ(libgrid::testing::file_bytes(path), "a,b\n");
}

// A full disk: the write that fails is reported, by write() or at the latest by close().
TEST_P(SequentialFileWriterTest, AFailedWriteIsReportedWithTheFileAndTheReason) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  const Error e = testing::error_of([&] {
    SequentialFileWriter writer("/dev/full", GetParam());
    const std::string block = numbered_bytes(std::size_t{1} << 20);
    for (int i = 0; i < 64; ++i) writer.write(block);
    writer.close();
  });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
}

// Written through a temporary file (an unnamed one's /proc/self/fd path, say), the file is named
// as the user knows it.
TEST_P(SequentialFileWriterTest, AFailedWriteNamesTheFileAsTheUserKnowsIt) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  const Error e = testing::error_of([&] {
    SequentialFileWriter writer("/dev/full", GetParam(), "out.csv");
    writer.write(numbered_bytes(std::size_t{1} << 20));
    writer.close();
  });
  EXPECT_TRUE(std::string(e.what()).starts_with("out.csv: cannot write: ")) << e.what();
}

TEST_P(SequentialFileWriterTest, AFolderThatDoesNotExistIsNamed) {
  const fs::path path = dir_ / "absent" / "out.csv";
  const Error e = testing::error_of([&] { SequentialFileWriter(path.string(), GetParam()); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
}

// Given up without close() (a bad row further on): the writer stops and lets go of the file.
TEST_P(SequentialFileWriterTest, AbandonedWithoutClosingStopsAtOnce) {
  const fs::path path = dir_ / "out.csv";
  {
    SequentialFileWriter writer(path.string(), GetParam());
    writer.write(numbered_bytes(9 << 20));
  }
  EXPECT_LE(fs::file_size(path), std::uintmax_t{9} << 20);
  fs::remove(path);
  EXPECT_FALSE(fs::exists(path));
}

INSTANTIATE_TEST_SUITE_P(PageCacheOrNot, SequentialFileWriterTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Direct" : "Buffered"; });

}  // namespace
}  // namespace libgrid::internal
