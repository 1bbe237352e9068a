#include "libgrid/io/atomic_output.h"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "io/atomic_output_testing.h"
#include "io/sequential_file_writer.h"
#include "libgrid/error.h"
#include "support/gridtool_process.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;

std::size_t entries(const std::string& folder) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

TEST(AtomicOutput, TemporaryIsAFreshHiddenNameBesideTheDestination) {
  const std::string folder = libgrid::testing::temporary_folder();
  const AtomicOutput a(folder + "/grids.gpkg", {}, AtomicOutput::Temporary::kNamed);
  const AtomicOutput b(folder + "/grids.gpkg", {}, AtomicOutput::Temporary::kNamed);
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
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kNamed);
    std::ofstream(output.temporary_path()) << "new";
    EXPECT_EQ(libgrid::testing::file_bytes(destination), "old");  // untouched until commit
    output.commit();
    EXPECT_FALSE(fs::exists(output.temporary_path()));
  }
  EXPECT_EQ(libgrid::testing::file_bytes(destination), "new");
  EXPECT_EQ(entries(folder), 1u);
}

TEST(AtomicOutput, LeavesNothingBehindWithoutCommit) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string destination = folder + "/grids.gpkg";
  std::ofstream(destination) << "old";
  {
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kNamed);
    // What a half-written GeoPackage leaves: the file and SQLite's sidecars.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::ofstream(output.temporary_path() + suffix) << "partial";
    }
    EXPECT_EQ(entries(folder), 5u);
  }
  EXPECT_EQ(entries(folder), 1u);
  EXPECT_EQ(libgrid::testing::file_bytes(destination), "old");
}

TEST(AtomicOutput, MissingFolderIsAnIoError) {
  const std::string destination = libgrid::testing::temporary_folder() + "/no/such/out.gpkg";
  try {
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kNamed);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.where().file, destination);
  }
}

// Sets or clears CAP_FOWNER (acting on any file as its owner) in the process's effective set.
bool set_fowner(bool on) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  auto& word = data[CAP_TO_INDEX(CAP_FOWNER)];
  word.effective =
      on ? word.effective | CAP_TO_MASK(CAP_FOWNER) : word.effective & ~CAP_TO_MASK(CAP_FOWNER);
  return syscall(SYS_capset, &header, data) == 0;
}

// How the child of as_user() holds CAP_FOWNER: as a switch of user leaves it (none), dropped by
// a root that stays root, or kept through the switch.
enum class Fowner { kAsSwitched, kDropped, kKept };

// What AtomicOutput says of `destination` in a child process running as user `uid` (with no
// supplementary groups; root stays root): "written" when it takes it and puts "new" in place,
// the error's text when it refuses it; "cannot switch user" or "no child" when the test cannot
// be made.
std::string as_user(uid_t uid, const std::string& destination,
                    Fowner fowner = Fowner::kAsSwitched) {
  int ends[2];
  if (pipe(ends) != 0) return "no child";
  const pid_t child = fork();
  if (child < 0) {
    close(ends[0]);
    close(ends[1]);
    return "no child";
  }
  if (child == 0) {
    close(ends[0]);
    std::string said = "written";
    const bool kept = fowner != Fowner::kKept || prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == 0;
    const bool switched =
        uid == 0 || (setgroups(0, nullptr) == 0 && setgid(uid) == 0 && setuid(uid) == 0);
    const bool capabilities = fowner == Fowner::kAsSwitched || set_fowner(fowner == Fowner::kKept);
    if (!kept || !switched || !capabilities) {
      said = "cannot switch user";
    } else {
      try {
        AtomicOutput output(destination);
        std::ofstream(output.temporary_path()) << "new";
        output.commit();
      } catch (const Error& e) {
        said = e.what();
      } catch (...) {
        said = "another exception";
      }
    }
    const ssize_t written = write(ends[1], said.data(), said.size());
    _exit(written == static_cast<ssize_t>(said.size()) ? 0 : 1);
  }
  close(ends[1]);
  std::string said;
  char buffer[512];
  for (ssize_t n; (n = read(ends[0], buffer, sizeof buffer)) > 0;) said.append(buffer, n);
  close(ends[0]);
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "the child failed: " + said;
  return said;
}

