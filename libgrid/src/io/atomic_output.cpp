#include "libgrid/io/atomic_output.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>  // mkstemps
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>  // makedev
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>

#include "io/atomic_output_testing.h"
#include "libgrid/error.h"
#include "libgrid/io/stream_names.h"

namespace libgrid {

namespace fs = std::filesystem;

namespace {

// What SQLite (GeoPackage) may leave beside a database file.
constexpr const char* kSiblingSuffixes[] = {"-wal", "-shm", "-journal"};

// The temporary files of the live AtomicOutputs, for the signal handler to remove. Fixed storage
// and lock-free atomics only: a handler may run at any moment, in any thread, and may not take a
// lock or allocate. An output that finds no free slot still works; a signal then leaves its
// temporary file behind.
constexpr int kSlots = 64;
constexpr std::size_t kSlotPath = 4096;
constexpr std::size_t kLongestSuffix = 8;  // "-journal"
enum SlotState : int { kFree, kFilling, kInUse };
static_assert(std::atomic<int>::is_always_lock_free);

struct Slot {
  std::atomic<int> state{kFree};
  char path[kSlotPath];
};
Slot g_slots[kSlots];

// The signals whose default action ends the process, but for those of a crash (SIGSEGV, SIGBUS,
// SIGABRT, ...), where as little as possible should run, and SIGPROF and SIGVTALRM, which
// profilers own. Unnamed temporary files need none of this: the kernel frees them however the
// process ends.
constexpr int kCleanupSignals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGPIPE,
                                   SIGXFSZ, SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2};

std::atomic<bool> g_unnamed_allowed{true};

// Removes every registered temporary file (and its SQLite sidecars), then ends the process as the
// signal would have: the handler was installed with SA_RESETHAND, so the action is the default
// again, and SA_NODEFER leaves the signal unblocked for raise(). Async-signal-safe calls only.
extern "C" void remove_temporaries_and_reraise(int signal_number) {
  for (Slot& slot : g_slots) {
    if (slot.state.load(std::memory_order_acquire) != kInUse) continue;
    unlink(slot.path);
    char sibling[kSlotPath + kLongestSuffix];
    const std::size_t length = std::strlen(slot.path);
    for (const char* suffix : kSiblingSuffixes) {
      std::memcpy(sibling, slot.path, length);
      std::memcpy(sibling + length, suffix, std::strlen(suffix) + 1);
      unlink(sibling);
    }
  }
  raise(signal_number);
}

// Once per process, for each cleanup signal whose action is still the default: a handler the
// program set itself (Python's for SIGINT, say) or an ignored signal (nohup; SIGPIPE in Python)
// is kept.
void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int signal_number : kCleanupSignals) {
      struct sigaction current {};
      if (sigaction(signal_number, nullptr, &current) != 0) continue;
      if ((current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL) continue;
      struct sigaction action {};
      action.sa_handler = remove_temporaries_and_reraise;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESETHAND | SA_NODEFER;
      sigaction(signal_number, &action, nullptr);
    }
  });
}

// Holds back the cleanup signals in this thread while it lives.
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t held;
    sigemptyset(&held);
    for (const int signal_number : kCleanupSignals) sigaddset(&held, signal_number);
    pthread_sigmask(SIG_BLOCK, &held, &previous_);
  }
  ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t previous_;
};

// The slot now holding `path`, or -1 when none is free or the path is too long.
int register_temporary(const std::string& path) {
  std::error_code ec;
  const std::string absolute = fs::absolute(path, ec).string();  // a later chdir() is harmless
  if (ec || absolute.size() >= kSlotPath) return -1;
  install_signal_handlers();
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(g_slots[i].path, absolute.c_str(), absolute.size() + 1);
    g_slots[i].state.store(kInUse, std::memory_order_release);
    return i;
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0) g_slots[slot].state.store(kFree, std::memory_order_release);
}

// "a folder", "a device", ...: what a path that is not a regular file names.
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// True when `destination` is the null device (/dev/null, or a link to it): what is written there
// is discarded, so a stream may go there directly.
bool is_null_device(const std::string& destination) {
  struct stat target {};
  return stat(destination.c_str(), &target) == 0 && S_ISCHR(target.st_mode) &&
         target.st_rdev == makedev(1, 3);
}

