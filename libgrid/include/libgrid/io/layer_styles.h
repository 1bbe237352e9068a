// The QGIS style every map layer of libgrid's GeoPackages carries, so that a file opens in QGIS
// looking the way `gridtool render` draws it: cells filled from the viridis ramp by a number
// (households for a grid set, the measure of a statistics or zone file), outlines thicker and
// darker on coarser levels, labels by name.
//
// Each style is a row of the GeoPackage's "layer_styles" table, the table QGIS itself writes and
// reads (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML,
// styleSLD, useAsDefault, description, owner, ui, update_time): QGIS applies the row marked
// useAsDefault when it opens the layer. The QML is QGIS's own style format; the SLD says the same
// for other tools (GeoServer, MapServer).
//
// The writers (write_grid_set, write_problems, write_evaluation, write_zone_cells) add the rows
// themselves; this header is for reading them back and for tools that style layers of their own.
#pragma once

#include <string>
#include <vector>

#include "libgrid/model/grid_set.h"
#include "libgrid/render/colour_ramp.h"
#include "libgrid/stats/evaluation.h"
#include "libgrid/validate/validate.h"
#include "libgrid/zone/zone_query.h"

namespace libgrid {

// How one polygon layer is drawn.
struct LayerStyle {
  std::string layer{};                   // the table it styles
  std::string geometry_column = "geom";  // the layer's geometry column
  std::string title{};                   // the style's description, shown by QGIS
  std::string name = "libgrid";          // the style's name (styleName)
  bool use_as_default = true;            // the one QGIS applies when it opens the layer

  // The fill: a graduated colour by this numeric field, in the classes style_classes() makes
  // of `values` (the field's values over the layer; NaN: none); "" for one plain colour.
  std::string value_field{};
  std::vector<double> values{};

  // The outline, by level (0 the coarsest of `level_count`): see outline_width_mm() and
  // outline_colour(). A layer holding cells of several levels names the field that says each
  // feature's level in `level_field`, with the values it takes, coarsest first, in
  // `level_values` (each then drawn as its level, the finest filled and the coarser outlined
  // over it); `level` is ignored then.
  int level = 0;
  int level_count = 1;
  std::string level_field{};
  std::vector<std::string> level_values{};

  bool fill_coarser_levels = false;  // with level_field: fill every level, not the finest only

  std::string label_field{};      // the field labelling each feature; "" for no labels
  Rgb plain_fill{199, 211, 224};  // the fill without a value field (render's kMapPlainFill)
  double fill_opacity = 1.0;      // 0..1; 0 draws outlines only
};

// The styles libgrid's writers give their layers:
// - a grid set: each level's layer filled by households, outlined as its level, labelled by name
//   (the default), and a second style "libgrid outline" with the outlines and labels only, to
//   put a coarser level over a finer one as render_map draws them;
std::vector<LayerStyle> grid_set_styles(const GridSet& grids);
// - validation problems: "problems" in translucent red, outlined by the level of each problem
//   (level_name), labelled by kind;
std::vector<LayerStyle> problem_styles(const ValidationReport& report, const GridSet& grids);
// - an evaluation by a level: "evaluation" filled by events_per_100_households, outlined as the
//   level, labelled by name (an evaluation by worker or department has no map layer: none);
std::vector<LayerStyle> evaluation_styles(const Evaluation& evaluation, const GridSet& grids);
// - the cells an incident zone touches: "zone_cells" with the finest level filled by the
//   households inside the zone and every coarser level outlined over it, labelled by name.
std::vector<LayerStyle> zone_styles(const ZoneReport& report, const GridSet& grids);

// One class of a graduated fill: values in [lower, upper] take `colour`.
struct StyleClass {
  double lower = 0.0;
  double upper = 0.0;
  Rgb colour{};
};

// Equal intervals between the smallest and the largest finite value, as many as there are
// distinct values up to `max_classes`, each coloured viridis() at its middle (so a cell gets
// about the colour render_map gives it); the last upper bound is exactly the largest value.
// One class for a single distinct value, none when no value is finite.
// REQUIRES: max_classes >= 1.
std::vector<StyleClass> style_classes(const std::vector<double>& values, int max_classes = 5);

// The outline of level `level` (0 the coarsest) of `level_count`: the finest level is drawn
// thin and white as render_map draws a level's cells; each coarser level thicker (millimetres)
// and darker, down to render's kMapOutline for the coarsest.
double outline_width_mm(int level, int level_count);
Rgb outline_colour(int level, int level_count);

// The style in QGIS's QML format (a graduated renderer over `value_field`, else one symbol;
// simple labels over `label_field`), and as an OGC Styled Layer Descriptor (SLD 1.1).
std::string layer_style_qml(const LayerStyle& style);
std::string layer_style_sld(const LayerStyle& style);

// A row of a GeoPackage's layer_styles table.
struct StoredLayerStyle {
  std::string table{};  // f_table_name
  std::string geometry_column{};
  std::string name{};  // styleName
  std::string qml{};
  std::string sld{};
  std::string description{};
  bool use_as_default = false;
};

// The rows of the layer_styles table of the GeoPackage at `path`, in the order stored; none when
// it has no such table. Throws Error(kIo) when the file cannot be opened as a GeoPackage.
std::vector<StoredLayerStyle> read_layer_styles(const std::string& path);

}  // namespace libgrid
