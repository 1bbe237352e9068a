#include "libgrid/io/zone_file.h"

#include <cmath>
#include <memory>
#include <vector>

#include "internal/geopackage_output.h"
#include "internal/geos_context.h"
#include "internal/ogr_geometry.h"
#include "io/layer_styles_table.h"
#include "libgrid/crs/transform.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/io/atomic_output.h"

namespace libgrid {

namespace {

// The points of `area` moved from `from` into `to`; a point PROJ cannot move is an error at
// `where`.
void transform_area(MultiPolygon& area, const std::string& from, const std::string& to,
                    const Location& where) {
  if (from.empty() || to.empty()) return;
  const Transform transform(from, to);
  if (transform.is_identity()) return;
  std::vector<double> x, y;
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      for (const Point& p : ring) {
        x.push_back(p.x);
        y.push_back(p.y);
      }
    }
  }
  transform.apply(x, y);
  std::size_t i = 0;
  for (Polygon& polygon : area.polygons) {
    for (Ring& ring : polygon.rings) {
      for (Point& p : ring) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
          throw Error(ErrorKind::kInvalidInput, where,
                      "point " + to_wkt(p).substr(6) + " cannot be turned from " + from +
                          " into the grid set's CRS " + to);
        }
        p = {x[i], y[i]};
        ++i;
      }
    }
  }
}

// A zone (or a feature of one, at `where`) checked as a polygon of its own.
void check_polygon(const internal::GeosContext& context, const MultiPolygon& area,
                   const Location& where) {
  internal::check_finite_and_closed(area, where);
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      if (ring.size() < 4) {
        throw Error(ErrorKind::kInvalidInput, where, "the zone has a ring of fewer than 4 points");
      }
    }
  }
  const internal::GeosContext::Geometry g = context.to_geos(area);
  if (const auto why = context.invalidity(*g)) {
    throw Error(ErrorKind::kInvalidInput, where,
                "the zone is not a valid polygon: " + internal::describe(*why));
  }
}

// The CRS the zone is in: the one named, else the layer's; a layer in another CRS than the grid
// set's is refused rather than guessed at.
std::string zone_source_crs(OGRLayer& layer, const std::string& path, const std::string& grid_crs,
                            const std::string& zone_crs) {
  if (!zone_crs.empty()) return zone_crs;
  const OGRSpatialReference* srs = layer.GetSpatialRef();
  if (srs == nullptr) return "";
  const std::string layer_crs = internal::crs_text(*srs);
  if (grid_crs.empty() || Transform(layer_crs, grid_crs).is_identity()) return "";
  throw Error(ErrorKind::kInvalidInput, Location{path, layer.GetName()},
              "the zone is in " + layer_crs + ", the grid set in " + grid_crs +
                  ": name the zone's CRS to transform it (or give the zone in the grid set's CRS)");
}

}  // namespace

MultiPolygon read_zone(const std::string& path, const std::string& grid_crs,
                       const std::string& zone_crs) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  GDALDatasetUniquePtr dataset = internal::open_vector(path, false);
  if (dataset->GetLayerCount() < 1 || dataset->GetLayer(0) == nullptr) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path}, "no layer");
  }
  OGRLayer& layer = *dataset->GetLayer(0);
  const std::string from = zone_source_crs(layer, path, grid_crs, zone_crs);
  const internal::GeosContext context;
  std::vector<internal::GeosContext::Geometry> parts;
  internal::for_each_feature(layer, path, [&](const OGRFeature& feature, const Location& where) {
    const OGRGeometry* g = feature.GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) throw Error(ErrorKind::kInvalidInput, where, "no geometry");
    const auto type = wkbFlatten(g->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbCurvePolygon &&
        type != wkbMultiSurface) {
      throw Error(ErrorKind::kInvalidInput, where,
                  std::string("a zone must be a polygon, not ") + g->getGeometryName());
    }
    MultiPolygon area = internal::to_multipolygon(g, where);
    check_polygon(context, area, where);
    transform_area(area, from, grid_crs, where);
    check_polygon(context, area, where);
    parts.push_back(context.to_geos(area));
  });
  if (parts.empty()) {
    throw Error(ErrorKind::kInvalidInput, Location{path, layer.GetName()}, "no polygon");
  }
  std::vector<const GEOSGeometry*> members;
  members.reserve(parts.size());
  for (const auto& part : parts) members.push_back(part.get());
  // Features may overlap or share edges: the zone is the land any of them covers.
  return members.size() == 1 ? context.to_multipolygon(*members[0])
                             : context.to_multipolygon(*context.union_all(members));
}

MultiPolygon parse_zone_wkt(const std::string& wkt, const std::string& grid_crs,
                            const std::string& zone_crs) {
  MultiPolygon area = parse_wkt_area(wkt);
  if (area.empty()) throw Error(ErrorKind::kInvalidInput, "the zone is empty");
  const internal::GeosContext context;
  const Location where{};
  check_polygon(context, area, where);
  transform_area(area, zone_crs, grid_crs, where);
  check_polygon(context, area, where);
  return area;
}

Circle circle_in_grid_crs(const Circle& circle, const std::string& grid_crs,
                          const std::string& zone_crs) {
  if (zone_crs.empty() || grid_crs.empty()) return circle;
  const Transform transform(zone_crs, grid_crs);
  double x = circle.centre.x, y = circle.centre.y;
  transform.apply(std::span<double>(&x, 1), std::span<double>(&y, 1));
  if (!std::isfinite(x) || !std::isfinite(y)) {
    throw Error(ErrorKind::kInvalidInput, "the circle's centre " + to_wkt(circle.centre) +
                                              " cannot be turned from " + zone_crs +
                                              " into the grid set's CRS " + grid_crs);
  }
  return Circle{{x, y}, circle.radius};
}

