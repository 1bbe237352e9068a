// draw_map (map_scene.h): the scene laid out and drawn with Cairo, its text set with Pango, so
// that the three formats show the same map and Chinese names come out in a CJK font.
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/error.h"
#include "render/map_scene.h"
#include "render/map_sink.h"

namespace libgrid::internal {

namespace {

struct Free {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(PangoLayout* l) const { g_object_unref(l); }
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using Layout = std::unique_ptr<PangoLayout, Free>;

constexpr Rgb kText{34, 34, 34};
constexpr Rgb kFrame{110, 110, 110};
constexpr Rgb kWhite{255, 255, 255};

void set_colour(cairo_t* cr, Rgb c, double alpha = 1.0) {
  cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

// A text drawn, for the SVG's text layer: Cairo writes glyphs as outlines, which look the same
// everywhere but cannot be searched.
struct PlacedText {
  std::string text;
  double x, y, size;  // y is the baseline
};

// Sets text in one font family, at sizes in the surface's units.
class Typesetter {
 public:
  Typesetter(cairo_t* cr, const std::string& family)
      : cr_(cr), font_(pango_font_description_new()) {
    pango_font_description_set_family(font_.get(), family.c_str());
  }

  Layout layout(const std::string& text, double size) const {
    Layout layout(pango_cairo_create_layout(cr_));
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(pango_layout_get_context(layout.get()), options);
    cairo_font_options_destroy(options);
    pango_layout_context_changed(layout.get());
    pango_font_description_set_absolute_size(font_.get(), size * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), font_.get());
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    return layout;
  }
  static double width(PangoLayout* layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return static_cast<double>(logical.width) / PANGO_SCALE;
  }
  static double height(PangoLayout* layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return static_cast<double>(logical.height) / PANGO_SCALE;
  }
  double width(const std::string& text, double size) const {
    return width(layout(text, size).get());
  }
  // A line's height, the same for every font (CJK fonts are about 1.45 em), so that the map's
  // size does not depend on which fonts are installed.
  static double line_height(double size) { return size * 1.45; }

  // Draws a laid-out text with its top-left corner at (x, y).
  void draw(PangoLayout* layout, double x, double y, Rgb colour, double size,
            const std::string& text) {
    cairo_move_to(cr_, x, y);
    set_colour(cr_, colour);
    pango_cairo_show_layout(cr_, layout);
    placed.push_back({text, x, y + pango_layout_get_baseline(layout) / double{PANGO_SCALE}, size});
  }
  // Draws text with its top edge at y and its left edge (anchor 0), middle (0.5) or right edge
  // (1) at x; returns its width.
  double draw(const std::string& text, double size, double x, double y, double anchor = 0.0,
              Rgb colour = kText) {
    const Layout l = layout(text, size);
    const double w = width(l.get());
    draw(l.get(), x - anchor * w, y, colour, size, text);
    return w;
  }

  std::vector<PlacedText> placed;

 private:
  cairo_t* cr_;
  std::unique_ptr<PangoFontDescription, Free> font_;
};

// The family fontconfig gives for `family`, which is `family` itself when it is installed.
std::string resolved_family(const std::string& family) {
  PangoFontMap* map = pango_cairo_font_map_get_default();
  PangoContext* context = pango_font_map_create_context(map);
  PangoFontDescription* wanted = pango_font_description_new();
  pango_font_description_set_family(wanted, family.c_str());
  PangoFont* font = pango_font_map_load_font(map, context, wanted);
  std::string got;
  if (font != nullptr) {
    PangoFontDescription* described = pango_font_describe(font);
    if (const char* name = pango_font_description_get_family(described)) got = name;
    pango_font_description_free(described);
    g_object_unref(font);
  }
  pango_font_description_free(wanted);
  g_object_unref(context);
  return got;
}

// Everything but the cells, in the surface's units (pixels, or points on a page).
struct Frame {
  double width = 0, height = 0, margin = 0, text = 0, title = 0, line = 0;
  double scale = 0, x_factor = 1, left = 0, top = 0, map_width = 0, map_height = 0;
  double legend_top = 0, legend_height = 0, swatch = 0;
  Point to_pixel(const Box& e, Point p) const {
    return {left + (p.x - e.min_x) * scale * x_factor, top + (e.max_y - p.y) * scale};
  }
};

void add_rings(cairo_t* cr, const Frame& f, const Box& e, const MultiPolygon& area) {
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      if (ring.size() < 2) continue;
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Point p = f.to_pixel(e, ring[i]);
        if (i == 0)
          cairo_move_to(cr, p.x, p.y);
        else
          cairo_line_to(cr, p.x, p.y);
      }
      cairo_close_path(cr);
    }
  }
}

