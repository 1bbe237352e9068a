// The gridtool binary run as a separate process, for tests of what only a whole process shows:
// signals, and the standard streams it is started with.
#pragma once

#ifdef LIBGRID_GRIDTOOL_PATH

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace libgrid::testing {

struct GridtoolStreams {
  int stdout_fd = -1;       // standard output: this descriptor; -1: /dev/null
  int stderr_fd = -1;       // standard error: this descriptor; -1: /dev/null
  std::vector<int> closed;  // standard streams (0, 1, 2) started closed, as by `<&-`, `>&-`
  std::string tmpdir;       // TMPDIR, when not empty
};

// Starts gridtool with `args` (standard input inherited unless closed), the signals' default
// actions; its pid, or -1 when it could not be started.
inline pid_t start_gridtool(const std::vector<std::string>& args,
                            const GridtoolStreams& streams = {}) {
  std::vector<std::string> words{LIBGRID_GRIDTOOL_PATH};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::vector<std::string> variables;
  for (char** v = environ; *v != nullptr; ++v) {
    if (streams.tmpdir.empty() || !std::string(*v).starts_with("TMPDIR="))
      variables.emplace_back(*v);
  }
  if (!streams.tmpdir.empty()) variables.push_back("TMPDIR=" + streams.tmpdir);
  std::vector<char*> envp;
  for (std::string& v : variables) envp.push_back(v.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const auto route = [&](int target, int fd) {
    if (fd >= 0) {
      posix_spawn_file_actions_adddup2(&actions, fd, target);
    } else {
      posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0);
    }
  };
  route(STDOUT_FILENO, streams.stdout_fd);
  route(STDERR_FILENO, streams.stderr_fd);
  for (const int fd : streams.closed) posix_spawn_file_actions_addclose(&actions, fd);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigfillset(&defaults);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return failed ? -1 : pid;
}

// The wait status of `pid` once it ends; -1 when it cannot be waited for.
inline int wait_for(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, 0) == pid ? status : -1;
}

}  // namespace libgrid::testing

#endif
