// libgrid.rebalance: gridtool rebalance's yearly adjustment of a level, on a copy, with units and
// barriers from NumPy and the report as columns for pandas.
#include "bindings.h"
#include "libgrid/rebalance/rebalance.h"

namespace libgrid::python {

namespace {

py::dict change_columns(const std::vector<RebalanceMove>& moves) {
  py::list piece, units, from_code, to_code, households, area;
  for (const RebalanceMove& move : moves) {
    piece.append(move.piece.empty() ? py::object(py::none()) : py::object(utf8(move.piece)));
    py::list positions;
    for (const std::size_t i : move.units) positions.append(i);
    units.append(positions);
    from_code.append(utf8(move.from_code));
    to_code.append(utf8(move.to_code));
    households.append(move.households);
    area.append(move.area);
  }
  py::dict out;
  out["piece"] = piece;
  out["units"] = units;
  out["from_code"] = from_code;
  out["to_code"] = to_code;
  out["households"] = households;
  out["area"] = area;
  return out;
}

py::dict cell_columns(const std::vector<RebalanceCellReport>& cells) {
  py::list code, parent_code, status, weight_before, weight_after, in_band_before, in_band_after,
      kept_share, area_before, area_after, pp;
  for (const RebalanceCellReport& c : cells) {
    code.append(utf8(c.code));
    parent_code.append(utf8(c.parent_code));
    status.append(utf8(std::string(to_string(c.status))));
    weight_before.append(c.weight_before);
    weight_after.append(c.weight_after);
    in_band_before.append(c.in_band_before);
    in_band_after.append(c.in_band_after);
    kept_share.append(c.kept_share);
    area_before.append(c.area_before);
    area_after.append(c.area_after);
    pp.append(c.polsby_popper);
  }
  py::dict out;
  out["code"] = code;
  out["parent_code"] = parent_code;
  out["status"] = status;
  out["weight_before"] = weight_before;
  out["weight_after"] = weight_after;
  out["in_band_before"] = in_band_before;
  out["in_band_after"] = in_band_after;
  out["kept_share"] = kept_share;
  out["area_before"] = area_before;
  out["area_after"] = area_after;
  out["polsby_popper"] = pp;
  return out;
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
py::tuple rebalance_columns(const PyGridSet& self, const std::string& level,
                            const py::object& units_xy, const py::object& weights,
                            const py::list& barriers, const std::pair<double, double>& target,
                            const std::vector<std::string>& locks,
                            const std::vector<std::string>& parents, std::uint64_t seed) {
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
