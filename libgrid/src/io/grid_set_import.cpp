#include "libgrid/io/grid_set_import.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

#include "internal/exact_orientation.h"
#include "internal/geos_context.h"
#include "internal/ogr_geometry.h"
#include "internal/text.h"
#include "libgrid/crs/china_offsets.h"
#include "libgrid/error.h"
#include "libgrid/io/grid_set_file.h"

namespace libgrid {

namespace {

using internal::gdal_message;
using internal::GeosContext;

bool has_value(const OGRFeature& feature, int index) {
  return index >= 0 && feature.IsFieldSetAndNotNull(index);
}

Location at_field(Location where, const std::string& field) {
  where.field = field;
  return where;
}

// Households and population: integers >= 0, in whatever field type the source has; 0 if unset.
std::int64_t read_count(const OGRFeature& feature, int index, const Location& where) {
  if (!has_value(feature, index)) return 0;
  const std::string field = feature.GetFieldDefnRef(index)->GetNameRef();
  std::int64_t value = 0;
  bool ok = true;
  switch (feature.GetFieldDefnRef(index)->GetType()) {
    case OFTInteger:
    case OFTInteger64:
      value = feature.GetFieldAsInteger64(index);
      break;
    case OFTReal: {
      const double v = feature.GetFieldAsDouble(index);
      ok = std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 9.0e18;
      if (ok) value = static_cast<std::int64_t>(v);
      break;
    }
    default: {
      const std::string_view text = internal::trim(feature.GetFieldAsString(index));
      if (text.empty()) return 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      ok = ec == std::errc() && end == text.data() + text.size();
      break;
    }
  }
  if (!ok || value < 0) {
    throw Error(ErrorKind::kInvalidInput, at_field(where, field),
                "not a non-negative integer: '" + internal::field_text(feature, index) + "'");
  }
  return value;
}

// Fewer than 4 points, or every point on one line: a ring that encloses nothing.
bool degenerate(const Ring& ring) {
  if (ring.size() < 4) return true;
  const Point a = ring.front();
  std::size_t k = 1;
  while (k < ring.size() && ring[k] == a) ++k;
  if (k == ring.size()) return true;
  const Point b = ring[k];
  for (const Point& c : ring) {
    if (internal::exact_orientation(a, b, c) != 0) return false;
  }
  return true;
}

// Drops degenerate rings (a degenerate shell takes its polygon along); returns how many rings
// went.
std::size_t drop_degenerate_rings(MultiPolygon& area) {
  std::size_t dropped = 0;
  std::vector<Polygon> kept;
  for (Polygon& polygon : area.polygons) {
    if (polygon.rings.empty()) continue;
    if (degenerate(polygon.rings.front())) {
      dropped += polygon.rings.size();
      continue;
    }
    Polygon clean;
    for (Ring& ring : polygon.rings) {
      if (degenerate(ring)) {
        ++dropped;
      } else {
        clean.rings.push_back(std::move(ring));
      }
    }
    kept.push_back(std::move(clean));
  }
  area.polygons = std::move(kept);
  return dropped;
}

// "EPSG:4548", or the CRS's name when it has no identifier: short enough for a message.
std::string crs_label(const OGRSpatialReference& srs) {
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr) return std::string(authority) + ":" + code;
  const char* name = srs.GetName();
  return "'" + std::string(name != nullptr ? name : "unnamed CRS") + "'";
}

// GCJ-02 and BD-09 are longitude/latitude: coordinates beyond ±180, ±90 are in another CRS.
void check_lon_lat(const MultiPolygon& area, ChinaOffset offset, const Location& where) {
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      for (const Point& p : ring) {
        if (std::abs(p.x) > 180.0 || std::abs(p.y) > 90.0) {
          throw Error(ErrorKind::kInvalidInput, where,
                      "coordinate (" + internal::short_number_text(p.x) + " " +
                          internal::short_number_text(p.y) + ") is not longitude/latitude, as " +
                          std::string(to_string(offset)) + " coordinates are");
        }
      }
    }
  }
}