TEST(AtomicOutput, AnotherUsersFileInAStickyFolderIsRefusedBeforeTheWork) {
  // The final rename would fail with EPERM, after all the work: said at the start instead.
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to make another user's file";
  const uid_t nobody = 65534;
  const std::string parent = libgrid::testing::temporary_folder();
  ASSERT_EQ(chmod(parent.c_str(), 0711), 0);  // made 0700: the other user could not reach it
  const std::string folder = parent + "/shared";
  fs::create_directory(folder);
  ASSERT_EQ(chmod(folder.c_str(), 01777), 0);
  const std::string theirs = folder + "/theirs.csv", mine = folder + "/mine.csv";
  std::ofstream(theirs) << "root's";
  std::ofstream(mine) << "nobody's";
  ASSERT_EQ(chmod(theirs.c_str(), 0666), 0);
  if (chown(mine.c_str(), nobody, nobody) != 0)
    GTEST_SKIP() << "user " << nobody << " unknown here";
  const std::string first = as_user(nobody, mine);
  if (first == "cannot switch user" || first.ends_with("does not exist")) {
    GTEST_SKIP() << "cannot act as user " << nobody << " in " << folder << ": " << first;
  }
  EXPECT_EQ(first, "written");
  EXPECT_EQ(libgrid::testing::file_bytes(mine), "new");
  EXPECT_EQ(as_user(nobody, theirs),
            theirs + ": cannot replace another user's file: folder " + folder +
                " has the sticky bit, so only the file's owner or the folder's may; write to "
                "another file");
  EXPECT_EQ(libgrid::testing::file_bytes(theirs), "root's");
  EXPECT_EQ(as_user(nobody, folder + "/new.csv"), "written");
  // What lets one replace another's file there is CAP_FOWNER, not being root: root without it is
  // refused (the rename would fail), another user with it is not.
  if (!set_fowner(true)) GTEST_SKIP() << "root here does not hold CAP_FOWNER";
  ASSERT_EQ(chown(folder.c_str(), nobody, nobody), 0);
  ASSERT_EQ(chown(theirs.c_str(), nobody, nobody), 0);
  EXPECT_EQ(as_user(0, theirs, Fowner::kDropped),
            theirs + ": cannot replace another user's file: folder " + folder +
                " has the sticky bit, so only the file's owner or the folder's may; write to "
                "another file");
  EXPECT_EQ(libgrid::testing::file_bytes(theirs), "root's");
  ASSERT_EQ(chown(folder.c_str(), 0, 0), 0);
  ASSERT_EQ(chown(theirs.c_str(), 0, 0), 0);
  EXPECT_EQ(as_user(nobody, theirs, Fowner::kKept), "written");
  EXPECT_EQ(libgrid::testing::file_bytes(theirs), "new");
  // Root's file again (the one just put in place is nobody's).
  fs::remove(theirs);
  std::ofstream(theirs) << "root's";
  ASSERT_EQ(chmod(theirs.c_str(), 0666), 0);
  struct stat owner {};
  ASSERT_EQ(stat(theirs.c_str(), &owner), 0);
  ASSERT_EQ(owner.st_uid, 0u);
  ASSERT_EQ(chmod(folder.c_str(), 0777), 0);  // without the sticky bit anyone may replace it
  EXPECT_EQ(as_user(nobody, theirs), "written");
  EXPECT_EQ(libgrid::testing::file_bytes(theirs), "new");
}