// Refuses a destination that must not be written as described in the header. A destination that
// does not exist yet passes (the folder check and mkstemps() speak for it), and so does the null
// device when it takes the output (`discarded`).
void check_destination(const std::string& destination, const std::vector<std::string>& inputs,
                       bool discarded) {
  if (destination.empty()) {
    throw Error(ErrorKind::kInvalidInput, "the output path is empty: name an output file");
  }
  if (is_standard_output(destination)) return;  // written only once complete
  struct stat target {};
  if (stat(destination.c_str(), &target) != 0) return;
  if (discarded) return;
  if (!S_ISREG(target.st_mode)) {
    throw Error(ErrorKind::kInvalidInput, Location{destination},
                std::string("the output is ") + kind_of(target.st_mode) +
                    ", not a regular file: write to a regular file");
  }
  for (const std::string& input : inputs) {
    // "-" is standard input: the file it reads, if it reads one (`< events.csv`).
    struct stat source {};
    const bool standard_input = input == "-";
    if ((standard_input ? fstat(STDIN_FILENO, &source) : stat(input.c_str(), &source)) != 0)
      continue;
    if (source.st_dev != target.st_dev || source.st_ino != target.st_ino) continue;
    throw Error(
        ErrorKind::kInvalidInput, Location{destination},
        input == destination ? std::string("the output is also an input; write to another file")
        : standard_input
            ? std::string("the output is the file standard input reads; write to another file")
            : "the output is the same file as the input " + input + "; write to another file");
  }
}

// The file a rename should replace: the destination, or where it leads if it is a symbolic link
// (a link that leads nowhere yet names the file to create).
std::string rename_target(const std::string& destination) {
  fs::path target(destination);
  for (int links = 0;; ++links) {
    struct stat link {};
    if (lstat(target.c_str(), &link) != 0 || !S_ISLNK(link.st_mode)) break;
    std::error_code ec;
    const fs::path next = fs::read_symlink(target, ec);
    if (ec || links == 40) {
      throw Error(ErrorKind::kIo, Location{destination},
                  "cannot follow the symbolic link: " +
                      (ec ? ec.message() : std::string(std::strerror(ELOOP))));
    }
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  if (target == fs::path(destination)) return destination;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(target, ec);
  return ec ? target.string() : resolved.string();
}

// Where an output for standard output is gathered until complete: TMPDIR, else /tmp. A TMPDIR
// that is no folder is said so (std::filesystem::temp_directory_path throws an error of its own
// words, and one for an empty TMPDIR too).
fs::path temporary_folder(const std::string& destination) {
  const char* tmpdir = std::getenv("TMPDIR");
  if (tmpdir == nullptr || *tmpdir == '\0') return "/tmp";
  std::error_code ec;
  if (!fs::is_directory(tmpdir, ec)) {
    throw Error(ErrorKind::kIo, Location{output_name(destination)},
                std::string("TMPDIR=") + tmpdir +
                    " is not a folder: the output is gathered there until complete");
  }
  return tmpdir;
}

// ".NAME.tmp-XXXXXX.EXT" in `folder`: hidden, in the same folder as `target` (so rename() is
// atomic), and with its extension, which GDAL drivers such as GPKG expect.
std::string temporary_pattern(const fs::path& folder, const fs::path& target) {
  std::string name = ".";
  name.append(target.stem().string()).append(".tmp-XXXXXX").append(target.extension().string());
  return (folder / name).string();
}

// Whether the process may act on any file as if it owned it: CAP_FOWNER in its effective set, as
// root normally has, and as the kernel asks of one who replaces another's file in a sticky folder.
bool may_act_as_any_owner() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  if (::syscall(SYS_capget, &header, data) != 0) return ::geteuid() == 0;
  return (data[CAP_TO_INDEX(CAP_FOWNER)].effective & CAP_TO_MASK(CAP_FOWNER)) != 0;
}

