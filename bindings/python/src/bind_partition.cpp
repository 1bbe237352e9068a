// libgrid.partition: gridtool partition's work, with units and barriers from NumPy and the
// report as columns for pandas.
#include <cmath>
#include <limits>

#include "bindings.h"
#include "libgrid/partition/partition.h"

namespace libgrid::python {
namespace {

py::dict summary_columns(const std::vector<PartitionSummary>& all) {
  py::list method, cells, in_band, min_w, max_w, max_dev, pp, share;
  for (const auto& s : all) {
    method.append(s.method);
    cells.append(s.cells);
    in_band.append(s.cells_in_band);
    min_w.append(s.min_weight);
    max_w.append(s.max_weight);
    max_dev.append(s.max_deviation);
    pp.append(s.mean_polsby_popper);
    share.append(s.mean_barrier_share);
  }
  py::dict out;
  out["method"] = method;
  out["cells"] = cells;
  out["cells_in_band"] = in_band;
  out["min_weight"] = min_w;
  out["max_weight"] = max_w;
  out["max_deviation"] = max_dev;
  out["mean_polsby_popper"] = pp;
  out["mean_barrier_share"] = share;
  return out;
}

py::tuple partition_columns(const PyGridSet& self, const std::string& parent_level,
                            const std::string& new_level, const py::object& units_xy,
                            const py::object& weights, const py::list& barriers,
                            const py::object& target, int count, std::uint64_t seed,
                            const std::string& method, double size, int beidou_level,
                            const std::vector<std::string>& parents, int code_digits,
                            bool baselines) {
  PartitionOptions o;
  o.parent_level = parent_level;
  o.new_level = new_level;
  const auto m = parse_partition_method(method);
  if (!m) throw py::value_error("method must be 'units', 'square', 'hex' or 'beidou'");
  o.method = *m;
  if (!target.is_none()) {
    const auto band = target.cast<std::pair<double, double>>();
    o.min_weight = band.first;
    o.max_weight = band.second;
  }
  o.count = count;
  o.seed = seed;
  o.size = size;
  o.beidou_level = beidou_level;
  o.parents = parents;
  o.code_digits = code_digits;
  const std::vector<Unit> units = units_argument(units_xy, weights);
  const std::vector<Barrier> lines = barriers_argument(barriers);

  auto result = std::make_shared<PyGridSet>(self.grids);
  PartitionReport report;
  {
    py::gil_scoped_release release;
    report = partition(result->grids, units, lines, o);
    if (baselines && o.method == PartitionMethod::kUnits) {
      report.baselines = partition_baselines(result->grids, units, lines, o);
    }
  }
  py::list code, parent_code, weight, deviation, area, pp, share, in_band, problem;
  for (const auto& c : report.cells) {
    code.append(utf8(c.code));
    parent_code.append(utf8(c.parent_code));
    weight.append(c.weight);
    deviation.append(c.deviation);
    area.append(c.area);
    pp.append(c.polsby_popper);
    share.append(c.barrier_share);
    std::string reason;
    for (const auto& f : report.infeasible) {
      if (f.cell_code == c.code) reason = f.reason;
    }
    in_band.append(reason.empty());
    problem.append(reason.empty() ? py::object(py::none()) : py::object(utf8(reason)));
  }
  py::dict cells;
  cells["code"] = code;
  cells["parent_code"] = parent_code;
  cells["weight"] = weight;
  cells["deviation"] = deviation;
  cells["area"] = area;
  cells["polsby_popper"] = pp;
  cells["barrier_share"] = share;
  cells["in_band"] = in_band;
  cells["problem"] = problem;
  std::vector<PartitionSummary> all{report.summary};
  all.insert(all.end(), report.baselines.begin(), report.baselines.end());
  py::dict counts;
  counts["units"] = report.units;
  counts["units_outside"] = report.units_outside;
  counts["units_elsewhere"] = report.units_elsewhere;
  counts["total_weight"] = report.total_weight;
  return py::make_tuple(result, cells, summary_columns(all), infeasible_columns(report.infeasible),
                        counts);
}

}  // namespace

void bind_partition(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_partition_columns", &partition_columns, "grid_set"_a, "parent_level"_a, "new_level"_a,
        "units"_a, "weights"_a, "barriers"_a, "target"_a, "count"_a, "seed"_a, "method"_a, "size"_a,
        "beidou_level"_a, "parents"_a, "code_digits"_a, "baselines"_a,
        "The pieces of libgrid.partition's result; use libgrid.partition.");
}

}  // namespace libgrid::python
