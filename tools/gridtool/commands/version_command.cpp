#include <optional>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/boundary_versions_text.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/model/grid_set.h"

namespace gridtool {
namespace {

// A version's effective date as the grid set file writes it, read from a --effective option.
std::chrono::sys_days date_option(const Arguments& a, const std::string& name) {
  const std::string text = a.required(name);
  const auto day = libgrid::parse_date(text);
  if (!day) throw UsageError("--" + name + " must be a date YYYY-MM-DD, not '" + text + "'");
  return *day;
}

// Errors about the new version name the file it came from.
libgrid::Error about(const libgrid::Error& e, const std::string& path) {
  if (!e.where().file.empty()) return e;
  return libgrid::Error(e.kind(), libgrid::Location{.file = path}, e.detail());
}

int run_version_add(const Arguments& a, std::ostream& out) {
  if (a.positional().size() != 3) throw UsageError("give add BASE.gpkg NEW.gpkg");
  const std::string& base_path = a.positional()[1];
  const std::string& new_path = a.positional()[2];
  const std::string output = a.required("output");
  const auto effective = date_option(a, "effective");
  std::optional<std::chrono::sys_days> first;
  if (a.has("base-effective")) first = date_option(a, "base-effective");
  { const libgrid::AtomicOutput probe(output, {base_path, new_path}); }
  libgrid::GridSet history = libgrid::read_grid_set(base_path);
  if (first && history.has_versions()) {
    throw UsageError("--base-effective is for a BASE of one version; " + base_path +
                     " holds boundary versions already");
  }
  const libgrid::GridSet next = libgrid::read_grid_set(new_path);
  const std::size_t stored_before = history.size();
  try {
    history.add_version(effective, next, first);
  } catch (const libgrid::Error& e) {
    throw about(e, new_path);
  }
  libgrid::write_grid_set(history, output);
  out << "added " << new_path << " as the boundary version effective "
      << libgrid::format_date(effective) << ": "
      << format_count(static_cast<long long>(next.size())) << " cells, "
      << format_count(static_cast<long long>(history.size() - stored_before))
      << " of them new or reshaped\n";
  print_boundary_versions(history, out);
  out << "\nwrote " << output << '\n';
  return 0;
}

int run_version_extract(const Arguments& a, std::ostream& out) {
  if (a.positional().size() != 2) throw UsageError("give extract HISTORY.gpkg");
  const std::string& path = a.positional()[1];
  const std::string output = a.required("output");
  const auto at = time_option(a, "at");
  { const libgrid::AtomicOutput probe(output, {path}); }
  const libgrid::GridSet history = libgrid::read_grid_set(path);
  libgrid::GridSet one;
  try {
    one = history.at(at);
  } catch (const libgrid::Error& e) {
    throw about(e, path);
  }
  libgrid::write_grid_set(one, output);
  out << "wrote " << output << ": the boundaries of " << path << " in force at " << a.value("at")
      << ", " << format_count(static_cast<long long>(one.size())) << " cells\n";
  return 0;
}

int run_version(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  const Arguments a({{"effective"}, {"base-effective"}, {"at"}, {"output", 'o'}}, args);
  if (a.positional().empty()) throw UsageError("give add or extract");
  if (a.positional()[0] == "add") return run_version_add(a, out);
  if (a.positional()[0] == "extract") return run_version_extract(a, out);
  throw UsageError("unknown version subcommand '" + a.positional()[0] + "': add or extract");
}

}  // namespace

const Command kVersionCommand{
    "version", "add a boundary version effective from a date, or extract one",
    R"(usage: gridtool version add BASE.gpkg NEW.gpkg --effective DATE [--base-effective DATE]
           -o HISTORY.gpkg
       gridtool version extract HISTORY.gpkg --at TIME -o OUT.gpkg

A grid set can hold several versions of its boundaries, each in force from the start of its
effective date until the next one's. lookup --at, assign and stats take, for every point,
the version in force at its time; build-index writes one index answering every version.

add writes HISTORY.gpkg: the versions of BASE (a grid set of one version is in force since
always, or from --base-effective), then NEW in force from DATE, which must be after every
version of BASE. NEW must have BASE's levels and CRS. A cell whose boundary NEW leaves
unchanged (same level, code, parent and geometry) is stored once, with NEW's name, counts,
kind and fields. The roster, duty table and calendar become NEW's; a roster entry stands for
its code in every version.

extract writes the version in force at TIME as a grid set of its own, for the commands that
take one version (validate, render, partition, area).

options:
  --effective DATE        the first day NEW is in force, YYYY-MM-DD
  --base-effective DATE   the first day BASE is in force (default: since always)
  --at TIME               YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time
  -o, --output PATH       the grid set written (replaced if it exists)
)",
    run_version};

}  // namespace gridtool