// Refuses, before any work, a file the final rename could not replace: another user's, in a
// folder where only owners may remove files (the sticky bit, as on /tmp), when this process owns
// neither and does not hold CAP_FOWNER.
void check_replaceable(const std::string& destination, const std::string& target,
                       const fs::path& folder) {
  struct stat parent {};
  struct stat file {};
  if (::stat(folder.c_str(), &parent) != 0 || (parent.st_mode & S_ISVTX) == 0) return;
  if (::stat(target.c_str(), &file) != 0) return;
  const uid_t me = ::geteuid();
  if (file.st_uid == me || parent.st_uid == me || may_act_as_any_owner()) return;
  throw Error(ErrorKind::kIo, Location{destination},
              "cannot replace another user's file: folder " + folder.string() +
                  " has the sticky bit, so only the file's owner or the folder's may; write to "
                  "another file");
}

// Opens an unnamed file in `folder` (O_TMPFILE) and returns its descriptor, or -1 where that is
// refused: a kernel or filesystem without O_TMPFILE (EOPNOTSUPP, EISDIR, EINVAL), no /proc to
// reach it through, or any other error, which the named temporary file then reports.
int open_unnamed(const fs::path& folder) {
#ifdef O_TMPFILE
  if (!g_unnamed_allowed.load()) return -1;
  const int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  struct stat reached {};
  if (::stat(("/proc/self/fd/" + std::to_string(fd)).c_str(), &reached) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
#else
  (void)folder;
  return -1;
#endif
}

// The permission bits of the regular file that a commit replaces; nullopt when there is none.
// Set-user-ID and the like are not carried over to new contents.
std::optional<mode_t> mode_to_keep(const std::string& target) {
  struct stat replaced {};
  if (::stat(target.c_str(), &replaced) != 0 || !S_ISREG(replaced.st_mode)) return std::nullopt;
  return replaced.st_mode & 0777;
}

// Gives the file that `source` (/proc/self/fd/N) leads to a fresh name made from `pattern`
// (its "XXXXXX" replaced), and returns that name, or "" with errno set.
std::string link_to_fresh_name(const std::string& source, std::string pattern) {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const std::size_t x = pattern.rfind("XXXXXX");
  std::random_device seed;
  std::mt19937 random(seed());
  std::uniform_int_distribution<std::size_t> letter(0, sizeof kLetters - 2);
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (std::size_t i = 0; i < 6; ++i) pattern[x + i] = kLetters[letter(random)];
    if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, pattern.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      return pattern;
    }
    if (errno != EEXIST) return "";
  }
  return "";
}

}  // namespace

namespace internal {

bool allow_unnamed_temporaries(bool allowed) { return g_unnamed_allowed.exchange(allowed); }

}  // namespace internal

bool is_standard_output(const std::string& path) {
  return path == "-" || path == "/dev/stdout" || path == "/dev/fd/1" || path == "/proc/self/fd/1";
}

AtomicOutput::AtomicOutput(std::string destination, const std::vector<std::string>& inputs,
                           Temporary temporary)
    : destination_(std::move(destination)) {
  const bool standard_output = is_standard_output(destination_);
  discarded_ = temporary == Temporary::kUnnamed && is_null_device(destination_);
  check_destination(destination_, inputs, discarded_);
  if (discarded_) {
    temporary_ = destination_;  // written there at once: nothing to put in place or remove
    return;
  }
  if (!standard_output && !destination_.empty()) target_ = rename_target(destination_);
  const fs::path target(standard_output ? "libgrid-output.csv" : target_);
  const fs::path folder = standard_output            ? temporary_folder(destination_)
                          : target.has_parent_path() ? target.parent_path()
                                                     : fs::path(".");
  std::error_code ec;
  if (!destination_.empty() && !fs::is_directory(folder, ec)) {
    throw Error(ErrorKind::kIo, Location{destination_},
                "folder " + folder.string() + " does not exist");
  }
  if (!standard_output) check_replaceable(destination_, target_, folder);
  if (temporary == Temporary::kUnnamed) {
    unnamed_fd_ = open_unnamed(folder);
    if (unnamed_fd_ >= 0) {
      temporary_ = "/proc/self/fd/" + std::to_string(unnamed_fd_);
      return;  // nothing for a signal handler to remove
    }
  }
  const std::string extension = target.extension().string();
  std::string pattern = temporary_pattern(folder, target);
  // The cleanup signals wait until the new file is registered for the handler to remove.
  const SignalsHeld held;
  const int fd = mkstemps(pattern.data(), static_cast<int>(extension.size()));
  if (fd < 0) {
    throw Error(ErrorKind::kIo, Location{destination_},
                "cannot write in folder " + folder.string() + ": " + std::strerror(errno));
  }
  close(fd);
  slot_ = register_temporary(pattern);
  // The name is ours now; the file itself goes, so that GDAL drivers, which refuse to create a
  // dataset over an existing file, can make it fresh (and with the usual permissions).
  std::remove(pattern.c_str());
  temporary_ = std::move(pattern);
}

