#include "partition/partition_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace libgrid::internal {

bool in_band(double weight, double min_part, double max_part) {
  const double slack = 1e-9 * std::max(1.0, max_part);
  if (min_part == max_part) return std::abs(weight - min_part) <= 0.1 * min_part + slack;
  return weight >= min_part - slack && weight <= max_part + slack;
}

PartitionCellReport measure_cell(const GeosContext& geos, const MeasuredCell& cell) {
  PartitionCellReport r;
  r.code = cell.code;
  r.parent_code = cell.parent_code;
  r.weight = cell.weight;
  // A single target (min = max) counts deviation either way; a band only outside it.
  if (cell.min_part == cell.max_part || cell.weight < cell.min_part) {
    r.deviation = cell.weight - cell.min_part;
  } else if (cell.weight > cell.max_part) {
    r.deviation = cell.weight - cell.max_part;
  }
  r.area = geos.area(*cell.geometry);
  const double perimeter = geos.length(*cell.geometry);
  r.polsby_popper = perimeter > 0 ? 4 * std::numbers::pi * r.area / (perimeter * perimeter) : 0;
  if (cell.inner_boundary < 0) {
    r.barrier_share = std::numeric_limits<double>::quiet_NaN();
  } else {
    r.barrier_share = cell.inner_boundary > 0 ? cell.barrier_boundary / cell.inner_boundary : 0;
  }
  return r;
}

PartitionSummary summarize(std::string method, const std::vector<PartitionCellReport>& cells,
                           const std::vector<MeasuredCell>& measured) {
  PartitionSummary s;
  s.method = std::move(method);
  s.cells = cells.size();
  if (cells.empty()) return s;
  s.min_weight = std::numeric_limits<double>::infinity();
  s.max_weight = -std::numeric_limits<double>::infinity();
  double pp = 0.0, share = 0.0;
  std::size_t shares = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const PartitionCellReport& c = cells[i];
    s.cells_in_band += in_band(c.weight, measured[i].min_part, measured[i].max_part);
    s.min_weight = std::min(s.min_weight, c.weight);
    s.max_weight = std::max(s.max_weight, c.weight);
    s.max_deviation = std::max(s.max_deviation, std::abs(c.deviation));
    pp += c.polsby_popper;
    if (!std::isnan(c.barrier_share)) {
      share += c.barrier_share;
      ++shares;
    }
  }
  s.mean_polsby_popper = pp / static_cast<double>(cells.size());
  s.mean_barrier_share =
      shares > 0 ? share / static_cast<double>(shares) : std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace libgrid::internal
