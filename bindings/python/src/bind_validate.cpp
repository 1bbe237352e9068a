// libgrid.validate: the coverage and roster checks of gridtool validate, as columns for pandas.
#include "bindings.h"
#include "columns.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/validate/validate.h"

namespace libgrid::python {
namespace {

ListColumns validate_columns(const PyGridSet& self, double tolerance,
                             const std::string& grid_level) {
  ValidationReport report;
  {
    py::gil_scoped_release release;
    report = validate(self.grids, ValidateOptions{tolerance, grid_level});
  }
  const auto& levels = self.grids.levels();
  return ColumnTable(report.problems)
      .number("level", &Problem::level)
      .text("level_name",
            [&](const Problem& p) { return levels[static_cast<std::size_t>(p.level)]; })
      .text("kind", [](const Problem& p) { return to_string(p.kind); })
      .text("cell_code", &Problem::cell_code)
      .text_or_none("other_code", &Problem::other_code)
      .number("area", &Problem::area)
      .number("thickness", &Problem::thickness)
      .number("sliver", &Problem::sliver)
      .text("detail", &Problem::detail)
      .text("wkt",
            [](const Problem& p) -> std::optional<std::string> {
              if (p.where.empty()) return std::nullopt;
              return to_wkt(p.where);
            })
      .dict();
}

}  // namespace

void bind_validate(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_validate_columns", &validate_columns, "grid_set"_a, "tolerance"_a, "grid_level"_a,
        "The columns of libgrid.validate's DataFrame; use libgrid.validate.");
}

}  // namespace libgrid::python
