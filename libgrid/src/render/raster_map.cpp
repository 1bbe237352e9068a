#include "render/raster_map.h"

#include <algorithm>
#include <cmath>

#include "render/bitmap_font.h"
#include "render/image.h"
#include "render/png_writer.h"
#include "render/rasterizer.h"

namespace libgrid::internal {

namespace {

// Boundaries are stroked band by band: every segment reaching a band of rows is rasterised
// with the others there as one non-zero union, so a boundary two cells share, and the joints
// of a ring, are painted once, and only one band's quads are held at a time.
constexpr int kBandRows = 64;

void add_area(Rasterizer& rasterizer, const MapScene& scene, const MultiPolygon& area) {
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        rasterizer.add_edge(scene.to_pixel(ring[i]), scene.to_pixel(ring[i + 1]));
      }
    }
  }
}

void stroke_boundaries(Image& image, Rasterizer& rasterizer, const MapScene& scene,
                       const std::vector<const Cell*>& cells, double width, Rgb colour,
                       double opacity, bool joints) {
  const double half = width / 2.0;
  const int bands = (scene.height + kBandRows - 1) / kBandRows;
  std::vector<std::vector<const Cell*>> members(static_cast<std::size_t>(bands));
  auto band_of = [bands](double y) {
    return std::clamp(static_cast<int>(std::floor(y / kBandRows)), 0, bands - 1);
  };
  for (const Cell* cell : cells) {
    const Box box = envelope(cell->geometry);
    if (box.empty()) continue;
    const int first = band_of(scene.to_pixel({box.min_x, box.max_y}).y - half);
    const int last = band_of(scene.to_pixel({box.min_x, box.min_y}).y + half);
    for (int b = first; b <= last; ++b) members[static_cast<std::size_t>(b)].push_back(cell);
  }
  for (int b = 0; b < bands; ++b) {
    const int top = b * kBandRows;
    const int bottom = top + kBandRows;
    rasterizer.clear();
    for (const Cell* cell : members[static_cast<std::size_t>(b)]) {
      for (const Polygon& polygon : cell->geometry.polygons) {
        for (const Ring& ring : polygon.rings) {
          if (ring.empty()) continue;
          Point from = scene.to_pixel(ring[0]);
          for (std::size_t i = 1; i < ring.size(); ++i) {
            const Point to = scene.to_pixel(ring[i]);
            if (std::max(from.y, to.y) + half >= top && std::min(from.y, to.y) - half < bottom) {
              add_segment(rasterizer, from, to, half);
              if (joints) add_joint(rasterizer, to, half);
            }
            from = to;
          }
        }
      }
    }
    rasterizer.fill(
        FillRule::kNonZero,
        [&](int y, int x0, int x1, const float* coverage) {
          image.blend_row(y, x0, x1, coverage, colour, static_cast<float>(opacity));
        },
        top, bottom);
  }
}

// How much of pixel (x, y) the hatch's stripes cover: 1 within them, 0 between them, a ramp
// one pixel wide across their edges.
float hatch_at(const MapScene& scene, int x, int y) {
  const double across = (x + y + 1.0) / std::sqrt(2.0);  // at the pixel's centre
  const double t = across - std::floor(across / scene.hatch_spacing) * scene.hatch_spacing;
  const double off_centre = std::min(t, scene.hatch_spacing - t);
  return static_cast<float>(std::clamp(scene.hatch_width / 2.0 + 0.5 - off_centre, 0.0, 1.0));
}

void hatch(Image& image, Rasterizer& rasterizer, const MapScene& scene) {
  std::vector<float> covered;
  for (const ChangedCell* change : scene.moved) {
    rasterizer.clear();
    add_area(rasterizer, scene, change->moved_in);
    rasterizer.fill(FillRule::kEvenOdd, [&](int y, int x0, int x1, const float* coverage) {
      covered.assign(coverage, coverage + (x1 - x0));
      for (int x = x0; x < x1; ++x)
        covered[static_cast<std::size_t>(x - x0)] *= hatch_at(scene, x, y);
      image.blend_row(y, x0, x1, covered.data(), scene.hatch_colour, 1.0f);
    });
  }
}

// Adds the dashes of a polyline given in pixels: `dash` on, `gap` off, from its start.
void add_dashes(Rasterizer& rasterizer, const std::vector<Point>& line, double dash, double gap,
                double half_width) {
  double along = 0.0;  // where the current point is in the pattern, 0 .. dash + gap
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const Point a = line[i];
    const Point b = line[i + 1];
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    if (!(length > 0.0)) continue;
    double done = 0.0;
    while (done < length) {
      const bool on = along < dash;
      const double step = std::min(length - done, (on ? dash : dash + gap) - along);
      if (on) {
        const double t0 = done / length;
        const double t1 = (done + step) / length;
        add_segment(rasterizer, {a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0},
                    {a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1}, half_width);
      }
      done += step;
      along += step;
      if (along >= dash + gap) along = 0.0;
    }
  }
}

// The boundaries that are gone: a light base line, then the dashes over it.
void stroke_dashed(Image& image, Rasterizer& rasterizer, const MapScene& scene,
                   const std::vector<std::vector<Point>>& lines) {
  auto paint = [&](Rgb colour, float opacity) {
    rasterizer.fill(FillRule::kNonZero, [&](int y, int x0, int x1, const float* coverage) {
      image.blend_row(y, x0, x1, coverage, colour, opacity);
    });
  };
  const double base_half = (scene.vanished_width + 1.0) / 2.0;
  rasterizer.clear();
  for (const std::vector<Point>& line : lines) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      add_segment(rasterizer, line[i], line[i + 1], base_half);
      if (i > 0) add_joint(rasterizer, line[i], base_half);
    }
  }
  paint(scene.vanished_base_colour, 0.9f);
  rasterizer.clear();
  for (const std::vector<Point>& line : lines) {
    add_dashes(rasterizer, line, scene.dash, scene.gap, scene.vanished_width / 2.0);
  }
  paint(scene.dash_colour, 1.0f);
}