namespace {

struct FieldSpec {
  const char* name;
  OGRFieldType type;
  OGRFieldSubType subtype = OFSTNone;
};

const FieldSpec kCellFields[] = {
    {"code", OFTString},     {"name", OFTString},         {"level", OFTString},
    {"area", OFTReal},       {"area_inside", OFTReal},    {"share", OFTReal},
    {"households", OFTReal}, {"population", OFTReal},     {"estimated", OFTInteger, OFSTBoolean},
    {"units", OFTInteger64}, {"grid_worker", OFTString},  {"grid_worker_phone", OFTString},
    {"leader", OFTString},   {"leader_phone", OFTString},
};

const FieldSpec kLevelFields[] = {
    {"level", OFTString},
    {"cells", OFTInteger64},
    {"cells_covered", OFTInteger64},
    {"cells_edge_only", OFTInteger64},
    {"cells_estimated", OFTInteger64},
    {"area_inside", OFTReal},
    {"households", OFTReal},
    {"population", OFTReal},
};

[[noreturn]] void fail(const Location& where, const std::string& what) {
  throw Error(ErrorKind::kIo, where, what + ": " + internal::gdal_message());
}

std::string phones_text(const std::vector<Person>& people) {
  std::string text;
  for (const Person& p : people) {
    if (p.phone.empty()) continue;
    text += (text.empty() ? "" : ";") + p.phone;
  }
  return text;
}

OGRLayer& create_layer(GDALDataset& dataset, const std::string& path, const char* name,
                       const OGRSpatialReference* srs, OGRwkbGeometryType type,
                       const FieldSpec* fields, std::size_t n) {
  const char* const options[] = {"FID=fid", "GEOMETRY_NAME=geom", nullptr};
  OGRLayer* layer = dataset.CreateLayer(name, const_cast<OGRSpatialReference*>(srs), type,
                                        const_cast<char**>(options));
  if (layer == nullptr) fail(Location{path, name}, "cannot create the layer");
  for (std::size_t i = 0; i < n; ++i) {
    OGRFieldDefn field(fields[i].name, fields[i].type);
    field.SetSubType(fields[i].subtype);
    if (layer->CreateField(&field) != OGRERR_NONE) {
      fail(Location{path, name, -1, fields[i].name}, "cannot create the field");
    }
  }
  if (layer->StartTransaction() != OGRERR_NONE) fail(Location{path, name}, "cannot start");
  return *layer;
}

void add_feature(OGRLayer& layer, OGRFeature& feature, const std::string& path) {
  if (layer.CreateFeature(&feature) != OGRERR_NONE) {
    fail(Location{path, layer.GetName()}, "cannot write the feature");
  }
}

}  // namespace

void write_zone_cells(const ZoneReport& report, const GridSet& grids, const std::string& path,
                      const std::vector<std::string>& inputs) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  const std::unique_ptr<OGRSpatialReference> srs = internal::spatial_reference(grids.crs(), path);
  AtomicOutput output(path, inputs, AtomicOutput::Temporary::kUnnamed);
  {
    internal::GeoPackageOutput dataset(output.temporary_path(), path);
    OGRLayer& cells = create_layer(*dataset, path, "zone_cells", srs.get(), wkbMultiPolygon,
                                   kCellFields, std::size(kCellFields));
    for (const ZoneCell& z : report.cells) {
      const Cell& cell = grids.cell(z.cell);
      OGRFeature f(cells.GetLayerDefn());
      f.SetField(0, cell.code.c_str());
      f.SetField(1, cell.name.c_str());
      f.SetField(2, grids.levels()[static_cast<std::size_t>(z.level)].c_str());
      f.SetField(3, z.area);
      f.SetField(4, z.area_inside);
      f.SetField(5, z.share);
      f.SetField(6, z.households);
      f.SetField(7, z.population);
      f.SetField(8, z.estimated ? 1 : 0);
      f.SetField(9, static_cast<GIntBig>(z.units));
      const std::vector<Person> worker = z.grid_worker.id.empty() && z.grid_worker.name.empty()
                                             ? std::vector<Person>{}
                                             : std::vector{z.grid_worker};
      f.SetField(10, names_text(worker).c_str());
      f.SetField(11, phones_text(worker).c_str());
      f.SetField(12, names_text(z.leaders).c_str());
      f.SetField(13, phones_text(z.leaders).c_str());
      f.SetGeometryDirectly(internal::to_ogr(cell.geometry).release());
      add_feature(cells, f, path);
    }
    if (cells.CommitTransaction() != OGRERR_NONE)
      fail(Location{path, "zone_cells"}, "cannot commit");
    OGRLayer& levels = create_layer(*dataset, path, "zone_levels", nullptr, wkbNone, kLevelFields,
                                    std::size(kLevelFields));
    for (const ZoneLevelTotals& t : report.levels) {
      OGRFeature f(levels.GetLayerDefn());
      f.SetField(0, grids.levels()[static_cast<std::size_t>(t.level)].c_str());
      f.SetField(1, static_cast<GIntBig>(t.cells));
      f.SetField(2, static_cast<GIntBig>(t.cells_covered));
      f.SetField(3, static_cast<GIntBig>(t.cells_edge_only));
      f.SetField(4, static_cast<GIntBig>(t.cells_estimated));
      f.SetField(5, t.area_inside);
      f.SetField(6, t.households);
      f.SetField(7, t.population);
      add_feature(levels, f, path);
    }
    if (levels.CommitTransaction() != OGRERR_NONE)
      fail(Location{path, "zone_levels"}, "cannot commit");
    internal::write_layer_styles(*dataset, zone_styles(report, grids), path);
    dataset.close();
  }
  output.commit();
}

}  // namespace libgrid