AtomicOutput::~AtomicOutput() {
  if (unnamed_fd_ >= 0) {
    ::close(unnamed_fd_);  // the file goes with its last descriptor, unless committed
  } else if (!committed_ && !discarded_) {
    std::remove(temporary_.c_str());
    for (const char* suffix : kSiblingSuffixes) std::remove((temporary_ + suffix).c_str());
  }
  unregister_temporary(slot_);
}

void AtomicOutput::commit(std::ostream& standard_output) {
  if (committed_) return;
  if (discarded_) {
    // The null device took the bytes as they were written.
  } else if (to_standard_output()) {
    copy_to(standard_output);
    if (unnamed_fd_ < 0) std::remove(temporary_.c_str());
  } else if (unnamed_fd_ >= 0) {
    link_into_place();
  } else {
    if (const std::optional<mode_t> mode = mode_to_keep(target_))
      ::chmod(temporary_.c_str(), *mode);
    if (std::rename(temporary_.c_str(), target_.c_str()) != 0) {
      throw Error(ErrorKind::kIo, Location{destination_},
                  "cannot move " + temporary_ + " into place: " + std::strerror(errno));
    }
  }
  committed_ = true;
  unregister_temporary(slot_);
  slot_ = -1;
}

void AtomicOutput::copy_to(std::ostream& standard_output) const {
  // errno says why, when the stream's last write set it (a full disk, a closed pipe).
  errno = 0;
  const auto failed = [&] {
    const int error = errno;
    return Error(
        ErrorKind::kIo, Location{output_name(destination_)},
        std::string("cannot write") + (error != 0 ? ": " + std::string(std::strerror(error)) : ""));
  };
  const int fd = unnamed_fd_ >= 0 ? unnamed_fd_ : ::open(temporary_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw failed();
  // The writer wrote through descriptors of its own: read from the start, whatever our offset.
  std::string buffer(std::size_t{1} << 20, '\0');
  off_t offset = 0;
  bool good = true;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      good = n == 0;
      break;
    }
    if (!standard_output.write(buffer.data(), n)) {
      good = false;
      break;
    }
    offset += n;
  }
  if (fd != unnamed_fd_) ::close(fd);
  if (!good || !standard_output.flush()) throw failed();
}

void AtomicOutput::link_into_place() {
  const auto failed = [&](int error) {
    return Error(ErrorKind::kIo, Location{destination_},
                 std::string("cannot put the output in place: ") + std::strerror(error));
  };
  const std::optional<mode_t> mode = mode_to_keep(target_);
  if (mode) {
    ::fchmod(unnamed_fd_, *mode);
  } else if (::linkat(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.c_str(), AT_SYMLINK_FOLLOW) ==
             0) {
    return;  // a new file: named at once
  } else if (errno != EEXIST) {
    throw failed(errno);
  }
  // An existing file is replaced atomically: the new one gets a hidden name beside it, then
  // rename() moves it over. For that moment the name is registered like a named temporary file.
  const fs::path target(target_);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string hidden;
  {
    const SignalsHeld held;
    hidden = link_to_fresh_name(temporary_, temporary_pattern(folder, target));
    if (hidden.empty()) throw failed(errno);
    slot_ = register_temporary(hidden);
  }
  if (std::rename(hidden.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    std::remove(hidden.c_str());
    unregister_temporary(slot_);
    slot_ = -1;
    throw failed(error);
  }
}

}  // namespace libgrid
