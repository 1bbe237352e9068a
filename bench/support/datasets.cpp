#include "support/datasets.h"

#include <cstdio>
#include <filesystem>
#include <utility>

#include "libgrid/io/grid_set_import.h"

#include "libgrid/testing/synthetic_city.h"

namespace libgrid::bench {
namespace {

// One GeoJSON layer of ../shared/data/nyc as a one-level grid set (lon/lat, WGS84).
void add_nyc(std::vector<Dataset>& out, const std::string& name, const std::string& file,
             const std::string& level, const std::string& code_field) {
  const std::string path = std::string(LIBGRID_SHARED_DATA_DIR) + "/nyc/" + file;
  if (!std::filesystem::exists(path)) {
    std::printf("skipping %s: %s is absent\n", name.c_str(), path.c_str());
    return;
  }
  Dataset d;
  d.name = name;
  d.grids = import_grid_set({{level, path, "", code_field}}).grids;
  d.finest_level = 0;
  out.push_back(std::move(d));
}

void add_synthetic_city(std::vector<Dataset>& out) {
  Dataset d;
  d.name = "synthetic_city";
  // 100,000 micro-grids in 5 levels, projected metres (EPSG:4548), seed 1.
  d.grids = testing::make_synthetic_city({.seed = 1, .microgrids = 100000});
  d.finest_level = static_cast<int>(d.grids.levels().size()) - 1;
  out.push_back(std::move(d));
}

}  // namespace

const std::vector<Dataset>& available_datasets() {
  static const std::vector<Dataset> datasets = [] {
    std::vector<Dataset> out;
    add_nyc(out, "nyc_districts", "community_districts.geojson", "district", "BoroCD");
    add_nyc(out, "nyc_precincts", "police_precincts.geojson", "precinct", "Precinct");
    add_synthetic_city(out);
    return out;
  }();
  return datasets;
}

}  // namespace libgrid::bench
