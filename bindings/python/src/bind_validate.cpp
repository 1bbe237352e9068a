// libgrid.validate: the coverage and roster checks of gridtool validate, as columns for pandas.
#include "bindings.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/validate/validate.h"

namespace libgrid::python {
namespace {

py::dict validate_columns(const PyGridSet& self, double tolerance, const std::string& grid_level) {
  ValidationReport report;
  {
    py::gil_scoped_release release;
    report = validate(self.grids, ValidateOptions{tolerance, grid_level});
  }
  py::list level, level_name, kind, cell_code, other_code, area, thickness, sliver, detail, wkt;
  for (const Problem& p : report.problems) {
    level.append(p.level);
    level_name.append(utf8(self.grids.levels()[static_cast<std::size_t>(p.level)]));
    kind.append(utf8(std::string(to_string(p.kind))));
    cell_code.append(utf8(p.cell_code));
    other_code.append(p.other_code.empty() ? py::object(py::none()) : utf8(p.other_code));
    area.append(p.area);
    thickness.append(p.thickness);
    sliver.append(p.sliver);
    detail.append(utf8(p.detail));
    wkt.append(p.where.empty() ? py::object(py::none()) : utf8(to_wkt(p.where)));
  }
  py::dict out;
  out["level"] = level;
  out["level_name"] = level_name;
  out["kind"] = kind;
  out["cell_code"] = cell_code;
  out["other_code"] = other_code;
  out["area"] = area;
  out["thickness"] = thickness;
  out["sliver"] = sliver;
  out["detail"] = detail;
  out["wkt"] = wkt;
  return out;
}

}  // namespace

void bind_validate(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_validate_columns", &validate_columns, "grid_set"_a, "tolerance"_a, "grid_level"_a,
        "The columns of libgrid.validate's DataFrame; use libgrid.validate.");
}

}  // namespace libgrid::python
