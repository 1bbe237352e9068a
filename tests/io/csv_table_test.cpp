#include "libgrid/io/csv_table.h"

#include <gtest/gtest.h>

#include <fstream>

#include <fstream>
#include <functional>

#include "libgrid/error.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

TEST(CsvTable, ReadsQuotedFieldsCrlfAndByteOrderMark) {
  const CsvTable table = CsvTable::parse(
      "\xEF\xBB\xBF"
      "code,name,note\r\n"
      "1,\"Dongcheng, east\",\"say \"\"hi\"\"\"\r\n"
      "2,\"two\r\nlines\",\r\n"
      "3,东城区,\n",
      "t.csv");
  EXPECT_EQ(table.header(), (std::vector<std::string>{"code", "name", "note"}));
  ASSERT_EQ(table.row_count(), 3u);
  EXPECT_EQ(table.row(0), (std::vector<std::string>{"1", "Dongcheng, east", "say \"hi\""}));
  EXPECT_EQ(table.row(1), (std::vector<std::string>{"2", "two\r\nlines", ""}));
  EXPECT_EQ(table.row(2), (std::vector<std::string>{"3", "东城区", ""}));
  EXPECT_EQ(table.column("name"), 1);
  EXPECT_EQ(table.column("Name"), -1);
  EXPECT_EQ(table.path(), "t.csv");
}

// Unquoted fields are scanned sixteen bytes at a time: every field length and every position of
// the character that ends it, within and across such blocks.
TEST(CsvTable, FieldsOfEveryLengthEndWhereTheirDelimiterIs) {
  for (std::size_t first = 0; first <= 40; ++first) {
    for (const char* end : {"\n", "\r\n"}) {
      const std::string a(first, 'a'), b(40 - first, 'b');
      const CsvTable table = CsvTable::parse("x,y\n" + a + "," + b + end + "1,2\n", "t.csv");
      ASSERT_EQ(table.row_count(), 2u) << first;
      EXPECT_EQ(table.row(0), (std::vector<std::string>{a, b})) << first;
      EXPECT_EQ(table.row(1), (std::vector<std::string>{"1", "2"})) << first;
    }
    // A CR that does not end the line is part of the field, wherever it falls.
    const std::string with_cr = std::string(first, 'c') + "\r" + std::string(20, 'd');
    EXPECT_EQ(CsvTable::parse("x\n" + with_cr + "\n", "t.csv").row(0),
              std::vector<std::string>{with_cr})
        << first;
    // A quote inside an unquoted field is refused, wherever it falls (at the start it opens a
    // quoted field).
    if (first == 0) continue;
    const std::string quoted = std::string(first, 'e') + "\"" + std::string(3, 'f');
    EXPECT_NE(std::string(error_of([&] { CsvTable::parse("x\n" + quoted + "\n", "t.csv"); }).what())
                  .find("a quote inside an unquoted field"),
              std::string::npos)
        << first;
  }
}

TEST(CsvTable, SkipsEmptyLinesAndReadsLastLineWithoutNewline) {
  const CsvTable table = CsvTable::parse("a,b\n\n1,2\n\n3,4", "t.csv");
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.row(1), (std::vector<std::string>{"3", "4"}));
}

