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

RenderSummary render_map(const GridSet& grids, const RenderOptions& options,
                         const std::string& path) {
  grids.require_one_version("drawing a map");
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
  const int level = level_named(grids, options.level, "the level to draw");
  int outline_level = level - 1;
  if (options.outline_level == "none") {
    outline_level = -1;
  } else if (!options.outline_level.empty()) {
    outline_level = level_named(grids, options.outline_level, "the outline level");
  }
  const bool colored = options.color_field != "none";
  if (colored) {
    const std::vector<std::string> fields = color_fields(grids, level);
    if (std::find(fields.begin(), fields.end(), options.color_field) == fields.end()) {
      throw Error(ErrorKind::kInvalidInput, "no field '" + options.color_field +
                                                "' on the cells of level '" + options.level +
                                                "' (fields: " + join(fields) + ", or none)");
    }
  }

  std::vector<const Cell*> cells;
  std::vector<const Cell*> outlines;
  Box extent;
  for (const Cell& cell : grids.cells()) {
    if (cell.level == level) cells.push_back(&cell);
    if (cell.level == outline_level) outlines.push_back(&cell);
    if (cell.level == level || cell.level == outline_level) extent.expand(envelope(cell.geometry));
  }
  if (cells.empty()) {
    throw Error(ErrorKind::kInvalidInput, "level '" + options.level + "' has no cells to draw");
  }
  // The earlier cells are in the picture too: their boundaries that are gone are drawn.
  std::optional<LevelChanges> changes;
  if (options.compare != nullptr) {
    changes = compare_level(grids, *options.compare, options.level);
    const int before_level = options.compare->level_index(options.level);
    for (const Cell& cell : options.compare->cells()) {
      if (cell.level == before_level) extent.expand(envelope(cell.geometry));
    }
  }
  if (extent.empty() || !std::isfinite(extent.max_x - extent.min_x) ||
      !std::isfinite(extent.max_y - extent.min_y)) {
    throw Error(ErrorKind::kInvalidInput,
                "the cells of level '" + options.level + "' have no extent to draw");
  }
  // A degenerate extent (all on a line, or a point) is drawn as a square around it.
  if (const double dy = extent.max_y - extent.min_y; extent.max_x - extent.min_x <= dy * 1e-9) {
    const double pad = dy > 0 ? dy / 2.0 : 0.5;
    extent.min_x -= pad;
    extent.max_x += pad;
  }
  if (const double dx = extent.max_x - extent.min_x; extent.max_y - extent.min_y <= dx * 1e-9) {
    extent.min_y -= dx / 2.0;
    extent.max_y += dx / 2.0;
  }

  RenderSummary summary;
  summary.format = *format;
  summary.cells = cells.size();
  if (changes) {
    summary.cells_changed = changes->changed.size();
    summary.cells_removed = changes->removed.size();
    summary.moved_area = changes->moved_area;
  }

  std::vector<std::optional<double>> values(cells.size());
  if (colored) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      values[i] = value_of(*cells[i], options.color_field);
      if (!values[i]) {
        ++summary.cells_without_value;
        continue;
      }
      summary.min_value = std::min(summary.min_value.value_or(*values[i]), *values[i]);
      summary.max_value = std::max(summary.max_value.value_or(*values[i]), *values[i]);
    }
  }

  const bool zh = options.lang.empty()
                      ? std::any_of(cells.begin(), cells.end(),
                                    [](const Cell* c) { return is_chinese(c->name); })
                      : options.lang == "zh";
  MapScene scene;
  scene.format = *format;
  scene.width = options.width;
  scene.extent = extent;
  scene.font = options.font;
  scene.metres_per_unit = metres_per_unit(grids.crs(), extent);
  // A degree of longitude is shorter than one of latitude by the cosine of the latitude.
  if (scene.metres_per_unit > 1000.0) {  // degrees
    scene.x_factor = std::clamp(scene.metres_per_unit / kMetresPerDegree, 0.05, 1.0);
  }

  if (*format == MapFormat::kPdf) {
    // A4 turned the way the map is, unless a page is given.
    scene.page = options.page.value_or(
        *page_size_of((extent.max_x - extent.min_x) * scene.x_factor > extent.max_y - extent.min_y
                          ? "A4-landscape"
                          : "A4"));
  }
  const std::string count = with_separators(static_cast<long long>(cells.size()));
  scene.title = !options.title.empty() ? options.title
                : zh                   ? options.level + "：共 " + count + " 个单元"
                     : options.level + ": " + count + (cells.size() == 1 ? " cell" : " cells");
  scene.north = zh ? "北" : "N";
  if (colored) {
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
  if (changes) {
    const std::string changed = with_separators(static_cast<long long>(summary.cells_changed));
    scene.moved_caption = zh ? "变更归属的土地（" + count + " 个单元中 " + changed + " 个有变化）"
                             : "land that changed cell (" + changed + " of " + count +
                                   (cells.size() == 1 ? " cell changed)" : " cells changed)");
    scene.vanished_caption = zh ? "原边界" : "boundary before";
    for (const ChangedCell& change : changes->changed) {
      if (!change.moved_in.empty()) scene.moved.push_back(&change);
    }
    scene.vanished = changes->vanished_boundaries;
  }
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
  scene.outlines = std::move(outlines);

  AtomicOutput output(path);
  internal::DrawnMap drawn = internal::draw_map(scene, output.temporary_path());
  output.commit();
  summary.width = drawn.width;
  summary.height = drawn.height;
  summary.extent = extent;
  summary.scale = drawn.scale;
  summary.x_factor = drawn.x_factor;
  summary.left = drawn.left;
  summary.top = drawn.top;
  summary.labels_drawn = drawn.labels_drawn;
  summary.warnings = std::move(drawn.warnings);
  return summary;
}

}  // namespace libgrid