// Diagonal stripes rising to the right over the current clip: centre lines where
// (x + y) / sqrt(2) is a multiple of `spacing`, so that neighbouring pieces' stripes meet.
void stripes(cairo_t* cr, Rgb colour, double spacing, double width) {
  double x0, y0, x1, y1;
  cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
  const double step = spacing * std::sqrt(2.0);
  for (double c = std::floor((x0 + y0) / step) * step; c <= x1 + y1 + step; c += step) {
    cairo_move_to(cr, c - y0, y0);
    cairo_line_to(cr, c - y1 - step, y1 + step);
  }
  set_colour(cr, colour);
  cairo_set_line_width(cr, width);
  cairo_stroke(cr);
}

// A light base line, then dashes over it.
void dashed(cairo_t* cr, double width, double dash, double gap) {
  cairo_path_t* path = cairo_copy_path(cr);
  set_colour(cr, kMapBackground, 0.9);
  cairo_set_line_width(cr, width + 1.0);
  cairo_stroke(cr);
  cairo_append_path(cr, path);
  cairo_path_destroy(path);
  const double pattern[] = {dash, gap};
  cairo_set_dash(cr, pattern, 2, 0.0);
  set_colour(cr, kMapBoundaryBefore);
  cairo_set_line_width(cr, width);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0.0);
}

void framed_box(cairo_t* cr, double x, double y, double w, double h) {
  cairo_rectangle(cr, x - 0.5, y - 0.5, w + 1.0, h + 1.0);
  set_colour(cr, kFrame);
  cairo_set_line_width(cr, 1.0);
  cairo_stroke(cr);
}

// The longest of 1, 2 and 5 times a power of ten that is at most `most`.
double round_length(double most) {
  const double power = std::pow(10.0, std::floor(std::log10(most)));
  for (const double m : {5.0, 2.0, 1.0}) {
    if (m * power <= most) return m * power;
  }
  return power;
}

std::string length_text(double length, bool metres) {
  std::ostringstream s;
  if (metres && length >= 1000)
    s << length / 1000 << " km";
  else
    s << length << (metres ? " m" : "");
  return s.str();
}

