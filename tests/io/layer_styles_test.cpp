#include "libgrid/io/layer_styles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/zone_file.h"
#include "libgrid/render/map_render.h"
#include "libgrid/stats/evaluation_file.h"
#include "libgrid/validate/problems_file.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Ring square(double x0, double y0, double size) {
  return {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}};
}

// Two levels: a district of 100 x 100 and four grids of 50 x 50 with 0, 10, 30 and 40
// households. The second level's name needs escaping in XML and in QGIS expressions.
GridSet two_levels() {
  GridSet grids;
  grids.add_level("district");
  grids.add_level("grid \"A&B\" 'x'");
  grids.set_crs("EPSG:4548");
  Cell district;
  district.code = "1";
  district.name = "东城区";
  district.households = 80;
  district.geometry.polygons.push_back(Polygon{{square(0, 0, 100)}});
  const CellId d = grids.add_cell(district);
  const double households[] = {0, 10, 30, 40};
  for (int i = 0; i < 4; ++i) {
    Cell g;
    g.code = "1" + std::to_string(i + 1);
    g.name = "grid " + std::to_string(i + 1);
    g.level = 1;
    g.parent = d;
    g.households = static_cast<std::int64_t>(households[i]);
    g.geometry.polygons.push_back(Polygon{{square(50.0 * (i % 2), 50.0 * (i / 2), 50)}});
    grids.add_cell(g);
  }
  return grids;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

TEST(StyleClasses, EqualIntervalsFromSmallestToLargestColouredAtTheirMiddles) {
  const std::vector<StyleClass> classes = style_classes({50, 0, 10, kNaN, 20, 30, 40}, 5);
  ASSERT_EQ(classes.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_DOUBLE_EQ(classes[i].lower, 10.0 * i);
    EXPECT_DOUBLE_EQ(classes[i].upper, 10.0 * (i + 1));
    EXPECT_EQ(classes[i].colour, viridis((i + 0.5) / 5));
  }
  EXPECT_EQ(classes.back().upper, 50.0);  // exactly: the largest value is in a class
}

TEST(StyleClasses, NoMoreClassesThanDistinctValues) {
  const std::vector<StyleClass> two = style_classes({3, 7, 3, 7}, 5);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].lower, 3.0);
  EXPECT_EQ(two[0].upper, 5.0);
  EXPECT_EQ(two[1].upper, 7.0);
  const std::vector<StyleClass> one = style_classes({4, 4}, 5);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].lower, 4.0);
  EXPECT_EQ(one[0].upper, 4.0);
  EXPECT_TRUE(style_classes({kNaN, std::numeric_limits<double>::infinity()}, 5).empty());
  EXPECT_TRUE(style_classes({}, 5).empty());
}

TEST(Outline, CoarserLevelsThickerAndDarkerFinestAsRenderDrawsCells) {
  const int n = 5;
  EXPECT_EQ(outline_colour(n - 1, n), kMapCellLine);
  EXPECT_EQ(outline_colour(0, n), kMapOutline);
  for (int level = 1; level < n; ++level) {
    SCOPED_TRACE(level);
    EXPECT_GT(outline_width_mm(level - 1, n), outline_width_mm(level, n));
    EXPECT_LT(lightness(outline_colour(level - 1, n)), lightness(outline_colour(level, n)));
  }
  EXPECT_EQ(outline_colour(0, 2), kMapOutline);
  EXPECT_EQ(outline_colour(0, 1), kMapCellLine);  // a single level is the finest
}

TEST(LayerStyleQml, GraduatedByTheValueFieldLabelledByTheLabelField) {
  LayerStyle s;
  s.layer = "grid";
  s.value_field = "households";
  s.values = {0, 10, 30, 40};
  s.level = 1;
  s.level_count = 2;
  s.label_field = "name";
  const std::string qml = layer_style_qml(s);
  EXPECT_EQ(qml.rfind("<!DOCTYPE qgis", 0), 0u);
  EXPECT_NE(qml.find("<renderer-v2 type=\"graduatedSymbol\" attr=\"households\""),
            std::string::npos);
  EXPECT_EQ(occurrences(qml, "<range "), 4u);
  EXPECT_NE(qml.find("<range lower=\"0\" upper=\"10\""), std::string::npos);
  EXPECT_NE(qml.find("<range lower=\"30\" upper=\"40\""), std::string::npos);
  EXPECT_NE(qml.find("fieldName=\"name\""), std::string::npos);
  EXPECT_NE(qml.find("labelsEnabled=\"1\""), std::string::npos);
  // The finest of two levels: render's thin white cell lines.
  EXPECT_NE(qml.find("name=\"outline_color\" value=\"255,255,255,255\""), std::string::npos);
  EXPECT_NE(qml.find("name=\"color\" value=\"" + std::to_string(viridis(0.125).r) + ','),
            std::string::npos);
}

