#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/stream_names.h"

namespace gridtool {
namespace {

int run_build_index(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"output", 'o'}}, args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  const std::string output = a.required("output");
  {
    const libgrid::AtomicOutput probe(output, {a.positional()[0]});  // refused before the work
  }
  const libgrid::GridSet grids = libgrid::read_grid_set(a.positional()[0]);
  const auto start = std::chrono::steady_clock::now();
  const libgrid::CellIndex index(grids);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  index.save(output);
  // With the index on standard output, the summary goes to standard error.
  const bool streamed = libgrid::is_standard_output(output);
  std::ostream& report = streamed ? err : out;
  std::size_t vertices = 0;
  for (const auto& c : grids.cells()) vertices += libgrid::vertex_count(c.geometry);
  char timing[64], per_vertex[64];
  std::snprintf(timing, sizeof timing, "%.3f s", seconds);
  std::snprintf(per_vertex, sizeof per_vertex, "%.1f",
                vertices ? double(index.memory_bytes()) / double(vertices) : 0.0);
  report << "wrote " << libgrid::output_name(output) << "\n\n";
  Table table({"cells", "vertices", "build", "index bytes", "bytes per vertex", "file bytes"});
  table.add_row({format_count(static_cast<long long>(grids.size())),
                 format_count(static_cast<long long>(vertices)), timing,
                 format_count(static_cast<long long>(index.memory_bytes())), per_vertex,
                 streamed
                     ? std::string("-")
                     : format_count(static_cast<long long>(std::filesystem::file_size(output)))});
  table.print(report);
  if (grids.has_versions()) {
    report << "\nboundary versions: " << grids.versions().size()
           << ", each answered by this index at its own times\n";
  }
  return 0;
}

}  // namespace

const Command kBuildIndexCommand{"build-index",
                                 "save the lookup index of a grid set for fast loading elsewhere",
                                 R"(usage: gridtool build-index GRIDSET.gpkg -o CITY.lgi

Builds the exact point-in-grid index of every level and saves it to a versioned, checksummed
file that other processes and machines (of the same byte order) map into memory in
milliseconds: `gridtool assign --index`, libgrid.Index.load in Python, CellIndex::load in C++.
The file records which grid set it was built from; using it with another is refused. A grid
set of several boundary versions gives one file answering every version, each as fast as an
index of that version alone.

options:
  -o, --output CITY.lgi   the index file to write (replaced if it exists)
)",
                                 run_build_index};

}  // namespace gridtool