// Labels: each at the centre of its cell's largest inscribed circle (the point farthest from its
// boundary), at the largest size from the legend's down to 6 pixels, a fifth smaller each step,
// whose box lies inside the cell; left out where none does.
std::size_t draw_labels(Typesetter& type, const MapScene& scene, const Frame& f,
                        std::vector<std::string>& warnings) {
  const GeosContext geos;
  std::size_t drawn = 0;
  std::size_t replaced = 0;
  const double largest = std::max(f.text, 7.0);
  const double smallest = 6.0;  // below this a label is no longer read
  for (std::size_t i = 0; i < scene.labels.size(); ++i) {
    const Cell& cell = *scene.fills[i].cell;
    const Box box = envelope(cell.geometry);
    if ((box.max_x - box.min_x) * f.scale * f.x_factor < smallest ||
        (box.max_y - box.min_y) * f.scale < smallest) {
      continue;
    }
    try {
      const GeosContext::Geometry area = geos.to_geos(cell.geometry);
      const GeosContext::Prepared prepared = geos.prepare(*area);
      const double tolerance = std::max(box.max_x - box.min_x, box.max_y - box.min_y) / 200.0;
      Point at;
      if (GEOSGeometry* radius =
              GEOSMaximumInscribedCircle_r(geos.handle(), area.get(), tolerance)) {
        const GeosContext::Geometry line(radius, {geos.handle()});
        const GeosContext::Geometry centre(GEOSGeomGetStartPoint_r(geos.handle(), radius),
                                           {geos.handle()});
        if (!centre || GEOSGeomGetX_r(geos.handle(), centre.get(), &at.x) == 0 ||
            GEOSGeomGetY_r(geos.handle(), centre.get(), &at.y) == 0) {
          at = geos.point_on_surface(*area);
        }
      } else {
        at = geos.point_on_surface(*area);
      }
      std::string text = scene.labels[i].text;
      if (pango_layout_get_unknown_glyphs_count(type.layout(text, largest).get()) > 0) {
        text = scene.labels[i].fallback;
        ++replaced;
      }
      for (double size = largest; size >= smallest - 1e-9; size = std::max(size * 0.8, smallest)) {
        const Layout l = type.layout(text, size);
        const double half_w = Typesetter::width(l.get()) / 2.0 / (f.scale * f.x_factor);
        const double half_h = Typesetter::height(l.get()) / 2.0 / f.scale;
        const GeosContext::Geometry room(
            GEOSGeom_createRectangle_r(geos.handle(), at.x - half_w, at.y - half_h, at.x + half_w,
                                       at.y + half_h),
            {geos.handle()});
        if (room && geos.covers(*prepared, *room)) {
          const Point p = f.to_pixel(scene.extent, at);
          const Rgb fill = scene.fills[i].colour;
          type.draw(l.get(), p.x - half_w * f.scale * f.x_factor, p.y - half_h * f.scale,
                    lightness(fill) < 55.0 ? kWhite : kText, size, text);
          ++drawn;
          break;
        }
        if (size == smallest) break;
      }
    } catch (const Error&) {
      continue;  // a geometry GEOS cannot read has no place for its label
    }
  }
  if (replaced > 0) {
    warnings.push_back(std::to_string(replaced) +
                       " labels have characters no installed font has: written as codes");
  }
  return drawn;
}

// A north arrow: "N" over an arrowhead pointing up, `x` its middle and `y` its top.
void draw_north_arrow(cairo_t* cr, Typesetter& type, const MapScene& scene, const Frame& f,
                      double x, double y) {
  type.draw(scene.north, f.text, x, y, 0.5);
  const double head = y + f.line;
  const double size = f.swatch;
  cairo_move_to(cr, x, head);
  cairo_line_to(cr, x + size * 0.45, head + size);
  cairo_line_to(cr, x, head + size * 0.7);
  cairo_line_to(cr, x - size * 0.45, head + size);
  cairo_close_path(cr);
  set_colour(cr, kText);
  cairo_fill(cr);
}