// The rows of `source` as the features of a GDAL memory layer (FID = row), each column a field
// of its type, so that they are read exactly as a file's features are.
GDALDatasetUniquePtr memory_dataset(const LevelLayer& source, const Location& layer_where) {
  const std::size_t rows = source.geometries.size();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("Memory");
  if (driver == nullptr) throw Error(ErrorKind::kIo, layer_where, "GDAL has no Memory driver");
  GDALDatasetUniquePtr dataset(driver->Create("", 0, 0, 0, GDT_Unknown, nullptr));
  if (dataset == nullptr) {
    throw Error(ErrorKind::kIo, layer_where, "cannot make a memory layer: " + gdal_message());
  }
  const std::unique_ptr<OGRSpatialReference> srs =
      internal::spatial_reference(source.crs, layer_where.file);
  OGRLayer* layer = dataset->CreateLayer(source.level.c_str(), srs.get(), wkbUnknown, nullptr);
  if (layer == nullptr) {
    throw Error(ErrorKind::kIo, layer_where, "cannot make a memory layer: " + gdal_message());
  }
  for (const LayerColumn& column : source.columns) {
    const std::size_t length = column.type == AttributeType::kInteger ? column.integers.size()
                               : column.type == AttributeType::kReal  ? column.reals.size()
                                                                      : column.text.size();
    if (length != rows || (!column.missing.empty() && column.missing.size() != rows)) {
      throw Error(ErrorKind::kInvalidInput, at_field(layer_where, column.name),
                  std::to_string(length) + " values for " + std::to_string(rows) + " rows");
    }
    if (layer->GetLayerDefn()->GetFieldIndex(column.name.c_str()) >= 0) {
      throw Error(ErrorKind::kInvalidInput, at_field(layer_where, column.name),
                  "two columns have this name");
    }
    OGRFieldDefn field(column.name.c_str(), internal::field_type(column.type));
    if (layer->CreateField(&field) != OGRERR_NONE) {
      throw Error(ErrorKind::kIo, at_field(layer_where, column.name),
                  "cannot make the field: " + gdal_message());
    }
  }
  for (std::size_t row = 0; row < rows; ++row) {
    Location where = layer_where;
    where.feature = static_cast<std::int64_t>(row);
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetFID(static_cast<GIntBig>(row));
    for (std::size_t c = 0; c < source.columns.size(); ++c) {
      const LayerColumn& column = source.columns[c];
      const int i = static_cast<int>(c);
      if (!column.missing.empty() && column.missing[row]) continue;
      switch (column.type) {
        case AttributeType::kInteger:
          feature.SetField(i, static_cast<GIntBig>(column.integers[row]));
          break;
        case AttributeType::kReal:
          feature.SetField(i, column.reals[row]);
          break;
        case AttributeType::kText:
          feature.SetField(i, column.text[row].c_str());
          break;
      }
    }
    if (const std::string& wkb = source.geometries[row]; !wkb.empty()) {
      OGRGeometry* geometry = nullptr;
      if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geometry, wkb.size()) !=
          OGRERR_NONE) {
        throw Error(ErrorKind::kInvalidInput, where, "the geometry is not well-known binary");
      }
      feature.SetGeometryDirectly(geometry);
    }
    if (layer->CreateFeature(&feature) != OGRERR_NONE) {
      throw Error(ErrorKind::kIo, where, "cannot store the row: " + gdal_message());
    }
  }
  return dataset;
}

// Which fields of a source mean what.
struct Fields {
  int code = -1;
  int name = -1;
  int parent_code = -1;
  int households = -1;
  int population = -1;
  int kind = -1;
  std::vector<int> attributes;  // all the others, in the source's order
};

// A cell read from its source, waiting for its parent.
struct PendingCell {
  Cell cell;
  std::string parent_code;
  Location where;
  GeosContext::Geometry geometry;
};

class Importer {
 public:
  explicit Importer(const ImportOptions& options) : options_(options) {
    if (const auto offset = parse_china_offset(options.crs)) {
      // GDAL cannot know these: the coordinates stay as they are, and the name is the record.
      china_offset_ = offset;
      result_.grids.set_crs(std::string(to_string(*offset)));
    } else if (!options.crs.empty()) {
      OGRSpatialReference srs;
      if (srs.SetFromUserInput(options.crs.c_str()) != OGRERR_NONE) {
        throw Error(ErrorKind::kInvalidInput, "unknown CRS '" + options.crs + "'");
      }
      result_.grids.set_crs(internal::crs_text(srs));
    }
  }

  void add_level(const LevelSource& source);
  // A level held in memory, read through a memory layer of its rows.
  void add_level(const LevelLayer& source);
  ImportResult finish() { return std::move(result_); }