TEST(AtomicOutput, CommitWithoutATemporaryFileIsAnIoError) {
  const std::string folder = libgrid::testing::temporary_folder();
  AtomicOutput output(folder + "/out.csv", {}, AtomicOutput::Temporary::kNamed);
  try {
    output.commit();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
  EXPECT_FALSE(fs::exists(folder + "/out.csv"));
}

TEST(AtomicOutput, AcceptsABareFileName) {
  const AtomicOutput output("relative.gpkg", {}, AtomicOutput::Temporary::kNamed);
  EXPECT_EQ(fs::path(output.temporary_path()).parent_path(), fs::path("."));
}

// The message of the Error(kInvalidInput) that making an AtomicOutput throws; "" if none.
std::string refusal(const std::string& destination, const std::vector<std::string>& inputs = {},
                    AtomicOutput::Temporary temporary = AtomicOutput::Temporary::kNamed) {
  try {
    const AtomicOutput output(destination, inputs, temporary);
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
  EXPECT_EQ(libgrid::testing::file_bytes(input), "grid set");
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
  EXPECT_EQ(libgrid::testing::file_bytes(input), "grid set");
  EXPECT_TRUE(temporaries_in(folder).empty());
}

TEST(AtomicOutput, RefusesAnInputThroughAHardLink) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string input = file_with(folder + "/events.csv", "x,y");
  fs::create_hard_link(input, folder + "/copy.csv");
  EXPECT_NE(refusal(folder + "/copy.csv", {input}), "");
  EXPECT_EQ(libgrid::testing::file_bytes(input), "x,y");
  EXPECT_TRUE(temporaries_in(folder).empty());
}

// "-" among the inputs is the file standard input reads: `-p - -o events.csv < events.csv`
// would replace the points being read.
TEST(AtomicOutput, RefusesTheFileStandardInputReads) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string input = file_with(folder + "/events.csv", "x,y");
  const int saved = dup(STDIN_FILENO);
  const int file = open(input.c_str(), O_RDONLY | O_CLOEXEC);
  dup2(file, STDIN_FILENO);
  const std::string same = refusal(input, {"-"});
  const std::string other = refusal(folder + "/other.csv", {"-"});
  dup2(saved, STDIN_FILENO);
  close(file);
  close(saved);
  EXPECT_EQ(same, input + ": the output is the file standard input reads; write to another file");
  EXPECT_EQ(other, "");
  EXPECT_EQ(libgrid::testing::file_bytes(input), "x,y");
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

// A stream may be thrown away (gridtool assign -o /dev/null, for the summary alone): it is
// written to the null device itself, which commit leaves as it is. Other devices stay refused.
TEST(AtomicOutput, AStreamGoesToTheNullDeviceDirectly) {
  {
    AtomicOutput output("/dev/null", {}, AtomicOutput::Temporary::kUnnamed);
    EXPECT_EQ(output.temporary_path(), "/dev/null");
    std::ofstream(output.temporary_path()) << "a,b\n1,2\n";
    output.commit();
  }
  struct stat null_device {};
  ASSERT_EQ(stat("/dev/null", &null_device), 0);
  EXPECT_TRUE(S_ISCHR(null_device.st_mode));
  EXPECT_TRUE(temporaries_in("/dev").empty());
  EXPECT_EQ(refusal("/dev/zero", {}, AtomicOutput::Temporary::kUnnamed),
            "/dev/zero: the output is a device, not a regular file: write to a regular file");
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
    AtomicOutput output("-", {}, AtomicOutput::Temporary::kNamed);
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
    AtomicOutput output("-", {}, AtomicOutput::Temporary::kNamed);
    temporary = output.temporary_path();
    std::ofstream(temporary) << "half a row";
  }  // no commit, the run failed: the temporary file goes and nothing was copied out
  EXPECT_FALSE(fs::exists(temporary));

  std::ostringstream empty;
  AtomicOutput nothing("-", {}, AtomicOutput::Temporary::kNamed);
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
    AtomicOutput output(name, {}, AtomicOutput::Temporary::kNamed);
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
    AtomicOutput output(folder + "/" + link, {}, AtomicOutput::Temporary::kNamed);
    EXPECT_EQ(fs::path(output.temporary_path()).parent_path(), fs::canonical(folder + "/data"));
    file_with(output.temporary_path(), "new " + link);
    output.commit();
    EXPECT_TRUE(fs::is_symlink(folder + "/" + link)) << link;
  }
  EXPECT_EQ(libgrid::testing::file_bytes(folder + "/data/real.csv"), "new link.csv");
  EXPECT_EQ(libgrid::testing::file_bytes(folder + "/data/new.csv"), "new dangling.csv");
  EXPECT_TRUE(temporaries_in(folder).empty());
  EXPECT_TRUE(temporaries_in(folder + "/data").empty());
}