// Legend: the field's name and the ramp with its ends' values, a grey swatch for cells without
// a value, and the scale bar and the north arrow on the right; then, on compare maps, the hatch and
// the dashes.
void draw_legend(cairo_t* cr, Typesetter& type, const MapScene& scene, const Frame& f) {
  const double x = f.margin;
  double y = f.legend_top;
  const double bar_top = y + f.line;
  const double bar_h = f.swatch;
  const double ramp_w = std::min(f.map_width * 0.4, f.text * 14.0);
  if (!scene.field_caption.empty()) type.draw(scene.field_caption, f.text, x, y);
  double after_ramp = x;
  if (scene.low) {
    cairo_pattern_t* ramp = cairo_pattern_create_linear(x, 0, x + ramp_w, 0);
    for (int k = 0; k <= 8; ++k) {
      const Rgb c = viridis(k / 8.0);
      cairo_pattern_add_color_stop_rgb(ramp, k / 8.0, c.r / 255.0, c.g / 255.0, c.b / 255.0);
    }
    cairo_rectangle(cr, x, bar_top, ramp_w, bar_h);
    cairo_set_source(cr, ramp);
    cairo_fill(cr);
    cairo_pattern_destroy(ramp);
    framed_box(cr, x, bar_top, ramp_w, bar_h);
    type.draw(*scene.low, f.text, x, bar_top + bar_h + 2);
    type.draw(*scene.high, f.text, x + ramp_w, bar_top + bar_h + 2, 1.0);
    after_ramp = x + ramp_w + f.text;
  }
  if (scene.missing) {
    cairo_rectangle(cr, after_ramp, bar_top, bar_h, bar_h);
    set_colour(cr, kMapNoValue);
    cairo_fill(cr);
    framed_box(cr, after_ramp, bar_top, bar_h, bar_h);
    type.draw(*scene.missing, f.text, after_ramp + bar_h * 1.5, bar_top + (bar_h - f.line) / 2.0);
  }

  // The scale bar: a round length no longer than a quarter of the map, in two halves.
  const double per_unit = scene.metres_per_unit > 0 ? scene.metres_per_unit : 1.0;
  const double length = round_length(f.map_width / 4.0 / (f.scale * f.x_factor) * per_unit);
  const double bar_w = length / per_unit * f.scale * f.x_factor;
  const double right = f.margin + f.map_width;
  type.draw(length_text(length, scene.metres_per_unit > 0), f.text, right - bar_w / 2.0, y, 0.5);
  const double half_h = bar_h * 0.6;
  for (int half = 0; half < 2; ++half) {
    cairo_rectangle(cr, right - bar_w + half * bar_w / 2.0, bar_top, bar_w / 2.0, half_h);
    set_colour(cr, half == 0 ? kText : kWhite);
    cairo_fill(cr);
  }
  framed_box(cr, right - bar_w, bar_top, bar_w, half_h);
  draw_north_arrow(cr, type, scene, f, right - bar_w - 2.0 * f.text, y);

  y = bar_top + bar_h + (scene.low ? f.line + 2 : 0.0) + f.margin / 2.0;
  const double side = f.swatch;
  double at = x;
  if (scene.moved_caption) {
    cairo_save(cr);
    cairo_rectangle(cr, at, y, side, side);
    cairo_clip(cr);
    stripes(cr, kMapMoved, f.width >= 800 ? 8.0 : 5.0, f.width >= 800 ? 2.5 : 1.5);
    cairo_restore(cr);
    framed_box(cr, at, y, side, side);
    at += side * 1.4 +
          type.draw(*scene.moved_caption, f.text, at + side * 1.4, y + (side - f.line) / 2) +
          f.text;
  }
  if (scene.vanished_caption) {
    const double sample = 2.0 * side;
    if (at + sample + type.width(*scene.vanished_caption, f.text) > right) {
      at = x;
      y += side + f.margin / 2.0;
    }
    cairo_move_to(cr, at, y + side / 2.0);
    cairo_line_to(cr, at + sample, y + side / 2.0);
    const double ls = f.width >= 800 ? 2.0 : 1.0;
    dashed(cr, f.width >= 800 ? 2.0 : 1.5, 4.0 * ls, 3.0 * ls);
    type.draw(*scene.vanished_caption, f.text, at + sample + side * 0.4, y + (side - f.line) / 2);
  }
}

