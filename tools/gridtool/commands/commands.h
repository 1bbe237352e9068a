// The gridtool subcommands. Each takes its arguments (after the subcommand's name), prints its
// results to `out` and warnings to `err`, and returns the exit status; usage mistakes throw
// UsageError and bad input throws libgrid::Error, both turned into one line and status 2.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace gridtool {

struct Command {
  const char* name;
  const char* summary;  // one line for `gridtool --help`
  const char* help;     // the full `gridtool NAME --help` text
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

extern const Command kImportCommand;
extern const Command kInfoCommand;
extern const Command kLookupCommand;
extern const Command kAssignCommand;
extern const Command kStatsCommand;
extern const Command kBuildIndexCommand;
extern const Command kValidateCommand;
extern const Command kRepairCommand;
extern const Command kPartitionCommand;
extern const Command kRebalanceCommand;
extern const Command kCodeCommand;
extern const Command kRenderCommand;
extern const Command kAreaCommand;
extern const Command kVersionCommand;

}  // namespace gridtool
