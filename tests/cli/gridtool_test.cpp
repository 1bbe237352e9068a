// gridtool's outermost guard: whatever a command throws ends as one line on stderr and status 2.
#include "gridtool/gridtool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <new>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <system_error>

#include "gridtool/arguments.h"
#include "libgrid/error.h"
#include "support/test_data.h"

namespace gridtool {
namespace {

struct Outcome {
  int status;
  std::string err;
};

template <class Body>
Outcome guarded(Body body) {
  std::ostringstream err;
  const int status = run_reporting_failures("lookup", body, err);
  return {status, err.str()};
}

TEST(RunReportingFailures, PassesTheCommandsOwnStatusThrough) {
  EXPECT_EQ(guarded([] { return 1; }).status, 1);
  const Outcome done = guarded([] { return 0; });
  EXPECT_EQ(done.status, 0);
  EXPECT_EQ(done.err, "");
}

TEST(RunReportingFailures, UsageErrorPointsToHelp) {
  const Outcome o = guarded([]() -> int { throw UsageError("--at needs X,Y"); });
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "gridtool lookup: --at needs X,Y (see 'gridtool lookup --help')\n");
}

TEST(RunReportingFailures, LibgridErrorIsPrintedAsIs) {
  const Outcome o = guarded([]() -> int {
    throw libgrid::Error(libgrid::ErrorKind::kIo, libgrid::Location{.file = "a.gpkg"},
                         "cannot open");
  });
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "gridtool lookup: a.gpkg: cannot open\n");
}

TEST(RunReportingFailures, OutOfMemorySaysSo) {
  const Outcome o = guarded([]() -> int { throw std::bad_alloc(); });
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "gridtool lookup: out of memory\n");
}

TEST(RunReportingFailures, AnyOtherStdExceptionIsOneLineAndStatusTwo) {
  const Outcome o = guarded([]() -> int { throw std::out_of_range("map::at\nsecond line"); });
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "gridtool lookup: unexpected error: map::at second line\n");
}

TEST(RunReportingFailures, FilesystemErrorFromARealCallIsCaught) {
  const Outcome o = guarded([]() -> int {
    return static_cast<int>(std::filesystem::file_size("/nonexistent/libgrid/none.gpkg"));
  });
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err.rfind("gridtool lookup: unexpected error: ", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("none.gpkg"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << o.err;
}

// A stream that takes nothing, as standard output on a full disk (> /dev/full).
class FullStream : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

// What a command printed must reach standard output: a run whose summary could not be written
// fails, not reports success.
TEST(Run, AnOutputThatCannotBeWrittenFailsTheCommand) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string fixtures = libgrid::testing::source_path("tests/cli/fixtures");
  std::ostringstream out, err;
  ASSERT_EQ(
      run({"import", "--level", "grid=" + fixtures + "/grid.geojson", "-o", folder + "/city.gpkg"},
          out, err),
      0)
      << err.str();
  FullStream full;
  std::ostream full_out(&full);
  err.str("");
  EXPECT_EQ(run({"info", folder + "/city.gpkg"}, full_out, err), 2);
  EXPECT_EQ(err.str(), "gridtool info: standard output: cannot write\n");
}

}  // namespace
}  // namespace gridtool