void frame(Image& image, const MapScene::Bar& box, Rgb colour) {
  const int x0 = static_cast<int>(std::lround(box.x)) - 1;
  const int y0 = static_cast<int>(std::lround(box.y)) - 1;
  const int x1 = static_cast<int>(std::lround(box.x + box.width)) + 1;
  const int y1 = static_cast<int>(std::lround(box.y + box.height)) + 1;
  image.fill_rect(x0, y0, x1, y0 + 1, colour);
  image.fill_rect(x0, y1 - 1, x1, y1, colour);
  image.fill_rect(x0, y0, x0 + 1, y1, colour);
  image.fill_rect(x1 - 1, y0, x1, y1, colour);
}

}  // namespace

RasterMap draw_png(const MapScene& scene) {
  Image image(scene.width, scene.height, scene.background);
  Rasterizer rasterizer(scene.width, scene.height);

  std::vector<const Cell*> level_cells;
  level_cells.reserve(scene.fills.size());
  for (const MapScene::Fill& fill : scene.fills) {
    level_cells.push_back(fill.cell);
    rasterizer.clear();
    add_area(rasterizer, scene, fill.cell->geometry);
    rasterizer.fill(FillRule::kEvenOdd, [&](int y, int x0, int x1, const float* coverage) {
      image.blend_row(y, x0, x1, coverage, fill.colour, 1.0f);
    });
  }
  stroke_boundaries(image, rasterizer, scene, level_cells, scene.cell_line_width,
                    scene.cell_line_colour, scene.cell_line_opacity, false);
  hatch(image, rasterizer, scene);  // over the cell lines, as SVG paints it
  if (!scene.vanished.empty()) {
    std::vector<std::vector<Point>> lines;
    for (const std::vector<Point>& line : scene.vanished) {
      std::vector<Point>& pixels = lines.emplace_back();
      for (const Point& p : line) pixels.push_back(scene.to_pixel(p));
    }
    stroke_dashed(image, rasterizer, scene, lines);
  }
  stroke_boundaries(image, rasterizer, scene, scene.outlines, scene.outline_width,
                    scene.outline_colour, 1.0, true);

  RasterMap result;
  for (const MapScene::Label& label : scene.labels) {
    const int width = text_width(label.text, 1);
    if (width + 2 > label.room_width || kGlyphBaseline + 2 > label.room_height) continue;
    draw_text(image, static_cast<int>(std::lround(label.at.x - width / 2.0)),
              static_cast<int>(std::lround(label.at.y - kGlyphBaseline / 2.0)), label.text, 1,
              label.colour);
    ++result.labels_drawn;
  }

  for (const MapText& text : scene.texts) {
    const int width = text_width(text.text, text.scale);
    double x = text.x;
    if (text.anchor == MapText::Anchor::kMiddle) x -= width / 2.0;
    if (text.anchor == MapText::Anchor::kEnd) x -= width;
    draw_text(image, static_cast<int>(std::lround(x)), static_cast<int>(std::lround(text.y)),
              text.text, text.scale, text.colour);
  }
  if (scene.ramp) {
    const MapScene::Bar& bar = *scene.ramp;
    const int x0 = static_cast<int>(std::lround(bar.x));
    const int x1 = static_cast<int>(std::lround(bar.x + bar.width));
    const int y0 = static_cast<int>(std::lround(bar.y));
    const int y1 = static_cast<int>(std::lround(bar.y + bar.height));
    for (int x = x0; x < x1; ++x) {
      const double t = x1 - x0 > 1 ? static_cast<double>(x - x0) / (x1 - x0 - 1) : 0.0;
      image.fill_rect(x, y0, x + 1, y1, viridis(t));
    }
    frame(image, bar, scene.frame_colour);
  }
  if (scene.missing_swatch) {
    const MapScene::Bar& box = *scene.missing_swatch;
    image.fill_rect(static_cast<int>(std::lround(box.x)), static_cast<int>(std::lround(box.y)),
                    static_cast<int>(std::lround(box.x + box.width)),
                    static_cast<int>(std::lround(box.y + box.height)), scene.missing_colour);
    frame(image, box, scene.frame_colour);
  }
  if (scene.hatch_swatch) {
    const MapScene::Bar& box = *scene.hatch_swatch;
    const int x0 = static_cast<int>(std::lround(box.x));
    const int y0 = static_cast<int>(std::lround(box.y));
    const int x1 = static_cast<int>(std::lround(box.x + box.width));
    const int y1 = static_cast<int>(std::lround(box.y + box.height));
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) image.blend(x, y, scene.hatch_colour, hatch_at(scene, x, y));
    }
    frame(image, box, scene.frame_colour);
  }
  if (scene.dash_sample) {
    const MapScene::Bar& box = *scene.dash_sample;
    const double y = box.y + box.height / 2.0;
    stroke_dashed(image, rasterizer, scene, {{{box.x, y}, {box.x + box.width, y}}});
  }
  result.png = encode_png(image);
  return result;
}

}  // namespace libgrid::internal
