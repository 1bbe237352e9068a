// The plan of one parent in a partition by units: how many cells it gets, its blocks and the
// cell of each block. Rounds of blocks → weights → bisection follow one another; while some
// cell misses the band, cuts between the units of the heavy blocks refine them for the next
// round (docs/partition.md, steps 1 to 5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "internal/geos_context.h"
#include "libgrid/geometry/point.h"
#include "libgrid/model/unit.h"
#include "libgrid/partition/partition.h"
#include "partition/face_locator.h"
#include "partition/face_set.h"

namespace libgrid::internal {

// What a parent's blocks are cut from.
struct ParentLines {
  const GEOSGeometry* parent = nullptr;
  std::vector<std::vector<Point>> barriers;     // the barriers near the parent
  const GEOSGeometry* barrier_lines = nullptr;  // every barrier's linework, or nullptr
  double tolerance = 0.0;  // how far from a barrier a boundary piece still counts as on it
};

struct ParentPlan {
  std::vector<std::vector<Point>> cuts;
  std::unique_ptr<FaceSet> faces;  // the parent's own blocks, from its last round
  std::unique_ptr<FaceLocator> locator;
  std::vector<int> part;  // per block of `faces`
  int parts = 0;
  double min_part = 0.0, max_part = 0.0;
  std::vector<std::string> reasons;  // why it cannot be all in band
};

// REQUIRES: options.method is kUnits and the options are checked; `inside` lists the units
// inside the parent (indices into `units`). Deterministic for a seed.
ParentPlan plan_parent(const GeosContext& geos, const ParentLines& lines,
                       const std::vector<Unit>& units, const std::vector<std::size_t>& inside,
                       const PartitionOptions& options, std::uint64_t seed);

}  // namespace libgrid::internal
