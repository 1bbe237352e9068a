#include "libgrid/assign/assign_csv.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "libgrid/duty/deadline.h"
#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "support/error_of.h"
#include "support/standard_input.h"
#include "support/test_data.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;
using testing::box;

void write_all(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string gunzip(const fs::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  std::string text;
  char buffer[4096];
  for (int n; (n = gzread(f, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  gzclose(f);
  return text;
}

void gzip_to(const fs::path& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

class AssignCsvTest : public ::testing::Test {
 protected:
  AssignCsvTest() {
    dir_ =
        fs::temp_directory_path() /
        ("libgrid_assign_csv_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    grids_.set_crs("EPSG:32650");
    grids_.add_level("community");
    grids_.add_level("grid");
    const CellId c = grids_.add_cell(
        {.code = "001", .geometry = parse_wkt_area(box(500000, 4420000, 500200, 4420100))});
    for (int g = 0; g < 4; ++g) {
      grids_.add_cell(
          {.code = "00100" + std::to_string(g + 1),
           .level = 1,
           .parent = c,
           .geometry = parse_wkt_area(box(500000 + 50 * g, 4420000, 500050 + 50 * g, 4420100))});
    }
    grids_.roster().entries.push_back(
        {"001001", Role::kGridWorker, {"P1", "Worker, \"one\"", "1"}});
    grids_.duty_table().rules.push_back(
        {"01", "", "Sanitation", "community", 8, DeadlineUnit::kWorkingHours});
    index_ = std::make_unique<CellIndex>(grids_);
  }
  ~AssignCsvTest() override { fs::remove_all(dir_); }

  // A file with everything a CSV may hold: a BOM, CRLF, quoted fields with commas, quotes and
  // line ends (some long enough to span many tiny chunks), blank lines, rows without coordinates.
  std::string tricky_points(int rows) const {
    std::string text = "\xEF\xBB\xBFid,note,x,y,event_class,reported_at\r\n";
    for (int i = 0; i < rows; ++i) {
      text += std::to_string(i) + ",";
      if (i % 7 == 0)
        text += "\"line one\nline \"\"two\"\", with a comma\r\nthree\"";
      else if (i % 5 == 0)
        text += std::string(i % 40, 'n');
      text += ",";
      if (i % 11 == 3) {
        text += ",";  // no coordinates
      } else {
        text += std::to_string(500000 + (i * 37) % 260) + "," + std::to_string(4420000 + i % 100);
      }
      text += i % 3 ? ",0101,2026-11-20T17:00" : ",02,";
      text += i % 2 ? "\r\n" : "\n";
      if (i % 50 == 0) text += "\n";
    }
    return text;
  }

  AssignCsvSummary run(const std::string& input, const std::string& output, int threads,
                       std::size_t chunk_bytes, OutputIo output_io = OutputIo::kAuto) {
    AssignCsvOptions options;
    options.output_io = output_io;
    options.points_path = input == "-" ? input : (dir_ / input).string();
    options.output_path = (dir_ / output).string();
    options.gzip_output = output.ends_with(".gz");
    options.threads = threads;
    options.chunk_bytes = chunk_bytes;
    return assign_csv(grids_, *index_, options);
  }

  std::string message_of(const std::function<void()>& f) { return testing::error_of(f).what(); }

  // What assign writes for the points `text` in a plain file read by name: the bytes every other
  // way of giving the same points must give.
  std::string output_of_plain_file(const std::string& text) {
    write_all(dir_ / "points.csv", text);
    run("points.csv", "from_file.csv", 2, 1 << 20);
    return libgrid::testing::file_bytes(dir_ / "from_file.csv");
  }

  fs::path dir_;
  GridSet grids_;
  std::unique_ptr<CellIndex> index_;
};

TEST_F(AssignCsvTest, TheSameBytesForAnyThreadCountAndChunkSize) {
  write_all(dir_ / "points.csv", tricky_points(600));
  const AssignCsvSummary reference = run("points.csv", "reference.csv", 1, 1 << 20);
  EXPECT_EQ(reference.rows, 600);
  EXPECT_EQ(reference.empty_coordinates, 55);
  const std::string expected = libgrid::testing::file_bytes(dir_ / "reference.csv");
  for (const std::size_t chunk : {1, 2, 3, 7, 64, 1000}) {
    for (const int threads : {1, 2, 5}) {
      // The page cache bypassed or not, plain and gzip'd.
      for (const OutputIo io : {OutputIo::kDirect, OutputIo::kBuffered}) {
        run("points.csv", "out.csv.gz", threads, chunk, io);
        ASSERT_EQ(gunzip(dir_ / "out.csv.gz"), expected) << chunk << " bytes, " << threads;
      }
      const AssignCsvSummary s = run("points.csv", "out.csv", threads, chunk, OutputIo::kDirect);
      ASSERT_EQ(libgrid::testing::file_bytes(dir_ / "out.csv"), expected)
          << chunk << " bytes, " << threads;
      EXPECT_EQ(s.rows, reference.rows);
      EXPECT_EQ(s.per_cell, reference.per_cell);
      EXPECT_EQ(s.not_covered, reference.not_covered);
    }
  }
}

// Chunks without a quote take a faster path than the full CSV parser: the same bytes and the
// same points, whatever a number's form, the line ends or the chunks.
TEST_F(AssignCsvTest, RowsWithoutQuotesGiveWhatTheFullParserGives) {
  const std::vector<std::string> xs = {"500010",
                                       "+500010",
                                       " 500010 ",
                                       "500049.9999999",
                                       "500050.0000001",
                                       "500049.99999999999",
                                       "-0",
                                       "5.0006e5",
                                       "500060.",
                                       "0500110",
                                       "500149.5",
                                       "",
                                       "500199.1234567",
                                       "500199.12345678",
                                       "123456789.01234567"};
  std::string body;
  for (std::size_t i = 0; i < 70; ++i) {
    body += std::to_string(i) + "," + xs[i % xs.size()] + "," + (i % 4 ? "4420050.25" : "4420010") +
            "," + (i % 6 == 1 ? "a\rb" : "n") + (i % 3 ? "\r\n" : "\n");
    if (i % 9 == 0) body += i % 2 ? "\r\n" : "\n";  // blank lines
  }
  const std::string header = "id,x,y,note\n";
  write_all(dir_ / "plain.csv", header + body + "70,500010,4420010,last");  // no line end
  // The same rows and one quoted field after them: the whole file through the full parser.
  write_all(dir_ / "quoted.csv", header + body + "70,500010,4420010,last\n71,0,0,\"q\"\n");
  EXPECT_EQ(run("quoted.csv", "reference.csv", 1, 1 << 20).rows, 72);
  std::string expected = libgrid::testing::file_bytes(dir_ / "reference.csv");
  expected.erase(expected.rfind("71,0,0,"));
  for (const std::size_t chunk : {1, 7, 64, 1 << 20}) {
    for (const int threads : {1, 2}) {
      const AssignCsvSummary s = run("plain.csv", "out.csv", threads, chunk);
      ASSERT_EQ(libgrid::testing::file_bytes(dir_ / "out.csv"), expected)
          << chunk << " bytes, " << threads;
      EXPECT_EQ(s.rows, 71);
      EXPECT_EQ(s.empty_coordinates, 4);
    }
  }
  // Each form read as its number: the cells on either side of x = 500050, and the others.
  for (const char* row :
       {"\n2, 500010 ,4420050.25,n,001,001001,", "\n3,500049.9999999,4420050.25,n,001,001001,",
        "\n4,500050.0000001,4420010,n,001,001002,", "\n7,5.0006e5,4420050.25,a\rb,001,001002,",
        "\n8,500060.,4420010,n,001,001002,", "\n9,0500110,4420050.25,n,001,001003,",
        "\n6,-0,4420050.25,n,,,", "\n11,,4420050.25,n,,,",
        "\n12,500199.1234567,4420010,n,001,001004,",
        "\n13,500199.12345678,4420050.25,a\rb,001,001004,"}) {
    EXPECT_NE(expected.find(row), std::string::npos) << row;
  }
}

// The due column, written from a table of the day's minutes and of recent days: every minute of
// two days on either side of a year's end and of 1970, as format_local_time writes them.
TEST_F(AssignCsvTest, DueTimesAreWrittenAsFormatLocalTimeWritesThem) {
  grids_.duty_table().rules.push_back({"09", "", "Police", "grid", 1, DeadlineUnit::kUrgentHours});
  index_ = std::make_unique<CellIndex>(grids_);
  std::string text = "id,x,y,event_class,reported_at\n";
  std::vector<std::string> expected;
  for (const LocalMinutes start :
       {*parse_local_time("2025-12-30T00:00"), *parse_local_time("1969-12-30T22:00")}) {
    for (LocalMinutes t = start; t < start + 2 * 24 * 60; ++t) {
      text += std::to_string(expected.size()) + ",500010,4420010,09," + format_local_time(t) + "\n";
      expected.push_back(format_local_time(due_time(t, 1, DeadlineUnit::kUrgentHours, {})));
    }
  }
  write_all(dir_ / "points.csv", text);
  for (const std::size_t chunk : {std::size_t{100}, std::size_t{1} << 20}) {
    run("points.csv", "out.csv", 2, chunk);
    std::istringstream out(libgrid::testing::file_bytes(dir_ / "out.csv"));
    std::string line;
    std::getline(out, line);  // the header
    std::size_t row = 0;
    for (; std::getline(out, line); ++row) {
      ASSERT_LT(row, expected.size());
      ASSERT_EQ(line.substr(line.rfind(',') + 1), expected[row]) << line;
    }
    EXPECT_EQ(row, expected.size());
  }
}

TEST_F(AssignCsvTest, RowsKeepTheirTextAndOrderWithTheColumnsAdded) {
  write_all(dir_ / "points.csv", tricky_points(30));
  run("points.csv", "out.csv", 3, 5);
  const std::string out = libgrid::testing::file_bytes(dir_ / "out.csv");
  EXPECT_TRUE(out.starts_with(
      "id,note,x,y,event_class,reported_at,community,grid,grid_worker,grid_worker_id,"
      "grid_worker_phone,grid_leader,info_workers,department,handling_level,handling_cell,"
      "deadline,deadline_unit,escalation,due\n"));
  // The first row: a quoted note with line ends, kept as it was; a covered point.
  EXPECT_NE(out.find("\n0,\"line one\nline \"\"two\"\", with a comma\r\nthree\",500000,4420000,02,,"
                     "001,001001,\"Worker, \"\"one\"\"\",P1,1,,,,,,,,001001 > 001,\n"),
            std::string::npos);
  // A row without coordinates: kept, not covered, still its class's department.
  EXPECT_NE(out.find("\n25," + std::string(25, 'n') +
                     ",,,0101,2026-11-20T17:00,,,,,,,,Sanitation,community,,8,working_hours,,"
                     "2026-11-23T17:00\n"),
            std::string::npos);
  std::size_t last = 0;
  for (int i = 0; i < 30; ++i) {
    const std::size_t at = out.find(std::string("\n").append(std::to_string(i)).append(","), last);
    ASSERT_NE(at, std::string::npos) << i;
    last = at + 1;
  }
}

TEST_F(AssignCsvTest, GzipInAndOut) {
  const std::string text = tricky_points(300);
  write_all(dir_ / "points.csv", text);
  gzip_to(dir_ / "points.csv.gz", text);
  run("points.csv", "plain.csv", 2, 1 << 20);
  run("points.csv.gz", "out.csv.gz", 2, 100);
  EXPECT_EQ(gunzip(dir_ / "out.csv.gz"), libgrid::testing::file_bytes(dir_ / "plain.csv"));
}

TEST_F(AssignCsvTest, ATenMegabyteLine) {
  const std::string note(10 << 20, 'a');
  write_all(dir_ / "points.csv", "x,y,note\n500010,4420010,\"" + note + "\"\n500060,4420010,b\n");
  const AssignCsvSummary s = run("points.csv", "out.csv", 2, 4096);
  EXPECT_EQ(s.rows, 2);
  EXPECT_EQ(s.not_covered, 0);
  const std::string out = libgrid::testing::file_bytes(dir_ / "out.csv");
  EXPECT_NE(out.find(",\"" + note + "\",001,001001,"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\n500060,4420010,b,001,001002,,,,,,001002 > 001\n"));
}

TEST_F(AssignCsvTest, BadRowsAreNamedWithTheirRowInTheFileWhateverTheChunks) {
  std::string text = "x,y\n";
  for (int i = 0; i < 500; ++i) text += "500010,4420010\n";
  write_all(dir_ / "ragged.csv", text + "500010,4420010,9\n");
  write_all(dir_ / "text.csv", text + "500010,north\n");
  write_all(dir_ / "huge.csv", text + "1e999,4420010\n");
  write_all(dir_ / "infinite.csv", text + "500010,-inf\n");
  // Early in the file, with many chunks after it waiting for where its output would have ended,
  // until the run stops.
  write_all(dir_ / "early.csv", "x,y\n500010,4420010\n500010,4420010,9\n" + text);
  // After a quote in the same chunk: the records from the quoted one on go through the full
  // parser, numbered on from those before.
  write_all(dir_ / "after_quote.csv", text + "\"500010\",4420010\n500010,north\n");
  for (const int threads : {2, 5}) {
    EXPECT_EQ(message_of([&] { run("early.csv", "out.csv", threads, 3); }),
              (dir_ / "early.csv").string() + ": feature 2: has 3 fields, the header has 2");
  }
  for (const std::size_t chunk : {3, 1 << 20}) {
    EXPECT_EQ(
        message_of([&] { run("after_quote.csv", "out.csv", 2, chunk); }),
        (dir_ / "after_quote.csv").string() + ": feature 502: field y: not a number: 'north'");
    EXPECT_EQ(message_of([&] { run("ragged.csv", "out.csv", 2, chunk); }),
              (dir_ / "ragged.csv").string() + ": feature 501: has 3 fields, the header has 2");
    EXPECT_EQ(message_of([&] { run("text.csv", "out.csv", 2, chunk); }),
              (dir_ / "text.csv").string() + ": feature 501: field y: not a number: 'north'");
    EXPECT_EQ(
        message_of([&] { run("huge.csv", "out.csv", 2, chunk); }),
        (dir_ / "huge.csv").string() + ": feature 501: field x: number out of range: '1e999'");
    EXPECT_EQ(
        message_of([&] { run("infinite.csv", "out.csv", 2, chunk); }),
        (dir_ / "infinite.csv").string() + ": feature 501: field y: not a finite number: '-inf'");
  }
}

TEST_F(AssignCsvTest, AWrongCrsIsReportedBeforeAnyLaterBadRow) {
  // The CRS check runs beside the chunks once the first 10,000 points are in; its error still
  // comes first, before a bad row in a later chunk, whatever the chunks and threads.
  std::string text = "x,y\n";
  for (int i = 0; i < 12000; ++i) {
    text += std::to_string(4420010 + i % 80) + "," + std::to_string(500010 + i % 190) + "\n";
  }
  write_all(dir_ / "swapped.csv", text + "4420010,north\n");
  const std::string expected =
      (dir_ / "swapped.csv").string() +
      ": 100.0% of the points fall outside every cell, but 100.0% fall inside with x and y "
      "swapped: are columns 'x' and 'y' the wrong way round, or does the points' CRS list "
      "latitude or northing first?";
  for (const int threads : {1, 2}) {
    for (const std::size_t chunk : {64, 4096, 16384}) {
      EXPECT_EQ(message_of([&] { run("swapped.csv", "out.csv", threads, chunk); }), expected)
          << threads << " threads, chunks of " << chunk;
    }
  }
}

TEST_F(AssignCsvTest, TruncatedGzipUtf16AndCrOnlyAreRefused) {
  std::string text = "x,y\n";
  for (int i = 0; i < 20000; ++i) text += "500010,4420010\n";
  gzip_to(dir_ / "full.csv.gz", text);
  const std::string gz = libgrid::testing::file_bytes(dir_ / "full.csv.gz");
  write_all(dir_ / "cut.csv.gz", gz.substr(0, gz.size() / 2));
  EXPECT_NE(message_of([&] { run("cut.csv.gz", "out.csv", 2, 1000); }).find("gzip data"),
            std::string::npos);
  write_all(dir_ / "utf16.csv", std::string("\xFF\xFEx\0,\0y\0\n\0", 10));
  EXPECT_EQ(message_of([&] { run("utf16.csv", "out.csv", 1, 1000); }),
            (dir_ / "utf16.csv").string() +
                ": UTF-16 text (or binary data), not a UTF-8 CSV file: save it as CSV UTF-8");
  write_all(dir_ / "cr.csv", "x,y\r500010,4420010\r");
  EXPECT_EQ(message_of([&] { run("cr.csv", "out.csv", 1, 1000); }),
            (dir_ / "cr.csv").string() +
                ": lines end in CR only (old Mac Excel), not LF or CRLF: save it as CSV UTF-8");
}

TEST_F(AssignCsvTest, GzipIsToldByItsBytesWhateverTheName) {
  const std::string text = tricky_points(300);
  const std::string expected = output_of_plain_file(text);
  gzip_to(dir_ / "gzip.gz", text);
  write_all(dir_ / "gzip_without_gz.csv", libgrid::testing::file_bytes(dir_ / "gzip.gz"));
  // Concatenated members are one gzip file, an empty one among them too (as `cat a.gz b.gz`).
  gzip_to(dir_ / "a.gz", text.substr(0, 5000));
  gzip_to(dir_ / "empty.gz", "");
  gzip_to(dir_ / "b.gz", text.substr(5000));
  write_all(dir_ / "members.csv.gz", libgrid::testing::file_bytes(dir_ / "a.gz") +
                                         libgrid::testing::file_bytes(dir_ / "empty.gz") +
                                         libgrid::testing::file_bytes(dir_ / "b.gz"));
  // Zero bytes after the last member, as tapes pad (gzip -d takes them too).
  write_all(dir_ / "padded.csv.gz",
            libgrid::testing::file_bytes(dir_ / "gzip.gz") + std::string(700, '\0'));
  for (const std::size_t chunk : {3, 1 << 20}) {
    for (const char* input : {"gzip_without_gz.csv", "members.csv.gz", "padded.csv.gz"}) {
      run(input, "out.csv", 2, chunk);
      EXPECT_EQ(libgrid::testing::file_bytes(dir_ / "out.csv"), expected)
          << input << ", chunks of " << chunk;
    }
  }
}

// "-" reads standard input: the same bytes out as from the file, gzip'd or not, in chunks of
// any size; its errors name it, with the row.
TEST_F(AssignCsvTest, PointsFromStandardInput) {
  const std::string text = tricky_points(400);
  const std::string expected = output_of_plain_file(text);
  gzip_to(dir_ / "points.csv.gz", text);
  for (const std::string& bytes : {text, libgrid::testing::file_bytes(dir_ / "points.csv.gz")}) {
    for (const std::size_t chunk : {7, 1 << 20}) {
      const testing::StandardInputFrom input(bytes, 1000);
      const AssignCsvSummary summary = run("-", "out.csv", 2, chunk);
      EXPECT_EQ(summary.rows, 400);
      EXPECT_EQ(libgrid::testing::file_bytes(dir_ / "out.csv"), expected) << "chunks of " << chunk;
    }
  }
  const testing::StandardInputFrom input("x,y\n500010,4420010\n500020,north\n");
  EXPECT_EQ(message_of([&] { run("-", "out.csv", 1, 1 << 20); }),
            "standard input: feature 2: field y: not a number: 'north'");
}

// Points from a pipe are read ahead on a thread of their own, those from a file by the workers
// themselves: the same bytes and the same errors (each named with its row in the file, a bad row
// and a damaged gzip stream alike, the earlier of two first), whatever the threads and chunks.
TEST_F(AssignCsvTest, APipeReadAheadAndAFileReadByTheWorkersAgree) {
  const std::string text = tricky_points(500);
  const std::string expected = output_of_plain_file(text);
  std::string rows = "x,y\n";
  for (int i = 0; i < 3000; ++i) rows += std::to_string(500010 + i % 150) + ",4420010\n";
  const std::string bad_row = rows + "500010,north\n" + rows.substr(4) + "500010,4420010,9\n";
  write_all(dir_ / "bad_row.csv", bad_row);
  gzip_to(dir_ / "whole.csv.gz", rows + rows.substr(4));
  const std::string gz = libgrid::testing::file_bytes(dir_ / "whole.csv.gz");
  write_all(dir_ / "cut.csv.gz", gz.substr(0, gz.size() - 40));
  const std::string cut_message = message_of([&] { run("cut.csv.gz", "out.csv", 2, 4096); });
  const std::string file_prefix = (dir_ / "cut.csv.gz").string() + ": ";
  ASSERT_TRUE(cut_message.starts_with(file_prefix)) << cut_message;
  for (const int threads : {1, 2, 5}) {
    for (const std::size_t chunk : {3, 64, 4096, 1 << 20}) {
      {
        const testing::StandardInputFrom input(text, 777);
        run("-", "out.csv", threads, chunk);
        EXPECT_EQ(libgrid::testing::file_bytes(dir_ / "out.csv"), expected)
            << threads << " threads, chunks of " << chunk;
      }
      for (const bool from_pipe : {false, true}) {
        const testing::StandardInputFrom input(from_pipe ? bad_row : std::string(), 1000);
        const std::string name = from_pipe ? "standard input" : (dir_ / "bad_row.csv").string();
        EXPECT_EQ(
            message_of([&] { run(from_pipe ? "-" : "bad_row.csv", "out.csv", threads, chunk); }),
            name + ": feature 3001: field y: not a number: 'north'")
            << threads << " threads, chunks of " << chunk;
      }
      if (chunk < 64) continue;  // a byte at a time through gzip: slow, and no different
      const testing::StandardInputFrom input(gz.substr(0, gz.size() - 40), 1000);
      EXPECT_EQ(message_of([&] { run("-", "out.csv", threads, chunk); }),
                "standard input: " + cut_message.substr(file_prefix.size()))
          << threads << " threads, chunks of " << chunk;
    }
  }
}

// A slow pipe fills a chunk over minutes: what has come in shows as progress meanwhile, never
// going back, and all of it at the end.
TEST_F(AssignCsvTest, ProgressMovesWhileASlowPipeFillsAChunk) {
  std::string text = "x,y\n";
  for (int i = 0; i < 20000; ++i) text += "500010,4420010\n";
  // The reader takes the first 64 kB at once, to check the start of the text.
  const testing::StandardInputFrom input(text, 70000, std::chrono::milliseconds(300));
  std::vector<std::uint64_t> seen;
  AssignCsvOptions options;
  options.points_path = "-";
  options.output_path = (dir_ / "out.csv").string();
  options.threads = 2;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, 0u);  // a pipe's size is not known
    seen.push_back(done);
  };
  EXPECT_EQ(assign_csv(grids_, *index_, options).rows, 20000);  // one chunk: 1 MB by default
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), text.size());
  std::set<std::uint64_t> before_the_end(seen.begin(), seen.end());
  before_the_end.erase(text.size());
  EXPECT_GE(before_the_end.size(), 2u);
}

TEST_F(AssignCsvTest, DamagedGzipAndGzipNamesOnOtherDataAreRefusedNamingTheFile) {
  std::string text = "x,y\n";
  for (int i = 0; i < 3000; ++i) text += "500010,4420010\n";
  gzip_to(dir_ / "good.gz", text);
  const std::string gz = libgrid::testing::file_bytes(dir_ / "good.gz");
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 8] ^= 1;  // the CRC-32 of the text, before its length
  write_all(dir_ / "bad_crc.csv.gz", bad_crc);
  write_all(dir_ / "garbage.csv.gz", gz + "trailing text");
  write_all(dir_ / "padding_then_garbage.csv.gz", gz + std::string(10, '\0') + "x");
  write_all(dir_ / "one_byte_after.csv.gz", gz + "\x1f");
  write_all(dir_ / "text.csv.gz", text);
  const std::string garbage =
      ": bytes after the end of the gzip data that are not gzip: the file is damaged or has "
      "something appended";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bad_crc.csv.gz", ": corrupted gzip data (incorrect data check)"},
      {"garbage.csv.gz", garbage},
      {"padding_then_garbage.csv.gz", garbage},
      {"one_byte_after.csv.gz", garbage},
      {"text.csv.gz", ": the name ends in .gz but the file is not gzip data"}};
  for (const std::size_t chunk : {3, 1 << 20}) {
    for (const auto& [input, message] : cases) {
      EXPECT_EQ(message_of([&] { run(input, "out.csv", 2, chunk); }),
                (dir_ / input).string() + message)
          << chunk;
    }
  }
}

TEST_F(AssignCsvTest, ANulByteAnywhereIsRefusedNamingItsRowAndColumn) {
  std::string text = "id,x,y,event_class\n";
  for (int i = 1; i < 5000; ++i) text += std::to_string(i) + ",500010,4420010,01\n";
  const std::string nul_row = std::string("5000,500010,4420010,01\0 01\n", 27);
  write_all(dir_ / "plain.csv", text + nul_row + "5001,500010,4420010,01\n");
  // The same with a quoted field in every chunk: read by the full parser.
  write_all(dir_ / "quoted.csv", text + nul_row + "5001,500010,4420010,\"01\"\n");
  write_all(dir_ / "in_quotes.csv",
            text + std::string("5000,500010,4420010,\"01\0\"\n5001,500010,4420010,01\n", 48));
  write_all(dir_ / "first_row.csv", std::string("id,x,y,event_class\n1,5\0,4420010,01\n", 35));
  const std::string message =
      ": field event_class: UTF-16 text (or binary data), not a UTF-8 CSV file: save it as CSV "
      "UTF-8";
  for (const std::size_t chunk : {1, 64, 1 << 20}) {
    for (const int threads : {1, 2}) {
      for (const char* input : {"plain.csv", "quoted.csv", "in_quotes.csv"}) {
        EXPECT_EQ(message_of([&] { run(input, "out.csv", threads, chunk); }),
                  (dir_ / input).string() + ": feature 5000" + message)
            << input << ", chunks of " << chunk;
      }
      EXPECT_EQ(message_of([&] { run("first_row.csv", "out.csv", threads, chunk); }),
                (dir_ / "first_row.csv").string() +
                    ": feature 1: field x: UTF-16 text (or binary data), not a UTF-8 CSV file: "
                    "save it as CSV UTF-8");
    }
  }
}

TEST_F(AssignCsvTest, AQuoteNeverClosedStopsAtTheRecordCapNamingItsRow) {
  // A stray quote in row 501 would make the rest of the file one record: refused once it
  // passes 64 MB, not held whole.
  std::string text = "x,y,note\n";
  for (int i = 0; i < 500; ++i) text += "500010,4420010,n\n";
  text += "500010,4420010,\"stray\n";
  const std::string row = "500010,4420010,n\n";
  text.reserve(text.size() + (65 << 20));
  while (text.size() < (std::size_t{65} << 20)) text += row;
  write_all(dir_ / "runaway.csv", text);
  for (const std::size_t chunk : {4096, 1 << 20}) {
    EXPECT_EQ(message_of([&] { run("runaway.csv", "out.csv", 2, chunk); }),
              (dir_ / "runaway.csv").string() +
                  ": feature 501: a record longer than 64 MB (a quote never closed?)")
        << chunk;
  }
}

}  // namespace
}  // namespace libgrid