TEST(LayerStyleQml, PlainFillWithoutValueFieldNoLabelsWithoutLabelField) {
  LayerStyle s;
  s.layer = "problems";
  s.plain_fill = kMapMoved;
  s.fill_opacity = 0.5;
  const std::string qml = layer_style_qml(s);
  EXPECT_NE(qml.find("<renderer-v2 type=\"singleSymbol\""), std::string::npos);
  EXPECT_NE(qml.find("value=\"228,26,28,128\""), std::string::npos);
  EXPECT_EQ(qml.find("<labeling"), std::string::npos);
  EXPECT_NE(qml.find("labelsEnabled=\"0\""), std::string::npos);
}

TEST(LayerStyleQml, MixedLevelsOutlinedAndOrderedByTheLevelFieldEscaped) {
  const GridSet grids = two_levels();
  ZoneReport report;
  const std::vector<LayerStyle> styles = zone_styles(report, grids);
  ASSERT_EQ(styles.size(), 1u);
  const std::string qml = layer_style_qml(styles[0]);
  // CASE WHEN "level" = 'grid "A&B" ''x''' THEN ..., escaped for XML.
  EXPECT_NE(qml.find("WHEN &quot;level&quot; = &apos;grid &quot;A&amp;B&quot; "
                     "&apos;&apos;x&apos;&apos;&apos; THEN"),
            std::string::npos);
  EXPECT_NE(qml.find("name=\"outlineWidth\""), std::string::npos);
  EXPECT_NE(qml.find("name=\"fillColor\""), std::string::npos);  // only the finest is filled
  EXPECT_NE(qml.find("enableorderby=\"1\""), std::string::npos);
  const std::string sld = layer_style_sld(styles[0]);
  EXPECT_NE(sld.find("<ogc:Literal>grid &quot;A&amp;B&quot; &apos;x&apos;</ogc:Literal>"),
            std::string::npos);
}

TEST(LayerStyleSld, OneRulePerClassAndALabelRule) {
  LayerStyle s;
  s.layer = "grid";
  s.value_field = "households";
  s.values = {0, 10, 30, 40};
  s.label_field = "name";
  const std::string sld = layer_style_sld(s);
  EXPECT_EQ(occurrences(sld, "<se:PolygonSymbolizer>"), 4u);
  EXPECT_EQ(occurrences(sld, "<se:TextSymbolizer>"), 1u);
  EXPECT_NE(sld.find("<ogc:PropertyName>households</ogc:PropertyName>"), std::string::npos);
  EXPECT_NE(sld.find(hex_colour(viridis(0.125))), std::string::npos);
}

TEST(LayerStylesTable, GridSetFileHasOneDefaultStylePerLevel) {
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  const GridSet grids = two_levels();
  write_grid_set(grids, path);
  const std::vector<StoredLayerStyle> stored = read_layer_styles(path);
  ASSERT_EQ(stored.size(), 4u);  // per level: the default, then outlines only
  std::vector<StoredLayerStyle> styles;
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    const StoredLayerStyle& filled = stored[2 * i];
    const StoredLayerStyle& outline = stored[2 * i + 1];
    for (const StoredLayerStyle& s : {filled, outline}) {
      EXPECT_EQ(s.table, grids.levels()[i]);
      EXPECT_EQ(s.geometry_column, "geom");
      EXPECT_NE(s.sld.find("<StyledLayerDescriptor"), std::string::npos);
      EXPECT_FALSE(s.description.empty());
    }
    EXPECT_EQ(filled.name, "libgrid");
    EXPECT_TRUE(filled.use_as_default);
    EXPECT_NE(filled.qml.find("attr=\"households\""), std::string::npos);
    EXPECT_EQ(outline.name, "libgrid outline");
    EXPECT_FALSE(outline.use_as_default);
    EXPECT_NE(outline.qml.find("<renderer-v2 type=\"singleSymbol\""), std::string::npos);
    EXPECT_NE(outline.qml.find("name=\"style\" value=\"no\""), std::string::npos);
    styles.push_back(filled);
  }
  // Classes from the data: the district's one value, the grids' 0..40.
  EXPECT_NE(styles[0].qml.find("<range lower=\"80\" upper=\"80\""), std::string::npos);
  EXPECT_NE(styles[1].qml.find("<range lower=\"0\" upper=\"10\""), std::string::npos);
  EXPECT_NE(styles[1].qml.find("upper=\"40\""), std::string::npos);
  // The file still reads back as the same grid set.
  EXPECT_EQ(read_grid_set(path).size(), grids.size());
}

