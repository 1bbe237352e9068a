#include "libgrid/io/layer_styles.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "internal/ogr_geometry.h"
#include "io/layer_styles_table.h"
#include "libgrid/error.h"
#include "libgrid/render/map_render.h"

namespace libgrid {

namespace {

constexpr const char* kStylesTable = "layer_styles";
constexpr double kFinestWidthMm = 0.15;
constexpr double kWidthStepMm = 0.35;

// ---- text ----

std::string xml_escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A field name and a text literal in QGIS expressions.
std::string quoted_field(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + '"';
}
std::string quoted_text(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + '\'';
}

// Exact enough to read back the same double: class bounds must hold the extreme values.
std::string number(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}
std::string short_number(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

// QGIS writes colours as "r,g,b,a".
std::string qgis_colour(Rgb c, double opacity = 1.0) {
  const long alpha = std::lround(std::clamp(opacity, 0.0, 1.0) * 255.0);
  return std::to_string(c.r) + ',' + std::to_string(c.g) + ',' + std::to_string(c.b) + ',' +
         std::to_string(alpha);
}

std::string option(const std::string& name, const std::string& value,
                   const char* type = "QString") {
  return "<Option type=\"" + std::string(type) + "\" name=\"" + name + "\" value=\"" +
         xml_escaped(value) + "\"/>";
}

// ---- the level of each feature, for layers that mix levels ----

// CASE WHEN "field" = 'a' THEN x WHEN ... ELSE otherwise END, one branch per level.
template <typename ValueOf>
std::string by_level(const LayerStyle& s, ValueOf value_of, const std::string& otherwise) {
  std::string e = "CASE";
  for (std::size_t i = 0; i < s.level_values.size(); ++i) {
    e += " WHEN " + quoted_field(s.level_field) + " = " + quoted_text(s.level_values[i]) +
         " THEN " + value_of(static_cast<int>(i));
  }
  return e + " ELSE " + otherwise + " END";
}

bool mixes_levels(const LayerStyle& s) { return !s.level_field.empty() && !s.level_values.empty(); }

// The data-defined outline (and, for the coarser levels, an empty fill) of a mixed layer.
std::string data_defined_properties(const LayerStyle& s) {
  std::string properties;
  if (mixes_levels(s)) {
    const int n = static_cast<int>(s.level_values.size());
    const auto property = [](const std::string& name, const std::string& expression) {
      return "<Option type=\"Map\" name=\"" + name + "\">" + option("active", "true", "bool") +
             option("expression", expression) + option("type", "3", "int") + "</Option>";
    };
    const std::string finest = short_number(outline_width_mm(n - 1, n));
    properties +=
        property("outlineWidth",
                 by_level(
                     s, [n](int i) { return short_number(outline_width_mm(i, n)); }, finest));
    properties +=
        property("outlineColor",
                 by_level(
                     s, [n](int i) { return quoted_text(qgis_colour(outline_colour(i, n))); },
                     quoted_text(qgis_colour(outline_colour(n - 1, n)))));
    if (!s.fill_coarser_levels) {
      // NULL keeps the symbol's own colour: only the finest level is filled.
      properties += property("fillColor", "CASE WHEN " + quoted_field(s.level_field) + " = " +
                                              quoted_text(s.level_values.back()) +
                                              " THEN NULL ELSE '0,0,0,0' END");
    }
  }
  return "<data_defined_properties><Option type=\"Map\">" + option("name", "") +
         (properties.empty()
              ? "<Option name=\"properties\"/>"
              : "<Option type=\"Map\" name=\"properties\">" + properties + "</Option>") +
         option("type", "collection") + "</Option></data_defined_properties>";
}

std::string fill_symbol(const LayerStyle& s, const std::string& name, Rgb fill) {
  // A layer of several levels is outlined as its finest by default, its coarser levels by
  // the data-defined properties.
  const int n =
      mixes_levels(s) ? static_cast<int>(s.level_values.size()) : std::max(1, s.level_count);
  const int level = mixes_levels(s) ? n - 1 : std::clamp(s.level, 0, n - 1);
  const std::string stroke = qgis_colour(outline_colour(level, n));
  const std::string width = short_number(outline_width_mm(level, n));
  return "<symbol type=\"fill\" name=\"" + name +
         "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\"><layer class=\"SimpleFill\" "
         "enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">" +
         option("color", qgis_colour(fill, s.fill_opacity)) + option("joinstyle", "round") +
         option("outline_color", stroke) + option("outline_style", "solid") +
         option("outline_width", width) + option("outline_width_unit", "MM") +
         option("style", s.fill_opacity > 0 ? "solid" : "no") + "</Option>" +
         data_defined_properties(s) + "</layer></symbol>";
}

std::string range_label(const StyleClass& c) {
  return short_number(c.lower) + " - " + short_number(c.upper);
}

std::string renderer_qml(const LayerStyle& s) {
  const std::vector<StyleClass> classes =
      s.value_field.empty() ? std::vector<StyleClass>{} : style_classes(s.values);
  // Coarse levels drawn last, so that their outlines lie over the finer cells.
  std::string order_by;
  if (mixes_levels(s)) {
    order_by = "<orderby><orderByClause asc=\"0\" nullsFirst=\"0\">" +
               xml_escaped(by_level(
                   s, [](int i) { return std::to_string(i); }, "-1")) +
               "</orderByClause></orderby>";
  }
  const std::string common = "symbollevels=\"0\" forceraster=\"0\" enableorderby=\"" +
                             std::string(order_by.empty() ? "0" : "1") + "\"";
  if (classes.empty()) {
    const Rgb fill = s.value_field.empty() ? s.plain_fill : kMapNoValue;
    return "<renderer-v2 type=\"singleSymbol\" " + common + "><symbols>" +
           fill_symbol(s, "0", fill) + "</symbols>" + order_by + "</renderer-v2>";
  }
  // QGIS leaves out features outside every range: where only the finest level is filled, the
  // outer ranges are opened up so that the coarser levels' outlines are drawn whatever their
  // values (the labels keep the finest level's bounds).
  const bool open_ends = mixes_levels(s) && !s.fill_coarser_levels;
  std::string ranges, symbols;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const std::string id = std::to_string(i);
    const double lower =
        open_ends && i == 0 ? std::numeric_limits<double>::lowest() : classes[i].lower;
    const double upper = open_ends && i + 1 == classes.size() ? std::numeric_limits<double>::max()
                                                              : classes[i].upper;
    ranges += "<range lower=\"" + number(lower) + "\" upper=\"" + number(upper) + "\" symbol=\"" +
              id + "\" label=\"" + xml_escaped(range_label(classes[i])) + "\" render=\"true\"/>";
    symbols += fill_symbol(s, id, classes[i].colour);
  }
  const Rgb low = viridis(0.0), high = viridis(1.0);
  return "<renderer-v2 type=\"graduatedSymbol\" attr=\"" + xml_escaped(s.value_field) +
         "\" graduatedMethod=\"GraduatedColor\" " + common + "><ranges>" + ranges +
         "</ranges><symbols>" + symbols + "</symbols><source-symbol>" +
         fill_symbol(s, "0", classes.front().colour) +
         "</source-symbol><colorramp type=\"gradient\" name=\"[source]\"><Option type=\"Map\">" +
         option("color1", qgis_colour(low)) + option("color2", qgis_colour(high)) +
         option("discrete", "0") + option("rampType", "gradient") +
         "</Option></colorramp><classificationMethod id=\"EqualInterval\"><symmetricMode "
         "enabled=\"0\" symmetrypoint=\"0\" astride=\"0\"/><labelFormat format=\"%1 - %2\" "
         "precision=\"6\" trimtrailingzero=\"1\"/><parameters><Option/></parameters>"
         "<extraInformation/></classificationMethod>" +
         order_by + "</renderer-v2>";
}

std::string labeling_qml(const LayerStyle& s) {
  if (s.label_field.empty()) return "";
  return "<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style fieldName=\"" +
         xml_escaped(s.label_field) +
         "\" isExpression=\"0\" fontFamily=\"Sans Serif\" namedStyle=\"Regular\" "
         "fontWeight=\"50\" fontSize=\"8\" fontSizeUnit=\"Point\" textColor=\"" +
         qgis_colour(kMapOutline) +
         "\" textOpacity=\"1\" blendMode=\"0\" allowHtml=\"0\" multilineHeight=\"1\">"
         "<text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" bufferSizeUnits=\"MM\" "
         "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\" bufferNoFill=\"1\" "
         "bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/></text-style><placement placement=\"1\" "
         "centroidInside=\"1\" centroidWhole=\"0\" fitInPolygonOnly=\"0\" priority=\"5\" "
         "dist=\"0\" distUnits=\"MM\"/><rendering drawLabels=\"1\" obstacle=\"1\" "
         "obstacleType=\"1\" displayAll=\"0\" labelPerPart=\"0\" mergeLines=\"0\" "
         "upsidedownLabels=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" zIndex=\"0\"/>"
         "</settings></labeling>";
}

// ---- SLD ----

std::string sld_polygon(Rgb fill, double opacity, Rgb stroke, double width_mm) {
  // SLD widths are in pixels of 0.28 mm.
  return "<se:PolygonSymbolizer><se:Fill><se:SvgParameter name=\"fill\">" + hex_colour(fill) +
         "</se:SvgParameter><se:SvgParameter name=\"fill-opacity\">" + short_number(opacity) +
         "</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name=\"stroke\">" +
         hex_colour(stroke) + "</se:SvgParameter><se:SvgParameter name=\"stroke-width\">" +
         short_number(width_mm / 0.28) +
         "</se:SvgParameter><se:SvgParameter name=\"stroke-linejoin\">round</se:SvgParameter>"
         "</se:Stroke></se:PolygonSymbolizer>";
}

std::string sld_compare(const char* op, const std::string& field, const std::string& literal) {
  return "<ogc:" + std::string(op) + "><ogc:PropertyName>" + xml_escaped(field) +
         "</ogc:PropertyName><ogc:Literal>" + xml_escaped(literal) + "</ogc:Literal></ogc:" + op +
         ">";
}

std::string sld_rule(const std::string& name, const std::string& filter,
                     const std::string& symbolizer) {
  return "<se:Rule><se:Name>" + xml_escaped(name) + "</se:Name>" +
         (filter.empty() ? "" : "<ogc:Filter>" + filter + "</ogc:Filter>") + symbolizer +
         "</se:Rule>";
}

}  // namespace

std::vector<StyleClass> style_classes(const std::vector<double>& values, int max_classes) {
  std::set<double> distinct;
  for (const double v : values) {
    if (std::isfinite(v)) distinct.insert(v);
  }
  if (distinct.empty()) return {};
  const double low = *distinct.begin(), high = *distinct.rbegin();
  const int n = std::max(1, std::min(max_classes, static_cast<int>(distinct.size())));
  std::vector<StyleClass> classes;
  for (int i = 0; i < n; ++i) {
    StyleClass c;
    c.lower = i == 0 ? low : classes.back().upper;
    c.upper = i == n - 1 ? high : low + (high - low) * (i + 1) / n;
    c.colour = viridis((i + 0.5) / n);
    classes.push_back(c);
  }
  return classes;
}

double outline_width_mm(int level, int level_count) {
  const int steps_coarser = std::max(0, level_count - 1 - level);
  return kFinestWidthMm + kWidthStepMm * steps_coarser;
}

Rgb outline_colour(int level, int level_count) {
  if (level >= level_count - 1) return kMapCellLine;
  // From mid grey one level up the finest to render's outline colour at the coarsest.
  const double t = level_count <= 2 ? 1.0 : 1.0 - static_cast<double>(level) / (level_count - 2);
  const auto grey = [t](std::uint8_t dark) {
    return static_cast<std::uint8_t>(std::lround(128.0 + (dark - 128.0) * t));
  };
  return {grey(kMapOutline.r), grey(kMapOutline.g), grey(kMapOutline.b)};
}

std::string layer_style_qml(const LayerStyle& style) {
  return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
         "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" +
         std::string(style.label_field.empty() ? "0" : "1") + "\">" + renderer_qml(style) +
         labeling_qml(style) +
         "<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode><layerOpacity>1"
         "</layerOpacity><layerGeometryType>2</layerGeometryType></qgis>\n";
}

std::string layer_style_sld(const LayerStyle& s) {
  const int n = std::max(1, s.level_count);
  const int level = std::clamp(s.level, 0, n - 1);
  const bool mixed = mixes_levels(s);
  const int finest = mixed ? static_cast<int>(s.level_values.size()) - 1 : level;
  const int count = mixed ? static_cast<int>(s.level_values.size()) : n;
  const Rgb stroke = outline_colour(finest, count);
  const double width = outline_width_mm(finest, count);
  // Mixed layers: the fill rules hold the finest level only (or every level); each coarser
  // level gets an outline rule of its own, drawn after.
  const std::string finest_only =
      mixed && !s.fill_coarser_levels
          ? sld_compare("PropertyIsEqualTo", s.level_field, s.level_values.back())
          : "";
  const auto with_level = [&](const std::string& filter) {
    if (finest_only.empty()) return filter;
    // NOLINTNEXTLINE(performance-no-automatic-move): a captured variable is copied, never moved.
    if (filter.empty()) return finest_only;
    return "<ogc:And>" + finest_only + filter + "</ogc:And>";
  };
  std::string rules;
  const std::vector<StyleClass> classes =
      s.value_field.empty() ? std::vector<StyleClass>{} : style_classes(s.values);
  if (classes.empty()) {
    rules += sld_rule(s.layer, with_level(""),
                      sld_polygon(s.value_field.empty() ? s.plain_fill : kMapNoValue,
                                  s.fill_opacity, stroke, width));
  }
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const char* lower_op = i == 0 ? "PropertyIsGreaterThanOrEqualTo" : "PropertyIsGreaterThan";
    const std::string filter =
        "<ogc:And>" + sld_compare(lower_op, s.value_field, number(classes[i].lower)) +
        sld_compare("PropertyIsLessThanOrEqualTo", s.value_field, number(classes[i].upper)) +
        "</ogc:And>";
    rules += sld_rule(range_label(classes[i]), with_level(filter),
                      sld_polygon(classes[i].colour, s.fill_opacity, stroke, width));
  }
  std::string outlines;
  if (mixed) {
    for (int i = count - 2; i >= 0; --i) {
      outlines += sld_rule(s.level_values[static_cast<std::size_t>(i)],
                           sld_compare("PropertyIsEqualTo", s.level_field,
                                       s.level_values[static_cast<std::size_t>(i)]),
                           "<se:LineSymbolizer><se:Stroke><se:SvgParameter name=\"stroke\">" +
                               hex_colour(outline_colour(i, count)) +
                               "</se:SvgParameter><se:SvgParameter name=\"stroke-width\">" +
                               short_number(outline_width_mm(i, count) / 0.28) +
                               "</se:SvgParameter></se:Stroke></se:LineSymbolizer>");
    }
  }
  std::string labels;
  if (!s.label_field.empty()) {
    labels =
        sld_rule("labels", "",
                 "<se:TextSymbolizer><se:Label><ogc:PropertyName>" + xml_escaped(s.label_field) +
                     "</ogc:PropertyName></se:Label><se:Font><se:SvgParameter "
                     "name=\"font-family\">Sans Serif</se:SvgParameter><se:SvgParameter "
                     "name=\"font-size\">11</se:SvgParameter></se:Font><se:Halo><se:Radius>"
                     "1</se:Radius><se:Fill><se:SvgParameter name=\"fill\">#ffffff"
                     "</se:SvgParameter></se:Fill></se:Halo><se:Fill><se:SvgParameter "
                     "name=\"fill\">" +
                     hex_colour(kMapOutline) + "</se:SvgParameter></se:Fill></se:TextSymbolizer>");
  }
  const std::string name = xml_escaped(s.layer);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" version=\"1.1.0\" "
         "xmlns:se=\"http://www.opengis.net/se\" xmlns:ogc=\"http://www.opengis.net/ogc\">"
         "<NamedLayer><se:Name>" +
         name + "</se:Name><UserStyle><se:Name>" + name + "</se:Name><se:FeatureTypeStyle>" +
         rules + "</se:FeatureTypeStyle>" +
         (outlines.empty() ? "" : "<se:FeatureTypeStyle>" + outlines + "</se:FeatureTypeStyle>") +
         (labels.empty() ? "" : "<se:FeatureTypeStyle>" + labels + "</se:FeatureTypeStyle>") +
         "</UserStyle></NamedLayer></StyledLayerDescriptor>\n";
}

