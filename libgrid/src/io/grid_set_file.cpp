#include "libgrid/io/grid_set_file.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "internal/geopackage_output.h"
#include "internal/ogr_geometry.h"
#include "internal/text.h"
#include "io/layer_styles_table.h"
#include "libgrid/crs/china_offsets.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"

namespace libgrid {

namespace {

constexpr const char* kLevelsTable = "libgrid_levels";
constexpr const char* kRosterTable = "libgrid_roster";
constexpr const char* kDutyTable = "libgrid_duty";
constexpr const char* kCalendarTable = "libgrid_calendar";
// Boundary versions, only in a file of several: each version's effective date ("" = since
// always), and the versions each cell (by FID) is in force in, first to last.
constexpr const char* kVersionsTable = "libgrid_versions";
constexpr const char* kCellVersionsTable = "libgrid_cell_versions";
constexpr std::string_view kReservedPrefix = "libgrid_";
// The exact CRS text, kept beside the layers' spatial reference so that it reads back
// bit-exactly (GeoPackage stores a CRS as its own WKT, not as the text it was given). For GCJ-02
// and BD-09, which GDAL cannot know, it is the only record: the layers say WGS84 lon/lat.
constexpr const char* kCrsMetadata = "LIBGRID_CRS";
// The fields every level layer has; a cell attribute may not take these names (nor GDAL's
// FID and geometry columns).
constexpr std::array<std::string_view, 8> kCellFields = {
    "code", "name", "parent_code", "households", "population", "kind", "fid", "geom"};

Location at_field(Location where, const std::string& field) {
  where.field = field;
  return where;
}

bool is_cell_field(std::string_view name) {
  return std::any_of(kCellFields.begin(), kCellFields.end(),
                     [name](std::string_view f) { return internal::iequals(f, name); });
}
static_assert(kMaxAttributeColumns + kCellFields.size() == 2000);

const OGRSpatialReference* first_spatial_reference(GDALDataset& dataset,
                                                   const std::vector<std::string>& levels) {
  for (const std::string& level : levels) {
    OGRLayer* layer = dataset.GetLayerByName(level.c_str());
    if (layer != nullptr && layer->GetSpatialRef() != nullptr) return layer->GetSpatialRef();
  }
  return nullptr;
}

// ---- writing ----

struct FieldSpec {
  std::string name;
  OGRFieldType type;
};

class Writer {
 public:
  Writer(GDALDataset& dataset, const std::string& path) : dataset_(dataset), path_(path) {}

  // Starts a layer with its fields; features follow through add() inside one transaction.
  OGRLayer& create_layer(const std::string& name, const OGRSpatialReference* srs,
                         OGRwkbGeometryType type, const std::vector<FieldSpec>& fields) {
    const char* const options[] = {"FID=fid", "GEOMETRY_NAME=geom", nullptr};
    OGRLayer* layer = dataset_.CreateLayer(name.c_str(), const_cast<OGRSpatialReference*>(srs),
                                           type, const_cast<char**>(options));
    if (layer == nullptr) fail(Location{path_, name}, "cannot create the layer");
    for (const FieldSpec& spec : fields) {
      OGRFieldDefn field(spec.name.c_str(), spec.type);
      if (layer->CreateField(&field) != OGRERR_NONE) {
        fail(Location{path_, name, -1, spec.name}, "cannot create the field");
      }
    }
    if (layer->StartTransaction() != OGRERR_NONE) fail(Location{path_, name}, "cannot start");
    return *layer;
  }

  void add(OGRLayer& layer, OGRFeature& feature) {
    if (layer.CreateFeature(&feature) != OGRERR_NONE) {
      fail(Location{path_, layer.GetName(), feature.GetFID()}, "cannot write the feature");
    }
  }

  void finish(OGRLayer& layer) {
    if (layer.CommitTransaction() != OGRERR_NONE) {
      fail(Location{path_, layer.GetName()}, "cannot commit");
    }
  }

  [[noreturn]] void fail(const Location& where, const std::string& what) const {
    throw Error(ErrorKind::kIo, where, what + ": " + internal::gdal_message());
  }

