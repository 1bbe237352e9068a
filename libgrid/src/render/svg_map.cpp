#include "render/svg_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "render/bitmap_font.h"

namespace libgrid::internal {

namespace {

// The bitmap font's 7-pixel capitals are about those of a 10-pixel sans-serif font.
constexpr double kFontSizePerScale = 10.0;

// Rounded to 0.1 and without a trailing ".0".
void append_number(std::string& out, double v) {
  const long long tenths = std::llround(v * 10.0);
  if (tenths < 0) out += '-';
  const long long magnitude = std::llabs(tenths);
  out += std::to_string(magnitude / 10);
  if (magnitude % 10 != 0) {
    out += '.';
    out += static_cast<char>('0' + magnitude % 10);
  }
}

// Line widths and opacities: three significant digits.
std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

std::string number(double v) {
  std::string s;
  append_number(s, v);
  return s;
}

void append_escaped(std::string& out, std::string_view text) {
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
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    }
  }
}

// Every ring as "M x y x y ... Z", points that round to the same tenth of a pixel as the one
// before left out.
void append_path_data(std::string& out, const MapScene& scene, const MultiPolygon& area) {
  std::string last;
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      if (ring.size() < 2) continue;
      out += out.empty() ? "M" : " M";
      last.clear();
      bool first = true;
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Point p = scene.to_pixel(ring[i]);
        std::string point = number(p.x);
        point += ' ';
        append_number(point, p.y);
        if (point == last) continue;
        if (!first) out += ' ';
        out += point;
        last = std::move(point);
        first = false;
      }
      out += " Z";
    }
  }
}

// Every line as "M x y x y ...", in pixels, rounded like the rings.
void append_line_data(std::string& out, const MapScene& scene,
                      const std::vector<std::vector<Point>>& lines) {
  for (const std::vector<Point>& line : lines) {
    if (line.size() < 2) continue;
    out += out.empty() ? "M" : " M";
    for (std::size_t i = 0; i < line.size(); ++i) {
      const Point p = scene.to_pixel(line[i]);
      if (i > 0) out += ' ';
      append_number(out, p.x);
      out += ' ';
      append_number(out, p.y);
    }
  }
}

// The stroke of the boundaries that are gone: a light base line, then dashes over it.
void append_dashed(std::string& out, const MapScene& scene, const std::string& d) {
  out += "<path stroke=\"" + hex_colour(scene.vanished_base_colour) +
         "\" stroke-opacity=\"0.9\" stroke-width=\"" + short_number(scene.vanished_width + 1.0) +
         "\" d=\"" + d + "\"/>\n";
  out += "<path stroke=\"" + hex_colour(scene.dash_colour) + "\" stroke-width=\"" +
         short_number(scene.vanished_width) + "\" stroke-dasharray=\"" + short_number(scene.dash) +
         " " + short_number(scene.gap) + "\" d=\"" + d + "\"/>\n";
}

void append_text(std::string& out, const MapText& text) {
  static constexpr const char* kAnchors[] = {"start", "middle", "end"};
  out += "<text x=\"" + number(text.x) + "\" y=\"" + number(text.y + kGlyphBaseline * text.scale) +
         "\" font-size=\"" + number(kFontSizePerScale * text.scale) + "\" text-anchor=\"" +
         kAnchors[static_cast<int>(text.anchor)] + "\" fill=\"" + hex_colour(text.colour) + "\">";
  append_escaped(out, text.text);
  out += "</text>\n";
}

std::string rect(const MapScene::Bar& box) {
  return "x=\"" + number(box.x) + "\" y=\"" + number(box.y) + "\" width=\"" + number(box.width) +
         "\" height=\"" + number(box.height) + "\"";
}

}  // namespace