// ---- the styles of libgrid's files ----

std::vector<LayerStyle> grid_set_styles(const GridSet& grids) {
  const int n = static_cast<int>(grids.levels().size());
  std::vector<LayerStyle> styles;
  for (int level = 0; level < n; ++level) {
    LayerStyle s;
    s.layer = grids.levels()[static_cast<std::size_t>(level)];
    s.title = "libgrid: " + s.layer + " filled by households, outlined by level, labelled by name";
    s.value_field = "households";
    for (const CellId id : grids.cells_of_level(level)) {
      s.values.push_back(static_cast<double>(grids.cell(id).households));
    }
    s.level = level;
    s.level_count = n;
    s.label_field = "name";
    LayerStyle outline = s;
    outline.name = "libgrid outline";
    outline.use_as_default = false;
    outline.title = "libgrid: " + s.layer + " outlined by level, labelled by name, not filled";
    outline.value_field.clear();
    outline.values.clear();
    outline.fill_opacity = 0.0;
    styles.push_back(std::move(s));
    styles.push_back(std::move(outline));
  }
  return styles;
}

std::vector<LayerStyle> problem_styles(const ValidationReport&, const GridSet& grids) {
  LayerStyle s;
  s.layer = "problems";
  s.title = "libgrid: validation problems, outlined by level, labelled by kind";
  s.level_count = static_cast<int>(grids.levels().size());
  s.level_field = "level_name";
  s.level_values = grids.levels();
  s.fill_coarser_levels = true;
  s.plain_fill = kMapMoved;
  s.fill_opacity = 0.5;
  s.label_field = "kind";
  return {s};
}

