// Maps of one level of a grid set, as PNG or SVG: every cell filled with a colour from a
// sequential ramp by a numeric field (households, population, area or any attribute), the
// cells' boundaries drawn thin and those of a coarser level thick so that the nesting shows,
// with a title and a legend. Planners see a partition and its balance at a glance.
//
// The map is drawn in the grid set's CRS with north up and no reprojection; use a projected
// CRS for true shapes (lon/lat data is drawn as an equirectangular plate).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/render/colour_ramp.h"

namespace libgrid {

enum class MapFormat { kPng, kSvg };

// The format a map path asks for by its extension (".png" or ".svg", any case), or nullopt.
std::optional<MapFormat> map_format_of(std::string_view path);

// The fixed colours of a map; fills come from viridis() (colour_ramp.h).
inline constexpr Rgb kMapBackground{255, 255, 255};  // also holes and gaps
inline constexpr Rgb kMapNoValue{176, 176, 176};     // cells without a number for the field
inline constexpr Rgb kMapPlainFill{199, 211, 224};   // every cell, with color_field "none"
inline constexpr Rgb kMapCellLine{255, 255, 255};    // the level's boundaries, thin
inline constexpr Rgb kMapOutline{28, 28, 28};        // the outline level's boundaries, thick

inline constexpr int kMinMapWidth = 16;
inline constexpr int kMaxMapWidth = 16384;

struct RenderOptions {
  // The level whose cells are filled. REQUIRES: a level of the grid set.
  std::string level{};
  // What the fill colour shows: "households", "population", "area" (in square CRS units), the
  // name of an attribute of the level's cells (its text read as a number; cells without a
  // number for it are drawn grey), or "none" for one plain colour.
  std::string color_field = "households";
  // Image width in pixels, kMinMapWidth..kMaxMapWidth; the height follows from the extent.
  int width = 1200;
  // The level whose boundaries are drawn thick: empty for the level above `level` (none for
  // the top level), "none" for no thick boundaries, or a level's name.
  std::string outline_level{};
  // Writes every cell's code at a point inside it: in SVG as text, in PNG with a small
  // built-in bitmap font (ASCII; other characters show as '?') where the code fits in its cell.
  bool labels = false;
};

// What render_map drew.
struct RenderSummary {
  MapFormat format = MapFormat::kPng;
  int width = 0;
  int height = 0;
  std::size_t cells = 0;  // cells of the level
  // Cells drawn grey because the colour field has no number for them.
  std::size_t cells_without_value = 0;
  // The range of the colour field over the cells with a number (unset when there are none, or
  // for "none").
  std::optional<double> min_value{};
  std::optional<double> max_value{};
  std::size_t labels_drawn = 0;  // PNG leaves out labels that do not fit in their cell

  // Where the map is in the image: world point (x, y) is drawn at pixel
  // (left + (x - extent.min_x) * scale, top + (extent.max_y - y) * scale), y counting down.
  Box extent{};
  double scale = 0.0;  // pixels per CRS unit
  double left = 0.0;
  double top = 0.0;
  Point to_pixel(Point world) const {
    return {left + (world.x - extent.min_x) * scale, top + (extent.max_y - world.y) * scale};
  }
};

// The fields render_map can colour a level by: "households", "population", "area", then the
// names of the attributes its cells carry, in order of first appearance.
std::vector<std::string> color_fields(const GridSet& grids, int level);

// Draws the map and writes it to `path` (PNG or SVG by its extension), atomically: nothing is
// left at `path` when it fails. Throws Error(kInvalidInput) for an unknown level, outline
// level or field, a width out of range, another extension or a level without cells, and
// Error(kIo) when the file cannot be written.
RenderSummary render_map(const GridSet& grids, const RenderOptions& options,
                         const std::string& path);

}  // namespace libgrid
