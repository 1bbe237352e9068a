#include "libgrid/stats/evaluation_file.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "internal/geopackage_output.h"
#include "internal/ogr_geometry.h"
#include "io/layer_styles_table.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {
namespace {

// One value of a row: text, a whole number, or a real with its decimals (NaN: no value).
struct Value {
  enum class Kind { kText, kWhole, kReal } kind = Kind::kText;
  std::string text{};
  std::int64_t whole = 0;
  double real = 0.0;
  int decimals = 0;
};

Value text(std::string s) { return Value{Value::Kind::kText, std::move(s)}; }
Value whole(std::int64_t n) { return Value{Value::Kind::kWhole, {}, n}; }
Value real(double v, int decimals) { return Value{Value::Kind::kReal, {}, 0, v, decimals}; }

std::vector<Value> row_of(const Evaluation& e, const GroupEvaluation& g) {
  std::vector<Value> row;
  row.push_back(text(g.key));
  if (e.by != "department") row.push_back(text(g.name));
  row.push_back(real(g.households, 0));
  row.push_back(whole(g.events));
  row.push_back(real(g.events_per_100_households, 2));
  row.push_back(whole(g.closed));
  row.push_back(real(g.closure_rate, 4));
  row.push_back(whole(g.closed_on_time));
  row.push_back(whole(g.settle_by_as_of));
  row.push_back(real(g.on_time_rate, 4));
  row.push_back(whole(g.open));
  row.push_back(whole(g.overdue));
  row.push_back(whole(g.reworked));
  row.push_back(real(g.rework_rate, 4));
  row.push_back(text(g.handling_unit ? std::string(to_string(*g.handling_unit)) : ""));
  row.push_back(real(g.median_handling, 2));
  return row;
}

std::string csv_text(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kText: {
      std::string field;
      append_csv_field(field, v.text);
      return field;
    }
    case Value::Kind::kWhole:
      return std::to_string(v.whole);
    case Value::Kind::kReal: {
      if (std::isnan(v.real)) return "";
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.*f", v.decimals, v.real);
      return buffer;
    }
  }
  return "";
}

void write_csv(const Evaluation& e, const std::string& temporary, const std::string& path) {
  std::ofstream csv(temporary, std::ios::binary);
  write_evaluation_csv(e, csv);
  csv.close();
  if (!csv) throw Error(ErrorKind::kIo, Location{.file = path}, "cannot write the evaluation");
}

void write_geopackage(const Evaluation& e, const GridSet& grids, const std::string& temporary,
                      const std::string& path) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  const std::unique_ptr<OGRSpatialReference> srs = internal::spatial_reference(grids.crs(), path);
  internal::GeoPackageOutput dataset(temporary, path);
  const char* const options[] = {"FID=fid", "GEOMETRY_NAME=geom", nullptr};
  const char* const name = "evaluation";
  OGRLayer* layer =
      dataset->CreateLayer(name, e.by_level ? srs.get() : nullptr,
                           e.by_level ? wkbMultiPolygon : wkbNone, const_cast<char**>(options));
  const auto fail = [&](const std::string& what) {
    throw Error(ErrorKind::kIo, Location{path, name}, what + ": " + internal::gdal_message());
  };
  if (layer == nullptr) fail("cannot create the layer");
  const std::vector<std::string> columns = evaluation_columns(e);
  const std::vector<Value> kinds =
      row_of(e, e.groups.empty() ? GroupEvaluation{} : e.groups.front());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const OGRFieldType type = kinds[c].kind == Value::Kind::kText    ? OFTString
                              : kinds[c].kind == Value::Kind::kWhole ? OFTInteger64
                                                                     : OFTReal;
    OGRFieldDefn field(columns[c].c_str(), type);
    if (layer->CreateField(&field) != OGRERR_NONE) fail("cannot create field " + columns[c]);
  }
  if (layer->StartTransaction() != OGRERR_NONE) fail("cannot start");
  for (const GroupEvaluation& g : e.groups) {
    OGRFeature feature(layer->GetLayerDefn());
    const std::vector<Value> row = row_of(e, g);
    for (std::size_t c = 0; c < row.size(); ++c) {
      const int field = static_cast<int>(c);
      switch (row[c].kind) {
        case Value::Kind::kText:
          feature.SetField(field, row[c].text.c_str());
          break;
        case Value::Kind::kWhole:
          feature.SetField(field, static_cast<GIntBig>(row[c].whole));
          break;
        case Value::Kind::kReal:
          if (std::isnan(row[c].real)) {
            feature.SetFieldNull(field);
          } else {
            feature.SetField(field, row[c].real);
          }
          break;
      }
    }
    if (e.by_level && g.cell != kNoCell) {
      feature.SetGeometryDirectly(internal::to_ogr(grids.cell(g.cell).geometry).release());
    }
    if (layer->CreateFeature(&feature) != OGRERR_NONE) fail("cannot write the feature");
  }
  if (layer->CommitTransaction() != OGRERR_NONE) fail("cannot commit");
  internal::write_layer_styles(*dataset, evaluation_styles(e, grids), path);
  dataset.close();
}

bool is_geopackage(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".gpkg") == 0;
}

}  // namespace

std::vector<std::string> evaluation_columns(const Evaluation& e) {
  std::vector<std::string> columns;
  if (e.by_level) {
    columns = {"code", "name"};
  } else if (e.by == "worker") {
    columns = {"worker_id", "worker"};
  } else {
    columns = {"department"};
  }
  for (const char* c : {"households", "events", "events_per_100_households", "closed",
                        "closure_rate", "closed_on_time", "settle_by_as_of", "on_time_rate", "open",
                        "overdue", "reworked", "rework_rate", "handling_unit", "median_handling"}) {
    columns.emplace_back(c);
  }
  return columns;
}

void write_evaluation_csv(const Evaluation& e, std::ostream& csv) {
  std::string line;
  for (const std::string& column : evaluation_columns(e)) {
    if (!line.empty()) line += ',';
    append_csv_field(line, column);
  }
  csv << line << '\n';
  for (const GroupEvaluation& g : e.groups) {
    line.clear();
    const std::vector<Value> row = row_of(e, g);
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) line += ',';
      line += csv_text(row[c]);
    }
    csv << line << '\n';
  }
}

void write_evaluation(const Evaluation& evaluation, const GridSet& grids, const std::string& path,
                      const std::vector<std::string>& inputs) {
  AtomicOutput output(path, inputs, AtomicOutput::Temporary::kUnnamed);
  if (is_geopackage(path)) {
    write_geopackage(evaluation, grids, output.temporary_path(), path);
  } else {
    write_csv(evaluation, output.temporary_path(), path);
  }
  output.commit();
}

}  // namespace libgrid
