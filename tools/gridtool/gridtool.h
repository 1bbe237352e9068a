// gridtool: the command line over libgrid. Each subcommand mirrors a library verb.
//
// Exit status: 0 success; 1 the command ran and found problems; 2 bad input or usage (one line on
// stderr naming where, and no output file written).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace gridtool {

// Runs `gridtool ARGS...` (args excludes the program name) and returns the exit status.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gridtool