 private:
  GDALDataset& dataset_;
  const std::string& path_;
};

// The attribute columns of a level: the union of its cells' attribute names, ordered so that
// every cell's attributes read back in their own order where the cells agree on one (a cell
// whose source left a field unset simply lacks it); first-seen order breaks ties and cycles.
std::vector<std::string> attribute_columns(const GridSet& grids, const std::vector<CellId>& ids) {
  std::vector<std::string> names;  // first-seen order
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::vector<std::size_t>> after;  // after[i]: names some cell puts right after i
  std::vector<std::size_t> before_count;
  for (const CellId id : ids) {
    const auto& attributes = grids.cell(id).attributes;
    for (std::size_t k = 0; k < attributes.size(); ++k) {
      const auto [it, added] = index.emplace(attributes[k].name, names.size());
      if (added) {
        names.push_back(attributes[k].name);
        after.emplace_back();
        before_count.push_back(0);
      }
      if (k == 0) continue;
      const std::size_t previous = index.at(attributes[k - 1].name);
      auto& next = after[previous];
      if (previous != it->second && std::find(next.begin(), next.end(), it->second) == next.end()) {
        next.push_back(it->second);
        ++before_count[it->second];
      }
    }
  }
  // Kahn's topological sort, always taking the earliest-seen name that is free.
  std::vector<std::string> ordered;
  std::vector<bool> done(names.size(), false);
  while (ordered.size() < names.size()) {
    std::size_t pick = names.size();
    for (std::size_t i = 0; i < names.size() && pick == names.size(); ++i) {
      if (!done[i] && before_count[i] == 0) pick = i;
    }
    if (pick == names.size()) {  // the cells disagree: take the earliest left
      pick = static_cast<std::size_t>(std::find(done.begin(), done.end(), false) - done.begin());
    }
    done[pick] = true;
    ordered.push_back(names[pick]);
    for (const std::size_t n : after[pick]) {
      if (before_count[n] > 0) --before_count[n];
    }
  }
  return ordered;
}

std::optional<std::int64_t> integer_value(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> real_value(const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The field type of each attribute column: the cells' own type where they all agree and every
// value reads as one, else text (nothing is lost that way).
std::vector<AttributeType> column_types(const GridSet& grids, const std::vector<CellId>& ids,
                                        const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < names.size(); ++i) column.emplace(names[i], i);
  std::vector<std::optional<AttributeType>> types(names.size());
  for (const CellId id : ids) {
    for (const Attribute& a : grids.cell(id).attributes) {
      auto& type = types[column.at(a.name)];
      if (!type) type = a.type;
      const bool reads = a.type == AttributeType::kInteger ? integer_value(a.value).has_value()
                         : a.type == AttributeType::kReal  ? real_value(a.value).has_value()
                                                           : true;
      if (*type != a.type || !reads) type = AttributeType::kText;
    }
  }
  std::vector<AttributeType> out;
  out.reserve(types.size());
  for (const auto& type : types) out.push_back(type.value_or(AttributeType::kText));
  return out;
}

void write_level(Writer& writer, const GridSet& grids, int level, const OGRSpatialReference* srs,
                 const std::string& path) {
  const std::string& name = grids.levels()[static_cast<std::size_t>(level)];
  const std::vector<CellId> ids = grids.cells_of_level(level);

  for (const CellId id : ids) {
    for (const Attribute& a : grids.cell(id).attributes) {
      if (!attribute_name_allowed(a.name)) {
        throw Error(ErrorKind::kInvalidInput, Location{path, name, id, a.name},
                    "an attribute may not be called '" + a.name + "'");
      }
    }
  }
  const std::vector<std::string> attribute_names = attribute_columns(grids, ids);
  if (attribute_names.size() > kMaxAttributeColumns) {
    throw Error(ErrorKind::kInvalidInput, Location{path, name},
                std::to_string(attribute_names.size()) +
                    " attribute columns: a level holds at most " +
                    std::to_string(kMaxAttributeColumns));
  }
  std::vector<FieldSpec> fields = {{"code", OFTString},          {"name", OFTString},
                                   {"parent_code", OFTString},   {"households", OFTInteger64},
                                   {"population", OFTInteger64}, {"kind", OFTString}};
  const std::vector<AttributeType> attribute_types = column_types(grids, ids, attribute_names);
  for (std::size_t i = 0; i < attribute_names.size(); ++i) {
    fields.push_back({attribute_names[i], internal::field_type(attribute_types[i])});
  }

  OGRLayer& layer = writer.create_layer(name, srs, wkbMultiPolygon, fields);
  const OGRFeatureDefn& definition = *layer.GetLayerDefn();
  for (const CellId id : ids) {
    const Cell& cell = grids.cell(id);
    OGRFeature feature(layer.GetLayerDefn());
    // FIDs carry the cell ids (+1: GeoPackage FIDs start at 1), so reading restores them.
    feature.SetFID(static_cast<GIntBig>(id) + 1);
    feature.SetField(0, cell.code.c_str());
    feature.SetField(1, cell.name.c_str());
    if (cell.parent != kNoCell) feature.SetField(2, grids.cell(cell.parent).code.c_str());
    feature.SetField(3, static_cast<GIntBig>(cell.households));
    feature.SetField(4, static_cast<GIntBig>(cell.population));
    feature.SetField(5, std::string(to_string(cell.kind)).c_str());
    for (const Attribute& a : cell.attributes) {
      const int i = definition.GetFieldIndex(a.name.c_str());
      switch (definition.GetFieldDefn(i)->GetType()) {
        case OFTInteger64:
          feature.SetField(i, static_cast<GIntBig>(*integer_value(a.value)));
          break;
        case OFTReal:
          feature.SetField(i, *real_value(a.value));
          break;
        default:
          feature.SetField(i, a.value.c_str());
      }
    }
    feature.SetGeometryDirectly(internal::to_ogr(cell.geometry).release());
    writer.add(layer, feature);
  }
  writer.finish(layer);
}

void write_tables(Writer& writer, const GridSet& grids) {
  OGRLayer& levels = writer.create_layer(kLevelsTable, nullptr, wkbNone,
                                         {{"ordinal", OFTInteger}, {"name", OFTString}});
  for (std::size_t i = 0; i < grids.levels().size(); ++i) {
    OGRFeature feature(levels.GetLayerDefn());
    feature.SetField(0, static_cast<int>(i));
    feature.SetField(1, grids.levels()[i].c_str());
    writer.add(levels, feature);
  }
  writer.finish(levels);

  OGRLayer& roster = writer.create_layer(kRosterTable, nullptr, wkbNone,
                                         {{"cell_code", OFTString},
                                          {"role", OFTString},
                                          {"person_id", OFTString},
                                          {"name", OFTString},
                                          {"phone", OFTString}});
  for (const RosterEntry& e : grids.roster().entries) {
    OGRFeature feature(roster.GetLayerDefn());
    feature.SetField(0, e.cell_code.c_str());
    feature.SetField(1, std::string(to_string(e.role)).c_str());
    feature.SetField(2, e.person.id.c_str());
    feature.SetField(3, e.person.name.c_str());
    feature.SetField(4, e.person.phone.c_str());
    writer.add(roster, feature);
  }
  writer.finish(roster);

  OGRLayer& duty = writer.create_layer(kDutyTable, nullptr, wkbNone,
                                       {{"event_class", OFTString},
                                        {"class_name", OFTString},
                                        {"department", OFTString},
                                        {"handling_level", OFTString},
                                        {"deadline", OFTReal},
                                        {"deadline_unit", OFTString}});
  for (const DutyRule& r : grids.duty_table().rules) {
    OGRFeature feature(duty.GetLayerDefn());
    feature.SetField(0, r.event_class.c_str());
    feature.SetField(1, r.class_name.c_str());
    feature.SetField(2, r.department.c_str());
    feature.SetField(3, r.handling_level.c_str());
    feature.SetField(4, r.deadline);
    feature.SetField(5, std::string(to_string(r.unit)).c_str());
    writer.add(duty, feature);
  }
  writer.finish(duty);

  if (grids.has_versions()) {
    const auto& versions = grids.versions();
    OGRLayer& table = writer.create_layer(kVersionsTable, nullptr, wkbNone,
                                          {{"ordinal", OFTInteger}, {"effective", OFTString}});
    std::vector<std::pair<int, int>> range(grids.size(), {-1, -1});
    for (std::size_t v = 0; v < versions.size(); ++v) {
      OGRFeature feature(table.GetLayerDefn());
      feature.SetField(0, static_cast<int>(v));
      if (versions[v].effective) feature.SetField(1, format_date(*versions[v].effective).c_str());
      writer.add(table, feature);
      for (const CellId id : versions[v].cells) {
        auto& r = range[static_cast<std::size_t>(id)];
        if (r.first < 0) r.first = static_cast<int>(v);
        r.second = static_cast<int>(v);
      }
    }
    writer.finish(table);
    OGRLayer& cells = writer.create_layer(
        kCellVersionsTable, nullptr, wkbNone,
        {{"cell_fid", OFTInteger64}, {"first_version", OFTInteger}, {"last_version", OFTInteger}});
    for (std::size_t i = 0; i < range.size(); ++i) {
      if (range[i].first < 0) continue;
      OGRFeature feature(cells.GetLayerDefn());
      feature.SetField(0, static_cast<GIntBig>(i) + 1);
      feature.SetField(1, range[i].first);
      feature.SetField(2, range[i].second);
      writer.add(cells, feature);
    }
    writer.finish(cells);
  }

  if (grids.calendar().empty()) return;  // files without one stay as they were
  OGRLayer& calendar = writer.create_layer(kCalendarTable, nullptr, wkbNone,
                                           {{"date", OFTString}, {"kind", OFTString}});
  for (const auto& [day, kind] : grids.calendar().exceptions()) {
    OGRFeature feature(calendar.GetLayerDefn());
    feature.SetField(0, format_date(day).c_str());
    feature.SetField(1, std::string(to_string(kind)).c_str());
    writer.add(calendar, feature);
  }
  writer.finish(calendar);
}

// ---- reading ----

// A field by name, as text; "" when the layer lacks it or the feature leaves it unset.
std::string text_of(const OGRFeature& feature, const char* name) {
  const int i = feature.GetFieldIndex(name);
  return i >= 0 && feature.IsFieldSetAndNotNull(i) ? internal::field_text(feature, i)
                                                   : std::string();
}

OGRLayer& require_layer(GDALDataset& dataset, const std::string& path, const std::string& name) {
  OGRLayer* layer = dataset.GetLayerByName(name.c_str());
  if (layer == nullptr) {
    throw Error(ErrorKind::kInvalidInput, Location{path, name}, "missing layer");
  }
  return *layer;
}

void read_levels(GDALDataset& dataset, const std::string& path, GridSet& grids) {
  OGRLayer* table = dataset.GetLayerByName(kLevelsTable);
  if (table == nullptr) {
    throw Error(ErrorKind::kInvalidInput, Location{path},
                "not a libgrid grid set (no libgrid_levels table)");
  }
  std::vector<std::pair<std::int64_t, std::string>> levels;
  internal::for_each_feature(*table, path, [&](const OGRFeature& feature, const Location&) {
    const int ordinal = feature.GetFieldIndex("ordinal");
    levels.emplace_back(ordinal >= 0 ? feature.GetFieldAsInteger64(ordinal) : 0,
                        text_of(feature, "name"));
  });
  std::stable_sort(levels.begin(), levels.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [ordinal, name] : levels) {
    try {
      grids.add_level(name);
    } catch (const Error& e) {
      throw Error(e.kind(), Location{path, kLevelsTable}, e.detail());
    }
  }
}

// A cell as stored, before it is added to the grid set.
struct StoredCell {
  Cell cell;
  std::string parent_code;
  Location where;
  GIntBig fid;
};

StoredCell read_cell(const OGRFeature& feature, const Location& where, int level) {
  StoredCell stored{Cell{}, text_of(feature, "parent_code"), where, feature.GetFID()};
  Cell& cell = stored.cell;
  cell.level = level;
  cell.code = text_of(feature, "code");
  cell.name = text_of(feature, "name");
  for (auto [name, value] :
       {std::pair{"households", &cell.households}, std::pair{"population", &cell.population}}) {
    const int i = feature.GetFieldIndex(name);
    if (i < 0 || !feature.IsFieldSetAndNotNull(i)) continue;
    *value = feature.GetFieldAsInteger64(i);
    if (*value < 0) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, name),
                  "negative count " + std::to_string(*value));
    }
  }
  if (const std::string kind = text_of(feature, "kind"); !kind.empty()) {
    const auto parsed = parse_cell_kind(kind);
    if (!parsed) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, "kind"), "unknown kind '" + kind + "'");
    }
    cell.kind = *parsed;
  }
  const OGRFeatureDefn& definition = *feature.GetDefnRef();
  for (int i = 0; i < definition.GetFieldCount(); ++i) {
    const char* name = definition.GetFieldDefn(i)->GetNameRef();
    if (is_cell_field(name) || !feature.IsFieldSetAndNotNull(i)) continue;
    cell.attributes.push_back({name, internal::field_text(feature, i),
                               internal::attribute_type(*definition.GetFieldDefn(i))});
  }
  cell.geometry = internal::to_multipolygon(feature.GetGeometryRef(), where);
  internal::check_finite_and_closed(cell.geometry, where);
  return stored;
}

