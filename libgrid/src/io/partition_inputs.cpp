#include "libgrid/io/partition_inputs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "internal/ogr_geometry.h"
#include "libgrid/crs/transform.h"
#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"

namespace libgrid {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  if (s.size() < tail.size()) return false;
  return std::equal(tail.rbegin(), tail.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

int column_of(const CsvTable& table, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    for (std::size_t c = 0; c < table.header().size(); ++c) {
      std::string h = table.header()[c];
      std::transform(h.begin(), h.end(), h.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (h == name) return static_cast<int>(c);
    }
  }
  return -1;
}

// Moves points into the grid set's CRS; a point PROJ cannot move is an error at its feature.
void to_grid_crs(std::vector<double>& x, std::vector<double>& y, const std::string& from,
                 const std::string& grid_crs, const std::string& path,
                 const std::vector<std::int64_t>& feature_of) {
  if (from.empty() || grid_crs.empty()) return;
  const Transform transform(from, grid_crs);
  if (transform.is_identity()) return;
  transform.apply(x, y);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      throw Error(ErrorKind::kInvalidInput, Location{path, "", feature_of[i]},
                  "cannot be turned into the grid set's CRS");
    }
  }
}

std::vector<Unit> read_csv_units(const std::string& path, const std::string& weight_field,
                                 const std::string& grid_crs, const std::string& source_crs) {
  const CsvTable table = CsvTable::read(path);
  int x_col = column_of(table, {"x", "easting"});
  int y_col = column_of(table, {"y", "northing"});
  bool lon_lat = false;
  if (x_col < 0 || y_col < 0) {
    x_col = column_of(table, {"lon", "lng", "longitude"});
    y_col = column_of(table, {"lat", "latitude"});
    lon_lat = true;
  }
  if (x_col < 0 || y_col < 0) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "no coordinate columns: name them x and y, or lon and lat");
  }
  const int w_col = weight_field.empty() ? -1 : table.require_column(weight_field);
  std::vector<double> x(table.row_count()), y(table.row_count());
  std::vector<Unit> units(table.row_count());
  std::vector<std::int64_t> row_of(table.row_count());
  std::size_t swapped_looking = 0;
  for (std::size_t i = 0; i < table.row_count(); ++i) {
    x[i] = table.number(i, x_col);
    y[i] = table.number(i, y_col);
    row_of[i] = static_cast<std::int64_t>(i) + 1;
    if (w_col >= 0) units[i].weight = table.number(i, w_col);
    if (units[i].weight < 0) {
      throw Error(ErrorKind::kInvalidInput, Location{path, "", row_of[i], weight_field},
                  "negative weight");
    }
    if (lon_lat) {
      if (std::abs(y[i]) > 90 && std::abs(x[i]) <= 90) ++swapped_looking;
      if (std::abs(y[i]) > 90 && std::abs(x[i]) > 90) {
        throw Error(ErrorKind::kInvalidInput, Location{path, "", row_of[i], table.header()[y_col]},
                    "latitude out of range");
      }
    }
  }
  if (swapped_looking > 0) {
    throw Error(ErrorKind::kInvalidInput, Location{path, "", -1, table.header()[y_col]},
                std::to_string(swapped_looking) +
                    " rows have a latitude beyond ±90 but a longitude within it: are the "
                    "columns '" +
                    table.header()[x_col] + "' and '" + table.header()[y_col] + "' swapped?");
  }
  const std::string from = !source_crs.empty() ? source_crs : lon_lat ? "EPSG:4326" : "";
  to_grid_crs(x, y, from, grid_crs, path, row_of);
  for (std::size_t i = 0; i < units.size(); ++i) units[i].location = {x[i], y[i]};
  return units;
}

OGRLayer& first_layer(GDALDataset& dataset, const std::string& path) {
  if (dataset.GetLayerCount() < 1 || dataset.GetLayer(0) == nullptr) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path}, "no layer");
  }
  return *dataset.GetLayer(0);
}

std::string layer_crs(OGRLayer& layer, const std::string& source_crs) {
  if (!source_crs.empty()) return source_crs;
  const OGRSpatialReference* srs = layer.GetSpatialRef();
  return srs == nullptr ? "" : internal::crs_text(*srs);
}

}  // namespace

