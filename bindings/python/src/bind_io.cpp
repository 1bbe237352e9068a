// Reading and writing grid sets, importing them from GDAL sources, and their roster and duty CSVs.
#include <filesystem>
#include <tuple>

#include "bindings.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/io/roster_csv.h"

namespace libgrid::python {
namespace {

using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;
// (level, path, code_field, layer); empty strings take the defaults.
using SourceTuple = std::tuple<std::string, std::filesystem::path, std::string, std::string>;

std::shared_ptr<PyGridSet> read(const std::filesystem::path& path) {
  return read_grid_set_file(path.string());
}

ImportTuple import_sources(const std::vector<SourceTuple>& levels, const std::string& crs,
                           const std::string& name_field, const std::string& parent_code_field,
                           const std::string& households_field, const std::string& population_field,
                           const std::string& kind_field, bool make_valid) {
  std::vector<LevelSource> sources;
  for (const auto& [level, path, code_field, layer] : levels) {
    sources.push_back(LevelSource{level, path.string(), layer, code_field});
  }
  ImportOptions options;
  options.name_field = name_field;
  options.parent_code_field = parent_code_field;
  options.households_field = households_field;
  options.population_field = population_field;
  options.kind_field = kind_field;
  options.crs = crs;
  options.make_valid = make_valid;
  ImportResult result;
  {
    py::gil_scoped_release release;
    result = import_grid_set(sources, options);
  }
  return import_result_tuple(std::move(result));
}

}  // namespace

void bind_io(py::module_& m) {
  using namespace pybind11::literals;
  auto cls = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  cls.def_static("read", &read, "path"_a, R"doc(
Reads a grid set file (the GeoPackage that GridSet.write and `gridtool import` make).

Args:
    path: the file (str or os.PathLike).

Raises:
    OSError: the file cannot be opened or read; the message names it.
    ValueError: it is not a libgrid grid set, or a feature in it is broken.
)doc")
      .def(
          "write",
          [](const PyGridSet& self, const std::filesystem::path& path) {
            write_grid_set(self.grids, path.string());
          },
          "path"_a, R"doc(
Writes the grid set, roster and duty table included, to a GeoPackage at `path`.

The file is written to a temporary name beside `path` and renamed into place when complete, so
a failed write leaves no half file; an existing file is replaced.

Raises:
    OSError: the folder does not exist or the file cannot be written.
)doc")
      .def(
          "set_roster_csv",
          [](PyGridSet& self, const std::filesystem::path& path) {
            self.grids.roster() = read_roster_csv(path.string(), self.grids);
            self.roster_changed();
          },
          "path"_a, R"doc(
Replaces the roster with the one in a CSV file.

Columns: cell_code, role (grid_worker | grid_leader | info_worker), person_id, name, phone.
Every cell_code must be a code of this set.

Raises:
    OSError: the file cannot be read.
    ValueError: a column is missing or a value is bad; the message names file, row and field.
)doc")
      .def(
          "set_duty_csv",
          [](PyGridSet& self, const std::filesystem::path& path) {
            self.grids.duty_table() = read_duty_csv(path.string(), self.grids);
            self.roster_changed();
          },
          "path"_a, R"doc(
Replaces the duty table with the one in a CSV file.

Columns: event_class, department, handling_level (a level name of this set), deadline,
deadline_unit (urgent_hours | working_hours | working_days | calendar_days), and optionally
class_name. Event classes must be unique; an event's class matches the rule whose class is its
longest prefix ("0103" falls back to "01").

Raises:
    OSError: the file cannot be read.
    ValueError: a column is missing or a value is bad; the message names file, row and field.
)doc");

  m.def("_import_grid_set", &import_sources, "levels"_a, "crs"_a, "name_field"_a,
        "parent_code_field"_a, "households_field"_a, "population_field"_a, "kind_field"_a,
        "make_valid"_a,
        "Imports a grid set; returns (GridSet, warnings, repairs), each repair a dict. Used by "
        "libgrid.import_grid_set.");
}

}  // namespace libgrid::python