std::vector<LayerStyle> evaluation_styles(const Evaluation& evaluation, const GridSet& grids) {
  if (!evaluation.by_level) return {};
  const auto& levels = grids.levels();
  LayerStyle s;
  s.layer = "evaluation";
  s.title =
      "libgrid: events per 100 households in each cell of " + evaluation.by + ", labelled by name";
  s.value_field = "events_per_100_households";
  for (const GroupEvaluation& g : evaluation.groups)
    s.values.push_back(g.events_per_100_households);
  s.level =
      static_cast<int>(std::find(levels.begin(), levels.end(), evaluation.by) - levels.begin());
  s.level_count = static_cast<int>(levels.size());
  s.label_field = "name";
  return {s};
}

std::vector<LayerStyle> zone_styles(const ZoneReport& report, const GridSet& grids) {
  LayerStyle s;
  s.layer = "zone_cells";
  s.title =
      "libgrid: households inside the zone by cell of the finest level, coarser levels "
      "outlined, labelled by name";
  s.value_field = "households";
  const int finest = static_cast<int>(grids.levels().size()) - 1;
  for (const ZoneCell& z : report.cells) {
    if (z.level == finest) s.values.push_back(z.households);
  }
  s.level_count = static_cast<int>(grids.levels().size());
  s.level_field = "level";
  s.level_values = grids.levels();
  s.label_field = "name";
  return {s};
}

