#include "libgrid/io/atomic_output.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "libgrid/error.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;

std::string contents(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries(const std::string& folder) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

TEST(AtomicOutput, TemporaryIsAFreshHiddenNameBesideTheDestination) {
  const std::string folder = libgrid::testing::temporary_folder();
  const AtomicOutput a(folder + "/grids.gpkg");
  const AtomicOutput b(folder + "/grids.gpkg");
  const fs::path temporary(a.temporary_path());
  EXPECT_EQ(temporary.parent_path(), fs::path(folder));
  EXPECT_TRUE(temporary.filename().string().starts_with(".grids.tmp-"));
  EXPECT_EQ(temporary.extension(), ".gpkg");  // GDAL drivers look at it
  EXPECT_NE(a.temporary_path(), b.temporary_path());
  EXPECT_FALSE(fs::exists(temporary));  // left for the writer (GDAL) to create
  EXPECT_EQ(a.destination(), folder + "/grids.gpkg");
}

TEST(AtomicOutput, CommitReplacesTheDestination) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string destination = folder + "/out.csv";
  std::ofstream(destination) << "old";
  {
    AtomicOutput output(destination);
    std::ofstream(output.temporary_path()) << "new";
    EXPECT_EQ(contents(destination), "old");  // untouched until commit
    output.commit();
    EXPECT_FALSE(fs::exists(output.temporary_path()));
  }
  EXPECT_EQ(contents(destination), "new");
  EXPECT_EQ(entries(folder), 1u);
}

TEST(AtomicOutput, LeavesNothingBehindWithoutCommit) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string destination = folder + "/grids.gpkg";
  std::ofstream(destination) << "old";
  {
    AtomicOutput output(destination);
    // What a half-written GeoPackage leaves: the file and SQLite's sidecars.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::ofstream(output.temporary_path() + suffix) << "partial";
    }
    EXPECT_EQ(entries(folder), 5u);
  }
  EXPECT_EQ(entries(folder), 1u);
  EXPECT_EQ(contents(destination), "old");
}

TEST(AtomicOutput, MissingFolderIsAnIoError) {
  const std::string destination = libgrid::testing::temporary_folder() + "/no/such/out.gpkg";
  try {
    AtomicOutput output(destination);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.where().file, destination);
  }
}

TEST(AtomicOutput, CommitWithoutATemporaryFileIsAnIoError) {
  const std::string folder = libgrid::testing::temporary_folder();
  AtomicOutput output(folder + "/out.csv");
  try {
    output.commit();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
  EXPECT_FALSE(fs::exists(folder + "/out.csv"));
}

TEST(AtomicOutput, AcceptsABareFileName) {
  const AtomicOutput output("relative.gpkg");
  EXPECT_EQ(fs::path(output.temporary_path()).parent_path(), fs::path("."));
}

// The message of the Error(kInvalidInput) that making an AtomicOutput throws; "" if none.
std::string refusal(const std::string& destination, const std::vector<std::string>& inputs = {}) {
  try {
    const AtomicOutput output(destination, inputs);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
    return e.what();
  }
  return "";
}

// Writes `text` to `path`, and returns the path.
std::string file_with(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// Temporary files ("….tmp-XXXXXX…") in `folder`.
std::vector<std::string> temporaries_in(const std::string& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) found.push_back(name);
  }
  return found;
}

TEST(AtomicOutput, RefusesAnInput) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string input = file_with(folder + "/city.gpkg", "grid set");
  EXPECT_EQ(refusal(input, {folder + "/other.csv", input}),
            input + ": the output is also an input; write to another file");
  EXPECT_EQ(contents(input), "grid set");
  EXPECT_EQ(entries(folder), 1u);
}

TEST(AtomicOutput, RefusesAnInputThroughASymbolicLink) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string input = file_with(folder + "/city.gpkg", "grid set");
  fs::create_symlink("city.gpkg", folder + "/link.gpkg");
  EXPECT_EQ(refusal(folder + "/link.gpkg", {input}),
            folder + "/link.gpkg: the output is the same file as the input " + input +
                "; write to another file");
  // And the other way round: the input named through the link.
  EXPECT_NE(refusal(input, {folder + "/link.gpkg"}), "");
  EXPECT_EQ(contents(input), "grid set");
  EXPECT_TRUE(temporaries_in(folder).empty());
}