// The order to add the cells in: by FID, which is the cell id a libgrid file was written with,
// when that is consistent (unique, parents first); else level by level as stored.
void order_cells(std::vector<StoredCell>& cells) {
  std::unordered_map<std::string, GIntBig> fid_of_code;
  for (const StoredCell& s : cells) fid_of_code.emplace(s.cell.code, s.fid);
  std::vector<GIntBig> fids;
  for (const StoredCell& s : cells) {
    if (s.fid == OGRNullFID) return;
    if (!s.parent_code.empty()) {
      const auto parent = fid_of_code.find(s.parent_code);
      if (parent != fid_of_code.end() && parent->second >= s.fid) return;
    }
    fids.push_back(s.fid);
  }
  std::sort(fids.begin(), fids.end());
  if (std::adjacent_find(fids.begin(), fids.end()) != fids.end()) return;
  std::sort(cells.begin(), cells.end(),
            [](const StoredCell& a, const StoredCell& b) { return a.fid < b.fid; });
}

// The versions of a file of several: effective dates, and each cell FID's first and last version.
struct StoredVersions {
  std::vector<BoundaryVersion> versions;
  std::unordered_map<GIntBig, std::pair<int, int>> range;
};

std::optional<StoredVersions> read_versions(GDALDataset& dataset, const std::string& path) {
  OGRLayer* table = dataset.GetLayerByName(kVersionsTable);
  if (table == nullptr) return std::nullopt;
  StoredVersions stored;
  std::vector<std::pair<std::int64_t, BoundaryVersion>> ordered;
  internal::for_each_feature(*table, path, [&](const OGRFeature& feature, const Location& where) {
    const int ordinal = feature.GetFieldIndex("ordinal");
    BoundaryVersion v;
    if (const std::string date = text_of(feature, "effective"); !date.empty()) {
      v.effective = parse_date(date);
      if (!v.effective) {
        throw Error(ErrorKind::kInvalidInput, at_field(where, "effective"),
                    "bad date '" + date + "'");
      }
    }
    ordered.emplace_back(ordinal >= 0 ? feature.GetFieldAsInteger64(ordinal) : 0, std::move(v));
  });
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [ordinal, v] : ordered) stored.versions.push_back(std::move(v));
  OGRLayer& cells = require_layer(dataset, path, kCellVersionsTable);
  const auto count = static_cast<std::int64_t>(stored.versions.size());
  internal::for_each_feature(cells, path, [&](const OGRFeature& feature, const Location& where) {
    const int f = feature.GetFieldIndex("cell_fid");
    const int a = feature.GetFieldIndex("first_version");
    const int b = feature.GetFieldIndex("last_version");
    if (f < 0 || a < 0 || b < 0) {
      throw Error(ErrorKind::kInvalidInput, where,
                  "missing cell_fid, first_version or last_version");
    }
    const std::int64_t first = feature.GetFieldAsInteger64(a);
    const std::int64_t last = feature.GetFieldAsInteger64(b);
    if (first < 0 || last < first || last >= count) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, "last_version"),
                  "versions " + std::to_string(first) + " to " + std::to_string(last) +
                      " are not versions of the file");
    }
    stored.range[feature.GetFieldAsInteger64(f)] = {static_cast<int>(first),
                                                    static_cast<int>(last)};
  });
  return stored;
}