// ---- the table ----

namespace internal {

void write_layer_styles(GDALDataset& dataset, const std::vector<LayerStyle>& styles,
                        const std::string& path) {
  if (styles.empty()) return;
  const auto fail = [&](const std::string& what) {
    throw Error(ErrorKind::kIo, Location{path, kStylesTable}, what + ": " + gdal_message());
  };
  OGRLayer* table = dataset.GetLayerByName(kStylesTable);
  if (table == nullptr) {
    // The columns, widths and types QGIS gives the table when it saves a style itself.
    const char* const options[] = {"FID=id", nullptr};
    table = dataset.CreateLayer(kStylesTable, nullptr, wkbNone, const_cast<char**>(options));
    if (table == nullptr) fail("cannot create the table");
    struct Column {
      const char* name;
      OGRFieldType type;
      int width;
    };
    for (const Column& c :
         {Column{"f_table_catalog", OFTString, 256}, Column{"f_table_schema", OFTString, 256},
          Column{"f_table_name", OFTString, 256}, Column{"f_geometry_column", OFTString, 256},
          Column{"styleName", OFTString, 30}, Column{"styleQML", OFTString, 0},
          Column{"styleSLD", OFTString, 0}, Column{"useAsDefault", OFTInteger, 0},
          Column{"description", OFTString, 0}, Column{"owner", OFTString, 30},
          Column{"ui", OFTString, 30}, Column{"update_time", OFTDateTime, 0}}) {
      OGRFieldDefn field(c.name, c.type);
      field.SetWidth(c.width);
      if (c.type == OFTInteger) field.SetSubType(OFSTBoolean);
      if (c.type == OFTDateTime) field.SetDefault("CURRENT_TIMESTAMP");
      if (table->CreateField(&field) != OGRERR_NONE) fail(std::string("cannot create ") + c.name);
    }
  }
  if (table->StartTransaction() != OGRERR_NONE) fail("cannot start");
  for (const LayerStyle& s : styles) {
    OGRFeature row(table->GetLayerDefn());
    row.SetField("f_table_catalog", "");
    row.SetField("f_table_schema", "");
    row.SetField("f_table_name", s.layer.c_str());
    row.SetField("f_geometry_column", s.geometry_column.c_str());
    row.SetField("styleName", s.name.c_str());
    row.SetField("styleQML", layer_style_qml(s).c_str());
    row.SetField("styleSLD", layer_style_sld(s).c_str());
    row.SetField("useAsDefault", s.use_as_default ? 1 : 0);
    row.SetField("description", s.title.c_str());
    row.SetField("owner", "");
    row.SetField("ui", "");
    if (table->CreateFeature(&row) != OGRERR_NONE) fail("cannot write the style of " + s.layer);
  }
  if (table->CommitTransaction() != OGRERR_NONE) fail("cannot commit");
}

}  // namespace internal

std::vector<StoredLayerStyle> read_layer_styles(const std::string& path) {
  internal::register_gdal();
  const internal::QuietGdal quiet;
  GDALDatasetUniquePtr dataset = internal::open_vector(path, true);
  OGRLayer* table = dataset->GetLayerByName(kStylesTable);
  std::vector<StoredLayerStyle> styles;
  if (table == nullptr) return styles;
  internal::for_each_feature(*table, path, [&](const OGRFeature& row, const Location&) {
    const auto text = [&row](const char* name) {
      const int i = row.GetFieldIndex(name);
      return i >= 0 && row.IsFieldSetAndNotNull(i) ? std::string(row.GetFieldAsString(i))
                                                   : std::string();
    };
    const int use = row.GetFieldIndex("useAsDefault");
    styles.push_back(
        {text("f_table_name"), text("f_geometry_column"), text("styleName"), text("styleQML"),
         text("styleSLD"), text("description"),
         use >= 0 && row.IsFieldSetAndNotNull(use) && row.GetFieldAsInteger(use) != 0});
  });
  return styles;
}

}  // namespace libgrid
