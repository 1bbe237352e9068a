#include "gridtool/gridtool.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "libgrid/error.h"
#include "libgrid/io/stream_names.h"

namespace gridtool {
namespace {

const Command* const kCommands[] = {
    &kImportCommand,    &kInfoCommand, &kBuildIndexCommand, &kLookupCommand, &kAssignCommand,
    &kStatsCommand,     &kAreaCommand, &kValidateCommand,   &kRepairCommand, &kPartitionCommand,
    &kRebalanceCommand, &kCodeCommand, &kRenderCommand,     &kVersionCommand};

void print_usage(std::ostream& out) {
  out << "usage: gridtool COMMAND [OPTIONS]\n\n"
         "Community grid management: nested grid sets, exact point-in-grid lookup and who is\n"
         "responsible for each point.\n\ncommands:\n";
  for (const Command* c : kCommands) {
    out << "  " << c->name << std::string(13 - std::string(c->name).size(), ' ') << c->summary
        << '\n';
  }
  out << "\nRun 'gridtool COMMAND --help' for a command's options.\n"
         "Exit status: 0 done, 1 problems found, 2 bad input or usage.\n";
}

// Messages from GDAL or PROJ may span lines; the error contract is one line.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

int run_reporting_failures(std::string_view command, const std::function<int()>& body,
                           std::ostream& err) {
  const std::string prefix = "gridtool " + std::string(command) + ": ";
  try {
    return body();
  } catch (const UsageError& e) {
    err << prefix << one_line(e.what()) << " (see 'gridtool " << command << " --help')\n";
  } catch (const libgrid::Error& e) {
    err << prefix << one_line(e.message(libgrid::spell_cli_option)) << '\n';
  } catch (const std::bad_alloc&) {
    err << prefix << "out of memory\n";
  } catch (const std::exception& e) {
    // A failure libgrid did not foresee (a library's or the system's): still one line and
    // status 2, never an abort with a core dump.
    err << prefix << "unexpected error: " << one_line(e.what()) << '\n';
  }
  return 2;
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? err : out);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    out << "gridtool (libgrid) 0.1.0\n";
    return 0;
  }
  for (const Command* command : kCommands) {
    if (args[0] != command->name) continue;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest) {
      if (a == "--help" || a == "-h") {
        out << command->help;
        return 0;
      }
    }
    return run_reporting_failures(
        command->name,
        [&] {
          const int status = command->run(rest, out, err);
          // What was printed must have reached standard output (`> /dev/full` is a failure).
          errno = 0;
          if (!out.flush()) {
            const int error = errno;
            throw libgrid::Error(libgrid::ErrorKind::kIo,
                                 libgrid::Location{.file = libgrid::output_name("-")},
                                 std::string("cannot write") +
                                     (error != 0 ? ": " + std::string(std::strerror(error)) : ""));
          }
          return status;
        },
        err);
  }
  err << "gridtool: unknown command '" << args[0] << "' (see 'gridtool --help')\n";
  return 2;
}

}  // namespace gridtool