// A file of several versions: cells by FID (codes repeat across versions), each parent the cell
// of its code in force in the child's first version.
void read_versioned_cells(std::vector<StoredCell>& cells, StoredVersions& stored, GridSet& grids) {
  std::sort(cells.begin(), cells.end(),
            [](const StoredCell& a, const StoredCell& b) { return a.fid < b.fid; });
  std::unordered_map<std::string, std::vector<CellId>> by_code;
  std::vector<std::pair<int, int>> range;
  for (StoredCell& s : cells) {
    const auto r = stored.range.find(s.fid);
    if (r == stored.range.end()) {
      throw Error(ErrorKind::kInvalidInput, s.where, "the cell is in force in no boundary version");
    }
    if (!s.parent_code.empty()) {
      s.cell.parent = kNoCell;
      const auto candidates = by_code.find(s.parent_code);
      if (candidates != by_code.end()) {
        for (const CellId id : candidates->second) {
          const auto [first, last] = range[static_cast<std::size_t>(id)];
          if (first <= r->second.first && r->second.first <= last) s.cell.parent = id;
        }
      }
      if (s.cell.parent == kNoCell || grids.cell(s.cell.parent).level != s.cell.level - 1) {
        throw Error(ErrorKind::kInvalidInput, at_field(s.where, "parent_code"),
                    "parent code '" + s.parent_code +
                        "' is not a code of the level above in the same version");
      }
    }
    const std::string code = s.cell.code;
    CellId id = kNoCell;
    try {
      id = grids.add_version_cell(std::move(s.cell));
    } catch (const Error& e) {
      throw Error(e.kind(), at_field(s.where, "code"), e.detail());
    }
    by_code[code].push_back(id);
    range.push_back(r->second);
    for (int v = r->second.first; v <= r->second.second; ++v) {
      stored.versions[static_cast<std::size_t>(v)].cells.push_back(id);
    }
  }
  grids.set_versions(std::move(stored.versions));
}