std::vector<Unit> read_units(const std::string& path, const std::string& weight_field,
                             const std::string& grid_crs, const std::string& source_crs) {
  // CSV by its name ("-", standard input, is CSV too), any other file through GDAL.
  if (path == "-" || ends_with(path, ".csv") || ends_with(path, ".csv.gz")) {
    return read_csv_units(path, weight_field, grid_crs, source_crs);
  }
  internal::QuietGdal quiet;
  GDALDatasetUniquePtr dataset = internal::open_vector(path, false);
  OGRLayer& layer = first_layer(*dataset, path);
  int w_index = -1;
  if (!weight_field.empty()) {
    w_index = layer.GetLayerDefn()->GetFieldIndex(weight_field.c_str());
    if (w_index < 0) {
      throw Error(ErrorKind::kInvalidInput, Location{path, layer.GetName(), -1, weight_field},
                  "no such field");
    }
  }
  std::vector<Unit> units;
  std::vector<double> x, y;
  std::vector<std::int64_t> feature_of;
  internal::for_each_feature(layer, path, [&](OGRFeature& feature, const Location& where) {
    const OGRGeometry* g = feature.GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) {
      throw Error(ErrorKind::kInvalidInput, where, "no geometry");
    }
    OGRPoint at;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPoint) {
      at = *g->toPoint();
    } else if (type == wkbPolygon || type == wkbMultiPolygon || type == wkbMultiPoint) {
      const OGRErr made = type == wkbPolygon        ? g->toPolygon()->PointOnSurface(&at)
                          : type == wkbMultiPolygon ? g->toMultiPolygon()->PointOnSurface(&at)
                                                    : g->Centroid(&at);
      if (made != OGRERR_NONE) {
        throw Error(ErrorKind::kInvalidInput, where,
                    "no point inside: " + internal::gdal_message());
      }
    } else {
      throw Error(ErrorKind::kInvalidInput, where,
                  std::string("a unit must be a point or a polygon, not ") + g->getGeometryName());
    }
    Unit u;
    if (w_index >= 0) {
      Location at_field = where;
      at_field.field = weight_field;
      if (!feature.IsFieldSetAndNotNull(w_index)) {
        throw Error(ErrorKind::kInvalidInput, at_field, "no weight");
      }
      const std::string text = internal::field_text(feature, w_index);
      char* end = nullptr;
      u.weight = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !std::isfinite(u.weight)) {
        throw Error(ErrorKind::kInvalidInput, at_field, "weight '" + text + "' is not a number");
      }
      if (u.weight < 0) throw Error(ErrorKind::kInvalidInput, at_field, "negative weight");
    }
    units.push_back(u);
    x.push_back(at.getX());
    y.push_back(at.getY());
    feature_of.push_back(where.feature);
  });
  to_grid_crs(x, y, layer_crs(layer, source_crs), grid_crs, path, feature_of);
  for (std::size_t i = 0; i < units.size(); ++i) units[i].location = {x[i], y[i]};
  return units;
}

std::vector<Barrier> read_barriers(const std::string& path, const std::string& grid_crs,
                                   const std::string& source_crs) {
  internal::QuietGdal quiet;
  GDALDatasetUniquePtr dataset = internal::open_vector(path, false);
  OGRLayer& layer = first_layer(*dataset, path);
  std::vector<Barrier> barriers;
  std::vector<std::int64_t> feature_of_line;
  internal::for_each_feature(layer, path, [&](OGRFeature& feature, const Location& where) {
    const OGRGeometry* g = feature.GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) return;  // a road without geometry bars nothing
    auto add = [&](const OGRLineString& line) {
      Barrier b;
      for (int i = 0; i < line.getNumPoints(); ++i) b.push_back({line.getX(i), line.getY(i)});
      if (b.size() < 2)
        throw Error(ErrorKind::kInvalidInput, where, "a line of fewer than 2 points");
      barriers.push_back(std::move(b));
      feature_of_line.push_back(where.feature);
    };
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbLineString) {
      add(*g->toLineString());
    } else if (type == wkbMultiLineString) {
      for (const OGRLineString* part : *g->toMultiLineString()) add(*part);
    } else {
      throw Error(ErrorKind::kInvalidInput, where,
                  std::string("a barrier must be a line, not ") + g->getGeometryName());
    }
  });
  std::vector<double> x, y;
  std::vector<std::int64_t> feature_of;
  for (std::size_t i = 0; i < barriers.size(); ++i) {
    for (const Point& p : barriers[i]) {
      x.push_back(p.x);
      y.push_back(p.y);
      feature_of.push_back(feature_of_line[i]);
    }
  }
  to_grid_crs(x, y, layer_crs(layer, source_crs), grid_crs, path, feature_of);
  std::size_t k = 0;
  for (Barrier& b : barriers) {
    for (Point& p : b) p = {x[k], y[k++]};
  }
  return barriers;
}

}  // namespace libgrid
