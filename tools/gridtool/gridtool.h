// gridtool: the command line over libgrid. Each subcommand mirrors a library verb.
//
// Exit status: 0 success; 1 the command ran and found problems; 2 bad input or usage (one line on
// stderr naming where, and no output file written).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace gridtool {

// Runs `gridtool ARGS...` (args excludes the program name) and returns the exit status.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Runs one command's `body` and returns its status; whatever it throws becomes one line on `err`
// ("gridtool COMMAND: ...") and status 2: usage errors point to --help, libgrid errors print
// their message, std::bad_alloc reads "out of memory" and any other std::exception its what().
int run_reporting_failures(std::string_view command, const std::function<int()>& body,
                           std::ostream& err);

}  // namespace gridtool
