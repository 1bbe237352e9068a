// libgrid.partition: gridtool partition's work, with units and barriers from NumPy and the
// report as columns for pandas.
#include <cmath>
#include <limits>

#include "bindings.h"
#include "columns.h"
#include "libgrid/partition/partition.h"

namespace libgrid::python {
namespace {

py::dict summary_columns(const std::vector<PartitionSummary>& all) {
  return ColumnTable(all)
      .text("method", &PartitionSummary::method)
      .number("cells", &PartitionSummary::cells)
      .number("cells_in_band", &PartitionSummary::cells_in_band)
      .number("min_weight", &PartitionSummary::min_weight)
      .number("max_weight", &PartitionSummary::max_weight)
      .number("max_deviation", &PartitionSummary::max_deviation)
      .number("mean_polsby_popper", &PartitionSummary::mean_polsby_popper)
      .number("mean_barrier_share", &PartitionSummary::mean_barrier_share)
      .dict();
}

// (the new grid set, cells, summary, infeasible, counts)
TypedObject<
    "Tuple[libgrid.GridSet, Dict[str, List[Any]], Dict[str, List[Any]], "
    "Dict[str, List[Any]], Dict[str, Any]]">
partition_columns(const PyGridSet& self, const std::string& parent_level,
                  const std::string& new_level, const OptionalArrayLike& units_xy,
                  const OptionalArrayLike& weights, const py::list& barriers,
                  const TypedObject<"Optional[Tuple[float, float]]">& target, int count,
                  std::uint64_t seed, const std::string& method, double size, int beidou_level,
                  const std::vector<std::string>& parents, int code_digits, bool baselines) {
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
  // Why a cell is out of its band (the last reason given for it); none when it is in it.
  const auto problem = [&report](const PartitionCellReport& c) -> std::optional<std::string> {
    std::string reason;
    for (const auto& f : report.infeasible) {
      if (f.cell_code == c.code) reason = f.reason;
    }
    if (reason.empty()) return std::nullopt;
    return reason;
  };
  const py::dict cells =
      ColumnTable(report.cells)
          .text("code", &PartitionCellReport::code)
          .text("parent_code", &PartitionCellReport::parent_code)
          .number("weight", &PartitionCellReport::weight)
          .number("deviation", &PartitionCellReport::deviation)
          .number("area", &PartitionCellReport::area)
          .number("polsby_popper", &PartitionCellReport::polsby_popper)
          .number("barrier_share", &PartitionCellReport::barrier_share)
          .number("in_band", [&](const PartitionCellReport& c) { return !problem(c); })
          .text("problem", problem)
          .dict();
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
