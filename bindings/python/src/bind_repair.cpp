// libgrid.repair: gridtool repair's snapping of children to their parents, on a copy.
#include "bindings.h"
#include "columns.h"
#include "libgrid/validate/repair.h"

namespace libgrid::python {
namespace {

// (the repaired grid set, the report's columns, the codes of the cells left alone)
TypedObject<"Tuple[libgrid.GridSet, Dict[str, List[Any]], List[str]]"> repair_columns(
    const PyGridSet& self, double snap, const OptionalLevel& level) {
  RepairOptions options{.snap = snap};
  if (!level.is_none()) options.level = level_argument(self.grids.levels(), level);
  auto result = std::make_shared<PyGridSet>(self.grids);
  RepairReport report;
  {
    py::gil_scoped_release release;
    report = repair(result->grids, options);
  }
  const auto& levels = self.grids.levels();
  const py::dict columns =
      ColumnTable(report.cells)
          .number("level", &CellRepair::level)
          .text("level_name",
                [&](const CellRepair& c) { return levels[static_cast<std::size_t>(c.level)]; })
          .text("code", &CellRepair::code)
          .text("parent_code", &CellRepair::parent_code)
          .number("vertices_moved", &CellRepair::vertices_moved)
          .number("vertices_added", &CellRepair::vertices_added)
          .number("area_before", &CellRepair::area_before)
          .number("area_after", &CellRepair::area_after)
          .number("area_out", &CellRepair::area_out)
          .number("area_in", &CellRepair::area_in)
          .dict();
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
