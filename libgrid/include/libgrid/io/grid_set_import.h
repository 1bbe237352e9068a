// Building a grid set from GDAL vector sources, one source per level, coarse to fine.
#pragma once

#include <string>
#include <vector>

#include "libgrid/model/grid_set.h"

namespace libgrid {

struct LevelSource {
  std::string level{};       // the level's name
  std::string path{};        // any GDAL vector source: GeoPackage, Shapefile, GeoJSON, FlatGeobuf
  std::string layer{};       // empty: the source's first layer
  std::string code_field{};  // empty: "code"
};

struct ImportOptions {
  std::string name_field = "name";
  std::string parent_code_field = "parent_code";  // used when the source has it
  std::string households_field = "households";    // optional in the source
  std::string population_field = "population";    // optional in the source
  std::string kind_field = "kind";                // optional in the source
  // Overrides the sources' CRS (any definition PROJ accepts); required when a source has none.
  std::string crs{};
};

struct ImportResult {
  GridSet grids{};
  // Things kept but worth a look ("feature 70: dropped a degenerate ring of 3 points").
  std::vector<std::string> warnings{};
};

// Reads every level and links each cell to its parent: by the parent-code field when the
// source has one, else by the longest code of the level above that prefixes the cell's code,
// else spatially (the parent cell holding most of its area). Gaps, overlaps and slivers are
// kept for validation to report. Throws Error(kInvalidInput) for what cannot be represented: a
// ring that is not closed, a self-intersecting polygon, NaN or infinite coordinates, an empty
// or non-polygonal geometry, a missing code field, a duplicate code, a source with no CRS or
// one unlike the first level's; Error(kIo) for an unreadable or truncated source.
ImportResult import_grid_set(const std::vector<LevelSource>& sources,
                             const ImportOptions& options = {});

}  // namespace libgrid