// The permission bits of `path`.
mode_t mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// Turns unnamed temporary files off while it lives: the path taken where O_TMPFILE is refused.
class UnnamedTemporariesRefused {
 public:
  UnnamedTemporariesRefused() : previous_(internal::allow_unnamed_temporaries(false)) {}
  ~UnnamedTemporariesRefused() { internal::allow_unnamed_temporaries(previous_); }
  UnnamedTemporariesRefused(const UnnamedTemporariesRefused&) = delete;
  UnnamedTemporariesRefused& operator=(const UnnamedTemporariesRefused&) = delete;

 private:
  bool previous_;
};

// Whether the filesystem of `folder` takes O_TMPFILE (Linux 3.11 and later: ext4, xfs, btrfs,
// tmpfs), asked directly rather than through AtomicOutput.
bool takes_unnamed_files(const std::string& folder) {
#ifdef O_TMPFILE
  const int fd = open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  close(fd);
  return true;
#else
  (void)folder;
  return false;
#endif
}

#define LIBGRID_REQUIRE_UNNAMED_FILES(folder)                                              \
  if (!takes_unnamed_files(folder)) {                                                      \
    GTEST_SKIP() << (folder) << " takes no O_TMPFILE: the named path is tested elsewhere"; \
  }                                                                                        \
  static_assert(true)

TEST(AtomicOutput, UnnamedTemporaryHasNoNameUntilCommit) {
  const std::string folder = libgrid::testing::temporary_folder();
  LIBGRID_REQUIRE_UNNAMED_FILES(folder);
  const std::string destination = folder + "/out.csv";
  AtomicOutput output(destination, {}, AtomicOutput::Temporary::kUnnamed);
  EXPECT_TRUE(output.temporary_is_unnamed());
  EXPECT_TRUE(output.temporary_path().starts_with("/proc/self/fd/")) << output.temporary_path();
  std::ofstream(output.temporary_path()) << "a,b\n1,2\n";
  EXPECT_EQ(entries(folder), 0u);  // written, and still nowhere to be seen
  EXPECT_EQ(libgrid::testing::file_bytes(output.temporary_path()), "a,b\n1,2\n");
  output.commit();
  EXPECT_EQ(libgrid::testing::file_bytes(destination), "a,b\n1,2\n");
  EXPECT_EQ(entries(folder), 1u);
}

TEST(AtomicOutput, UnnamedTemporaryLeavesNothingWithoutCommit) {
  const std::string folder = libgrid::testing::temporary_folder();
  LIBGRID_REQUIRE_UNNAMED_FILES(folder);
  const std::string destination = file_with(folder + "/out.csv", "old");
  {
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kUnnamed);
    ASSERT_TRUE(output.temporary_is_unnamed());
    std::ofstream(output.temporary_path()) << "partial";
  }
  EXPECT_EQ(entries(folder), 1u);
  EXPECT_EQ(libgrid::testing::file_bytes(destination), "old");
}

