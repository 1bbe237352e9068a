#include "libgrid/render/map_render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_set>

#include "internal/text.h"
#include "libgrid/crs/transform.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "render/map_scene.h"

namespace libgrid {

namespace {

using internal::MapScene;

constexpr const char* kBuiltInFields[] = {"households", "population", "area"};

std::optional<double> parse_number(std::string_view text) {
  const std::string trimmed(internal::trim(text));
  if (trimmed.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(trimmed.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> value_of(const Cell& cell, const std::string& field) {
  if (field == "households") return static_cast<double>(cell.households);
  if (field == "population") return static_cast<double>(cell.population);
  if (field == "area") return area(cell.geometry);
  for (const Attribute& a : cell.attributes) {
    if (a.name == field) return parse_number(a.value);
  }
  return std::nullopt;
}

std::string with_separators(long long n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Whole numbers, and anything from 100 up, with thousands separators; small fractions with
// three significant digits.
std::string format_value(double v) {
  if (std::abs(v) < 1e15 && (std::abs(v) >= 100 || v == std::floor(v))) {
    return with_separators(std::llround(v));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

// True when the text has a CJK ideograph (U+4E00..U+9FFF: UTF-8 lead bytes E4..E9).
bool is_chinese(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0xE4 && b <= 0xE9;
  });
}

std::string chinese_field(const std::string& field) {
  if (field == "households") return "户数";
  if (field == "population") return "人口";
  if (field == "area") return "面积";
  return field;
}

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 6378137.0 * kPi / 180.0;  // along the equator

// Metres per CRS unit along x in the middle of the extent: a degree of longitude there for a
// longitude/latitude CRS, 1 for a projected one; 0 when the CRS is not known.
double metres_per_unit(const std::string& crs, const Box& extent) {
  if (crs.empty()) return 0.0;
  try {
    if (!is_geographic_crs(crs)) return 1.0;
  } catch (const Error&) {
    return 0.0;
  }
  const double latitude = (extent.min_y + extent.max_y) / 2.0;
  return kMetresPerDegree * std::cos(latitude * kPi / 180.0);
}

int level_named(const GridSet& grids, const std::string& name, const char* what) {
  const int level = grids.level_index(name);
  if (level < 0) {
    throw Error(ErrorKind::kInvalidInput, "no level named '" + name + "' (" + what + ")");
  }
  return level;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void check_width(int width) {
  if (width < kMinMapWidth || width > kMaxMapWidth) {
    throw Error(ErrorKind::kInvalidInput, "the width must be " + std::to_string(kMinMapWidth) +
                                              " to " + std::to_string(kMaxMapWidth) +
                                              " pixels, not " + std::to_string(width));
  }
}

}  // namespace

std::optional<MapFormat> map_format_of(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.find_last_of("/\\");
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return std::nullopt;
  }
  const std::string_view extension = path.substr(dot + 1);
  if (internal::iequals(extension, "png")) return MapFormat::kPng;
  if (internal::iequals(extension, "svg")) return MapFormat::kSvg;
  if (internal::iequals(extension, "pdf")) return MapFormat::kPdf;
  return std::nullopt;
}

std::optional<PageSize> page_size_of(std::string_view text) {
  const std::size_t dash = text.find('-');
  const std::string_view size = text.substr(0, dash);
  const std::string_view turn = dash == std::string_view::npos ? "portrait" : text.substr(dash + 1);
  // ISO 216, in points: A4 210 x 297 mm, A3 297 x 420 mm.
  PageSize page;
  if (internal::iequals(size, "A4"))
    page = {"A4", 595.276, 841.890};
  else if (internal::iequals(size, "A3"))
    page = {"A3", 841.890, 1190.551};
  else
    return std::nullopt;
  if (internal::iequals(turn, "landscape"))
    std::swap(page.width, page.height);
  else if (!internal::iequals(turn, "portrait"))
    return std::nullopt;
  page.name += internal::iequals(turn, "landscape") ? "-landscape" : "-portrait";
  return page;
}

std::vector<std::string> color_fields(const GridSet& grids, int level) {
  std::vector<std::string> fields(std::begin(kBuiltInFields), std::end(kBuiltInFields));
  std::unordered_set<std::string> seen(fields.begin(), fields.end());
  for (const Cell& cell : grids.cells()) {
    if (cell.level != level) continue;
    for (const Attribute& a : cell.attributes) {
      if (seen.insert(a.name).second) fields.push_back(a.name);
    }
  }
  return fields;
}

namespace {

// The map's format, from the path's extension, with the options checked that need no cells.
MapFormat checked_format(const RenderOptions& options, const std::string& path) {
  const std::optional<MapFormat> format = map_format_of(path);
  if (!format) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "a map is written as .png, .svg or .pdf");
  }
  if (options.page && *format != MapFormat::kPdf) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "a page size is for PDF maps (.pdf)");
  }
  if (!options.lang.empty() && options.lang != "zh" && options.lang != "en") {
    throw Error(ErrorKind::kInvalidInput,
                "the legend's language is zh or en, not '" + options.lang + "'");
  }
  check_width(options.width);
  return *format;
}

// The level whose boundaries are drawn thick: the one above `level`, the one named, or none (-1).
int outline_level_of(const GridSet& grids, const RenderOptions& options, int level) {
  if (options.outline_level == "none") return -1;
  if (options.outline_level.empty()) return level - 1;
  return level_named(grids, options.outline_level, "the outline level");
}

void check_color_field(const GridSet& grids, const RenderOptions& options, int level) {
  const std::vector<std::string> fields = color_fields(grids, level);
  if (std::find(fields.begin(), fields.end(), options.color_field) == fields.end()) {
    throw Error(ErrorKind::kInvalidInput, "no field '" + options.color_field +
                                              "' on the cells of level '" + options.level +
                                              "' (fields: " + join(fields) + ", or none)");
  }
}

// The cells to fill and to outline, and the extent around both.
struct MapCells {
  std::vector<const Cell*> cells;
  std::vector<const Cell*> outlines;
  Box extent;
};

MapCells cells_to_draw(const GridSet& grids, const RenderOptions& options, int level,
                       int outline_level) {
  MapCells map;
  for (const Cell& cell : grids.cells()) {
    if (cell.level == level) map.cells.push_back(&cell);
    if (cell.level == outline_level) map.outlines.push_back(&cell);
    if (cell.level == level || cell.level == outline_level) {
      map.extent.expand(envelope(cell.geometry));
    }
  }
  if (map.cells.empty()) {
    throw Error(ErrorKind::kInvalidInput, "level '" + options.level + "' has no cells to draw");
  }
  return map;
}

// What changed since options.compare, if given. The earlier cells are in the picture too (their
// boundaries that are gone are drawn), so they widen the extent.
std::optional<LevelChanges> changes_to_draw(const GridSet& grids, const RenderOptions& options,
                                            Box& extent) {
  if (options.compare == nullptr) return std::nullopt;
  LevelChanges changes = compare_level(grids, *options.compare, options.level);
  const int before_level = options.compare->level_index(options.level);
  for (const Cell& cell : options.compare->cells()) {
    if (cell.level == before_level) extent.expand(envelope(cell.geometry));
  }
  return changes;
}

// Checks the extent can be drawn; a degenerate one (all on a line, or a point) is drawn as a
// square around it.
void make_drawable(Box& extent, const RenderOptions& options) {
  if (extent.empty() || !std::isfinite(extent.max_x - extent.min_x) ||
      !std::isfinite(extent.max_y - extent.min_y)) {
    throw Error(ErrorKind::kInvalidInput,
                "the cells of level '" + options.level + "' have no extent to draw");
  }
  if (const double dy = extent.max_y - extent.min_y; extent.max_x - extent.min_x <= dy * 1e-9) {
    const double pad = dy > 0 ? dy / 2.0 : 0.5;
    extent.min_x -= pad;
    extent.max_x += pad;
  }
  if (const double dx = extent.max_x - extent.min_x; extent.max_y - extent.min_y <= dx * 1e-9) {
    extent.min_y -= dx / 2.0;
    extent.max_y += dx / 2.0;
  }
}

// Each cell's value of the colour field, and the counts and range of them, in the summary.
std::vector<std::optional<double>> colour_values(const std::vector<const Cell*>& cells,
                                                 const std::string& field, RenderSummary& summary) {
  std::vector<std::optional<double>> values(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    values[i] = value_of(*cells[i], field);
    if (!values[i]) {
      ++summary.cells_without_value;
      continue;
    }
    summary.min_value = std::min(summary.min_value.value_or(*values[i]), *values[i]);
    summary.max_value = std::max(summary.max_value.value_or(*values[i]), *values[i]);
  }
  return values;
}

// The scene's frame: format, size, extent, font, scale and, for PDF, the page.
MapScene scene_frame(MapFormat format, const RenderOptions& options, const Box& extent,
                     const std::string& crs) {
  MapScene scene;
  scene.format = format;
  scene.width = options.width;
  scene.extent = extent;
  scene.font = options.font;
  scene.metres_per_unit = metres_per_unit(crs, extent);
  // A degree of longitude is shorter than one of latitude by the cosine of the latitude.
  if (scene.metres_per_unit > 1000.0) {  // degrees
    scene.x_factor = std::clamp(scene.metres_per_unit / kMetresPerDegree, 0.05, 1.0);
  }
  if (format == MapFormat::kPdf) {
    // A4 turned the way the map is, unless a page is given.
    scene.page = options.page.value_or(
        *page_size_of((extent.max_x - extent.min_x) * scene.x_factor > extent.max_y - extent.min_y
                          ? "A4-landscape"
                          : "A4"));
  }
  return scene;
}

// The words around the map, in Chinese or English: title, north, the legend's captions.
void write_words(MapScene& scene, const RenderOptions& options, const RenderSummary& summary,
                 bool zh) {
  const std::string count = with_separators(static_cast<long long>(summary.cells));
  scene.title = !options.title.empty() ? options.title
                : zh                   ? options.level + "：共 " + count + " 个单元"
                     : options.level + ": " + count + (summary.cells == 1 ? " cell" : " cells");
  scene.north = zh ? "北" : "N";
  if (options.color_field != "none") {
    scene.field_caption = zh ? chinese_field(options.color_field) : options.color_field;
    if (summary.min_value) {
      scene.low = format_value(*summary.min_value);
      scene.high = format_value(*summary.max_value);
    }
    if (summary.cells_without_value > 0) {
      const std::string n = with_separators(static_cast<long long>(summary.cells_without_value));
      scene.missing = zh ? "无数值（" + n + "）" : "no value (" + n + ")";
    }
  }
  if (options.compare != nullptr) {
    const std::string changed = with_separators(static_cast<long long>(summary.cells_changed));
    scene.moved_caption = zh ? "变更归属的土地（" + count + " 个单元中 " + changed + " 个有变化）"
                             : "land that changed cell (" + changed + " of " + count +
                                   (summary.cells == 1 ? " cell changed)" : " cells changed)");
    scene.vanished_caption = zh ? "原边界" : "boundary before";
  }
}

// The changed land to hatch and the earlier boundaries that are gone.
void add_changes(MapScene& scene, const LevelChanges& changes) {
  for (const ChangedCell& change : changes.changed) {
    if (!change.moved_in.empty()) scene.moved.push_back(&change);
  }
  scene.vanished = changes.vanished_boundaries;
}

// Each cell's fill, on the ramp from the smallest value to the largest, and its label.
void add_fills_and_labels(MapScene& scene, const std::vector<const Cell*>& cells,
                          const std::vector<std::optional<double>>& values,
                          const RenderSummary& summary, const RenderOptions& options) {
  const bool colored = options.color_field != "none";
  const double span = summary.min_value ? *summary.max_value - *summary.min_value : 0.0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    Rgb colour = kMapPlainFill;
    if (colored) {
      colour = !values[i] ? kMapNoValue
                          : viridis(span > 0 ? (*values[i] - *summary.min_value) / span : 0.5);
    }
    scene.fills.push_back({cells[i], colour});
    if (options.labels) {
      const bool by_code = options.label_text == LabelText::kCode || cells[i]->name.empty();
      scene.labels.push_back({by_code ? cells[i]->code : cells[i]->name, cells[i]->code});
    }
  }
  scene.cell_line_opacity = colored ? 0.85 : 1.0;
}

// Where draw_map put things, and what it warned of, in the summary.
void add_drawn(RenderSummary& summary, internal::DrawnMap drawn) {
  summary.width = drawn.width;
  summary.height = drawn.height;
  summary.scale = drawn.scale;
  summary.x_factor = drawn.x_factor;
  summary.left = drawn.left;
  summary.top = drawn.top;
  summary.labels_drawn = drawn.labels_drawn;
  summary.warnings = std::move(drawn.warnings);
}

}  // namespace

