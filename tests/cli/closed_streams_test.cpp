// gridtool started with a standard stream closed (`<&-`, `>&-`): the stream reads or writes as
// closed, and no file gridtool opens takes its place (tools/gridtool/main.cpp).
#ifdef LIBGRID_GRIDTOOL_PATH

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/gridtool_process.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;
using testing::GridtoolStreams;
using testing::start_gridtool;
using testing::wait_for;

class ClosedStreams : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = libgrid::testing::temporary_folder();
    fixtures_ = libgrid::testing::source_path("tests/cli/fixtures");
    ASSERT_EQ(run({"import", "--level", "community=" + fixtures_ + "/community.geojson", "--level",
                   "grid=" + fixtures_ + "/grid.geojson", "-o", folder_ + "/city.gpkg"}),
              0);
  }

  // gridtool's exit status (-1 when it did not exit by itself); what it wrote to standard error
  // goes to errors_.
  int run(const std::vector<std::string>& args, std::vector<int> closed = {}) {
    const std::string errors = folder_ + "/errors.txt";
    const int fd = ::open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    const pid_t pid =
        start_gridtool(args, GridtoolStreams{.stderr_fd = fd, .closed = closed, .tmpdir = {}});
    ::close(fd);
    if (pid <= 0) return -1;
    const int status = wait_for(pid);
    errors_ = libgrid::testing::file_bytes(errors);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string folder_, fixtures_, errors_;
};

TEST_F(ClosedStreams, PointsFromAClosedStandardInputAreRefusedAsUnreadable) {
  // SQLite, opening the grid set, took descriptor 0 for /dev/null, and the points read as a
  // file without a header row.
  const std::string out = folder_ + "/out.csv";
  EXPECT_EQ(run({"assign", folder_ + "/city.gpkg", "-p", "-", "-o", out}, {STDIN_FILENO}), 2);
  EXPECT_EQ(errors_, "gridtool assign: standard input: cannot read: Bad file descriptor\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(ClosedStreams, ARosterFromAClosedStandardInputIsRefusedAsUnreadable) {
  // Read after the levels' files (and SQLite's) are open and closed: whatever holds descriptor 0
  // then, the roster is not read from it.
  const std::string out = folder_ + "/roster.gpkg";
  EXPECT_EQ(run({"import", "--level", "community=" + fixtures_ + "/community.geojson", "--level",
                 "grid=" + fixtures_ + "/grid.geojson", "--roster", "-", "-o", out},
                {STDIN_FILENO}),
            2);
  EXPECT_EQ(errors_, "gridtool import: standard input: cannot read: Bad file descriptor\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(ClosedStreams, AClosedStandardOutputFailsTheRunAndLeavesTheOutputWhole) {
  const std::string reference = folder_ + "/reference.csv", out = folder_ + "/out.csv";
  const std::string points = fixtures_ + "/events.csv";
  ASSERT_EQ(run({"assign", folder_ + "/city.gpkg", "-p", points, "-o", reference}), 0);
  EXPECT_EQ(run({"assign", folder_ + "/city.gpkg", "-p", points, "-o", out}, {STDOUT_FILENO}), 2);
  EXPECT_EQ(errors_, "gridtool assign: standard output: cannot write: Bad file descriptor\n");
  EXPECT_EQ(libgrid::testing::file_bytes(out), libgrid::testing::file_bytes(reference));
}

}  // namespace
}  // namespace libgrid

#endif
