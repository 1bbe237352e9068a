// gridtool stats run as a process, for what only its environment shows.
#ifdef LIBGRID_GRIDTOOL_PATH

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "support/gridtool_process.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::GridtoolStreams;
using testing::start_gridtool;
using testing::wait_for;

// The exit status of gridtool with `args` and TMPDIR `tmpdir`, its standard output in `out`.
int run(const std::vector<std::string>& args, const std::string& tmpdir, std::string& out) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string out_path = folder + "/stdout.txt";
  const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  const pid_t pid = start_gridtool(
      args, GridtoolStreams{.stdout_fd = fd, .stderr_fd = -1, .closed = {}, .tmpdir = tmpdir});
  ::close(fd);
  if (pid <= 0) return -1;
  const int status = wait_for(pid);
  out = libgrid::testing::file_bytes(out_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(StatsCommand, TheTableOnStandardOutputNeedsNoTemporaryFolder) {
  // The finished table goes straight out: a TMPDIR that is no folder does not matter.
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string fixtures = libgrid::testing::source_path("tests/cli/fixtures");
  const std::string not_a_folder = folder + "/file";
  std::ofstream(not_a_folder) << "x";
  std::string out;
  ASSERT_EQ(run({"import", "--level", "community=" + fixtures + "/community.geojson", "--level",
                 "grid=" + fixtures + "/grid.geojson", "--duty", fixtures + "/duty.csv", "-o",
                 folder + "/city.gpkg"},
                "", out),
            0);
  const std::vector<std::string> stats{"stats",    folder + "/city.gpkg",
                                       "--events", fixtures + "/stats_events.csv",
                                       "--as-of",  "2026-11-25T00:00"};
  std::vector<std::string> to_file = stats, to_standard_output = stats;
  to_file.insert(to_file.end(), {"-o", folder + "/table.csv"});
  to_standard_output.insert(to_standard_output.end(), {"-o", "-"});
  ASSERT_EQ(run(to_file, "", out), 0);
  const std::string table = libgrid::testing::file_bytes(folder + "/table.csv");
  ASSERT_FALSE(table.empty());
  EXPECT_EQ(run(to_standard_output, not_a_folder, out), 0);
  EXPECT_EQ(out, table);
}

}  // namespace
}  // namespace libgrid

#endif
