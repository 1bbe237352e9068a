// libgrid.rebalance: gridtool rebalance's yearly adjustment of a level, on a copy, with units and
// barriers from NumPy and the report as columns for pandas.
#include "bindings.h"
#include "columns.h"
#include "libgrid/rebalance/rebalance.h"

namespace libgrid::python {

namespace {

py::dict change_columns(const std::vector<RebalanceMove>& moves) {
  return ColumnTable(moves)
      .text_or_none("piece", &RebalanceMove::piece)
      .objects("units",
               [](const RebalanceMove& move) -> py::object { return py::cast(move.units); })
      .text("from_code", &RebalanceMove::from_code)
      .text("to_code", &RebalanceMove::to_code)
      .number("households", &RebalanceMove::households)
      .number("area", &RebalanceMove::area)
      .dict();
}

py::dict cell_columns(const std::vector<RebalanceCellReport>& cells) {
  return ColumnTable(cells)
      .text("code", &RebalanceCellReport::code)
      .text("parent_code", &RebalanceCellReport::parent_code)
      .text("status", [](const RebalanceCellReport& c) { return to_string(c.status); })
      .number("weight_before", &RebalanceCellReport::weight_before)
      .number("weight_after", &RebalanceCellReport::weight_after)
      .number("in_band_before", &RebalanceCellReport::in_band_before)
      .number("in_band_after", &RebalanceCellReport::in_band_after)
      .number("kept_share", &RebalanceCellReport::kept_share)
      .number("area_before", &RebalanceCellReport::area_before)
      .number("area_after", &RebalanceCellReport::area_after)
      .number("polsby_popper", &RebalanceCellReport::polsby_popper)
      .dict();
}

py::dict totals_of(const RebalanceReport& report) {
  const RebalanceTotals& t = report.totals;
  py::dict out;
  out["cells_before"] = t.cells_before;
  out["cells_after"] = t.cells_after;
  out["in_band_before"] = t.in_band_before;
  out["in_band_after"] = t.in_band_after;
  out["households"] = t.households;
  out["moved"] = t.moved;
  out["lower_bound"] = t.lower_bound;
  out["core_retention"] = t.core_retention;
  out["cells_touched"] = t.cells_touched;
  out["boundary_changed"] = t.boundary_changed;
  out["codes_kept"] = t.codes_kept;
  out["codes_new"] = t.codes_new;
  out["codes_retired"] = t.codes_retired;
  out["units"] = report.units;
  out["units_outside"] = report.units_outside;
  out["units_elsewhere"] = report.units_elsewhere;
  return out;
}

// (the rebalanced grid set, changes, cells, totals, infeasible, retired roster)
TypedObject<
    "Tuple[libgrid.GridSet, Dict[str, List[Any]], Dict[str, List[Any]], Dict[str, Any], "
    "Dict[str, List[Any]], Dict[str, List[Any]]]">
rebalance_columns(const PyGridSet& self, const std::string& level,
                  const OptionalArrayLike& units_xy, const OptionalArrayLike& weights,
                  const py::list& barriers, const std::pair<double, double>& target,
                  const std::vector<std::string>& locks, const std::vector<std::string>& parents,
                  std::uint64_t seed) {
  RebalanceOptions options;
  options.level = level;
  options.min_weight = target.first;
  options.max_weight = target.second;
  options.locks = locks;
  options.parents = parents;
  options.seed = seed;
  const std::vector<Unit> units = units_argument(units_xy, weights);
  const std::vector<Barrier> lines = barriers_argument(barriers);

  auto result = std::make_shared<PyGridSet>(self.grids);
  RebalanceReport report;
  {
    py::gil_scoped_release release;
    report = rebalance(result->grids, units, lines, options);
  }
  return py::make_tuple(result, change_columns(report.moves), cell_columns(report.cells),
                        totals_of(report), infeasible_columns(report.infeasible),
                        roster_entry_columns(report.retired_roster));
}

}  // namespace

void bind_rebalance(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_rebalance_columns", &rebalance_columns, "grid_set"_a, "level"_a, "units"_a, "weights"_a,
        "barriers"_a, "target"_a, "locks"_a, "parents"_a, "seed"_a,
        "The parts of libgrid.rebalance's result; use libgrid.rebalance.");
}

}  // namespace libgrid::python
