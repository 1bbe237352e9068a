// What a map shows, in world coordinates and words: built by render_map, then laid out and drawn
// by draw_map with Cairo and Pango, the same way for PNG, SVG and PDF.
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

struct MapScene {
  MapFormat format = MapFormat::kPng;
  int width = 0;                   // PNG and SVG, in pixels; the height follows from the extent
  std::optional<PageSize> page{};  // PDF
  Box extent{};
  // How much wider than tall a CRS unit is drawn (RenderSummary::x_factor).
  double x_factor = 1.0;

  // The cells of the level, filled in this order, then their boundaries thin over all fills.
  struct Fill {
    const Cell* cell = nullptr;
    Rgb colour{};
  };
  std::vector<Fill> fills{};
  double cell_line_opacity = 1.0;
  // Compare maps: the land that changed cell (hatched) and the earlier boundaries that are gone
  // (dashed), over the cell lines.
  std::vector<const ChangedCell*> moved{};
  std::vector<std::vector<Point>> vanished{};
  // The thick boundaries of the outline level, over the thin ones.
  std::vector<const Cell*> outlines{};

  // A label for each cell of `fills` (same order) when labels are on: its text, and the code
  // to write instead when no installed font has a character of the text.
  struct Label {
    std::string text{};
    std::string fallback{};
  };
  std::vector<Label> labels{};
  std::string font{};

  // The words around the map, in the legend's language.
  std::string title{};
  std::string field_caption{};       // empty without a colour field
  std::optional<std::string> low{};  // the ramp's ends, unset without values
  std::optional<std::string> high{};
  std::optional<std::string> missing{};        // the grey swatch's text, when cells have no value
  std::optional<std::string> moved_caption{};  // compare maps
  std::optional<std::string> vanished_caption{};  // compare maps
  std::string north{};
  // Metres per CRS unit along x in the middle of the map; 0 when the CRS's unit is not known
  // (the scale bar then counts CRS units).
  double metres_per_unit = 0.0;
};

// Where draw_map put things, and what it left out.
struct DrawnMap {
  int width = 0;
  int height = 0;
  double scale = 0.0;
  double x_factor = 1.0;
  double left = 0.0;
  double top = 0.0;
  std::size_t labels_drawn = 0;
  std::vector<std::string> warnings{};
};

// Lays the scene out and writes it to `path` in scene.format. Throws Error(kIo) naming the file
// as `name` (the output's name, where `path` is its temporary file) when Cairo cannot write it.
DrawnMap draw_map(const MapScene& scene, const std::string& path, const std::string& name);

}  // namespace libgrid::internal