TEST(AtomicOutput, RefusesAnInputThroughAHardLink) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string input = file_with(folder + "/events.csv", "x,y");
  fs::create_hard_link(input, folder + "/copy.csv");
  EXPECT_NE(refusal(folder + "/copy.csv", {input}), "");
  EXPECT_EQ(contents(input), "x,y");
  EXPECT_TRUE(temporaries_in(folder).empty());
}

TEST(AtomicOutput, AcceptsAnotherFileAndInputsThatDoNotExist) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string input = file_with(folder + "/in.csv", "x,y");
  EXPECT_EQ(refusal(file_with(folder + "/out.csv", "old"), {input, folder + "/absent.csv", ""}),
            "");
}

TEST(AtomicOutput, RefusesADeviceAndLeavesItAlone) {
  EXPECT_EQ(refusal("/dev/null"),
            "/dev/null: the output is a device, not a regular file: write to a regular file");
  struct stat null_device {};
  ASSERT_EQ(stat("/dev/null", &null_device), 0);
  EXPECT_TRUE(S_ISCHR(null_device.st_mode));
  EXPECT_TRUE(temporaries_in("/dev").empty());
}

TEST(AtomicOutput, RefusesAFolderAndAPipe) {
  const std::string folder = libgrid::testing::temporary_folder();
  fs::create_directory(folder + "/out.gpkg");
  EXPECT_EQ(
      refusal(folder + "/out.gpkg"),
      folder + "/out.gpkg: the output is a folder, not a regular file: write to a regular file");
  ASSERT_EQ(mkfifo((folder + "/pipe.csv").c_str(), 0600), 0);
  EXPECT_EQ(
      refusal(folder + "/pipe.csv"),
      folder + "/pipe.csv: the output is a pipe, not a regular file: write to a regular file");
  EXPECT_TRUE(fs::is_fifo(folder + "/pipe.csv"));
  EXPECT_TRUE(temporaries_in(folder).empty());
}

TEST(AtomicOutput, RefusesAnEmptyPath) {
  EXPECT_EQ(refusal(""), "the output path is empty: name an output file");
}

TEST(AtomicOutput, StandardOutputGetsTheWholeFileOnlyOnCommit) {
  std::ostringstream out;
  std::string temporary;
  {
    AtomicOutput output("-");
    EXPECT_TRUE(output.to_standard_output());
    temporary = output.temporary_path();
    EXPECT_TRUE(temporary.ends_with(".csv")) << temporary;
    std::ofstream(temporary) << "a,b\n1,2\n";
    EXPECT_TRUE(out.str().empty());
    output.commit(out);
  }
  EXPECT_EQ(out.str(), "a,b\n1,2\n");
  EXPECT_FALSE(fs::exists(temporary));

  {
    AtomicOutput output("-");
    temporary = output.temporary_path();
    std::ofstream(temporary) << "half a row";
  }  // no commit, the run failed: the temporary file goes and nothing was copied out
  EXPECT_FALSE(fs::exists(temporary));

  std::ostringstream empty;
  AtomicOutput nothing("-");
  std::ofstream(nothing.temporary_path()).close();
  nothing.commit(empty);
  EXPECT_TRUE(empty.str().empty());
  EXPECT_TRUE(empty.good());
}