void read_cells(GDALDataset& dataset, const std::string& path, GridSet& grids) {
  std::optional<StoredVersions> versions = read_versions(dataset, path);
  std::vector<StoredCell> cells;
  for (int level = 0; level < static_cast<int>(grids.levels().size()); ++level) {
    const std::string& name = grids.levels()[static_cast<std::size_t>(level)];
    OGRLayer& layer = require_layer(dataset, path, name);
    if (layer.GetLayerDefn()->GetFieldIndex("code") < 0) {
      throw Error(ErrorKind::kInvalidInput, Location{path, name, -1, "code"}, "no such field");
    }
    internal::for_each_feature(layer, path, [&](const OGRFeature& feature, const Location& where) {
      cells.push_back(read_cell(feature, where, level));
    });
  }
  if (versions) {
    try {
      read_versioned_cells(cells, *versions, grids);
    } catch (const Error& e) {
      if (!e.where().file.empty()) throw;
      throw Error(e.kind(), Location{path, kVersionsTable}, e.detail());
    }
    return;
  }
  order_cells(cells);
  for (StoredCell& s : cells) {
    if (!s.parent_code.empty()) {
      s.cell.parent = grids.find(s.parent_code);
      if (s.cell.parent == kNoCell || grids.cell(s.cell.parent).level != s.cell.level - 1) {
        throw Error(ErrorKind::kInvalidInput, at_field(s.where, "parent_code"),
                    "parent code '" + s.parent_code + "' is not a code of the level above");
      }
    }
    try {
      grids.add_cell(std::move(s.cell));
    } catch (const Error& e) {
      throw Error(e.kind(), at_field(s.where, "code"), e.detail());
    }
  }
}