TEST(LayerStylesTable, ProblemsEvaluationAndZoneFilesStyleTheirMapLayers) {
  const std::string folder = libgrid::testing::temporary_folder();
  const GridSet grids = two_levels();

  ValidationReport report;
  Problem p;
  p.kind = ProblemKind::kGap;
  p.level = 1;
  p.cell_code = "1";
  p.where.polygons.push_back(Polygon{{square(0, 0, 1)}});
  report.problems.push_back(p);
  write_problems(report, grids, folder + "/problems.gpkg");
  std::vector<StoredLayerStyle> styles = read_layer_styles(folder + "/problems.gpkg");
  ASSERT_EQ(styles.size(), 1u);  // the table of problems without areas has no map
  EXPECT_EQ(styles[0].table, "problems");
  EXPECT_NE(styles[0].qml.find("fieldName=\"kind\""), std::string::npos);
  EXPECT_NE(styles[0].qml.find("&quot;level_name&quot;"), std::string::npos);

  Evaluation evaluation;
  evaluation.by = grids.levels()[1];
  evaluation.by_level = true;
  for (CellId id : grids.cells_of_level(1)) {
    GroupEvaluation g;
    g.key = grids.cell(id).code;
    g.name = grids.cell(id).name;
    g.cell = id;
    g.events_per_100_households = id == 1 ? kNaN : (id == 2 ? 5.0 : 10.0);  // one without
    evaluation.groups.push_back(g);
  }
  write_evaluation(evaluation, grids, folder + "/evaluation.gpkg");
  styles = read_layer_styles(folder + "/evaluation.gpkg");
  ASSERT_EQ(styles.size(), 1u);
  EXPECT_EQ(styles[0].table, "evaluation");
  EXPECT_NE(styles[0].qml.find("attr=\"events_per_100_households\""), std::string::npos);
  EXPECT_NE(styles[0].qml.find("<range lower=\"5\" upper=\"7.5\""), std::string::npos);
  EXPECT_NE(styles[0].qml.find("<range lower=\"7.5\" upper=\"10\""), std::string::npos);

  evaluation.by = "worker";
  evaluation.by_level = false;
  write_evaluation(evaluation, grids, folder + "/workers.gpkg");
  EXPECT_TRUE(read_layer_styles(folder + "/workers.gpkg").empty());  // no map layer

  ZoneReport zone;
  for (CellId id : {0, 2, 3}) {
    ZoneCell z;
    z.cell = id;
    z.level = grids.cell(id).level;
    z.households = id == 0 ? 100 : 4.0 * id;  // the district's count is not a class bound
    zone.cells.push_back(z);
  }
  write_zone_cells(zone, grids, folder + "/zone.gpkg");
  styles = read_layer_styles(folder + "/zone.gpkg");
  ASSERT_EQ(styles.size(), 1u);
  EXPECT_EQ(styles[0].table, "zone_cells");
  // Classes of the finest level's values, the outer ones open so that every level is drawn.
  EXPECT_NE(styles[0].qml.find("<range lower=\"-1.7976931348623157e+308\" upper=\"10\""),
            std::string::npos);
  EXPECT_NE(styles[0].qml.find("label=\"8 - 10\""), std::string::npos);
  EXPECT_NE(styles[0].qml.find("upper=\"1.7976931348623157e+308\" symbol=\"1\" label=\"10 - 12\""),
            std::string::npos);
}

TEST(LayerStylesTable, AnEmptyLevelIsStyledTooAMissingFileThrows) {
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  GridSet grids;
  grids.add_level("district");
  write_grid_set(grids, path);  // no cells: one plain symbol, no classes
  const std::vector<StoredLayerStyle> styles = read_layer_styles(path);
  ASSERT_EQ(styles.size(), 2u);
  EXPECT_NE(styles[0].qml.find("<renderer-v2 type=\"singleSymbol\""), std::string::npos);
  EXPECT_THROW(read_layer_styles(path + ".missing"), Error);
}

}  // namespace
}  // namespace libgrid
