// Maps of one level of a grid set, as PNG, SVG or PDF (drawn with Cairo, text set with Pango so
// that Chinese names show): every cell filled with a colour from a sequential ramp by a numeric
// field (households, population, area or any attribute), the cells' boundaries drawn thin and
// those of a coarser level thick so that the nesting shows, with a title, a legend, a scale bar,
// a north arrow and, on request, each cell's name or code inside it. Planners see a partition
// and its balance at a glance.
//
// A map can also compare the level with the same level of an earlier grid set (before a
// rebalance, say): the land that changed cell is hatched and the boundaries that are gone are
// drawn dashed, so that what moved shows at a glance.
//
// The map is drawn in the grid set's CRS with north up and no reprojection; lon/lat data is
// drawn as an equirectangular plate true to scale at the map's middle latitude.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"
#include "libgrid/geometry/polygon.h"
#include "libgrid/model/cell.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/render/colour_ramp.h"

namespace libgrid {

enum class MapFormat { kPng, kSvg, kPdf };

// The format a map path asks for by its extension (".png", ".svg" or ".pdf", any case), or
// nullopt.
std::optional<MapFormat> map_format_of(std::string_view path);

// A PDF page, in points (1/72 inch).
struct PageSize {
  std::string name{};  // "A4-portrait", ...
  double width = 0.0;
  double height = 0.0;
};

// "A4" or "A3", optionally followed by "-portrait" or "-landscape" (any case; portrait when not
// said), or nullopt.
std::optional<PageSize> page_size_of(std::string_view text);

// What a cell's label says.
enum class LabelText { kName, kCode };

// The fixed colours of a map; fills come from viridis() (colour_ramp.h).
inline constexpr Rgb kMapBackground{255, 255, 255};   // also holes and gaps
inline constexpr Rgb kMapNoValue{176, 176, 176};      // cells without a number for the field
inline constexpr Rgb kMapPlainFill{199, 211, 224};    // every cell, with color_field "none"
inline constexpr Rgb kMapCellLine{255, 255, 255};     // the level's boundaries, thin
inline constexpr Rgb kMapOutline{28, 28, 28};         // the outline level's boundaries, thick
inline constexpr Rgb kMapMoved{228, 26, 28};          // hatch of land that changed cell
inline constexpr Rgb kMapBoundaryBefore{28, 28, 28};  // dashes of boundaries that are gone

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
  // PDF maps fill a page instead (see page).
  int width = 1200;
  // The page of a PDF map; unset for A4 turned the way the map is (landscape when wider than
  // tall). Only for PDF.
  std::optional<PageSize> page{};
  // The level whose boundaries are drawn thick: empty for the level above `level` (none for
  // the top level), "none" for no thick boundaries, or a level's name.
  std::string outline_level{};
  // Writes every cell's name (its code when it has none) or code, by label_text, centred on the
  // point inside it farthest from its boundary, as large as fits up to the legend's size;
  // labels that fit nowhere in their cell are left out (RenderSummary::labels_drawn).
  bool labels = false;
  LabelText label_text = LabelText::kName;
  // The legend's language, "zh" or "en"; empty for Chinese when the level's cell names are,
  // else English.
  std::string lang{};
  // The title above the map; empty for the level's name and number of cells.
  std::string title{};
  // The font family; when fontconfig has no such font, the one it offers instead is used and
  // RenderSummary::warnings says so.
  std::string font = "Noto Sans CJK SC";
  // An earlier version of the grid set (before a rebalance, say) to compare with, or null.
  // When set, the land of each cell that lay outside the earlier cell of its code at the level
  // of the same name (see compare_level) is hatched, the earlier boundaries that are gone are
  // drawn dashed, and the legend says so with the number of cells changed.
  // It must have the level and be in the same CRS (an unknown CRS passes). REQUIRES: it
  // outlives the call.
  const GridSet* compare = nullptr;
};

// A cell whose land differs from that of the cell of its code in an earlier grid set.
struct ChangedCell {
  CellId cell = kNoCell;  // in the later grid set
  std::string code{};
  bool is_new = false;  // no cell of the level had this code before
  // The cell's land that lay outside the earlier cell of its code (all of it for a new code):
  // land that changed cell into this one. Empty where the cell only gave land away.
  MultiPolygon moved_in{};
  double moved_in_area = 0.0;
  // The earlier cell's land that this one no longer holds (0 for a new code).
  double moved_out_area = 0.0;
};

// How one level changed between an earlier grid set and a later one, cells matched by code.
struct LevelChanges {
  // The cells of the level that gained or lost land, or whose code is new, in the order of
  // GridSet::cells().
  std::vector<ChangedCell> changed{};
  // The codes of the earlier level that no cell of the level has any more (merged away), in
  // the earlier grid set's order.
  std::vector<std::string> removed{};
  // The area of all land that changed cell, in square CRS units: the sum of moved_in_area.
  double moved_area = 0.0;
  // The stretches of the earlier cells' boundaries that no cell's boundary follows now, as
  // polylines (each of at least 2 points).
  std::vector<std::vector<Point>> vanished_boundaries{};
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
  std::size_t labels_drawn = 0;  // labels that do not fit in their cell are left out
  // Things the map could not do as asked (a font that is not installed, ...), one line each.
  std::vector<std::string> warnings{};
  // With RenderOptions::compare: LevelChanges::changed.size(), removed.size() and moved_area.
  std::size_t cells_changed = 0;
  std::size_t cells_removed = 0;
  double moved_area = 0.0;

  // Where the map is in the image (in points on a PDF page): world point (x, y) is drawn at
  // (left + (x - extent.min_x) * scale * x_factor, top + (extent.max_y - y) * scale), y counting
  // down. x_factor is 1, or for lon/lat the cosine of the middle latitude.
  // width and height are the image's (in points for PDF).
  Box extent{};
  double scale = 0.0;  // pixels per CRS unit (along y)
  double x_factor = 1.0;
  double left = 0.0;
  double top = 0.0;
  Point to_pixel(Point world) const {
    return {left + (world.x - extent.min_x) * scale * x_factor,
            top + (extent.max_y - world.y) * scale};
  }
};

// The fields render_map can colour a level by: "households", "population", "area", then the
// names of the attributes its cells carry, in order of first appearance.
std::vector<std::string> color_fields(const GridSet& grids, int level);

// Compares level `level` of `grids` with the level of the same name in `before`, matching cells
// by code: a cell's land that lay outside the earlier cell of its code changed cell (moved in),
// and the earlier cell's land it no longer holds moved out. Differences within about 1e-9 of
// the extent (rounding) are not changes. Throws Error(kInvalidInput) when either grid set has
// no level of that name, when both have a CRS and the two differ, or naming the cell when GEOS
// cannot overlay a cell's geometry.
LevelChanges compare_level(const GridSet& grids, const GridSet& before, const std::string& level);

// Draws the map and writes it to `path` (PNG, SVG or PDF by its extension), atomically: nothing
// is left at `path` when it fails. Throws Error(kInvalidInput) for an unknown level, outline
// level or field, a width out of range, another extension, a page for a map that is not PDF, a
// language other than zh or en, a level without cells or a compare grid set compare_level
// refuses, and Error(kIo) when the file cannot be written.
RenderSummary render_map(const GridSet& grids, const RenderOptions& options,
                         const std::string& path);

}  // namespace libgrid
