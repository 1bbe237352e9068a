#include "io/csv_chunk_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "libgrid/error.h"
#include "support/error_of.h"

namespace libgrid::internal {
namespace {

namespace fs = std::filesystem;

class CsvChunkReaderTest : public ::testing::Test {
 protected:
  CsvChunkReaderTest() {
    // ctest runs each test in a process of its own, side by side: a folder per test and process.
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("libgrid_csv_chunk_reader_" + std::string(test->name()) +
                                        "_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  ~CsvChunkReaderTest() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string write_gzip(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return path;
  }

  fs::path dir_;
};

// The records after the header, chunk after chunk, until the end or an error (whose message
// goes to `error`).
std::string read_records(CsvChunkReader& reader, std::string* error = nullptr) {
  std::string text;
  ByteBuffer chunk;
  try {
    while (reader.next(chunk)) text += chunk.view();
  } catch (const Error& e) {
    if (error == nullptr) throw;
    *error = e.what();
  }
  return text;
}

TEST_F(CsvChunkReaderTest, GzipOrNotTheSameRecordsAndAllBytesCountedForProgress) {
  std::string body;
  for (int i = 0; i < 2000; ++i)
    body += std::to_string(i) + ",\"a\nb\"," + std::to_string(i % 7) + "\n";
  const std::string plain = write("points.csv", "id,note,n\n" + body);
  const std::string gzip = write_gzip("points.gz", "id,note,n\n" + body);
  const std::string gzip_as_csv = write("gzip.csv", [&] {
    std::ifstream in(gzip, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }());
  for (const std::size_t chunk : {1, 7, 1 << 20}) {
    for (const std::string& path : {plain, gzip, gzip_as_csv}) {
      CsvChunkReader reader(path, chunk);
      EXPECT_EQ(reader.header(), (std::vector<std::string>{"id", "note", "n"}));
      EXPECT_EQ(read_records(reader), body) << path << ", chunks of " << chunk;
      EXPECT_EQ(reader.bytes_read(), fs::file_size(path)) << path;
    }
  }
}

// Records shorter than a chunk come in buffers of a chunk's size (or of the 64 kB first read to
// check the text's start), however the chunks end: the buffers handed round a streamed run touch
// no more memory than a chunk each. A longer record grows its chunk's buffer as it must.
TEST_F(CsvChunkReaderTest, ChunksFitBuffersOfTheChunkSizeUnlessARecordIsLonger) {
  std::string body;
  for (int i = 0; body.size() < (std::size_t{3} << 20); ++i) {
    body += std::to_string(i * 7919) + ",x" + std::string(i % 13, 'y') + "\n";
  }
  const std::string path = write("points.csv", "id,note\n" + body);
  for (const std::size_t chunk_bytes :
       {std::size_t{100}, std::size_t{99999}, std::size_t{1} << 20}) {
    CsvChunkReader reader(path, chunk_bytes);
    std::string text;
    ByteBuffer chunk, spare;
    std::size_t chunks = 0;
    while (reader.next(chunk)) {
      text += chunk.view();
      EXPECT_LE(chunk.capacity(), std::max(chunk_bytes, std::size_t{1} << 16))
          << "chunk " << chunks << " of " << chunk_bytes;
      chunk.swap(spare);  // buffers come back as a streamed run hands them round
      ++chunks;
    }
    EXPECT_EQ(text, body);
    EXPECT_GE(chunks, body.size() / chunk_bytes);
  }
  const std::string long_record = std::string(50000, 'z');
  const std::string long_path = write("long.csv", "id,note\n1,a\n2," + long_record + "\n3,c\n");
  CsvChunkReader reader(long_path, 4096);
  EXPECT_EQ(read_records(reader), "1,a\n2," + long_record + "\n3,c\n");
}

// A pipe hands out what was written so far: gzip is still told when its magic bytes come one
// read apart, and the rest is read to its end.
TEST_F(CsvChunkReaderTest, GzipThroughAPipeWrittenAByteAtATime) {
  std::string body;
  for (int i = 0; i < 300; ++i) body += std::to_string(i) + ",x\n";
  const std::string gzip = write_gzip("points.gz", "id,note\n" + body);
  const std::string bytes = [&] {
    std::ifstream in(gzip, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  std::thread writer([&] {
    for (const char c : bytes) {
      if (::write(ends[1], &c, 1) != 1) break;
      if (&c - bytes.data() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::close(ends[1]);
  });
  {
    CsvChunkReader reader("/dev/fd/" + std::to_string(ends[0]), 64);
    EXPECT_EQ(reader.header(), (std::vector<std::string>{"id", "note"}));
    EXPECT_EQ(read_records(reader), body);
  }
  writer.join();
  ::close(ends[0]);
}

TEST_F(CsvChunkReaderTest, RecordsBeforeAnOverlongOneAreHandedOutThenItIsRefused) {
  std::string before;
  for (int i = 0; i < 40; ++i) before += "1,2,\"three\"\n";
  const std::string path =
      write("runaway.csv", "a,b,c\n" + before + "1,2,\"never closed\n" + std::string(5000, 'x'));
  // A record of exactly the cap passes, with or without its line end.
  const std::string at_cap = "1,2," + std::string(996, 'y');
  const std::string fits = write("fits.csv", "a,b,c\n" + before + at_cap + "\n" + at_cap);
  // A line longer than the first read (64 KB), so that it is seen before its line end.
  const std::string long_line =
      write("long_line.csv", "a\n1\n" + std::string(100000, 'z') + "\n2\n");
  for (const std::size_t chunk : {1, 7, 100}) {
    CsvChunkReader reader(path, chunk, 1000);
    std::string error;
    EXPECT_EQ(read_records(reader, &error), before) << chunk;
    // Numbered from the first record not handed out: assign_csv adds the rows before it.
    EXPECT_EQ(error, path + ": feature 1: a record longer than 1000 bytes (a quote never closed?)");
    // Without a quote open, no guess at the cause.
    CsvChunkReader one_line(long_line, chunk, 1000);
    EXPECT_EQ(read_records(one_line, &error), "1\n");
    EXPECT_EQ(error, long_line + ": feature 1: a record longer than 1000 bytes");
    CsvChunkReader fitting(fits, chunk, 1000);
    EXPECT_EQ(read_records(fitting), before + at_cap + "\n" + at_cap) << chunk;
  }
}

TEST_F(CsvChunkReaderTest, AnOverlongHeaderIsRefused) {
  // Longer than the first read (64 KB): a shorter one comes whole and fails as unterminated.
  const std::string path = write("header.csv", "a,\"b\n" + std::string(200000, 'h') + "\n1\n");
  for (const std::size_t chunk : {1, 100}) {
    EXPECT_EQ(testing::error_of([&] { CsvChunkReader(path, chunk, 1000); }).what(),
              path + ": header: a record longer than 1000 bytes (a quote never closed?)");
  }
  // The limit in megabytes, as users see it.
  const std::string big = write("big.csv", "a,\"b\n" + std::string(2 << 20, 'h'));
  EXPECT_EQ(testing::error_of([&] { CsvChunkReader(big, 4096, 1 << 20); }).what(),
            big + ": header: a record longer than 1 MB (a quote never closed?)");
}

TEST_F(CsvChunkReaderTest, AnEmptyFileNamedGzHasNoHeader) {
  const std::string path = write("empty.csv.gz", "");
  EXPECT_EQ(testing::error_of([&] { CsvChunkReader(path, 100); }).what(), path + ": no header row");
}

}  // namespace
}  // namespace libgrid::internal
