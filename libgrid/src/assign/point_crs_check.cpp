#include "assign/point_crs_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
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

// The projected CRSs points near the grid set are most likely in when they are not
// longitude/latitude: Web Mercator, the UTM zone (WGS84) of the grid set's centre, and there the
// CGCS2000 Gauss-Kruger zones: the 3-degree zone and its neighbours (a city near a zone's edge is
// often mapped in the next one), with and without the zone number in front of the easting, and
// the 6-degree zone, both ways.
std::vector<std::string> likely_projected_crss(const GridSet& grids) {
  const Box extent = grids.extent();
  std::vector<std::string> crss = {"EPSG:3857"};
  if (extent.empty() || grids.crs().empty()) return crss;
  std::vector<double> cx{(extent.min_x + extent.max_x) / 2}, cy{(extent.min_y + extent.max_y) / 2};
  Transform(grids.crs(), "EPSG:4326").apply(cx, cy);
  const double lon = cx[0], lat = cy[0];
  if (!(std::fabs(lon) <= 180 && std::fabs(lat) <= 90)) return crss;
  const int utm_zone = std::clamp(static_cast<int>(std::floor((lon + 180) / 6)) + 1, 1, 60);
  crss.push_back("EPSG:" + std::to_string((lat >= 0 ? 32600 : 32700) + utm_zone));
  if (lat <= 0) return crss;
  // 3-degree zones: central meridians 75E..135E (zones 25..45) are EPSG:4534..4554 (plain
  // easting) and EPSG:4513..4533 (zone number in front).
  const int zone = static_cast<int>(std::lround(lon / 3));
  for (const int z : {zone, zone - 1, zone + 1}) {
    if (z < 25 || z > 45) continue;
    crss.push_back("EPSG:" + std::to_string(4534 + z - 25));
    crss.push_back("EPSG:" + std::to_string(4513 + z - 25));
  }
  // 6-degree zones 13..23 (central meridians 75E..135E): EPSG:4502..4512 and EPSG:4491..4501.
  const int zone6 = static_cast<int>(std::floor(lon / 6)) + 1;
  if (zone6 >= 13 && zone6 <= 23) {
    crss.push_back("EPSG:" + std::to_string(4502 + zone6 - 13));
    crss.push_back("EPSG:" + std::to_string(4491 + zone6 - 13));
  }
  return crss;
}

// A coordinate for a message: metres without decimals, degrees with six digits.
std::string coordinate_text(double value) {
  char text[32];
  if (std::fabs(value) >= 1000) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.6g", value);
  }
  return text;
}

// "x A to B, y C to D", or a point's "x A, y C".
std::string extent_text(const Box& box) {
  const auto range = [](double low, double high) {
    return coordinate_text(low) + (low == high ? "" : " to " + coordinate_text(high));
  };
  return "x " + range(box.min_x, box.max_x) + ", y " + range(box.min_y, box.max_y);
}

// The points with coordinates, evenly sampled, and the share of them inside a cell.
struct Sample {
  std::vector<double> x, y;
  double direct = 0;
};

// None when no point has coordinates.
std::optional<Sample> sample_of(std::span<const double> x_all, std::span<const double> y_all,
                                std::size_t covered) {
  std::size_t given = 0;
  for (std::size_t i = 0; i < x_all.size(); ++i)
    given += !std::isnan(x_all[i]) && !std::isnan(y_all[i]);
  if (given == 0) return std::nullopt;
  Sample sample;
  sample.direct = static_cast<double>(covered) / static_cast<double>(given);
  const std::size_t step = std::max<std::size_t>(1, given / kSample);
  for (std::size_t i = 0, k = 0; i < x_all.size(); ++i) {
    if (std::isnan(x_all[i]) || std::isnan(y_all[i])) continue;
    if (k++ % step == 0) {
      sample.x.push_back(x_all[i]);
      sample.y.push_back(y_all[i]);
    }
  }
  return sample;
}

