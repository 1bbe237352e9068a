#include "assign/point_crs_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libgrid/crs/transform.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"

namespace libgrid::internal {
namespace {

constexpr std::size_t kSample = 10000;

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

// Another reading of the points: what it is called, and how it takes them to the grid's CRS.
struct Reading {
  std::string name;    // "with x and y swapped", "in EPSG:4326 (longitude/latitude)", ...
  std::string advice;  // what the user should do
  bool swap = false;   // read x as y and y as x first
  std::string from{};  // the CRS they would be in ("" = the declared one, through to_grid)
};

double share_inside(const CellIndex& index, std::vector<double> x, std::vector<double> y,
                    const Transform* transform) {
  if (transform != nullptr) transform->apply(x, y);
  std::vector<CellId> cells(x.size());
  index.lookup(x, y, cells, 1);
  std::size_t inside = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    inside += std::isfinite(x[i]) && std::isfinite(y[i]) && cells[i] != kNoCell;
  }
  return x.empty() ? 0.0 : static_cast<double>(inside) / static_cast<double>(x.size());
}

// Longitude/latitude in either order.
bool looks_geographic(const std::vector<double>& x, const std::vector<double>& y) {
  bool lon_first = true, lat_first = true;
  for (std::size_t i = 0; i < x.size(); ++i) {
    lon_first = lon_first && std::fabs(x[i]) <= 180 && std::fabs(y[i]) <= 90;
    lat_first = lat_first && std::fabs(x[i]) <= 90 && std::fabs(y[i]) <= 180;
  }
  return lon_first || lat_first;
}

// The projected CRSs a longitude/latitude grid set's points are most likely in when they are
// not longitude/latitude: UTM (WGS84) and the CGCS2000 3-degree Gauss-Kruger zone (with and
// without the zone number in front of the easting) of the grid set's centre, and Web Mercator.
std::vector<std::string> likely_projected_crss(const GridSet& grids) {
  const Box extent = grids.extent();
  std::vector<std::string> crss = {"EPSG:3857"};
  if (extent.empty()) return crss;
  double lon = (extent.min_x + extent.max_x) / 2, lat = (extent.min_y + extent.max_y) / 2;
  if (!is_geographic_crs(grids.crs()) || std::fabs(lon) > 180 || std::fabs(lat) > 90) return crss;
  if (grids.crs() != "EPSG:4326") {
    std::vector<double> cx{lon}, cy{lat};
    Transform(grids.crs(), "EPSG:4326").apply(cx, cy);
    lon = cx[0];
    lat = cy[0];
  }
  const int utm_zone = std::clamp(static_cast<int>(std::floor((lon + 180) / 6)) + 1, 1, 60);
  crss.push_back("EPSG:" + std::to_string((lat >= 0 ? 32600 : 32700) + utm_zone));
  // CGCS2000 3-degree zones: central meridians 75E..135E are EPSG:4534..4554 (plain easting)
  // and EPSG:4513..4533 (zone number in front).
  const int zone = static_cast<int>(std::lround(lon / 3));
  if (zone >= 25 && zone <= 45 && lat > 0) {
    crss.push_back("EPSG:" + std::to_string(4534 + zone - 25));
    crss.push_back("EPSG:" + std::to_string(4513 + zone - 25));
  }
  return crss;
}

}  // namespace

void check_point_crs(const GridSet& grids, const CellIndex& index, const AssignOptions& options,
                     const Transform* to_grid, std::span<const double> x_all,
                     std::span<const double> y_all, std::size_t covered) {
  // The points with coordinates, evenly sampled.
  std::vector<double> x, y;
  std::size_t given = 0;
  for (std::size_t i = 0; i < x_all.size(); ++i)
    given += !std::isnan(x_all[i]) && !std::isnan(y_all[i]);
  if (given == 0) return;
  const double direct = static_cast<double>(covered) / static_cast<double>(given);
  if (direct >= 0.5) return;
  const std::size_t step = std::max<std::size_t>(1, given / kSample);
  for (std::size_t i = 0, k = 0; i < x_all.size(); ++i) {
    if (std::isnan(x_all[i]) || std::isnan(y_all[i])) continue;
    if (k++ % step == 0) {
      x.push_back(x_all[i]);
      y.push_back(y_all[i]);
    }
  }

  const std::string declared = options.crs.empty() ? grids.crs() : options.crs;
  const bool grid_geographic = !grids.crs().empty() && is_geographic_crs(grids.crs());
  const bool declared_geographic = !declared.empty() && is_geographic_crs(declared);
  const bool lonlat = looks_geographic(x, y);
  const std::string columns = "'" + options.x_name + "' and '" + options.y_name + "'";

  std::vector<Reading> readings;
  readings.push_back({"with x and y swapped",
                      "are columns " + columns +
                          " the wrong way round, or does the points' CRS list latitude or "
                          "northing first?",
                      true});
  if (!grids.crs().empty()) {
    std::vector<std::string> others;
    if (lonlat && !declared_geographic) others = {"EPSG:4326", "GCJ-02", "BD-09"};
    if (declared_geographic && lonlat) {
      for (const char* c : {"EPSG:4326", "GCJ-02", "BD-09"}) {
        if (Transform(c, declared).is_identity()) continue;
        others.push_back(c);
      }
    }
    if (!lonlat && grid_geographic) others = likely_projected_crss(grids);
    for (const std::string& crs : others) {
      const std::string name =
          "in " + crs + (is_geographic_crs(crs) ? " (longitude/latitude)" : "");
      readings.push_back({name, "give the points' CRS as " + crs, false, crs});
      if (is_geographic_crs(crs)) {
        readings.push_back({name + " with longitude and latitude swapped",
                            "are columns " + columns + " the wrong way round? The points' CRS " +
                                "would be " + crs,
                            true, crs});
      }
    }
  }

  const Reading* best = nullptr;
  double best_share = 0;
  for (const Reading& r : readings) {
    std::unique_ptr<Transform> own;
    const Transform* transform = to_grid;
    if (!r.from.empty()) {
      own = std::make_unique<Transform>(r.from, grids.crs());
      transform = own.get();
    }
    const double share =
        r.swap ? share_inside(index, y, x, transform) : share_inside(index, x, y, transform);
    if (share > best_share) {
      best_share = share;
      best = &r;
    }
  }
  if (best != nullptr && best_share >= 0.5 && best_share > 2 * direct) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = options.source},
                percent(1 - direct) + " of the points fall outside every cell, but " +
                    percent(best_share) + " fall inside " + best->name + ": " + best->advice);
  }
  if (covered == 0 && grid_geographic && !lonlat && (options.crs.empty() || declared_geographic)) {
    char example[96];
    std::snprintf(example, sizeof example, "x %.6g, y %.6g", x[0], y[0]);
    throw Error(ErrorKind::kInvalidInput, Location{.file = options.source},
                "no point falls inside any cell, and the points (e.g. " + std::string(example) +
                    ") are not longitude/latitude, which the grid set's CRS is: give the "
                    "points' CRS");
  }
}

}  // namespace libgrid::internal
