// The partition report's measures of one cell and of a set of cells, shared by the partition
// and by the baselines measured beside it.
#pragma once

#include <string>
#include <vector>

#include "internal/geos_context.h"
#include "libgrid/partition/partition.h"

namespace libgrid::internal {

struct MeasuredCell {
  std::string code;
  std::string parent_code;
  double weight = 0.0;
  // The band of this cell; min == max for "as even as possible" (the parent's mean).
  double min_part = 0.0;
  double max_part = 0.0;
  const GEOSGeometry* geometry = nullptr;
  double inner_boundary = -1.0;  // boundary inside the parent; < 0 when not measured
  double barrier_boundary = 0.0;
};

// Weight within the band: exactly, or within 10% of an even share when min == max.
bool in_band(double weight, double min_part, double max_part);

PartitionCellReport measure_cell(const GeosContext& geos, const MeasuredCell& cell);

PartitionSummary summarize(std::string method, const std::vector<PartitionCellReport>& cells,
                           const std::vector<MeasuredCell>& measured);

}  // namespace libgrid::internal