void read_roster(GDALDataset& dataset, const std::string& path, GridSet& grids) {
  OGRLayer* table = dataset.GetLayerByName(kRosterTable);
  if (table == nullptr) return;
  internal::for_each_feature(*table, path, [&](const OGRFeature& feature, const Location& where) {
    RosterEntry entry;
    entry.cell_code = text_of(feature, "cell_code");
    const std::string role = text_of(feature, "role");
    const auto parsed = parse_role(role);
    if (!parsed) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, "role"), "unknown role '" + role + "'");
    }
    entry.role = *parsed;
    entry.person =
        Person{text_of(feature, "person_id"), text_of(feature, "name"), text_of(feature, "phone")};
    grids.roster().entries.push_back(std::move(entry));
  });
}

void read_duty(GDALDataset& dataset, const std::string& path, GridSet& grids) {
  OGRLayer* table = dataset.GetLayerByName(kDutyTable);
  if (table == nullptr) return;
  internal::for_each_feature(*table, path, [&](const OGRFeature& feature, const Location& where) {
    DutyRule rule;
    rule.event_class = text_of(feature, "event_class");
    rule.class_name = text_of(feature, "class_name");
    rule.department = text_of(feature, "department");
    rule.handling_level = text_of(feature, "handling_level");
    const int deadline = feature.GetFieldIndex("deadline");
    if (deadline >= 0) rule.deadline = feature.GetFieldAsDouble(deadline);
    const std::string unit = text_of(feature, "deadline_unit");
    const auto parsed = parse_deadline_unit(unit);
    if (!parsed) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, "deadline_unit"),
                  "unknown deadline unit '" + unit + "'");
    }
    rule.unit = *parsed;
    grids.duty_table().rules.push_back(std::move(rule));
  });
}

