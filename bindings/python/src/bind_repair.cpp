// libgrid.repair: gridtool repair's snapping of children to their parents, on a copy.
#include "bindings.h"
#include "libgrid/validate/repair.h"

namespace libgrid::python {
namespace {

// (the repaired grid set, the report's columns, the codes of the cells left alone)
py::tuple repair_columns(const PyGridSet& self, double snap, const py::object& level) {
  RepairOptions options{.snap = snap};
  if (!level.is_none()) options.level = level_argument(self.grids.levels(), level);
  auto result = std::make_shared<PyGridSet>(self.grids);
  RepairReport report;
  {
    py::gil_scoped_release release;
    report = repair(result->grids, options);
  }
  py::list level_index, level_name, code, parent_code, moved, added, before, after, out, in;
  for (const CellRepair& c : report.cells) {
    level_index.append(c.level);
    level_name.append(utf8(self.grids.levels()[static_cast<std::size_t>(c.level)]));
    code.append(utf8(c.code));
    parent_code.append(utf8(c.parent_code));
    moved.append(c.vertices_moved);
    added.append(c.vertices_added);
    before.append(c.area_before);
    after.append(c.area_after);
    out.append(c.area_out);
    in.append(c.area_in);
  }
  py::dict columns;
  columns["level"] = level_index;
  columns["level_name"] = level_name;
  columns["code"] = code;
  columns["parent_code"] = parent_code;
  columns["vertices_moved"] = moved;
  columns["vertices_added"] = added;
  columns["area_before"] = before;
  columns["area_after"] = after;
  columns["area_out"] = out;
  columns["area_in"] = in;
  py::list skipped;
  for (const std::string& s : report.skipped) skipped.append(utf8(s));
  return py::make_tuple(result, columns, skipped);
}

}  // namespace

void bind_repair(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_repair_columns", &repair_columns, "grid_set"_a, "snap"_a, "level"_a,
        "The parts of libgrid.repair's result; use libgrid.repair.");
}

}  // namespace libgrid::python