std::optional<Error> better_reading(const GridSet& grids, const CellIndex& index,
                                    const AssignOptions& options, const Transform* to_grid,
                                    const Sample& sample) {
  const std::vector<double>& x = sample.x;
  const std::vector<double>& y = sample.y;
  const std::string declared = options.crs.empty() ? grids.crs() : options.crs;
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
    if (lonlat) {
      for (const char* c : {"EPSG:4326", "GCJ-02", "BD-09"}) {
        if (declared_geographic && Transform(c, declared).is_identity()) continue;
        others.push_back(c);
      }
    } else {
      // The grid set's own CRS first, when the points are said to be in another.
      if (!options.crs.empty()) others.push_back(grids.crs());
      for (std::string& c : likely_projected_crss(grids)) {
        if (std::find(others.begin(), others.end(), c) != others.end()) continue;
        if (!declared.empty() && Transform(c, declared).is_identity()) continue;
        others.push_back(std::move(c));
      }
    }
    for (const std::string& crs : others) {
      const bool geographic = is_geographic_crs(crs);
      const std::string name = crs == grids.crs()
                                   ? "in the grid set's CRS"
                                   : "in " + crs + (geographic ? " (longitude/latitude)" : "");
      const std::string advice = crs == grids.crs() ? "are the points in the grid set's CRS?"
                                                    : "give the points' CRS as " + crs;
      readings.push_back({name, advice, false, crs});
      if (geographic) {
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
  if (best == nullptr || best_share < 0.5 || best_share <= 2 * sample.direct) return std::nullopt;
  return Error(ErrorKind::kInvalidInput, Location{.file = options.source},
               percent(1 - sample.direct) + " of the points fall outside every cell, but " +
                   percent(best_share) + " fall inside " + best->name + ": " + best->advice);
}

}  // namespace

std::optional<Error> other_reading_error(const GridSet& grids, const CellIndex& index,
                                         const AssignOptions& options, const Transform* to_grid,
                                         std::span<const double> x, std::span<const double> y,
                                         std::size_t covered) {
  const std::optional<Sample> sample = sample_of(x, y, covered);
  if (!sample || sample->direct >= 0.5) return std::nullopt;
  return better_reading(grids, index, options, to_grid, *sample);
}

void check_point_crs(const GridSet& grids, const CellIndex& index, const AssignOptions& options,
                     const Transform* to_grid, std::span<const double> x_all,
                     std::span<const double> y_all, std::size_t covered) {
  const std::optional<Sample> sample = sample_of(x_all, y_all, covered);
  if (!sample || sample->direct >= 0.5) return;
  if (auto error = better_reading(grids, index, options, to_grid, *sample)) throw *error;
  const std::vector<double>& x = sample->x;
  const std::vector<double>& y = sample->y;
  if (covered > 0) return;

  const std::string declared = options.crs.empty() ? grids.crs() : options.crs;
  const bool grid_geographic = !grids.crs().empty() && is_geographic_crs(grids.crs());
  const bool declared_geographic = !declared.empty() && is_geographic_crs(declared);
  if (grid_geographic && !looks_geographic(x, y) && (options.crs.empty() || declared_geographic)) {
    char example[96];
    std::snprintf(example, sizeof example, "x %.6g, y %.6g", x[0], y[0]);
    throw Error(ErrorKind::kInvalidInput, Location{.file = options.source},
                "no point falls inside any cell, and the points (e.g. " + std::string(example) +
                    ") are not longitude/latitude, which the grid set's CRS is: give the "
                    "points' CRS");
  }
  // None inside a cell, and all of them away from the grid set altogether... A file that only
  // partly overlaps the grid set (a country's events for one city) passes.
  const Box grid_extent = grids.extent();
  std::vector<double> gx = x, gy = y;
  if (to_grid != nullptr) to_grid->apply(gx, gy);
  Box points;
  for (std::size_t i = 0; i < gx.size(); ++i) {
    if (std::isfinite(gx[i]) && std::isfinite(gy[i])) points.expand(Point{gx[i], gy[i]});
  }
  if (grid_extent.empty() || points.empty() || points.intersects(grid_extent)) return;
  // ... and none where their CRS is used: points that are where they say, only not in this
  // grid set, pass (they are merely not covered).
  const std::optional<AreaOfUse> area = declared.empty() ? std::nullopt : area_of_use(declared);
  if (!area) return;
  std::vector<double> lon = x, lat = y;
  Transform(declared, "EPSG:4326").apply(lon, lat);
  for (std::size_t i = 0; i < lon.size(); ++i) {
    if (area->contains(lon[i], lat[i])) return;
  }
  std::string crs_name = grids.crs().size() <= 40 ? ", " + grids.crs() : "";
  throw Error(ErrorKind::kInvalidInput, Location{.file = options.source, .option = "crs"},
              "no point falls inside the grid set's extent, nor where their CRS is used: the "
              "points lie at " +
                  extent_text(points) + ", the grid set at " + extent_text(grid_extent) +
                  " (in the grid set's CRS" + crs_name + "): " +
                  (options.crs.empty() ? std::string("give the points' CRS if it is another")
                                       : "is " + options.crs + " the points' CRS?"));
}

}  // namespace libgrid::internal