// The height the legend takes, with the compare rows wrapped as draw_legend wraps them.
double legend_height(const Typesetter& type, const MapScene& scene, const Frame& f) {
  double h = f.line + f.swatch + (scene.low ? f.line + 2 : 0.0);
  if (scene.moved_caption || scene.vanished_caption) {
    h += f.margin / 2.0 + f.swatch;
    const double moved = scene.moved_caption
                             ? f.swatch * 1.4 + type.width(*scene.moved_caption, f.text) + f.text
                             : 0.0;
    const double vanished =
        scene.vanished_caption ? 2.0 * f.swatch + type.width(*scene.vanished_caption, f.text) : 0.0;
    if (f.margin + moved + vanished > f.margin + f.map_width) h += f.swatch + f.margin / 2.0;
  }
  return h;
}

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (static_cast<unsigned char>(c) >= 0x20)
      out += c;
  }
}

// Adds the texts as an invisible layer over Cairo's glyph outlines, so that an SVG's names can
// be searched and selected as a PDF's can.
void add_svg_text_layer(std::string& svg, const std::string& name,
                        const std::vector<PlacedText>& texts) {
  const std::size_t end = svg.rfind("</svg>");
  if (end == std::string::npos) throw Error(ErrorKind::kIo, Location{.file = name}, "no SVG");
  std::string layer = "<g class=\"text\" fill-opacity=\"0\" font-family=\"sans-serif\">\n";
  char number[64];
  for (const PlacedText& t : texts) {
    std::snprintf(number, sizeof number, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\">", t.x,
                  t.y, t.size);
    layer += number;
    append_escaped(layer, t.text);
    layer += "</text>\n";
  }
  svg.insert(end, layer + "</g>\n");
}

