// Building a grid set from GDAL vector sources, one source per level, coarse to fine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/model/cell.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {

struct LevelSource {
  std::string level{};       // the level's name
  std::string path{};        // any GDAL vector source: GeoPackage, Shapefile, GeoJSON, FlatGeobuf
  std::string layer{};       // empty: the source's first layer
  std::string code_field{};  // empty: "code"
};

// One level held in memory, a table of rows (a GeoDataFrame's, say): each row a feature with a
// geometry and a value in every column. For import_grid_set_layers, in place of a LevelSource and
// goes through the same rules; messages name it "level 'NAME'" and its rows by 0-based position:
// "level 'grid': row 3: field code: duplicate code '...'".
struct LayerColumn {
  std::string name{};
  AttributeType type = AttributeType::kText;
  // One value per row, in the vector of `type`; the other two stay empty.
  std::vector<std::string> text{};
  std::vector<std::int64_t> integers{};
  std::vector<double> reals{};
  std::vector<bool> missing{};  // one flag per row (empty: no value is missing)
};

struct LevelLayer {
  std::string level{};                    // the level's name
  std::vector<std::string> geometries{};  // one per row as WKB; an empty string: no geometry
  std::vector<LayerColumn> columns{};     // each with one value per row
  std::string crs{};                      // the rows' CRS (any PROJ definition); empty: none
  std::string code_field{};               // empty: "code"
};

struct ImportOptions {
  std::string name_field = "name";
  std::string parent_code_field = "parent_code";  // used when the source has it
  std::string households_field = "households";    // optional in the source
  std::string population_field = "population";    // optional in the source
  std::string kind_field = "kind";                // optional in the source
  // Overrides the sources' CRS (any definition PROJ accepts); required when a source has none.
  std::string crs{};
  // Repairs invalid polygons (a self-intersection, a ring crossing itself, a hole outside its
  // shell, ...) with GEOS's MakeValid instead of refusing them: the areas of its result are
  // kept, the lines and points it leaves where a polygon collapses are dropped. Each repaired
  // feature is listed in ImportResult::repairs. A ring touching itself to form a hole is valid
  // and left as it is.
  bool make_valid = false;
};

// A feature whose invalid polygon ImportOptions::make_valid repaired.
struct ImportRepair {
  Location where{};       // file, layer and feature
  std::string code{};     // the cell's code
  std::string problem{};  // what GEOS found first: "self-intersecting polygon at (1 1)"
  // Areas in the CRS's units squared. Before is GEOS's area of the polygon as read, each ring
  // counted by the shoelace formula, so that the loops of a ring crossing itself may cancel out
  // (a bow-tie has area 0 before and the area of its two triangles after).
  double area_before = 0.0;
  double area_after = 0.0;

  // |after - before| as a share of the larger of the two: 0 to 1.
  double share_changed() const;
};

// "FILE: layer L: feature 1: cell 'A': repaired self-intersecting polygon at (1 1); area 0 -> 2
// (100% changed)": one line, for warnings and logs. Shares above 0 but below 0.0001% (rounding
// where a ring crossing itself gets a node) read "<0.0001%".
std::string describe(const ImportRepair& repair);

struct ImportResult {
  GridSet grids{};
  // Things kept but worth a look ("feature 70: dropped a degenerate ring of 3 points").
  std::vector<std::string> warnings{};
  // The features whose polygons were repaired (ImportOptions::make_valid), in reading order.
  std::vector<ImportRepair> repairs{};
};

// Reads every level and links each cell to its parent: by the parent-code field when the
// source has one, else by the longest code of the level above that prefixes the cell's code,
// else spatially (the parent cell holding most of its area). Gaps, overlaps and slivers are
// kept for validation to report. Throws Error(kInvalidInput) for what cannot be represented: a
// ring that is not closed, an invalid polygon (self-intersecting, a hole outside its shell, ...;
// unless options.make_valid, and then only where nothing polygonal is left), NaN or infinite
// coordinates, an empty or non-polygonal geometry, a missing code field, a duplicate code, a
// source with no CRS or one unlike the first level's; Error(kIo) for an unreadable or truncated
// source.
ImportResult import_grid_set(const std::vector<LevelSource>& sources,
                             const ImportOptions& options = {});

// The same for levels held in memory, with the same rules and messages (see LevelLayer); the
// CRS hint names options.crs. Also Error(kInvalidInput) for a column whose length is not the
// number of rows, two columns of one name, or a geometry that is not WKB.
ImportResult import_grid_set_layers(const std::vector<LevelLayer>& layers,
                                    const ImportOptions& options = {});

}  // namespace libgrid