// Where O_TMPFILE is refused, an unnamed temporary file is asked for in vain: a named one,
// beside the destination, does the same work.
TEST(AtomicOutput, UnnamedTemporaryFallsBackToANamedOne) {
  const UnnamedTemporariesRefused refused;
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string destination = folder + "/out.csv";
  {
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kUnnamed);
    EXPECT_FALSE(output.temporary_is_unnamed());
    EXPECT_EQ(fs::path(output.temporary_path()).parent_path(), fs::path(folder));
    EXPECT_TRUE(fs::path(output.temporary_path()).filename().string().starts_with(".out.tmp-"));
    std::ofstream(output.temporary_path()) << "a,b\n";
    EXPECT_EQ(temporaries_in(folder).size(), 1u);
    output.commit();
  }
  EXPECT_EQ(libgrid::testing::file_bytes(destination), "a,b\n");
  EXPECT_EQ(entries(folder), 1u);
  {
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kUnnamed);
    std::ofstream(output.temporary_path()) << "partial";
  }
  EXPECT_EQ(libgrid::testing::file_bytes(destination), "a,b\n");
  EXPECT_EQ(entries(folder), 1u);
}

// Replacing a file keeps its permission bits, as editors and sed -i do; a new file gets 0666
// less the umask. For both kinds of temporary file.
// The parameter: whether the temporary file is unnamed (else unnamed ones are refused, and the
// named fallback is taken).
class AtomicOutputKind : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (unnamed_) {
      LIBGRID_REQUIRE_UNNAMED_FILES(folder_);
    } else {
      refused_.emplace();
    }
  }

  const bool unnamed_ = GetParam();
  const std::string folder_ = libgrid::testing::temporary_folder();
  std::optional<UnnamedTemporariesRefused> refused_;
};

TEST_P(AtomicOutputKind, ReplacingKeepsTheModeAndANewFileFollowsTheUmask) {
  struct Umask {
    mode_t before = umask(027);
    ~Umask() { umask(before); }
  } const umask_027;
  const auto write = [&](const std::string& destination, const std::string& text) {
    AtomicOutput output(destination, {}, AtomicOutput::Temporary::kUnnamed);
    EXPECT_EQ(output.temporary_is_unnamed(), unnamed_);
    std::ofstream(output.temporary_path()) << text;
    output.commit();
  };
  const std::string fresh = folder_ + "/fresh.csv";
  write(fresh, "new");
  EXPECT_EQ(mode_of(fresh), 0640u);

  const std::string kept = file_with(folder_ + "/kept.csv", "old");
  ASSERT_EQ(chmod(kept.c_str(), 0600), 0);
  write(kept, "replaced");
  EXPECT_EQ(libgrid::testing::file_bytes(kept), "replaced");
  EXPECT_EQ(mode_of(kept), 0600u);
  ASSERT_EQ(chmod(kept.c_str(), 0664), 0);  // wider than the umask lets a new file be
  write(kept, "again");
  EXPECT_EQ(libgrid::testing::file_bytes(kept), "again");
  EXPECT_EQ(mode_of(kept), 0664u);
  EXPECT_EQ(entries(folder_), 2u) << ::testing::PrintToString(temporaries_in(folder_));
}

// O_DIRECT writing (SequentialFileWriter, gridtool assign) opens the path it is given: an unnamed
// file reached through /proc/self/fd takes it, and the committed bytes are exactly those
// written, padding cut, as with a named file.
TEST_P(AtomicOutputKind, DirectWritingGivesTheExactBytes) {
  std::string bytes;
  for (std::size_t i = 0; bytes.size() < (std::size_t{9} << 20) + 1234; ++i) {
    bytes += std::to_string(i * 7919) + ',';
  }
  const std::string destination = file_with(folder_ + "/out.csv", "an older, longer file");
  AtomicOutput output(destination, {}, AtomicOutput::Temporary::kUnnamed);
  EXPECT_EQ(output.temporary_is_unnamed(), unnamed_);
  internal::SequentialFileWriter writer(output.temporary_path(), true);
  writer.write(std::string_view(bytes).substr(0, 1000));
  writer.write(std::string_view(bytes).substr(1000));
  writer.close();
  output.commit();
  EXPECT_EQ(fs::file_size(destination), bytes.size());
  EXPECT_TRUE(libgrid::testing::file_bytes(destination) == bytes);
  EXPECT_EQ(entries(folder_), 1u);
}