// A cairo_write_func_t that appends to a std::string.
cairo_status_t append_to_string(void* text, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(text)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

DrawnMap draw_map(const MapScene& scene, const std::string& path, const std::string& name) {
  DrawnMap result;
  const std::string family = resolved_family(scene.font);
  if (!iequals(family, scene.font)) {
    result.warnings.push_back("no font '" + scene.font + "' installed: using '" + family +
                              "', which fontconfig gives instead");
  }
  const std::string font = family.empty() ? scene.font : family;

  // Measure on a scratch surface: the size of a PNG follows from the layout.
  const std::unique_ptr<cairo_surface_t, Free> scratch(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1));
  const std::unique_ptr<cairo_t, Free> measure(cairo_create(scratch.get()));
  const Typesetter ruler(measure.get(), font);

  Frame f;
  f.width = scene.page ? scene.page->width : scene.width;
  f.margin = std::clamp(f.width / 60.0, 2.0, 20.0);
  f.text = std::clamp(f.width / 75.0, 4.0, 16.0);
  f.title = std::clamp(f.width / 45.0, 5.0, 26.0);
  f.line = ruler.line_height(f.text);
  f.swatch = f.text * 1.1;
  f.map_width = f.width - 2.0 * f.margin;
  f.top = f.margin + ruler.line_height(f.title) + f.margin / 2.0;
  f.legend_height = legend_height(ruler, scene, f);
  const Box& e = scene.extent;
  f.x_factor = scene.x_factor;
  const double dx = (e.max_x - e.min_x) * f.x_factor;
  const double dy = e.max_y - e.min_y;
  f.scale = f.map_width / dx;
  if (scene.page) {
    f.height = scene.page->height;
    const double room = f.height - f.top - f.legend_height - 2.0 * f.margin;
    f.scale = std::max(1e-12, std::min(f.scale, room / dy));
  } else if (dy * f.scale > kMaxMapWidth) {
    f.scale = kMaxMapWidth / dy;  // a very tall extent
  }
  f.map_height = scene.page ? dy * f.scale : std::max(1.0, std::ceil(dy * f.scale));
  f.left = f.margin + (f.map_width - dx * f.scale) / 2.0;
  f.legend_top = f.top + f.map_height + f.margin;
  if (!scene.page) f.height = std::ceil(f.legend_top + f.legend_height + f.margin);

  // PNG and PDF go straight to the file; an SVG is made in memory, for its text layer.
  MapSink sink(path, name);
  std::string svg;
  std::unique_ptr<cairo_surface_t, Free> surface;
  if (scene.format == MapFormat::kPng) {
    surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(f.width),
                                             static_cast<int>(f.height)));
  } else if (scene.format == MapFormat::kSvg) {
    surface.reset(cairo_svg_surface_create_for_stream(append_to_string, &svg, f.width, f.height));
    cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
  } else {
    surface.reset(cairo_pdf_surface_create_for_stream(MapSink::write, &sink, f.width, f.height));
  }
  const std::unique_ptr<cairo_t, Free> owned(cairo_create(surface.get()));
  cairo_t* cr = owned.get();
  Typesetter type(cr, font);

  set_colour(cr, kMapBackground);
  cairo_paint(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (const MapScene::Fill& fill : scene.fills) {
    add_rings(cr, f, e, fill.cell->geometry);
    set_colour(cr, fill.colour);
    cairo_fill(cr);
  }
  // Lines scale with the cells: thin ones a twelfth of a typical cell's side, 0.3 to 1 pixel;
  // thick ones a twentieth of a typical outline cell's side, 0.5 to 3 pixels.
  const double map_area = f.map_width * f.map_height;
  for (const MapScene::Fill& fill : scene.fills) add_rings(cr, f, e, fill.cell->geometry);
  set_colour(cr, kMapCellLine, scene.cell_line_opacity);
  cairo_set_line_width(
      cr,
      std::clamp(std::sqrt(map_area / static_cast<double>(scene.fills.size())) / 12.0, 0.3, 1.0));
  cairo_stroke(cr);
  for (const ChangedCell* change : scene.moved) {
    cairo_save(cr);
    add_rings(cr, f, e, change->moved_in);
    cairo_clip(cr);
    stripes(cr, kMapMoved, f.width >= 800 ? 8.0 : 5.0, f.width >= 800 ? 2.5 : 1.5);
    cairo_restore(cr);
  }
  if (!scene.vanished.empty()) {
    for (const std::vector<Point>& line : scene.vanished) {
      for (std::size_t i = 0; i < line.size(); ++i) {
        const Point p = f.to_pixel(e, line[i]);
        if (i == 0)
          cairo_move_to(cr, p.x, p.y);
        else
          cairo_line_to(cr, p.x, p.y);
      }
    }
    const double ls = f.width >= 800 ? 2.0 : 1.0;
    dashed(cr, f.width >= 800 ? 2.0 : 1.5, 4.0 * ls, 3.0 * ls);
  }
  if (!scene.outlines.empty()) {
    for (const Cell* cell : scene.outlines) add_rings(cr, f, e, cell->geometry);
    set_colour(cr, kMapOutline);
    cairo_set_line_width(
        cr, std::clamp(std::sqrt(map_area / static_cast<double>(scene.outlines.size())) / 20.0, 0.5,
                       3.0));
    cairo_stroke(cr);
  }
  result.labels_drawn = draw_labels(type, scene, f, result.warnings);
  type.draw(scene.title, f.title, f.margin, f.margin);
  draw_legend(cr, type, scene, f);

  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  if (scene.format == MapFormat::kPng) {
    cairo_surface_flush(surface.get());
    status = cairo_surface_write_to_png_stream(surface.get(), MapSink::write, &sink);
  }
  cairo_surface_finish(surface.get());
  if (scene.format == MapFormat::kSvg) {
    add_svg_text_layer(svg, name, type.placed);
    sink.write_text(svg);
  }
  sink.close();  // a failed write, with its reason, comes first
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface.get());
  if (status != CAIRO_STATUS_SUCCESS) {
    throw Error(ErrorKind::kIo, Location{.file = name},
                std::string("cannot write the map: ") + cairo_status_to_string(status));
  }

  result.width = static_cast<int>(std::lround(f.width));
  result.height = static_cast<int>(std::lround(f.height));
  result.scale = f.scale;
  result.x_factor = f.x_factor;
  result.left = f.left;
  result.top = f.top;
  return result;
}

}  // namespace libgrid::internal