 private:
  GDALDatasetUniquePtr open(const std::string& path) const;
  OGRLayer& find_layer(GDALDataset& dataset, const LevelSource& source) const;
  // Reads `layer` as the level `level_name`; `layer_where` is what messages call it.
  void add_layer(OGRLayer& layer, const std::string& level_name, const std::string& code_field,
                 const Location& layer_where);
  Fields find_fields(const OGRFeatureDefn& definition, const Location& where,
                     const std::string& code_field) const;
  void check_crs(OGRLayer& layer, const Location& where);
  PendingCell read_feature(const OGRFeature& feature, const Fields& fields, int level,
                           const Location& where);
  void read_geometry(const OGRFeature& feature, PendingCell& pending);
  // The polygonal part of GEOS's MakeValid of an invalid geometry, recorded in the repairs.
  MultiPolygon make_valid(PendingCell& pending, const std::string& problem);
  void link_parents(std::vector<PendingCell>& cells, int level);
  CellId spatial_parent(const PendingCell& pending);

  const ImportOptions& options_;
  bool in_memory_ = false;  // the levels are LevelLayers: hints name options, not CLI flags
  std::optional<ChinaOffset> china_offset_;  // --crs GCJ-02 or BD-09: lon/lat required
  GeosContext geos_;                         // declared before every GEOS object it must outlive
  ImportResult result_;
  std::unique_ptr<OGRSpatialReference> first_srs_;
  std::string first_srs_path_;
  std::unordered_map<std::string, Location> code_seen_at_;
  // The level above the one being read: its cells and their GEOS geometries, index-aligned;
  // the prepared geometries and the tree are built only when a cell needs a spatial parent.
  std::vector<CellId> upper_ids_;
  std::vector<GeosContext::Geometry> upper_geometries_;
  std::vector<GeosContext::Prepared> upper_prepared_;
  std::unique_ptr<internal::GeosTree> upper_tree_;
};

GDALDatasetUniquePtr Importer::open(const std::string& path) const {
  return internal::open_vector(path, false);
}

OGRLayer& Importer::find_layer(GDALDataset& dataset, const LevelSource& source) const {
  OGRLayer* layer =
      source.layer.empty() ? dataset.GetLayer(0) : dataset.GetLayerByName(source.layer.c_str());
  if (layer == nullptr) {
    throw Error(ErrorKind::kInvalidInput, Location{source.path, source.layer},
                source.layer.empty() ? "no layers" : "no such layer");
  }
  return *layer;
}

Fields Importer::find_fields(const OGRFeatureDefn& definition, const Location& where,
                             const std::string& code_field) const {
  auto index = [&definition](const std::string& name) {
    return name.empty() ? -1 : definition.GetFieldIndex(name.c_str());
  };
  Fields fields;
  fields.code = index(code_field);
  if (fields.code < 0)
    throw Error(ErrorKind::kInvalidInput, at_field(where, code_field), "no such field");
  fields.name = index(options_.name_field);
  fields.parent_code = index(options_.parent_code_field);
  fields.households = index(options_.households_field);
  fields.population = index(options_.population_field);
  fields.kind = index(options_.kind_field);
  for (int i = 0; i < definition.GetFieldCount(); ++i) {
    if (i != fields.code && i != fields.name && i != fields.parent_code && i != fields.households &&
        i != fields.population && i != fields.kind) {
      fields.attributes.push_back(i);
    }
  }
  // What the grid set file cannot hold is the source's to change: said here, naming it.
  if (fields.attributes.size() > kMaxAttributeColumns) {
    throw Error(ErrorKind::kInvalidInput, where,
                std::to_string(definition.GetFieldCount()) + " fields: a level keeps at most " +
                    std::to_string(kMaxAttributeColumns) +
                    " besides its code, name, parent code, " + "households, population and kind");
  }
  for (const int i : fields.attributes) {
    const std::string name = definition.GetFieldDefn(i)->GetNameRef();
    if (!attribute_name_allowed(name)) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, name),
                  "a grid set file keeps the name '" + name + "' for itself: rename the field");
    }
  }
  return fields;
}

