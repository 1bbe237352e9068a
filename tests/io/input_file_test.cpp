#include "io/input_file.h"

#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"
#include "support/error_of.h"
#include "support/standard_input.h"
#include "support/test_data.h"

namespace libgrid::internal {
namespace {

using testing::error_of;

// One gzip member holding `text`, its header's optional fields from `header` when given.
std::string gzip_of(const std::string& text, gz_header* header = nullptr) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  if (header != nullptr) deflateSetHeader(&z, header);
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 256, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string write_file(const std::string& name, const std::string& bytes) {
  const std::string path = libgrid::testing::temporary_folder() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string some_text(int lines) {
  std::string text = "code,name\n";
  for (int i = 0; i < lines; ++i) text += std::to_string(i) + ",cell " + std::to_string(i) + "\n";
  return text;
}

TEST(InputFile, AFileReadsAsItIsWithItsSizeAndTheBytesUsed) {
  const std::string text = some_text(50000);
  const std::string path = write_file("plain.csv", text);
  InputFile file(path);
  EXPECT_FALSE(file.gzip());
  EXPECT_EQ(file.name(), path);
  EXPECT_EQ(file.size(), text.size());
  std::string first(1000, '\0');
  ASSERT_EQ(file.read(first.data(), first.size()), 1000u);
  EXPECT_EQ(first, text.substr(0, 1000));
  EXPECT_EQ(file.bytes_read(), 1000u);
  EXPECT_EQ(first + file.read_all(), text);
  EXPECT_EQ(file.bytes_read(), text.size());
  char more = 0;
  EXPECT_EQ(file.read(&more, 1), 0u);  // past the end
}

TEST(InputFile, GzipIsToldByItsBytesAndItsProgressCountsCompressedBytes) {
  const std::string text = some_text(50000);
  const std::string gz = gzip_of(text);
  const std::string path = write_file("named_plainly.csv", gz);
  InputFile file(path);
  EXPECT_TRUE(file.gzip());
  EXPECT_EQ(file.size(), gz.size());
  EXPECT_EQ(file.read_all(), text);
  EXPECT_EQ(file.bytes_read(), gz.size());
}

// gzip's optional header fields (a name, a comment, extra fields, a header CRC), as gzip and
// other tools write them, members one after another, and a member of nothing.
TEST(InputFile, GzipHeadersWithEveryOptionalFieldAndManyMembersRead) {
  std::string extra = {'A', 'B', 4, 0, 'd', 'a', 't', 'a'};  // one subfield, 4 bytes
  std::string name = "events.csv", comment = "made for a test";
  gz_header fields{};
  fields.extra = reinterpret_cast<Bytef*>(extra.data());
  fields.extra_len = static_cast<uInt>(extra.size());
  fields.name = reinterpret_cast<Bytef*>(name.data());
  fields.comment = reinterpret_cast<Bytef*>(comment.data());
  fields.hcrc = 1;
  const std::string text = some_text(30000);
  const std::string bytes = gzip_of(text.substr(0, 1000), &fields) + gzip_of("") +
                            gzip_of(text.substr(1000, 200000)) +
                            gzip_of(text.substr(201000), &fields);
  for (const std::size_t piece : {std::size_t{7}, std::size_t{1} << 20}) {
    InputFile file(write_file("fields.csv.gz", bytes));
    ASSERT_TRUE(file.gzip());
    std::string read;
    std::string buffer(piece, '\0');
    for (std::size_t got; (got = file.read(buffer.data(), piece)) > 0;) read.append(buffer, 0, got);
    EXPECT_EQ(read, text) << piece;
    EXPECT_EQ(file.bytes_read(), bytes.size());
  }
}

TEST(InputFile, StandardInputIsReadThroughAPipeOfUnknownSize) {
  const std::string text = some_text(20000);
  for (const bool compressed : {false, true}) {
    // One byte at a time first: gzip's two magic bytes arrive in two reads.
    for (const std::size_t piece : {std::size_t{1}, std::size_t{4096}}) {
      const std::string bytes = compressed ? gzip_of(text) : text;
      const std::string sent = piece == 1 ? bytes.substr(0, 3000) : bytes;
      const libgrid::testing::StandardInputFrom input(sent, piece);
      InputFile file("-");
      EXPECT_EQ(file.name(), "standard input");
      EXPECT_EQ(file.gzip(), compressed);
      EXPECT_EQ(file.size(), 0u);
      if (compressed && piece == 1) {
        EXPECT_EQ(error_of([&] { file.read_all(); }).what(),
                  std::string("standard input: truncated or corrupted gzip data"));
      } else {
        EXPECT_EQ(file.read_all(), piece == 1 ? text.substr(0, 3000) : text);
        EXPECT_EQ(file.bytes_read(), sent.size());
      }
    }
  }
}

// A terminal on standard input would have the run wait for rows typed by hand: refused.
TEST(InputFile, StandardInputFromATerminalIsRefused) {
  int terminal = -1, user_side = -1;
  ASSERT_EQ(openpty(&terminal, &user_side, nullptr, nullptr, nullptr), 0);
  const int saved = dup(STDIN_FILENO);
  dup2(user_side, STDIN_FILENO);
  const Error refused = error_of([] { InputFile file("-"); });
  dup2(saved, STDIN_FILENO);
  for (const int fd : {saved, user_side, terminal}) close(fd);
  EXPECT_EQ(refused.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(refused.what(),
            std::string("standard input: is a terminal, not a file: pipe the file in, or name it"));
}

TEST(InputFile, ATerminalByItsNameIsRefusedToo) {
  int terminal = -1, user_side = -1;
  char name[256] = {};
  ASSERT_EQ(openpty(&terminal, &user_side, name, nullptr, nullptr), 0);
  const Error refused = error_of([&] { InputFile file(name); });
  close(user_side);
  close(terminal);
  EXPECT_EQ(refused.what(),
            std::string(name) + ": is a terminal, not a file: pipe the file in, or name it");
}

// Data compressed some other way than gzip is told by its signature, not read as text.
TEST(InputFile, OtherCompressedFormatsAreNamed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("\xFD"
                   "7zXZ\0\0\x04",
                   8),
       "xz-compressed data"},
      {"BZh91AY&SY", "bzip2-compressed data"},
      {"\x28\xB5\x2F\xFD\x24\x10", "zstd-compressed data"},
      {"PK\x03\x04\x14\0", "a zip archive"},
      {"7z\xBC\xAF\x27\x1C\0\x04", "a 7-Zip archive"}};
  for (const auto& [bytes, format] : cases) {
    const std::string path = write_file("points.csv", bytes + std::string(100, 'x'));
    EXPECT_EQ(error_of([&] { InputFile file(path); }).what(),
              path + ": " + format + ", not CSV text: decompress it first (gzip is read as it is)");
  }
  // A header that merely starts like one is text.
  const std::string bz = write_file("bz.csv", "BZh,x,y\n");
  EXPECT_EQ(CsvTable::read(bz).header(), (std::vector<std::string>{"BZh", "x", "y"}));
}

// Tables (rosters, duty tables, calendars, events) are read the same way as gridtool assign's
// points: gzip by its bytes, and damage after the gzip data refused, not passed over.
TEST(InputFile, TablesTellGzipByItsBytesAndRefuseWhatFollowsIt) {
  const std::string text = some_text(10);
  const CsvTable table = CsvTable::read(write_file("roster.csv", gzip_of(text)));
  ASSERT_EQ(table.row_count(), 10u);
  EXPECT_EQ(table.row(9), (std::vector<std::string>{"9", "cell 9"}));
  const std::string appended = write_file("appended.csv.gz", gzip_of(text) + "more text\n");
  EXPECT_EQ(error_of([&] { CsvTable::read(appended); }).what(),
            appended +
                ": bytes after the end of the gzip data that are not gzip: the file is damaged or "
                "has something appended");
  const std::string members = write_file("members.gz", gzip_of(text) + gzip_of("10,cell 10\n"));
  EXPECT_EQ(CsvTable::read(members).row_count(), 11u);
  const std::string named = write_file("plain.csv.gz", text);
  EXPECT_EQ(error_of([&] { CsvTable::read(named); }).what(),
            named + ": the name ends in .gz but the file is not gzip data");
  const libgrid::testing::StandardInputFrom input(gzip_of(text));
  EXPECT_EQ(CsvTable::read("-").row_count(), 10u);
}

TEST(InputFile, AFileThatCannotBeOpenedOrReadIsNamed) {
  const std::string missing = libgrid::testing::temporary_folder() + "/missing.csv";
  const Error absent = error_of([&] { InputFile file(missing); });
  EXPECT_EQ(absent.kind(), ErrorKind::kIo);
  EXPECT_EQ(absent.what(), missing + ": cannot open: No such file or directory");
  const std::string folder = libgrid::testing::temporary_folder();
  EXPECT_EQ(error_of([&] { InputFile file(folder); }).what(),
            folder + ": cannot read: Is a directory");
}

}  // namespace
}  // namespace libgrid::internal
