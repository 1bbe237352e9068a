#include "libgrid/render/map_render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unordered_set>

#include "internal/text.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "render/bitmap_font.h"
#include "render/map_scene.h"
#include "render/raster_map.h"
#include "render/svg_map.h"

namespace libgrid {

namespace {

using internal::MapScene;
using internal::MapText;

constexpr Rgb kBackground = kMapBackground;
constexpr Rgb kPlainFill = kMapPlainFill;
constexpr Rgb kMissing = kMapNoValue;
constexpr Rgb kCellLine = kMapCellLine;
constexpr Rgb kOutline = kMapOutline;
constexpr Rgb kMoved = kMapMoved;
constexpr Rgb kDash = kMapBoundaryBefore;
constexpr Rgb kText{34, 34, 34};
constexpr Rgb kFrame{110, 110, 110};
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

double ring_area(const Ring& ring) {
  double twice = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return std::abs(twice) / 2.0;
}

// Where a cell's label goes: the middle of the widest inside span of its largest part, along
// the horizontal line through the middle of that part's box; `width` is that span's.
struct LabelSpot {
  Point at{};
  double width = 0.0;
};

LabelSpot label_spot(const MultiPolygon& geometry) {
  const Polygon* largest = nullptr;
  double largest_area = -1.0;
  for (const Polygon& polygon : geometry.polygons) {
    if (polygon.rings.empty()) continue;
    const double a = ring_area(polygon.rings.front());
    if (a > largest_area) {
      largest = &polygon;
      largest_area = a;
    }
  }
  if (largest == nullptr) return {};
  Box box;
  for (const Point& p : largest->rings.front()) box.expand(p);
  const double y = (box.min_y + box.max_y) / 2.0;
  std::vector<double> crossings;
  for (const Ring& ring : largest->rings) {
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      const Point a = ring[i];
      const Point b = ring[i + 1];
      if ((a.y <= y) != (b.y <= y))
        crossings.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
    }
  }
  std::sort(crossings.begin(), crossings.end());
  LabelSpot best{{(box.min_x + box.max_x) / 2.0, y}, 0.0};
  for (std::size_t i = 0; i + 1 < crossings.size(); i += 2) {
    if (crossings[i + 1] - crossings[i] > best.width) {
      best.width = crossings[i + 1] - crossings[i];
      best.at.x = (crossings[i] + crossings[i + 1]) / 2.0;
    }
  }
  return best;
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

// Positions of everything but the cells: margins, the title above the map, the legend below.
struct Layout {
  int margin = 0;
  int title_scale = 1;
  int legend_scale = 1;
  int map_top = 0;
  int map_width = 0;
  int map_height = 0;
};

Layout layout_for(int width, const Box& extent, double& scale, double& left) {
  Layout l;
  l.margin = std::clamp(width / 60, 2, 20);
  l.title_scale = width >= 800 ? 3 : width >= 300 ? 2 : 1;
  l.legend_scale = width >= 800 ? 2 : 1;
  l.map_top = l.margin + internal::kGlyphHeight * l.title_scale + l.margin;
  l.map_width = width - 2 * l.margin;
  const double dx = extent.max_x - extent.min_x;
  const double dy = extent.max_y - extent.min_y;
  scale = l.map_width / dx;
  if (dy * scale > kMaxMapWidth) scale = kMaxMapWidth / dy;  // a very tall extent
  l.map_height = std::max(1, static_cast<int>(std::ceil(dy * scale)));
  left = l.margin + (l.map_width - dx * scale) / 2.0;
  return l;
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
  return std::nullopt;
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
  const std::optional<MapFormat> format = map_format_of(path);
  if (!format) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "a map is written as .png or .svg");
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

  MapScene scene;
  scene.background = kBackground;
  scene.extent = extent;
  const Layout l = layout_for(options.width, extent, scene.scale, scene.left);
  scene.top = l.map_top;
  scene.width = options.width;
  const int ls = l.legend_scale;
  const int gh = internal::kGlyphHeight;