// The names of standard output are standard output: renaming a file onto /dev/stdout would
// replace the link (as root) instead of writing to the stream, and a pipe there was refused.
TEST(AtomicOutput, StandardOutputByItsDeviceNamesIsStreamed) {
  for (const std::string name : {"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
    std::ostringstream out;
    AtomicOutput output(name);
    EXPECT_TRUE(output.to_standard_output()) << name;
    EXPECT_TRUE(output.temporary_path().starts_with(fs::temp_directory_path().string()))
        << output.temporary_path();
    std::ofstream(output.temporary_path()) << "a,b\n";
    output.commit(out);
    EXPECT_EQ(out.str(), "a,b\n") << name;
  }
  EXPECT_TRUE(fs::is_symlink("/dev/stdout"));
  EXPECT_TRUE(temporaries_in("/dev").empty());
}

// A destination that is a symbolic link is written through: the file it leads to gets the
// output, beside which the temporary file is made, and the link stays a link.
TEST(AtomicOutput, WritesThroughASymbolicLinkAndKeepsIt) {
  const std::string folder = libgrid::testing::temporary_folder();
  fs::create_directory(folder + "/data");
  file_with(folder + "/data/real.csv", "old");
  fs::create_symlink("data/real.csv", folder + "/link.csv");
  fs::create_symlink("data/new.csv", folder + "/dangling.csv");
  for (const std::string link : {"link.csv", "dangling.csv"}) {
    AtomicOutput output(folder + "/" + link);
    EXPECT_EQ(fs::path(output.temporary_path()).parent_path(), fs::canonical(folder + "/data"));
    file_with(output.temporary_path(), "new " + link);
    output.commit();
    EXPECT_TRUE(fs::is_symlink(folder + "/" + link)) << link;
  }
  EXPECT_EQ(contents(folder + "/data/real.csv"), "new link.csv");
  EXPECT_EQ(contents(folder + "/data/new.csv"), "new dangling.csv");
  EXPECT_TRUE(temporaries_in(folder).empty());
  EXPECT_TRUE(temporaries_in(folder + "/data").empty());
}

// A process killed by each signal while its output is half written leaves no temporary file.
class AtomicOutputSignal : public ::testing::TestWithParam<int> {};

TEST_P(AtomicOutputSignal, RemovesTheTemporaryFile) {
  const std::string folder = libgrid::testing::temporary_folder();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    AtomicOutput output(folder + "/grids.gpkg");
    for (const char* suffix : {"", "-wal", "-journal"}) {
      std::ofstream(output.temporary_path() + suffix) << "partial";
    }
    raise(GetParam());
    _exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), GetParam());  // the signal's default action, as without a handler
  EXPECT_EQ(entries(folder), 0u) << ::testing::PrintToString(temporaries_in(folder));
}

INSTANTIATE_TEST_SUITE_P(Signals, AtomicOutputSignal, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& info) {
                           return info.param == SIGINT    ? std::string("SIGINT")
                                  : info.param == SIGTERM ? std::string("SIGTERM")
                                                          : std::string("SIGHUP");
                         });

#ifdef LIBGRID_GRIDTOOL_PATH
// Starts the gridtool binary with `args`, its output thrown away.
pid_t start_gridtool(const std::vector<std::string>& args) {
  std::vector<std::string> words{LIBGRID_GRIDTOOL_PATH};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed ? -1 : pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, 0) == pid ? status : -1;
}

// gridtool assign, killed with SIGTERM while it writes, leaves neither the output nor a temporary
// file beside it.
TEST(AtomicOutput, GridtoolKilledWhileWritingLeavesNothing) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string fixtures = libgrid::testing::source_path("tests/cli/fixtures");
  const pid_t importer = start_gridtool(
      {"import", "--level", "grid=" + fixtures + "/grid.geojson", "-o", folder + "/city.gpkg"});
  ASSERT_GT(importer, 0);
  const int imported = wait_for(importer);
  ASSERT_TRUE(WIFEXITED(imported) && WEXITSTATUS(imported) == 0) << imported;
  {
    // A million points over the sample grid: long enough to write that the kill lands mid-way.
    std::ofstream points(folder + "/points.csv");
    points << "x,y\n";
    for (int i = 0; i < 1000000; ++i) {
      points << 500000 + (i * 37) % 300 << ',' << 4420000 + (i * 91) % 300 << '\n';
    }
  }
  const pid_t assign = start_gridtool({"assign", folder + "/city.gpkg", "--points",
                                       folder + "/points.csv", "-o", folder + "/out.csv"});
  ASSERT_GT(assign, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool writing = false;
  int status = 0;
  while (!writing && std::chrono::steady_clock::now() < deadline) {
    writing = !temporaries_in(folder).empty();
    if (!writing && waitpid(assign, &status, WNOHANG) == assign) break;  // finished first
    if (!writing) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ASSERT_TRUE(writing) << "gridtool ended (status " << status << ") before it began writing";
  ASSERT_EQ(kill(assign, SIGTERM), 0);
  status = wait_for(assign);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_FALSE(fs::exists(folder + "/out.csv"));
  EXPECT_TRUE(temporaries_in(folder).empty()) << ::testing::PrintToString(temporaries_in(folder));
}
#endif

}  // namespace
}  // namespace libgrid