void Importer::check_crs(OGRLayer& layer, const Location& where) {
  if (!options_.crs.empty()) return;  // the override replaces whatever the sources say
  const OGRSpatialReference* srs = layer.GetSpatialRef();
  if (srs == nullptr) {
    Location at = where;
    at.option = "crs";  // the remedy: give the CRS
    throw Error(ErrorKind::kInvalidInput, at, "no CRS in the source; give one");
  }
  if (first_srs_ == nullptr) {
    first_srs_.reset(srs->Clone());
    first_srs_path_ = where.file;
    result_.grids.set_crs(internal::crs_text(*srs));
    return;
  }
  // Sources store x = easting/longitude whatever the CRS's axis order; compare CRSs only.
  const char* const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
  if (!srs->IsSame(first_srs_.get(), options)) {
    throw Error(ErrorKind::kInvalidInput, where,
                "CRS " + crs_label(*srs) + " differs from CRS " + crs_label(*first_srs_) +
                    " of the first level (" + first_srs_path_ + ")");
  }
}

void Importer::add_level(const LevelSource& source) {
  GDALDatasetUniquePtr dataset = open(source.path);
  OGRLayer& layer = find_layer(*dataset, source);
  add_layer(layer, source.level, source.code_field, Location{source.path, layer.GetName()});
}

void Importer::add_level(const LevelLayer& source) {
  in_memory_ = true;
  const Location layer_where{"level '" + source.level + "'", "", -1, "", "row"};
  const GDALDatasetUniquePtr dataset = memory_dataset(source, layer_where);
  add_layer(*dataset->GetLayer(0), source.level, source.code_field, layer_where);
}

void Importer::add_layer(OGRLayer& layer, const std::string& level_name,
                         const std::string& code_field_name, const Location& layer_where) {
  const int level = result_.grids.add_level(level_name);  // names checked up front
  // Checked first: an empty GeoJSON has no fields either, and the code field is not the problem.
  CPLErrorReset();
  layer.ResetReading();
  if (OGRFeatureUniquePtr(layer.GetNextFeature()) == nullptr &&
      CPLGetLastErrorType() != CE_Failure) {
    throw Error(ErrorKind::kInvalidInput, layer_where,
                std::string(in_memory_ ? "no rows" : "no features") + ": level '" + level_name +
                    "' would have no cells");
  }
  const std::string code_field = code_field_name.empty() ? "code" : code_field_name;
  const Fields fields = find_fields(*layer.GetLayerDefn(), layer_where, code_field);
  check_crs(layer, layer_where);

  std::vector<PendingCell> cells;
  internal::for_each_feature(layer, layer_where.file,
                             [&](const OGRFeature& feature, const Location& read_at) {
                               Location where = layer_where;
                               where.feature = read_at.feature;
                               cells.push_back(read_feature(feature, fields, level, where));
                             });

  link_parents(cells, level);
  upper_tree_.reset();  // before the geometries it indexes
  upper_prepared_.clear();
  upper_geometries_.clear();
  upper_ids_.clear();
  for (PendingCell& pending : cells) {
    try {
      upper_ids_.push_back(result_.grids.add_cell(std::move(pending.cell)));
    } catch (const Error& e) {  // a level's households or population past 64 bits
      throw Error(e.kind(), pending.where, e.detail());
    }
    upper_geometries_.push_back(std::move(pending.geometry));
  }
}