std::string draw_svg(const MapScene& scene) {
  std::string out;
  const std::string w = std::to_string(scene.width);
  const std::string h = std::to_string(scene.height);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
         "\" viewBox=\"0 0 " + w + " " + h + "\" font-family=\"sans-serif\">\n";
  out += "<rect width=\"" + w + "\" height=\"" + h + "\" fill=\"" + hex_colour(scene.background) +
         "\"/>\n";

  out += "<g class=\"cells\" fill-rule=\"evenodd\" stroke=\"" + hex_colour(scene.cell_line_colour) +
         "\" stroke-opacity=\"" + short_number(scene.cell_line_opacity) + "\" stroke-width=\"" +
         short_number(scene.cell_line_width) + "\" stroke-linejoin=\"round\">\n";
  for (const MapScene::Fill& fill : scene.fills) {
    out += "<path class=\"cell\" fill=\"" + hex_colour(fill.colour) + "\" d=\"";
    std::string d;
    append_path_data(d, scene, fill.cell->geometry);
    out += d;
    out += "\"><title>";
    append_escaped(out, fill.cell->code);
    if (!fill.cell->name.empty()) {
      out += ' ';
      append_escaped(out, fill.cell->name);
    }
    out += "</title></path>\n";
  }
  out += "</g>\n";

  if (!scene.moved.empty() || scene.hatch_swatch) {
    // The stripes of a vertical band hatch_width wide, turned 45 degrees clockwise so that they
    // rise to the right, centred where the PNG's are.
    out += "<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"" +
           short_number(scene.hatch_spacing) + "\" height=\"" + short_number(scene.hatch_spacing) +
           "\" patternTransform=\"rotate(45) translate(" + short_number(-scene.hatch_width / 2.0) +
           " 0)\"><rect width=\"" + short_number(scene.hatch_width) + "\" height=\"" +
           short_number(scene.hatch_spacing) + "\" fill=\"" + hex_colour(scene.hatch_colour) +
           "\"/></pattern></defs>\n";
  }
  if (!scene.moved.empty()) {
    out += "<g class=\"moved\" fill=\"url(#hatch)\" fill-rule=\"evenodd\">\n";
    for (const ChangedCell* change : scene.moved) {
      std::string d;
      append_path_data(d, scene, change->moved_in);
      out += "<path d=\"" + d + "\"><title>";
      append_escaped(out, "land that changed cell into " + change->code);
      out += "</title></path>\n";
    }
    out += "</g>\n";
  }
  if (!scene.vanished.empty()) {
    std::string d;
    append_line_data(d, scene, scene.vanished);
    out += "<g class=\"vanished\" fill=\"none\" stroke-linejoin=\"round\">\n";
    append_dashed(out, scene, d);
    out += "</g>\n";
  }

  if (!scene.outlines.empty()) {
    out += "<g class=\"outline\" fill=\"none\" stroke=\"" + hex_colour(scene.outline_colour) +
           "\" stroke-width=\"" + short_number(scene.outline_width) +
           "\" stroke-linejoin=\"round\">\n";
    for (const Cell* cell : scene.outlines) {
      std::string d;
      append_path_data(d, scene, cell->geometry);
      out += "<path d=\"" + d + "\"/>\n";
    }
    out += "</g>\n";
  }

  if (!scene.labels.empty()) {
    out += "<g class=\"labels\" text-anchor=\"middle\" dominant-baseline=\"central\">\n";
    for (const MapScene::Label& label : scene.labels) {
      // About 0.6 em per digit: as large as fits across the cell, at most the legend's size.
      const double across =
          label.room_width * 0.9 / (0.6 * std::max<std::size_t>(1, label.text.size()));
      const double size =
          std::max(0.5, std::min({kFontSizePerScale, across, label.room_height * 0.8}));
      out += "<text x=\"" + number(label.at.x) + "\" y=\"" + number(label.at.y) +
             "\" font-size=\"" + number(size) + "\" fill=\"" + hex_colour(label.colour) + "\">";
      append_escaped(out, label.text);
      out += "</text>\n";
    }
    out += "</g>\n";
  }

  for (const MapText& text : scene.texts) append_text(out, text);
  if (scene.ramp) {
    out += "<defs><linearGradient id=\"ramp\">";
    constexpr int kStops = 8;
    for (int k = 0; k <= kStops; ++k) {
      char offset[16];
      std::snprintf(offset, sizeof offset, "%g", static_cast<double>(k) / kStops);
      out += std::string("<stop offset=\"") + offset + "\" stop-color=\"" +
             hex_colour(viridis(static_cast<double>(k) / kStops)) + "\"/>";
    }
    out += "</linearGradient></defs>\n";
    out += "<rect class=\"ramp\" " + rect(*scene.ramp) + " fill=\"url(#ramp)\" stroke=\"" +
           hex_colour(scene.frame_colour) + "\"/>\n";
  }
  if (scene.missing_swatch) {
    out += "<rect class=\"missing\" " + rect(*scene.missing_swatch) + " fill=\"" +
           hex_colour(scene.missing_colour) + "\" stroke=\"" + hex_colour(scene.frame_colour) +
           "\"/>\n";
  }
  if (scene.hatch_swatch) {
    out += "<rect class=\"moved\" " + rect(*scene.hatch_swatch) +
           " fill=\"url(#hatch)\" stroke=\"" + hex_colour(scene.frame_colour) + "\"/>\n";
  }
  if (scene.dash_sample) {
    const MapScene::Bar& box = *scene.dash_sample;
    const std::string y = number(box.y + box.height / 2.0);
    std::string d = "M";
    append_number(d, box.x);
    d += ' ' + y + ' ';
    append_number(d, box.x + box.width);
    d += ' ' + y;
    out += "<g class=\"vanished\" fill=\"none\">\n";
    append_dashed(out, scene, d);
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace libgrid::internal
