#include <algorithm>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/codes/grid_code.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"

namespace gridtool {
namespace {

int check(const libgrid::GridSet& grids, const std::string& path, int level,
          libgrid::CodeFormat format, const std::string& object_code, std::ostream& out) {
  const std::vector<libgrid::CodeIssue> issues =
      libgrid::check_codes(grids, level, format, object_code);
  const std::string& level_name = grids.levels()[static_cast<std::size_t>(level)];
  out << "checked " << path << ": " << plural(grids.cells_of_level(level).size(), "cell", "cells")
      << " of level " << level_name << " against " << libgrid::to_string(format) << "\n\n";
  if (issues.empty()) {
    out << "no bad codes\n";
    return 0;
  }
  Table table({"code", "parent code", "problem"});
  for (const libgrid::CodeIssue& issue : issues) {
    table.add_row({issue.code, issue.parent_code, issue.problem});
  }
  table.print(out);
  out << '\n' << plural(issues.size(), "bad code", "bad codes") << '\n';
  return 1;
}

int run_code(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  const Arguments a(
      {{"level"}, {"format"}, {"object-code"}, {"output", 'o'}, {"check", '\0', false}}, args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  const std::string level_name = a.required("level");
  const std::string format_name = a.required("format");
  const auto format = libgrid::parse_code_format(format_name);
  if (!format) {
    throw UsageError("unknown --format '" + format_name + "' (unit15, unit14 or cjt349)");
  }
  const std::string object_code = a.value("object-code");
  if (a.has("object-code")) {
    if (*format != libgrid::CodeFormat::kCjt349) {
      throw UsageError("--object-code applies to --format cjt349 only");
    }
    const bool digits = std::all_of(object_code.begin(), object_code.end(),
                                    [](unsigned char c) { return c >= '0' && c <= '9'; });
    if (object_code.size() != libgrid::kObjectCodeLength || !digits) {
      throw UsageError("--object-code needs 6 digits, not '" + object_code + "'");
    }
  }
  const bool checking = a.has("check");
  const std::string output = a.value("output");
  if (checking && a.has("output")) throw UsageError("--check writes nothing: leave out -o");
  if (!checking) {
    if (output.empty()) throw UsageError("missing --output (or give --check)");
    if (*format == libgrid::CodeFormat::kCjt349 && object_code.empty()) {
      throw UsageError("--format cjt349 needs --object-code NNNNNN");
    }
    // A missing folder, or an output that is the input, fails before the work.
    const libgrid::AtomicOutput probe(output, {a.positional()[0]});
  }

  const std::string& path = a.positional()[0];
  libgrid::GridSet grids = libgrid::read_grid_set(path);
  const int level = grids.require_level(level_name, "level");
  if (checking) return check(grids, path, level, *format, object_code, out);

  const libgrid::CodeAssignment result = libgrid::assign_codes(grids, level, *format, object_code);
  libgrid::write_grid_set(grids, output);

  Table table({"parent code", "cells", "first code", "last code", "renamed"});
  for (const libgrid::ParentNumbering& p : result.parents) {
    table.add_row({p.parent_code, format_count(static_cast<long long>(p.cells.size())),
                   grids.cell(p.cells.front()).code, grids.cell(p.cells.back()).code,
                   format_count(static_cast<long long>(p.renamed))});
  }
  out << "numbered " << path << ": level " << level_name << " as " << libgrid::to_string(*format)
      << ", west to east, north to south\n\n";
  table.print(out);
  out << '\n'
      << plural(result.cells(), "cell", "cells") << " numbered under "
      << plural(result.parents.size(), "parent", "parents") << ": "
      << format_count(static_cast<long long>(result.renamed_cells())) << " renamed; "
      << plural(result.renamed_descendants(), "descendant code", "descendant codes") << " and "
      << plural(result.roster_entries, "roster entry", "roster entries") << " updated\n";
  out << "wrote " << output << '\n';
  return 0;
}

}  // namespace

const Command kCodeCommand{
    "code", "renumber a level with standard grid codes, or check its codes",
    R"(usage: gridtool code GRIDSET.gpkg --level LEVEL --format FORMAT -o OUT.gpkg [options]
       gridtool code GRIDSET.gpkg --level LEVEL --format FORMAT --check [options]

Gives every cell of a level the standard code built from its parent's 12-digit community code
and a sequence number, numbering the children of each parent west to east, north to south: rows
from north to south by each cell's centroid (a row holds the cells no more than half the median
cell height below its northernmost one), west to east within a row.

Formats:
  unit15   Beijing unit grid (DB11/T 2157-2023): community code + 3-digit sequence 001-999
  unit14   CJ/T 213-2005: community code + 2-digit sequence 01-99 (00: the community itself)
  cjt349   CJ/T 349-2010: 6-digit management-object code + community code + 2-digit sequence
           (00 for the one grid of a community that is not subdivided, else 01-99)

Codes of finer levels that started with a renamed cell's old code have that part rewritten, and
roster entries follow their cells, so nothing is left pointing at an old code. Prints a table
per parent (cells, first and last code, how many were renamed).

With --check nothing is written: every code of the level is checked against the format and its
parent's code, and the bad ones are listed.

Exit status: 0 done (or, with --check, no bad codes), 1 bad codes found (--check), 2 bad input
or usage (a parent whose code is not a community code, or with more children than the format
numbers, is bad input).

options:
  --level LEVEL           the level to number, by name (e.g. grid)
  --format FORMAT         unit15, unit14 or cjt349
  --object-code NNNNNN    the management-object code leading cjt349 codes (needed to number;
                          with --check, codes must start with it)
  -o, --output OUT.gpkg   the renumbered grid set (replaced if it exists)
  --check                 only check the level's codes
)",
    run_code};

}  // namespace gridtool