INSTANTIATE_TEST_SUITE_P(Temporaries, AtomicOutputKind, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Unnamed" : "Named"; });

TEST(AtomicOutput, StandardOutputThroughAnUnnamedTemporaryLeavesNothingInTmpdir) {
  const std::string folder = libgrid::testing::temporary_folder();
  LIBGRID_REQUIRE_UNNAMED_FILES(folder);
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string tmpdir_before = tmpdir ? tmpdir : "";
  setenv("TMPDIR", folder.c_str(), 1);
  std::ostringstream out;
  {
    AtomicOutput output("-", {}, AtomicOutput::Temporary::kUnnamed);
    EXPECT_TRUE(output.temporary_is_unnamed());
    std::ofstream(output.temporary_path()) << "a,b\n1,2\n";
    EXPECT_EQ(entries(folder), 0u);
    output.commit(out);
    EXPECT_EQ(entries(folder), 0u);
  }
  {
    AtomicOutput output("-", {}, AtomicOutput::Temporary::kUnnamed);
    std::ofstream(output.temporary_path()) << "never shown";
  }
  if (tmpdir) {
    setenv("TMPDIR", tmpdir_before.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  EXPECT_EQ(out.str(), "a,b\n1,2\n");
  EXPECT_EQ(entries(folder), 0u);
}

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGXFSZ:
      return "SIGXFSZ";
    case SIGKILL:
      return "SIGKILL";
    default:
      return "another signal";
  }
}

// Ends this process (a forked child) by `signal_number`, as it would come: SIGPIPE from a write
// to a pipe nobody reads, the others sent. No core file is dumped for SIGQUIT and SIGXFSZ.
[[noreturn]] void end_by(int signal_number) {
  prctl(PR_SET_DUMPABLE, 0);
  if (signal_number == SIGPIPE) {
    int ends[2];
    if (pipe(ends) == 0) {
      close(ends[0]);
      (void)!write(ends[1], "x", 1);
    }
  } else {
    kill(getpid(), signal_number);
  }
  _exit(0);  // not reached
}

// Waits for `child` and checks that `signal_number` ended it, as without any handler.
void expect_ended_by(pid_t child, int signal_number) {
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), signal_number);
}

// A signal this test process ignores (inherited) is ignored by its children too: nothing to test.
#define LIBGRID_REQUIRE_NOT_IGNORED(signal_number)                                         \
  if (struct sigaction current{};                                                          \
      sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) { \
    GTEST_SKIP() << signal_name(signal_number) << " is ignored in this test process";      \
  }                                                                                        \
  static_assert(true)

// A process ended by a signal while its output, a named temporary file (a GeoPackage and
// SQLite's sidecars), is half written leaves none of it.
class AtomicOutputSignal : public ::testing::TestWithParam<int> {};

TEST_P(AtomicOutputSignal, RemovesTheTemporaryFile) {
  LIBGRID_REQUIRE_NOT_IGNORED(GetParam());
  const std::string folder = libgrid::testing::temporary_folder();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    AtomicOutput output(folder + "/grids.gpkg", {}, AtomicOutput::Temporary::kNamed);
    for (const char* suffix : {"", "-wal", "-journal"}) {
      std::ofstream(output.temporary_path() + suffix) << "partial";
    }
    end_by(GetParam());
  }
  expect_ended_by(child, GetParam());
  EXPECT_EQ(entries(folder), 0u) << ::testing::PrintToString(temporaries_in(folder));
}

INSTANTIATE_TEST_SUITE_P(Signals, AtomicOutputSignal,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ),
                         [](const auto& info) { return std::string(signal_name(info.param)); });