void read_calendar(GDALDataset& dataset, const std::string& path, GridSet& grids) {
  OGRLayer* table = dataset.GetLayerByName(kCalendarTable);
  if (table == nullptr) return;
  internal::for_each_feature(*table, path, [&](const OGRFeature& feature, const Location& where) {
    const std::string date = text_of(feature, "date");
    const auto day = parse_date(date);
    if (!day)
      throw Error(ErrorKind::kInvalidInput, at_field(where, "date"), "bad date '" + date + "'");
    const std::string kind = text_of(feature, "kind");
    const auto parsed = parse_day_kind(kind);
    if (!parsed) {
      throw Error(ErrorKind::kInvalidInput, at_field(where, "kind"), "unknown kind '" + kind + "'");
    }
    grids.calendar().set(*day, *parsed);
  });
}

std::string read_crs(GDALDataset& dataset, const std::vector<std::string>& levels) {
  const OGRSpatialReference* srs = first_spatial_reference(dataset, levels);
  // GeoPackage has no "no CRS": GDAL writes its undefined entries, and reads them back so named.
  if (srs != nullptr && srs->GetAuthorityName(nullptr) == nullptr && srs->GetName() != nullptr &&
      (std::string_view(srs->GetName()) == "Undefined geographic SRS" ||
       std::string_view(srs->GetName()) == "Undefined Cartesian SRS")) {
    srs = nullptr;
  }
  const char* stored = dataset.GetMetadataItem(kCrsMetadata);
  if (stored == nullptr || *stored == '\0') {
    return srs != nullptr ? internal::crs_text(*srs) : std::string();
  }
  if (srs == nullptr) return stored;
  // Trust the stored text only while it still names the layers' CRS (the file may have been
  // reprojected by another tool since); GCJ-02 and BD-09 are written as WGS84 lon/lat.
  OGRSpatialReference named;
  const char* const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
  const char* definition = parse_china_offset(stored) ? "EPSG:4326" : stored;
  if (named.SetFromUserInput(definition) == OGRERR_NONE && named.IsSame(srs, options)) {
    return stored;
  }
  return internal::crs_text(*srs);
}

}  // namespace

void check_level_name(std::string_view name) {
  if (name.size() >= kReservedPrefix.size() &&
      internal::iequals(name.substr(0, kReservedPrefix.size()), kReservedPrefix)) {
    throw Error(ErrorKind::kInvalidInput, "level '" + std::string(name) +
                                              "': level names starting with 'libgrid_' are "
                                              "reserved for the grid set file's own tables");
  }
}

bool attribute_name_allowed(std::string_view name) { return !name.empty() && !is_cell_field(name); }

GridSet read_grid_set(const std::string& path) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  GDALDatasetUniquePtr dataset = internal::open_vector(path, true);
  GridSet grids;
  read_levels(*dataset, path, grids);
  read_cells(*dataset, path, grids);
  read_roster(*dataset, path, grids);
  read_duty(*dataset, path, grids);
  read_calendar(*dataset, path, grids);
  grids.set_crs(read_crs(*dataset, grids.levels()));
  return grids;
}

void write_grid_set(const GridSet& grids, const std::string& path) {
  for (const std::string& level : grids.levels()) {
    try {
      check_level_name(level);
    } catch (const Error& e) {
      throw Error(e.kind(), Location{path, level}, e.detail());
    }
  }
  internal::register_gdal();
  const internal::QuietGdal quiet;
  const std::unique_ptr<OGRSpatialReference> srs = internal::spatial_reference(grids.crs(), path);
  AtomicOutput output(path, {}, AtomicOutput::Temporary::kUnnamed);
  {
    internal::GeoPackageOutput dataset(output.temporary_path(), path);
    Writer writer(*dataset, path);
    for (int level = 0; level < static_cast<int>(grids.levels().size()); ++level) {
      write_level(writer, grids, level, srs.get(), path);
    }
    write_tables(writer, grids);
    if (!grids.crs().empty()) dataset->SetMetadataItem(kCrsMetadata, grids.crs().c_str());
    internal::write_layer_styles(*dataset, grid_set_styles(grids), path);
    dataset.close();
  }
  output.commit();
}

}  // namespace libgrid
