// libgrid.partition: gridtool partition's work, with units and barriers from NumPy and the
// report as columns for pandas.
#include <cmath>
#include <limits>

#include "bindings.h"
#include "libgrid/partition/partition.h"

namespace libgrid::python {
namespace {

std::vector<Point> points_of(const py::handle& array_like, const std::string& what) {
  const DoubleArray a = DoubleArray::ensure(array_like);
  if (!a || a.ndim() != 2 || a.shape(1) != 2) {
    throw py::value_error(what +
                          " must be an array of shape (n, 2): x and y in the grid "
                          "set's CRS");
  }
  std::vector<Point> points(static_cast<std::size_t>(a.shape(0)));
  const double* data = a.data();
  for (std::size_t i = 0; i < points.size(); ++i) points[i] = {data[2 * i], data[2 * i + 1]};
  return points;
}

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
  std::vector<Unit> units;
  if (!units_xy.is_none()) {
    const std::vector<Point> at = points_of(units_xy, "units");
    units.resize(at.size());
    for (std::size_t i = 0; i < at.size(); ++i) units[i].location = at[i];
    if (!weights.is_none()) {
      const DoubleArray w = DoubleArray::ensure(weights);
      if (!w || w.ndim() != 1 || static_cast<std::size_t>(w.shape(0)) != units.size()) {
        throw py::value_error("weights must be a 1-D array with one weight per unit");
      }
      for (std::size_t i = 0; i < units.size(); ++i) units[i].weight = w.data()[i];
    }
  } else if (!weights.is_none()) {
    throw py::value_error("weights need units");
  }
  std::vector<Barrier> lines;
  for (const py::handle& b : barriers) lines.push_back(points_of(b, "each barrier"));

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
  py::list f_parent, f_cell, f_reason;
  for (const auto& f : report.infeasible) {
    f_parent.append(utf8(f.parent_code));
    f_cell.append(f.cell_code.empty() ? py::object(py::none()) : py::object(utf8(f.cell_code)));
    f_reason.append(utf8(f.reason));
  }
  py::dict infeasible;
  infeasible["parent_code"] = f_parent;
  infeasible["cell_code"] = f_cell;
  infeasible["reason"] = f_reason;
  py::dict counts;
  counts["units"] = report.units;
  counts["units_outside"] = report.units_outside;
  counts["units_elsewhere"] = report.units_elsewhere;
  counts["total_weight"] = report.total_weight;
  return py::make_tuple(result, cells, summary_columns(all), infeasible, counts);
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