PendingCell Importer::read_feature(const OGRFeature& feature, const Fields& fields, int level,
                                   const Location& where) {
  PendingCell pending;
  pending.where = where;
  Cell& cell = pending.cell;
  cell.level = level;

  const Location code_where = at_field(where, feature.GetFieldDefnRef(fields.code)->GetNameRef());
  if (has_value(feature, fields.code)) {
    cell.code = std::string(internal::trim(internal::field_text(feature, fields.code)));
  }
  if (cell.code.empty()) throw Error(ErrorKind::kInvalidInput, code_where, "empty code");
  const auto [seen, added] = code_seen_at_.emplace(cell.code, where);
  if (!added) {
    const Location& first = seen->second;
    const std::string other =
        first.file == where.file && first.layer == where.layer
            ? std::string(first.feature_word) + " " + std::to_string(first.feature)
            : describe(first);
    throw Error(ErrorKind::kInvalidInput, code_where,
                "duplicate code '" + cell.code + "' (first used by " + other + ")");
  }

  if (has_value(feature, fields.name)) cell.name = feature.GetFieldAsString(fields.name);
  if (has_value(feature, fields.parent_code)) {
    pending.parent_code =
        std::string(internal::trim(internal::field_text(feature, fields.parent_code)));
  }
  cell.households = read_count(feature, fields.households, where);
  cell.population = read_count(feature, fields.population, where);
  if (has_value(feature, fields.kind)) {
    const std::string_view text = internal::trim(feature.GetFieldAsString(fields.kind));
    if (!text.empty()) {
      const auto kind = parse_cell_kind(text);
      if (!kind) {
        throw Error(ErrorKind::kInvalidInput,
                    at_field(where, feature.GetFieldDefnRef(fields.kind)->GetNameRef()),
                    "unknown kind '" + std::string(text) + "' (expected basic or dedicated)");
      }
      cell.kind = *kind;
    }
  }
  for (const int i : fields.attributes) {
    // Unset fields are left out rather than made "", so they stay unset through a round trip.
    if (has_value(feature, i)) {
      const OGRFieldDefn& field = *feature.GetFieldDefnRef(i);
      cell.attributes.push_back(
          {field.GetNameRef(), internal::field_text(feature, i), internal::attribute_type(field)});
    }
  }
  try {
    read_geometry(feature, pending);
  } catch (const Error& e) {  // the code says which cell, where rows have no stable ids
    if (e.detail().starts_with("cell '")) throw;
    throw Error(e.kind(), e.where(), "cell '" + cell.code + "': " + e.detail());
  }
  return pending;
}

void Importer::read_geometry(const OGRFeature& feature, PendingCell& pending) {
  const Location& where = pending.where;
  const OGRGeometry* source = feature.GetGeometryRef();
  if (source == nullptr) throw Error(ErrorKind::kInvalidInput, where, "no geometry");
  MultiPolygon area = internal::to_multipolygon(source, where);
  if (area.empty()) throw Error(ErrorKind::kInvalidInput, where, "empty geometry");
  internal::check_finite_and_closed(area, where);
  if (china_offset_) check_lon_lat(area, *china_offset_, where);
  const std::size_t dropped = drop_degenerate_rings(area);
  const std::string what =
      dropped == 1 ? "a degenerate ring" : std::to_string(dropped) + " degenerate rings";
  if (area.empty()) {
    throw Error(ErrorKind::kInvalidInput, where,
                dropped == 0 ? std::string("empty geometry")
                             : "nothing left after dropping " + what +
                                   " (fewer than 4 points or zero area)");
  }
  if (dropped > 0) {
    result_.warnings.push_back(describe(where) + ": dropped " + what +
                               " (fewer than 4 points or zero area)");
  }
  try {
    pending.geometry = geos_.to_geos(area);
    if (const auto invalid = geos_.invalidity(*pending.geometry)) {
      const std::string problem = internal::describe(*invalid);
      if (!options_.make_valid) {
        throw Error(ErrorKind::kInvalidInput, where,
                    "cell '" + pending.cell.code + "': " + problem +
                        (in_memory_ ? "; repair it or import with make_valid"
                                    : "; repair it or import with make-valid"));
      }
      area = make_valid(pending, problem);
    }
  } catch (const Error& e) {
    if (!e.where().file.empty()) throw;
    throw Error(e.kind(), where, e.detail());
  }
  pending.cell.geometry = std::move(area);
}

MultiPolygon Importer::make_valid(PendingCell& pending, const std::string& problem) {
  ImportRepair repair{pending.where, pending.cell.code, problem, geos_.area(*pending.geometry)};
  const std::string cell = "cell '" + pending.cell.code + "': ";
  MultiPolygon repaired = geos_.to_multipolygon(*geos_.make_valid(*pending.geometry));
  if (repaired.empty()) {
    throw Error(ErrorKind::kInvalidInput, pending.where,
                cell + problem + ", and repairing it leaves no area");
  }
  GeosContext::Geometry made = geos_.to_geos(repaired);
  if (const auto still = geos_.invalidity(*made)) {
    throw Error(ErrorKind::kInvalidInput, pending.where,
                cell + problem + ", and after repairing it: " + internal::describe(*still));
  }
  repair.area_after = geos_.area(*made);
  pending.geometry = std::move(made);
  result_.repairs.push_back(std::move(repair));
  return repaired;
}