RenderSummary render_map(const GridSet& grids, const RenderOptions& options,
                         const std::string& path) {
  grids.require_one_version("drawing a map");
  const MapFormat format = checked_format(options, path);
  const int level = level_named(grids, options.level, "the level to draw");
  const int outline_level = outline_level_of(grids, options, level);
  const bool colored = options.color_field != "none";
  if (colored) check_color_field(grids, options, level);
  MapCells map = cells_to_draw(grids, options, level, outline_level);
  const std::optional<LevelChanges> changes = changes_to_draw(grids, options, map.extent);
  make_drawable(map.extent, options);

  RenderSummary summary;
  summary.format = format;
  summary.cells = map.cells.size();
  summary.extent = map.extent;
  if (changes) {
    summary.cells_changed = changes->changed.size();
    summary.cells_removed = changes->removed.size();
    summary.moved_area = changes->moved_area;
  }
  std::vector<std::optional<double>> values(map.cells.size());
  if (colored) values = colour_values(map.cells, options.color_field, summary);

  const bool zh = options.lang.empty()
                      ? std::any_of(map.cells.begin(), map.cells.end(),
                                    [](const Cell* c) { return is_chinese(c->name); })
                      : options.lang == "zh";
  MapScene scene = scene_frame(format, options, map.extent, grids.crs());
  write_words(scene, options, summary, zh);
  if (changes) add_changes(scene, *changes);
  add_fills_and_labels(scene, map.cells, values, summary, options);
  scene.outlines = std::move(map.outlines);

  // Cairo writes the file from start to end: it has no name until complete.
  AtomicOutput output(path, {}, AtomicOutput::Temporary::kUnnamed);
  add_drawn(summary, internal::draw_map(scene, output.temporary_path(), path));
  output.commit();
  return summary;
}

}  // namespace libgrid