TEST(CsvTable, ReportsUnterminatedQuoteWithItsRow) {
  const Error e = error_of([] { CsvTable::parse("a,b\n1,2\n3,\"open\n", "t.csv"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().file, "t.csv");
  EXPECT_EQ(e.where().feature, 2);
  EXPECT_NE(e.detail().find("unterminated"), std::string::npos) << e.what();
}

TEST(CsvTable, ReportsRowWithWrongFieldCount) {
  const Error e = error_of([] { CsvTable::parse("a,b\n1,2\n3\n", "t.csv"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e.what(), "t.csv: feature 2: has 1 field, the header has 2");
}

TEST(CsvTable, RefusesTextAfterClosingQuoteAndQuoteInsideField) {
  EXPECT_EQ(error_of([] { CsvTable::parse("a\n\"x\"y\n", "t.csv"); }).where().feature, 1);
  EXPECT_EQ(error_of([] { CsvTable::parse("a\nx\"y\n", "t.csv"); }).where().feature, 1);
}

TEST(CsvTable, RefusesANulByteAnywhereNamingItsRowAndField) {
  using namespace std::string_literals;
  const std::string not_utf8 =
      "UTF-16 text (or binary data), not a UTF-8 CSV file: save it as CSV UTF-8";
  // In the first line: UTF-16 (or binary data) from the start, named without a row.
  EXPECT_EQ(std::string(error_of([] { CsvTable::parse("a\0,b\n1,2\n"s, "t.csv"); }).what()),
            "t.csv: " + not_utf8);
  // Further on, unquoted or quoted, after fields of every length.
  std::string rows;
  for (int i = 0; i < 70; ++i) rows += std::string(static_cast<std::size_t>(i), 'x') + ",1\n";
  for (const std::string& bad : {"1,2\0 3"s, "1,\"2\0 3\""s, "1,\"2\"\"\0\""s}) {
    const std::string text = "a,b\n" + rows + bad + "\n9,9\n";
    EXPECT_EQ(std::string(error_of([&] { CsvTable::parse(text, "t.csv"); }).what()),
              "t.csv: feature 71: field b: " + not_utf8)
        << bad;
  }
}

// A header of bytes that are not UTF-8 is named as such: GBK from a Chinese Excel, or binary
// data. A header of Chinese names cut by the 64 KB the check reads is read as it is.
TEST(CsvTable, RefusesAHeaderThatIsNotUtf8) {
  const std::string gbk = "id,\xB5\xD8\xD6\xB7,x,y\n1,a,1,2\n";  // 地址 in GBK
  EXPECT_EQ(std::string(error_of([&] { CsvTable::parse(gbk, "t.csv"); }).what()),
            "t.csv: the header is not UTF-8 text (binary data, or text in another encoding such "
            "as GBK): save it as CSV UTF-8");
  std::string names;
  while (names.size() < (1u << 17)) names += "网格,";
  const std::string long_header = names + "x\n" + std::string(names.size() / 7, ',') + "1\n";
  const CsvTable table = CsvTable::parse(long_header, "t.csv");
  EXPECT_EQ(table.header().back(), "x");
  EXPECT_EQ(table.header().front(), "网格");
}

TEST(CsvTable, RefusesTextWithoutHeader) {
  const Error e = error_of([] { CsvTable::parse("\xEF\xBB\xBF\r\n", "t.csv"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e.what(), "t.csv: no header row");
}

TEST(CsvTable, RequireColumnNamesFileAndField) {
  const CsvTable table = CsvTable::parse("a,b\n", "t.csv");
  EXPECT_EQ(table.require_column("b"), 1);
  const Error e = error_of([&] { table.require_column("deadline"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e.what(), "t.csv: field deadline: missing column");
}

TEST(CsvTable, NumberReadsWholeFiniteValuesOnly) {
  const CsvTable table =
      CsvTable::parse("v\n 2.5 \n-1e3\n+4\n0.1\nabc\n\n2x\nnan\ninf\n1e999\n", "t.csv");
  EXPECT_EQ(table.number(0, 0), 2.5);
  EXPECT_EQ(table.number(1, 0), -1000.0);
  EXPECT_EQ(table.number(2, 0), 4.0);
  EXPECT_EQ(table.number(3, 0), 0.1);
  const Error e = error_of([&] { table.number(4, 0); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e.what(), "t.csv: feature 5: field v: not a number: 'abc'");
  // The empty line is skipped, so "2x" is data row 6.
  EXPECT_STREQ(error_of([&] { table.number(5, 0); }).what(),
               "t.csv: feature 6: field v: not a number: '2x'");
  for (std::size_t row = 6; row < table.row_count(); ++row) {
    EXPECT_EQ(error_of([&] { table.number(row, 0); }).where().feature,
              static_cast<std::int64_t>(row) + 1);
  }
  // A number, but not a finite one: the words libgrid.assign uses for such floats.
  EXPECT_STREQ(error_of([&] { table.number(7, 0); }).what(),
               "t.csv: feature 8: field v: not a finite number: 'inf'");
}

TEST(CsvTable, NumberRefusesEmptyValue) {
  const CsvTable table = CsvTable::parse("a,v\nx,  \n", "t.csv");
  const Error e = error_of([&] { table.number(0, 1); });
  EXPECT_EQ(e.where().field, "v");
  EXPECT_EQ(e.where().feature, 1);
}

TEST(CsvTable, ReadsFileAndReportsMissingFileAsIo) {
  const std::string path = libgrid::testing::temporary_folder() + "/t.csv";
  std::ofstream(path) << "a,b\n1,2\n";
  EXPECT_EQ(CsvTable::read(path).row(0)[1], "2");
  const Error e = error_of([&] { CsvTable::read(path + ".missing"); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(e.where().file, path + ".missing");
}

TEST(CsvTable, AppendQuotesOnlyWhenNeededAndReadsBack) {
  std::string line;
  append_csv_field(line, "plain");
  EXPECT_EQ(line, "plain");
  const std::vector<std::string> fields = {"a,b", "say \"hi\"", "cr\rlf\n", "", "东城区"};
  std::string quoted;
  for (const auto& f : fields) {
    std::string one;
    append_csv_field(one, f);
    if (!quoted.empty()) quoted += ',';
    quoted += one;
  }
  EXPECT_EQ(quoted, "\"a,b\",\"say \"\"hi\"\"\",\"cr\rlf\n\",,东城区");
  const CsvTable table = CsvTable::parse("1,2,3,4,5\n" + quoted + "\n", "t.csv");
  EXPECT_EQ(table.row(0), fields);
}

}  // namespace
}  // namespace libgrid

namespace libgrid {
namespace {

TEST(CsvTable, ReadsGzipCompressedFiles) {
  const CsvTable table = CsvTable::read(testing::source_path("data/samples/events.csv.gz"));
  EXPECT_EQ(table.header(), (std::vector<std::string>{"event_id", "x", "y", "event_class",
                                                      "reported_at", "closed_at", "reopened"}));
  ASSERT_EQ(table.row_count(), 100000u);
  EXPECT_EQ(table.row(0)[0], "1");
  EXPECT_EQ(table.row(99999)[0], "100000");
}

TEST(CsvTable, TruncatedGzipIsAnErrorNotAShortTable) {
  std::ifstream in(testing::source_path("data/samples/events.csv.gz"), std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  const std::string cut = testing::temporary_folder() + "/cut.csv.gz";
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const Error e = testing::error_of([&] { CsvTable::read(cut); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(std::string(e.what()).find(cut + ": truncated or corrupted gzip data"),
            std::string::npos)
      << e.what();
}

}  // namespace
}  // namespace libgrid