void Importer::link_parents(std::vector<PendingCell>& cells, int level) {
  if (level == 0) return;  // nothing above: a parent code there points outside the grid set
  const GridSet& grids = result_.grids;
  const std::string& upper_name = grids.levels()[static_cast<std::size_t>(level - 1)];
  auto on_upper_level = [&](CellId id) {
    return id != kNoCell && grids.cell(id).level == level - 1;
  };
  for (PendingCell& pending : cells) {
    Cell& cell = pending.cell;
    if (!pending.parent_code.empty()) {
      cell.parent = grids.find(pending.parent_code);
      if (!on_upper_level(cell.parent)) {
        throw Error(ErrorKind::kInvalidInput, at_field(pending.where, options_.parent_code_field),
                    "parent code '" + pending.parent_code + "' is not a code of level '" +
                        upper_name + "'");
      }
      continue;
    }
    for (std::size_t length = cell.code.size() - 1; length > 0; --length) {
      const CellId id = grids.find(std::string_view(cell.code).substr(0, length));
      if (on_upper_level(id)) {
        cell.parent = id;
        break;
      }
    }
    if (cell.parent != kNoCell) continue;
    cell.parent = spatial_parent(pending);
    if (cell.parent == kNoCell) {
      result_.warnings.push_back(describe(pending.where) + ": cell '" + cell.code +
                                 "' has no parent: no code of level '" + upper_name +
                                 "' prefixes its code and no cell of it overlaps it");
    }
  }
}

CellId Importer::spatial_parent(const PendingCell& pending) {
  if (upper_tree_ == nullptr) {
    std::vector<const GEOSGeometry*> geometries;
    for (const auto& g : upper_geometries_) {
      geometries.push_back(g.get());
      upper_prepared_.push_back(geos_.prepare(*g));
    }
    upper_tree_ = std::make_unique<internal::GeosTree>(geos_, geometries);
  }
  CellId best = kNoCell;
  double best_area = 0.0;
  try {
    for (const std::size_t i : upper_tree_->query(*pending.geometry)) {
      if (!geos_.intersects(*upper_prepared_[i], *pending.geometry)) continue;
      const double shared = geos_.intersection_area(*upper_geometries_[i], *pending.geometry);
      if (shared > best_area) {
        best_area = shared;
        best = upper_ids_[i];
      }
    }
  } catch (const Error& e) {
    throw Error(e.kind(), pending.where, "cannot find a parent: " + e.detail());
  }
  return best;
}

}  // namespace

double ImportRepair::share_changed() const {
  const double larger = std::max(area_before, area_after);
  return larger > 0.0 ? std::abs(area_after - area_before) / larger : 0.0;
}

std::string describe(const ImportRepair& repair) {
  // Rounding noise (a repair that only adds a node where the ring crosses itself) as "<0.0001%".
  const double percent = 100.0 * repair.share_changed();
  char share[32] = "<0.0001%";
  if (percent == 0.0 || percent >= 1e-4) std::snprintf(share, sizeof share, "%.3g%%", percent);
  return describe(repair.where) + ": cell '" + repair.code + "': repaired " + repair.problem +
         "; area " + internal::short_number_text(repair.area_before) + " -> " +
         internal::short_number_text(repair.area_after) + " (" + share + " changed)";
}

ImportResult import_grid_set(const std::vector<LevelSource>& sources,
                             const ImportOptions& options) {
  if (sources.empty()) throw Error(ErrorKind::kInvalidInput, "no level sources given");
  // Level names are checked before any source is read: a duplicate fails at once.
  GridSet names;
  for (const LevelSource& source : sources) {
    try {
      names.add_level(source.level);
    } catch (const Error& e) {
      throw Error(e.kind(), Location{source.path}, e.detail());
    }
  }
  internal::register_gdal();
  const internal::QuietGdal quiet;
  Importer importer(options);
  for (const LevelSource& source : sources) importer.add_level(source);
  return importer.finish();
}

ImportResult import_grid_set_layers(const std::vector<LevelLayer>& layers,
                                    const ImportOptions& options) {
  if (layers.empty()) throw Error(ErrorKind::kInvalidInput, "no levels given");
  GridSet names;
  for (const LevelLayer& layer : layers) {
    try {
      names.add_level(layer.level);
    } catch (const Error& e) {
      throw Error(e.kind(), Location{"level '" + layer.level + "'"}, e.detail());
    }
  }
  internal::register_gdal();
  const internal::QuietGdal quiet;
  Importer importer(options);
  for (const LevelLayer& layer : layers) importer.add_level(layer);
  return importer.finish();
}

}  // namespace libgrid