// The same with an unnamed temporary file, and SIGKILL, which no handler sees, besides; and
// with the named file that replaces it where O_TMPFILE is refused, for the signals a handler
// sees.
class AtomicOutputUnnamedSignal : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(AtomicOutputUnnamedSignal, LeavesNothing) {
  const auto [signal_number, unnamed] = GetParam();
  LIBGRID_REQUIRE_NOT_IGNORED(signal_number);
  const std::string folder = libgrid::testing::temporary_folder();
  if (unnamed) LIBGRID_REQUIRE_UNNAMED_FILES(folder);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (!unnamed) internal::allow_unnamed_temporaries(false);
    AtomicOutput output(folder + "/out.csv", {}, AtomicOutput::Temporary::kUnnamed);
    if (output.temporary_is_unnamed() != unnamed) _exit(3);
    std::ofstream partial(output.temporary_path());
    partial << "a,b\n1,2\n" << std::flush;
    end_by(signal_number);
  }
  expect_ended_by(child, signal_number);
  EXPECT_EQ(entries(folder), 0u) << ::testing::PrintToString(temporaries_in(folder));
}

INSTANTIATE_TEST_SUITE_P(Signals, AtomicOutputUnnamedSignal,
                         ::testing::Values(std::tuple{SIGKILL, true}, std::tuple{SIGPIPE, true},
                                           std::tuple{SIGQUIT, true}, std::tuple{SIGTERM, true},
                                           std::tuple{SIGPIPE, false}, std::tuple{SIGQUIT, false},
                                           std::tuple{SIGTERM, false}),
                         [](const auto& info) {
                           return std::string(signal_name(std::get<0>(info.param))) +
                                  (std::get<1>(info.param) ? "Unnamed" : "Named");
                         });

#ifdef LIBGRID_GRIDTOOL_PATH
using libgrid::testing::start_gridtool;
using libgrid::testing::wait_for;

// Whether process `pid` has a file open in `folder`, named or not (an unnamed one reads
// "FOLDER/#INODE (deleted)").
bool has_file_open_in(pid_t pid, const std::string& folder) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const fs::path target = fs::read_symlink(entry.path(), ec);
    if (!ec && target.string().starts_with(folder + "/")) return true;
  }
  return false;
}

// gridtool assign, ended by a signal while it writes, leaves neither the output nor a temporary
// file: SIGTERM and SIGQUIT reach its handler, SIGKILL leaves an unnamed file to the kernel.
class GridtoolSignal : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    inputs_ = new std::string(libgrid::testing::temporary_folder());
    const std::string fixtures = libgrid::testing::source_path("tests/cli/fixtures");
    const pid_t importer = start_gridtool(
        {"import", "--level", "grid=" + fixtures + "/grid.geojson", "-o", *inputs_ + "/city.gpkg"});
    ASSERT_GT(importer, 0);
    const int imported = wait_for(importer);
    ASSERT_TRUE(WIFEXITED(imported) && WEXITSTATUS(imported) == 0) << imported;
    // A million points over the sample grid: long enough to write that a kill lands mid-way.
    std::ofstream points(*inputs_ + "/points.csv");
    points << "x,y\n";
    for (int i = 0; i < 1000000; ++i) {
      points << 500000 + (i * 37) % 300 << ',' << 4420000 + (i * 91) % 300 << '\n';
    }
    // SIGQUIT dumps core by default: not into the build folder.
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
  }
  static void TearDownTestSuite() {
    delete inputs_;
    inputs_ = nullptr;
  }
  static std::vector<std::string> assign_to(const std::string& output) {
    return {"assign", *inputs_ + "/city.gpkg", "--points", *inputs_ + "/points.csv", "-o", output};
  }
  static std::string* inputs_;
};

std::string* GridtoolSignal::inputs_ = nullptr;