  // Legend: the field's name, the ramp, its ends' values below; a grey swatch for cells
  // without a value.
  int bottom = l.map_top + l.map_height + l.margin;
  if (colored) {
    const double x = l.margin;
    const int name_y = bottom;
    MapScene::Bar bar{x, static_cast<double>(name_y + gh * ls + 4 * ls),
                      std::min(static_cast<double>(l.map_width), 160.0 * ls), 8.0 * ls};
    const double values_y = bar.y + bar.height + 4 * ls;
    scene.texts.push_back(
        {options.color_field, x, static_cast<double>(name_y), ls, MapText::Anchor::kStart, kText});
    if (summary.min_value) {
      scene.ramp = bar;
      scene.texts.push_back(
          {format_value(*summary.min_value), bar.x, values_y, ls, MapText::Anchor::kStart, kText});
      scene.texts.push_back({format_value(*summary.max_value), bar.x + bar.width, values_y, ls,
                             MapText::Anchor::kEnd, kText});
    }
    if (summary.cells_without_value > 0) {
      const double at = summary.min_value ? bar.x + bar.width + 12.0 * ls : bar.x;
      scene.missing_swatch = MapScene::Bar{at, bar.y, bar.height, bar.height};
      scene.missing_colour = kMissing;
      scene.frame_colour = kFrame;
      scene.texts.push_back(
          {"no value (" + with_separators(static_cast<long long>(summary.cells_without_value)) +
               ")",
           at + bar.height + 4.0 * ls, bar.y + (bar.height - gh * ls) / 2.0, ls,
           MapText::Anchor::kStart, kText});
    }
    bottom = static_cast<int>(std::ceil(values_y)) + gh * ls + l.margin;
  }
  // Compare maps: a hatched swatch for the land that changed cell with the number of cells
  // changed, then a dashed sample for the boundaries that are gone, on the next row when the
  // two do not fit on one.
  if (changes) {
    const double side = 10.0 * ls;
    const double gap = 4.0 * ls;
    const double text_dy = (side - gh * ls) / 2.0;
    double x = l.margin;
    double y = bottom;
    scene.hatch_swatch = MapScene::Bar{x, y, side, side};
    const std::string moved_text = "land that changed cell (" +
                                   with_separators(static_cast<long long>(summary.cells_changed)) +
                                   " of " + with_separators(static_cast<long long>(cells.size())) +
                                   (cells.size() == 1 ? " cell changed)" : " cells changed)");
    scene.texts.push_back(
        {moved_text, x + side + gap, y + text_dy, ls, MapText::Anchor::kStart, kText});
    x += side + gap + internal::text_width(moved_text, ls) + 3 * gap;
    const std::string gone_text = "boundary before";
    const double sample = 2.0 * side;
    if (x + sample + gap + internal::text_width(gone_text, ls) > l.margin + l.map_width) {
      x = l.margin;
      y += side + gap;
    }
    scene.dash_sample = MapScene::Bar{x, y, sample, side};
    scene.texts.push_back(
        {gone_text, x + sample + gap, y + text_dy, ls, MapText::Anchor::kStart, kText});
    bottom = static_cast<int>(std::ceil(y + side)) + l.margin;
  }
  scene.height = bottom;
  scene.frame_colour = kFrame;

  const std::string title = options.level + ": " +
                            with_separators(static_cast<long long>(cells.size())) +
                            (cells.size() == 1 ? " cell" : " cells");
  scene.texts.push_back({title, static_cast<double>(l.margin), static_cast<double>(l.margin),
                         l.title_scale, MapText::Anchor::kStart, kText});

  const double span = summary.min_value ? *summary.max_value - *summary.min_value : 0.0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    Rgb colour = kPlainFill;
    if (colored) {
      if (!values[i]) {
        colour = kMissing;
      } else {
        colour = viridis(span > 0 ? (*values[i] - *summary.min_value) / span : 0.5);
      }
    }
    scene.fills.push_back({cells[i], colour});
  }

  // Lines scale with the cells: thin ones a twelfth of a typical cell's side, 0.3 to 1 pixel;
  // thick ones a twentieth of a typical outline cell's side, 0.5 to 3 pixels.
  const double map_area = static_cast<double>(l.map_width) * l.map_height;
  const double cell_side = std::sqrt(map_area / static_cast<double>(cells.size()));
  scene.cell_line_width = std::clamp(cell_side / 12.0, 0.3, 1.0);
  scene.cell_line_colour = kCellLine;
  scene.cell_line_opacity = colored ? 0.85 : 1.0;
  scene.outlines = std::move(outlines);
  if (!scene.outlines.empty()) {
    const double outline_side = std::sqrt(map_area / static_cast<double>(scene.outlines.size()));
    scene.outline_width = std::clamp(outline_side / 20.0, 0.5, 3.0);
  }
  scene.outline_colour = kOutline;

  if (changes) {
    for (const ChangedCell& change : changes->changed) {
      if (!change.moved_in.empty()) scene.moved.push_back(&change);
    }
    scene.hatch_colour = kMoved;
    scene.hatch_spacing = ls > 1 ? 8.0 : 5.0;
    scene.hatch_width = ls > 1 ? 2.5 : 1.5;
    scene.vanished = changes->vanished_boundaries;
    scene.vanished_width = ls > 1 ? 2.0 : 1.5;
    scene.vanished_base_colour = kBackground;
    scene.dash_colour = kDash;
    scene.dash = 4.0 * ls;
    scene.gap = 3.0 * ls;
  }

  if (options.labels) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const Box box = envelope(cells[i]->geometry);
      const Rgb fill = scene.fills[i].colour;
      const LabelSpot spot = label_spot(cells[i]->geometry);
      scene.labels.push_back({cells[i]->code, scene.to_pixel(spot.at),
                              std::min(spot.width, box.max_x - box.min_x) * scene.scale,
                              (box.max_y - box.min_y) * scene.scale,
                              lightness(fill) < 55.0 ? Rgb{255, 255, 255} : kText});
    }
  }

  summary.width = scene.width;
  summary.height = scene.height;
  summary.extent = scene.extent;
  summary.scale = scene.scale;
  summary.left = scene.left;
  summary.top = scene.top;

  AtomicOutput output(path);
  std::ofstream out(output.temporary_path(), std::ios::binary);
  if (*format == MapFormat::kPng) {
    const internal::RasterMap map = internal::draw_png(scene);
    summary.labels_drawn = map.labels_drawn;
    out.write(reinterpret_cast<const char*>(map.png.data()),
              static_cast<std::streamsize>(map.png.size()));
  } else {
    const std::string svg = internal::draw_svg(scene);
    summary.labels_drawn = scene.labels.size();
    out.write(svg.data(), static_cast<std::streamsize>(svg.size()));
  }
  out.close();
  if (!out) throw Error(ErrorKind::kIo, Location{.file = path}, "writing the map failed");
  output.commit();
  return summary;
}

}  // namespace libgrid
