#include "libgrid/io/gzip_name.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gridtool/gridtool.h"
#include "libgrid/io/csv_table.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

// The whole of a gzip file, decompressed (zlib passes a plain file through as it is).
std::string gunzipped(const std::string& path) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (in == nullptr) return "";
  std::string text;
  char buffer[4096];
  for (int n; (n = gzread(in, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  gzclose(in);
  return text;
}

TEST(GzipName, EndsInGzInAnyCase) {
  for (const char* name : {"points.csv.gz", "POINTS.CSV.GZ", "out.csv.Gz", "a.gZ", ".gz"}) {
    EXPECT_TRUE(is_gzip_name(name)) << name;
  }
  for (const char* name : {"points.csv", "out.gz.csv", "a.gzip", "a.tgz.x", "gz", "", "a.g"}) {
    EXPECT_FALSE(is_gzip_name(name)) << name;
  }
}

TEST(GzipName, AnUpperCaseGzInputIsReadThroughGzip) {
  const std::string path = libgrid::testing::temporary_folder() + "/POINTS.CSV.GZ";
  gzFile out = gzopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  const std::string text = "x,y\n1.5,2\n3,4\n";
  ASSERT_EQ(gzwrite(out, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(out), Z_OK);
  const CsvTable table = CsvTable::read(path);
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.row(0)[0], "1.5");
  EXPECT_EQ(table.row(1)[1], "4");
}

// gridtool assign -o OUT.CSV.GZ writes gzip, the same rows as -o out.csv.
TEST(GzipName, GridtoolAssignCompressesAnUpperCaseGzOutput) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string fixtures = libgrid::testing::source_path("tests/cli/fixtures");
  std::ostringstream out, err;
  ASSERT_EQ(gridtool::run({"import", "--level", "grid=" + fixtures + "/grid.geojson", "-o",
                           folder + "/city.gpkg"},
                          out, err),
            0)
      << err.str();
  for (const std::string output : {"out.csv", "OUT.CSV.GZ", "out.csv.gz"}) {
    ASSERT_EQ(gridtool::run({"assign", folder + "/city.gpkg", "--points", fixtures + "/events.csv",
                             "-o", folder + "/" + output},
                            out, err),
              0)
        << err.str();
  }
  const std::string plain = libgrid::testing::file_bytes(folder + "/out.csv");
  ASSERT_TRUE(plain.starts_with("event_id,x,y,")) << plain;
  for (const std::string output : {"OUT.CSV.GZ", "out.csv.gz"}) {
    const std::string compressed = libgrid::testing::file_bytes(folder + "/" + output);
    ASSERT_GE(compressed.size(), 2u);
    EXPECT_EQ(compressed.substr(0, 2), "\x1f\x8b") << output << " is not gzip";
    EXPECT_EQ(gunzipped(folder + "/" + output), plain) << output;
  }
}

}  // namespace
}  // namespace libgrid
