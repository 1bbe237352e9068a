#include "libgrid/validate/problems_file.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <vector>

#include "internal/geopackage_output.h"
#include "internal/ogr_geometry.h"
#include "io/layer_styles_table.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"

namespace libgrid {

namespace {

constexpr const char* kAreasLayer = "problems";
constexpr const char* kTableLayer = "problems_table";

struct FieldSpec {
  const char* name;
  OGRFieldType type;
  OGRFieldSubType subtype = OFSTNone;
};

const FieldSpec kFields[] = {
    {"level", OFTInteger},    {"level_name", OFTString},           {"kind", OFTString},
    {"cell_code", OFTString}, {"other_code", OFTString},           {"area", OFTReal},
    {"thickness", OFTReal},   {"sliver", OFTInteger, OFSTBoolean}, {"detail", OFTString},
};

[[noreturn]] void fail(const Location& where, const std::string& what) {
  throw Error(ErrorKind::kIo, where, what + ": " + internal::gdal_message());
}

void write_layer(GDALDataset& dataset, const std::string& path, const char* name,
                 const OGRSpatialReference* srs, bool with_areas, const ValidationReport& report,
                 const GridSet& grids) {
  const char* const options[] = {"FID=fid", "GEOMETRY_NAME=geom", nullptr};
  OGRLayer* layer =
      dataset.CreateLayer(name, with_areas ? const_cast<OGRSpatialReference*>(srs) : nullptr,
                          with_areas ? wkbMultiPolygon : wkbNone, const_cast<char**>(options));
  if (layer == nullptr) fail(Location{path, name}, "cannot create the layer");
  for (const FieldSpec& spec : kFields) {
    OGRFieldDefn field(spec.name, spec.type);
    field.SetSubType(spec.subtype);
    if (layer->CreateField(&field) != OGRERR_NONE) {
      fail(Location{path, name, -1, spec.name}, "cannot create the field");
    }
  }
  if (layer->StartTransaction() != OGRERR_NONE) fail(Location{path, name}, "cannot start");
  for (const Problem& p : report.problems) {
    if (p.where.empty() == with_areas) continue;
    OGRFeature feature(layer->GetLayerDefn());
    const bool known_level = p.level >= 0 && p.level < static_cast<int>(grids.levels().size());
    feature.SetField(0, p.level);
    feature.SetField(1,
                     known_level ? grids.levels()[static_cast<std::size_t>(p.level)].c_str() : "");
    feature.SetField(2, std::string(to_string(p.kind)).c_str());
    feature.SetField(3, p.cell_code.c_str());
    feature.SetField(4, p.other_code.c_str());
    feature.SetField(5, p.area);
    feature.SetField(6, p.thickness);
    feature.SetField(7, p.sliver ? 1 : 0);
    feature.SetField(8, p.detail.c_str());
    if (with_areas) feature.SetGeometryDirectly(internal::to_ogr(p.where).release());
    if (layer->CreateFeature(&feature) != OGRERR_NONE) {
      fail(Location{path, name}, "cannot write the feature");
    }
  }
  if (layer->CommitTransaction() != OGRERR_NONE) fail(Location{path, name}, "cannot commit");
}

std::string text_of(const OGRFeature& feature, const char* name) {
  const int i = feature.GetFieldIndex(name);
  return i >= 0 && feature.IsFieldSetAndNotNull(i) ? feature.GetFieldAsString(i) : std::string();
}

void read_layer(GDALDataset& dataset, const std::string& path, const char* name,
                std::vector<Problem>& problems) {
  OGRLayer* layer = dataset.GetLayerByName(name);
  if (layer == nullptr) {
    throw Error(ErrorKind::kInvalidInput, Location{path, name},
                "missing layer: not a file of validation problems");
  }
  internal::for_each_feature(*layer, path, [&](const OGRFeature& feature, const Location& where) {
    Problem p;
    const std::string kind = text_of(feature, "kind");
    const auto parsed = parse_problem_kind(kind);
    if (!parsed) {
      Location at = where;
      at.field = "kind";
      throw Error(ErrorKind::kInvalidInput, at, "unknown problem kind '" + kind + "'");
    }
    p.kind = *parsed;
    const int level = feature.GetFieldIndex("level");
    p.level = level >= 0 ? feature.GetFieldAsInteger(level) : 0;
    p.cell_code = text_of(feature, "cell_code");
    p.other_code = text_of(feature, "other_code");
    for (auto [field, value] : {std::pair{"area", &p.area}, std::pair{"thickness", &p.thickness}}) {
      const int i = feature.GetFieldIndex(field);
      if (i >= 0) *value = feature.GetFieldAsDouble(i);
    }
    const int sliver = feature.GetFieldIndex("sliver");
    p.sliver = sliver >= 0 && feature.GetFieldAsInteger(sliver) != 0;
    p.detail = text_of(feature, "detail");
    p.where = internal::to_multipolygon(feature.GetGeometryRef(), where);
    problems.push_back(std::move(p));
  });
}

}  // namespace

void write_problems(const ValidationReport& report, const GridSet& grids, const std::string& path) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  const std::unique_ptr<OGRSpatialReference> srs = internal::spatial_reference(grids.crs(), path);
  AtomicOutput output(path, {}, AtomicOutput::Temporary::kUnnamed);
  {
    internal::GeoPackageOutput dataset(output.temporary_path(), path);
    write_layer(*dataset, path, kAreasLayer, srs.get(), true, report, grids);
    write_layer(*dataset, path, kTableLayer, srs.get(), false, report, grids);
    internal::write_layer_styles(*dataset, problem_styles(report, grids), path);
    dataset.close();
  }
  output.commit();
}

ValidationReport read_problems(const std::string& path) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  GDALDatasetUniquePtr dataset = internal::open_vector(path, true);
  ValidationReport report;
  read_layer(*dataset, path, kAreasLayer, report.problems);
  read_layer(*dataset, path, kTableLayer, report.problems);
  return report;
}

}  // namespace libgrid
