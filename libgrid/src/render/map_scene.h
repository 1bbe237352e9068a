// What a map shows, laid out in pixels: built once by render_map, then drawn as PNG
// (raster_map) or SVG (svg_map), so both formats show the same thing in the same place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"
#include "libgrid/model/cell.h"
#include "libgrid/render/colour_ramp.h"
#include "libgrid/render/map_render.h"

namespace libgrid::internal {

// A line of text. Its box is text_width(text, scale) x kGlyphHeight * scale pixels
// (bitmap_font.h), with its top edge at y; x is where its left edge, middle or right edge goes, by
// `anchor`.
struct MapText {
  enum class Anchor { kStart, kMiddle, kEnd };
  std::string text{};
  double x = 0.0;
  double y = 0.0;
  int scale = 1;
  Anchor anchor = Anchor::kStart;
  Rgb colour{};
};

struct MapScene {
  int width = 0;
  int height = 0;
  Rgb background{};

  // World to pixel: (left + (x - extent.min_x) * scale, top + (extent.max_y - y) * scale).
  Box extent{};
  double scale = 1.0;
  double left = 0.0;
  double top = 0.0;
  Point to_pixel(Point p) const {
    return {left + (p.x - extent.min_x) * scale, top + (extent.max_y - p.y) * scale};
  }

  // The cells of the level, filled in this order.
  struct Fill {
    const Cell* cell = nullptr;
    Rgb colour{};
  };
  std::vector<Fill> fills{};
  // Their boundaries, drawn over all the fills.
  double cell_line_width = 1.0;
  Rgb cell_line_colour{};
  double cell_line_opacity = 1.0;

  // Compare maps: the land that changed cell, hatched over the cells with diagonal stripes
  // (rising to the right) hatch_width pixels wide every hatch_spacing pixels, laid out from the
  // image's top-left corner so that neighbouring pieces' stripes meet. The stripes' centre
  // lines are where (x + y) / sqrt(2) is a multiple of hatch_spacing.
  std::vector<const ChangedCell*> moved{};
  Rgb hatch_colour{};
  double hatch_spacing = 6.0;
  double hatch_width = 1.5;
  // The earlier boundaries that are gone, over the cell lines: a light base line
  // vanished_width + 1 pixels wide, then dashes of dash_colour vanished_width wide, dash pixels
  // on and gap off along each line.
  std::vector<std::vector<Point>> vanished{};
  double vanished_width = 1.0;
  Rgb vanished_base_colour{};
  Rgb dash_colour{};
  double dash = 4.0;
  double gap = 3.0;

  // The thick boundaries of the outline level, over the thin ones.
  std::vector<const Cell*> outlines{};
  double outline_width = 2.0;
  Rgb outline_colour{};

  // A cell's code, centred on `at` (pixels): on a horizontal span inside the cell room_width
  // long, in a cell room_height high.
  struct Label {
    std::string text{};
    Point at{};
    double room_width = 0.0;
    double room_height = 0.0;
    Rgb colour{};
  };
  std::vector<Label> labels{};

  // Title and legend texts.
  std::vector<MapText> texts{};
  // The ramp, left (t = 0) to right (t = 1), in this box of pixels.
  struct Bar {
    double x = 0.0, y = 0.0, width = 0.0, height = 0.0;
  };
  std::optional<Bar> ramp{};
  // A square swatch of the colour of cells without a value, when there are any.
  std::optional<Bar> missing_swatch{};
  Rgb missing_colour{};
  Rgb frame_colour{};  // around the ramp and the swatches
  // Compare maps: a hatched swatch for the land that changed cell, and a box with a dashed
  // line across its middle for the boundaries that are gone.
  std::optional<Bar> hatch_swatch{};
  std::optional<Bar> dash_sample{};
};

}  // namespace libgrid::internal