// Starts gridtool with `args` and sends it `signal_number` once it has a file open in `folder`;
// returns its wait status, or -1 when it ended by itself, before it opened one or before the
// signal landed.
int signal_while_writing(const std::vector<std::string>& args, const std::string& folder,
                         int signal_number) {
  const pid_t gridtool = start_gridtool(args);
  if (gridtool <= 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!has_file_open_in(gridtool, folder)) {
    int status = 0;
    if (waitpid(gridtool, &status, WNOHANG) == gridtool) return -1;  // finished first
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  kill(gridtool, signal_number);
  const int status = wait_for(gridtool);
  return WIFEXITED(status) ? -1 : status;
}

TEST_P(GridtoolSignal, KilledWhileWritingLeavesNothing) {
  const int signal_number = GetParam();
  const std::string folder = libgrid::testing::temporary_folder();
  const int status = signal_while_writing(assign_to(folder + "/out.csv"), folder, signal_number);
  ASSERT_NE(status, -1) << "gridtool ended before the signal landed";
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), signal_number);
  EXPECT_EQ(entries(folder), 0u) << ::testing::PrintToString(temporaries_in(folder));
}

// kill -9 of gridtool while it has its output open, tried again while the run ends before the
// kill lands (these outputs take milliseconds): nothing is left in `folder`.
void expect_kill_leaves_nothing(const std::vector<std::string>& args, const std::string& folder) {
  int status = -1;
  for (int attempt = 0; attempt < 10 && status == -1; ++attempt) {
    for (const auto& entry : fs::directory_iterator(folder)) fs::remove_all(entry.path());
    status = signal_while_writing(args, folder, SIGKILL);
  }
  ASSERT_NE(status, -1) << "gridtool ended before the kill landed, ten times";
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(entries(folder), 0u) << ::testing::PrintToString(temporaries_in(folder));
}

// Maps and GeoPackages are written into a file of no name too.
TEST_F(GridtoolSignal, AMapKilledWhileDrawnLeavesNothing) {
  const std::string folder = libgrid::testing::temporary_folder();
  expect_kill_leaves_nothing(
      {"render", *inputs_ + "/city.gpkg", "--level", "grid", "-o", folder + "/map.pdf"}, folder);
}

TEST_F(GridtoolSignal, AGeoPackageKilledWhileWrittenLeavesNothing) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string fixtures = libgrid::testing::source_path("tests/cli/fixtures");
  expect_kill_leaves_nothing(
      {"import", "--level", "community=" + fixtures + "/community.geojson", "--level",
       "grid=" + fixtures + "/grid.geojson", "-o", folder + "/city.gpkg"},
      folder);
}

INSTANTIATE_TEST_SUITE_P(Signals, GridtoolSignal, ::testing::Values(SIGTERM, SIGQUIT, SIGKILL),
                         [](const auto& info) { return std::string(signal_name(info.param)); });

// gridtool assign -o - | head -1: the reader goes away, the write to standard output ends
// gridtool by SIGPIPE, and no temporary file is left in TMPDIR.
TEST_F(GridtoolSignal, StandardOutputClosedByTheReaderLeavesNothingInTmpdir) {
  const std::string tmpdir = libgrid::testing::temporary_folder();
  int ends[2];
  ASSERT_EQ(pipe2(ends, O_CLOEXEC), 0);  // gridtool gets the writing end only, as its stdout
  const pid_t assign = start_gridtool(
      assign_to("-"), {.stdout_fd = ends[1], .stderr_fd = -1, .closed = {}, .tmpdir = tmpdir});
  close(ends[1]);
  ASSERT_GT(assign, 0);
  char first = 0;
  EXPECT_EQ(read(ends[0], &first, 1), 1);  // the first byte, and no more: as head -c 1
  close(ends[0]);
  const int status = wait_for(assign);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGPIPE);
  EXPECT_EQ(entries(tmpdir), 0u) << ::testing::PrintToString(temporaries_in(tmpdir));
}
#endif

}  // namespace
}  // namespace libgrid
