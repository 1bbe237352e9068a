#include "libgrid/io/grid_set_import.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>

#include "libgrid/error.h"
#include "libgrid/geometry/wkb.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/validate/validate.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- GeoJSON fixtures, written as text so each test shows exactly what GDAL reads ----

std::string box(int x0, int y0, int x1, int y1) {
  auto p = [](int x, int y) { return "[" + std::to_string(x) + "," + std::to_string(y) + "]"; };
  return "[" + p(x0, y0) + "," + p(x1, y0) + "," + p(x1, y1) + "," + p(x0, y1) + "," + p(x0, y0) +
         "]";
}

std::string polygon(const std::string& rings) {
  return R"({"type":"Polygon","coordinates":[)" + rings + "]}";
}

std::string feature(int id, const std::string& properties, const std::string& geometry) {
  return R"({"type":"Feature","id":)" + std::to_string(id) + R"(,"properties":{)" + properties +
         R"(},"geometry":)" + geometry + "}";
}

// Writes a FeatureCollection; `crs` is an optional OGC URN.
std::string write_geojson(const std::string& name, const std::vector<std::string>& features,
                          const std::string& crs = "") {
  const std::string path = libgrid::testing::temporary_folder() + "/" + name + ".geojson";
  std::ofstream out(path);
  out << R"({"type":"FeatureCollection",)";
  if (!crs.empty()) out << R"("crs":{"type":"name","properties":{"name":")" << crs << R"("}},)";
  out << R"("features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) out << (i ? "," : "") << features[i];
  out << "]}";
  return path;
}

std::string write_text(const std::string& name, const std::string& text) {
  const std::string path = libgrid::testing::temporary_folder() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// One bad feature after a good one, imported as a single level: the error it raises.
Error error_for_feature(const std::string& properties, const std::string& geometry) {
  const std::string path = write_geojson(
      "cells",
      {feature(1, R"("code":"ok")", polygon(box(0, 0, 1, 1))), feature(7, properties, geometry)});
  return error_of([&] { import_grid_set({{"grid", path}}); });
}

// The feature 7 part of an error message from error_for_feature.
void expect_names_feature(const Error& e) {
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(e.where().file, "cells.geojson")) << e.what();
  EXPECT_EQ(e.where().layer, "cells") << e.what();
  EXPECT_EQ(e.where().feature, 7) << e.what();
  EXPECT_TRUE(contains(e.what(), "cells.geojson: layer cells: feature 7: ")) << e.what();
}

// Two districts and their streets, codes nesting by prefix.
struct TwoLevels {
  std::string districts = write_geojson(
      "districts", {feature(1,
                            R"("code":11,"name":"东城区","households":1200.0,"population":"4500",)"
                            R"("kind":"basic","note":"a, b","rank":2.5)",
                            polygon(box(0, 0, 10, 10))),
                    feature(2,
                            R"("code":12,"name":"西城区","households":null,"population":" 7 ",)"
                            R"("kind":"Dedicated","note":null,"rank":3.0)",
                            polygon(box(10, 0, 20, 10)))});
  std::string streets = write_geojson(
      "streets", {feature(0, R"("code":"11001","name":"s1")", polygon(box(1, 1, 5, 5))),
                  feature(1, R"("code":"12001","name":"s2")", polygon(box(11, 1, 15, 5))),
                  feature(2, R"("code":"1100","name":"s3")", polygon(box(5, 5, 9, 9)))});
};

TEST(GridSetImport, ReadsLevelsFieldsAttributesAndGeometry) {
  const TwoLevels sources;
  const ImportResult result =
      import_grid_set({{"district", sources.districts}, {"street", sources.streets}});
  const GridSet& grids = result.grids;
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(grids.levels(), (std::vector<std::string>{"district", "street"}));
  EXPECT_EQ(grids.crs(), "EPSG:4326");  // GeoJSON's default
  ASSERT_EQ(grids.size(), 5u);

  const Cell& dongcheng = grids.cell(0);
  EXPECT_EQ(dongcheng.code, "11");  // an integer field becomes text
  EXPECT_EQ(dongcheng.name, "东城区");
  EXPECT_EQ(dongcheng.level, 0);
  EXPECT_EQ(dongcheng.parent, kNoCell);
  EXPECT_EQ(dongcheng.households, 1200);
  EXPECT_EQ(dongcheng.population, 4500);
  EXPECT_EQ(dongcheng.kind, CellKind::kBasic);
  ASSERT_EQ(dongcheng.attributes.size(), 2u);
  EXPECT_EQ(dongcheng.attributes[0].name, "note");
  EXPECT_EQ(dongcheng.attributes[0].value, "a, b");
  EXPECT_EQ(dongcheng.attributes[1].name, "rank");
  EXPECT_EQ(dongcheng.attributes[1].value, "2.5");
  ASSERT_EQ(dongcheng.geometry.polygons.size(), 1u);
  EXPECT_EQ(dongcheng.geometry.polygons[0].rings,
            (std::vector<Ring>{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}));

  const Cell& xicheng = grids.cell(1);
  EXPECT_EQ(xicheng.households, 0);  // null
  EXPECT_EQ(xicheng.population, 7);
  EXPECT_EQ(xicheng.kind, CellKind::kDedicated);
  ASSERT_EQ(xicheng.attributes.size(), 1u);  // the null note is left out
  EXPECT_EQ(xicheng.attributes[0].name, "rank");
  EXPECT_EQ(xicheng.attributes[0].value, "3");

  EXPECT_EQ(grids.cell(grids.find("11001")).parent, grids.find("11"));
  EXPECT_EQ(grids.cell(grids.find("12001")).parent, grids.find("12"));
  EXPECT_EQ(grids.cell(grids.find("1100")).parent, grids.find("11"));
  EXPECT_EQ(grids.cell(grids.find("1100")).level, 1);
}

TEST(GridSetImport, RealCodesBecomeTextWithoutFraction) {
  const std::string path =
      write_geojson("real_codes", {feature(1, R"("adcode":110101.0)", polygon(box(0, 0, 1, 1))),
                                   feature(2, R"("adcode":2.5)", polygon(box(1, 0, 2, 1)))});
  const GridSet grids = import_grid_set({{"district", path, "", "adcode"}}).grids;
  EXPECT_EQ(grids.cell(0).code, "110101");
  EXPECT_EQ(grids.cell(1).code, "2.5");
}

TEST(GridSetImport, LinksByParentCodeFieldBeforePrefixAndSpace) {
  const std::string upper =
      write_geojson("upper", {feature(1, R"("code":"A")", polygon(box(0, 0, 10, 10))),
                              feature(2, R"("code":"B")", polygon(box(10, 0, 20, 10)))});
  const std::string lower =
      write_geojson("lower",
                    {// Inside A, but the field says B: the field wins.
                     feature(1, R"("code":"A1","parent_code":"B")", polygon(box(1, 1, 2, 2))),
                     // Empty field: the code's prefix decides.
                     feature(2, R"("code":"A2","parent_code":"")", polygon(box(12, 1, 13, 2))),
                     // No field value and no prefix: the geometry decides.
                     feature(3, R"("code":"z","parent_code":null)", polygon(box(12, 3, 13, 4)))});
  const GridSet grids = import_grid_set({{"upper", upper}, {"lower", lower}}).grids;
  EXPECT_EQ(grids.cell(grids.find("A1")).parent, grids.find("B"));
  EXPECT_EQ(grids.cell(grids.find("A2")).parent, grids.find("A"));
  EXPECT_EQ(grids.cell(grids.find("z")).parent, grids.find("B"));
}

TEST(GridSetImport, RefusesParentCodeThatIsNotOnTheLevelAbove) {
  const std::string upper =
      write_geojson("upper", {feature(1, R"("code":"A")", polygon(box(0, 0, 10, 10)))});
  for (const char* parent : {"C", "A1"}) {
    const std::string lower = write_geojson(
        "lower", {feature(1, R"("code":"A1")", polygon(box(1, 1, 2, 2))),
                  feature(4, R"("code":"A2","parent_code":")" + std::string(parent) + "\"",
                          polygon(box(3, 3, 4, 4)))});
    const Error e = error_of([&] { import_grid_set({{"upper", upper}, {"lower", lower}}); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              lower + ": layer lower: feature 4: field parent_code: " + "parent code '" + parent +
                  "' is not a code of level 'upper'");
  }
}

TEST(GridSetImport, LinksSpatiallyToTheParentHoldingMostOfTheArea) {
  const std::string upper =
      write_geojson("upper", {feature(1, R"("code":"A")", polygon(box(0, 0, 10, 10))),
                              feature(2, R"("code":"B")", polygon(box(10, 0, 20, 10)))});
  const std::string lower =
      write_geojson("lower", {feature(1, R"("code":"x1")", polygon(box(1, 1, 4, 4))),
                              // 12 units in A, 48 in B.
                              feature(2, R"("code":"x2")", polygon(box(8, 2, 18, 8))),
                              // Far away.
                              feature(3, R"("code":"x3")", polygon(box(30, 30, 31, 31))),
                              // Touches A along an edge only: no shared area.
                              feature(4, R"("code":"x4")", polygon(box(-5, 0, 0, 10)))});
  const ImportResult result = import_grid_set({{"upper", upper}, {"lower", lower}});
  const GridSet& grids = result.grids;
  EXPECT_EQ(grids.cell(grids.find("x1")).parent, grids.find("A"));
  EXPECT_EQ(grids.cell(grids.find("x2")).parent, grids.find("B"));
  EXPECT_EQ(grids.cell(grids.find("x3")).parent, kNoCell);
  EXPECT_EQ(grids.cell(grids.find("x4")).parent, kNoCell);
  ASSERT_EQ(result.warnings.size(), 2u);
  EXPECT_TRUE(contains(result.warnings[0], "layer lower: feature 3: cell 'x3' has no parent"))
      << result.warnings[0];
  EXPECT_TRUE(contains(result.warnings[1], "feature 4: cell 'x4' has no parent"))
      << result.warnings[1];
}

TEST(GridSetImport, RefusesUnclosedRing) {
  // GDAL's GeoJSON reader keeps the ring as written.
  const Error e = error_for_feature(R"("code":"bad")", polygon("[[0,0],[1,0],[1,1],[0,1]]"));
  expect_names_feature(e);
  EXPECT_EQ(e.detail(),
            "cell 'bad': ring 1 of polygon 1 is not closed: it starts at (0 0) and ends at (0 1)");
}

TEST(GridSetImport, RefusesSelfIntersectionWithItsLocationAndSuggestsMakeValid) {
  const Error e = error_for_feature(R"("code":"bad")", polygon("[[0,0],[2,2],[2,0],[0,2],[0,0]]"));
  expect_names_feature(e);
  EXPECT_EQ(e.detail(),
            "cell 'bad': self-intersecting polygon at (1 1); repair it or import with make-valid");
}

TEST(GridSetImport, RefusesOtherInvalidPolygons) {
  const Error hole =
      error_for_feature(R"("code":"bad")", polygon(box(0, 0, 10, 10) + "," + box(20, 20, 21, 21)));
  expect_names_feature(hole);
  EXPECT_TRUE(hole.detail().starts_with("cell 'bad': hole lies outside shell at (")) << hole.what();
  EXPECT_TRUE(hole.detail().ends_with("; repair it or import with make-valid")) << hole.what();

  const Error nested =
      error_for_feature(R"("code":"bad")", R"({"type":"MultiPolygon","coordinates":[[)" +
                                               box(0, 0, 10, 10) + "],[" + box(2, 2, 3, 3) + "]]}");
  expect_names_feature(nested);
  EXPECT_TRUE(nested.detail().starts_with("cell 'bad': nested shells at (")) << nested.what();
}

// ---- make_valid: invalid polygons repaired, their areas kept ----

// One invalid feature (id 7, code "bad") imported with make_valid; its one repair is checked
// to name the feature, its problem and the areas before and after.
ImportResult import_made_valid(const std::string& geometry, const std::string& problem,
                               double area_before, double area_after) {
  const std::string path = write_geojson("cells", {feature(7, R"("code":"bad")", geometry)});
  ImportOptions options;
  options.make_valid = true;
  ImportResult result = import_grid_set({{"grid", path}}, options);
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(result.warnings);
  EXPECT_EQ(result.repairs.size(), 1u);
  if (result.repairs.size() == 1) {
    const ImportRepair& repair = result.repairs[0];
    EXPECT_EQ(repair.where.file, path);
    EXPECT_EQ(repair.where.layer, "cells");
    EXPECT_EQ(repair.where.feature, 7);
    EXPECT_EQ(repair.code, "bad");
    EXPECT_EQ(repair.problem, problem);
    EXPECT_EQ(repair.area_before, area_before);
    EXPECT_EQ(repair.area_after, area_after);
    EXPECT_EQ(area(result.grids.cell(0).geometry), area_after);
  }
  return result;
}

TEST(GridSetImport, MakeValidSplitsABowTieIntoItsTwoTriangles) {
  // The shoelace formula cancels the two loops of the ring; the triangles have area 1 each.
  const ImportResult result = import_made_valid(polygon("[[0,0],[2,2],[2,0],[0,2],[0,0]]"),
                                                "self-intersecting polygon at (1 1)", 0.0, 2.0);
  ASSERT_EQ(result.repairs.size(), 1u);
  EXPECT_EQ(result.repairs[0].share_changed(), 1.0);
  EXPECT_EQ(
      describe(result.repairs[0]),
      result.repairs[0].where.file +
          ": layer cells: feature 7: cell 'bad': repaired self-intersecting polygon at (1 1); "
          "area 0 -> 2 (100% changed)");
  EXPECT_EQ(result.grids.cell(0).geometry.polygons.size(), 2u);
}

TEST(GridSetImport, MakeValidSeparatesARingTouchingItselfOutside) {
  // Two squares meeting at (2 2), drawn as one ring: the loops lie outside each other, so the
  // touch does not form a hole (which would be valid).
  const ImportResult result =
      import_made_valid(polygon("[[0,0],[2,0],[2,2],[4,2],[4,4],[2,4],[2,2],[0,2],[0,0]]"),
                        "interior is disconnected at (2 2)", 8.0, 8.0);
  ASSERT_EQ(result.repairs.size(), 1u);
  EXPECT_EQ(result.repairs[0].share_changed(), 0.0);
  EXPECT_TRUE(describe(result.repairs[0]).ends_with("; area 8 -> 8 (0% changed)"));
  const MultiPolygon& made = result.grids.cell(0).geometry;
  ASSERT_EQ(made.polygons.size(), 2u);
  for (const Polygon& square : made.polygons) EXPECT_EQ(area(MultiPolygon{{square}}), 4.0);
}

TEST(GridSetImport, MakeValidDropsASpikeKeepingTheArea) {
  // A spike out to (5 15) and straight back: GEOS's repair leaves it as a line, which is dropped.
  const ImportResult result =
      import_made_valid(polygon("[[0,0],[10,0],[10,10],[5,10],[5,15],[5,10],[0,10],[0,0]]"),
                        "self-intersecting polygon at (5 10)", 100.0, 100.0);
  const MultiPolygon& made = result.grids.cell(0).geometry;
  ASSERT_EQ(made.polygons.size(), 1u);
  ASSERT_EQ(made.polygons[0].rings.size(), 1u);
  for (const Point& p : made.polygons[0].rings[0]) EXPECT_LE(p.y, 10.0);
}

TEST(GridSetImport, MakeValidTurnsAHoleOutsideItsShellIntoAPolygon) {
  const ImportResult result =
      import_made_valid(polygon(box(0, 0, 10, 10) + "," + box(20, 20, 21, 21)),
                        "hole lies outside shell at (20 20)", 99.0, 101.0);
  ASSERT_EQ(result.repairs.size(), 1u);
  EXPECT_EQ(result.repairs[0].share_changed(), 2.0 / 101.0);
  EXPECT_EQ(result.grids.cell(0).geometry.polygons.size(), 2u);
}

TEST(GridSetImport, MakeValidLeavesValidPolygonsAlone) {
  const std::string path = write_geojson(
      "valid", {feature(1, R"("code":"a")", polygon(box(0, 0, 1, 1))),
                feature(2, R"("code":"hole")",
                        polygon("[[0,0],[10,0],[10,10],[5,10],[7,5],[3,5],[5,10],[0,10],[0,0]]"))});
  ImportOptions options;
  options.make_valid = true;
  const ImportResult result = import_grid_set({{"grid", path}}, options);
  EXPECT_TRUE(result.repairs.empty());
  // A ring touching itself to form a hole is valid (the ESRI model) and kept as drawn.
  EXPECT_EQ(result.grids.cell(1).geometry.polygons[0].rings[0].size(), 9u);
}

TEST(GridSetImport, MakeValidRefusesWhatLeavesNoArea) {
  // A ring that runs out and back along itself has no area; GEOS makes it a line.
  const std::string path = write_geojson(
      "flat", {feature(7, R"("code":"bad")", polygon("[[0,0],[2,0],[2,2],[2,0],[0,0]]"))});
  ImportOptions options;
  options.make_valid = true;
  const Error e = error_of([&] { import_grid_set({{"grid", path}}, options); });
  EXPECT_EQ(e.where().feature, 7) << e.what();
  EXPECT_TRUE(e.detail().ends_with("and repairing it leaves no area")) << e.what();
}

TEST(GridSetImport, AcceptsRingTouchingItselfToFormAHole) {
  const std::string path = write_geojson(
      "touching",
      {feature(1, R"("code":"t")",
               polygon("[[0,0],[10,0],[10,10],[5,10],[7,5],[3,5],[5,10],[0,10],[0,0]]"))});
  const GridSet grids = import_grid_set({{"grid", path}}).grids;
  EXPECT_DOUBLE_EQ(area(grids.cell(0).geometry), 100.0 - 10.0);
}

TEST(GridSetImport, RefusesNonFiniteCoordinates) {
  // GDAL's JSON parser reads NaN and Infinity, which are not JSON.
  const Error nan = error_for_feature(R"("code":"bad")", polygon("[[0,0],[NaN,0],[1,1],[0,0]]"));
  expect_names_feature(nan);
  EXPECT_EQ(nan.detail(), "cell 'bad': coordinate (nan 0) in ring 1 of polygon 1 is not finite");
  // Checked before closure.
  const Error inf =
      error_for_feature(R"("code":"bad")", polygon("[[0,0],[1,0],[1,-Infinity],[0,1]]"));
  expect_names_feature(inf);
  EXPECT_EQ(inf.detail(), "cell 'bad': coordinate (1 -inf) in ring 1 of polygon 1 is not finite");
}

TEST(GridSetImport, RefusesMissingOrNonPolygonalGeometry) {
  const Error point =
      error_for_feature(R"("code":"bad")", R"({"type":"Point","coordinates":[1,2]})");
  expect_names_feature(point);
  EXPECT_EQ(point.detail(), "cell 'bad': expected a Polygon or MultiPolygon, found Point");
  const Error none = error_for_feature(R"("code":"bad")", "null");
  expect_names_feature(none);
  EXPECT_EQ(none.detail(), "cell 'bad': no geometry");
  // GDAL reads GeoJSON's empty coordinates as no geometry; WKT can say EMPTY.
  const std::string path = write_text("empty.csv", "code,WKT\nA,POLYGON EMPTY\n");
  ImportOptions options;
  options.crs = "EPSG:4548";
  const Error empty = error_of([&] { import_grid_set({{"grid", path}}, options); });
  EXPECT_EQ(std::string(empty.what()), path + ": layer empty: feature 1: cell 'A': empty geometry");
}

TEST(GridSetImport, DropsDegenerateRingsWithAWarning) {
  const std::string path = write_geojson(
      "degenerate", {feature(3, R"("code":"d")",
                             R"({"type":"MultiPolygon","coordinates":[[)" + box(0, 0, 10, 10) +
                                 // A hole of 3 points and a hole of zero area.
                                 ",[[1,1],[2,2],[1,1]],[[3,3],[4,4],[5,5],[3,3]]]," +
                                 // A polygon whose shell is a line.
                                 "[[[20,0],[21,0],[22,0],[20,0]]]]}")});
  const ImportResult result = import_grid_set({{"grid", path}});
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0], path +
                                    ": layer degenerate: feature 3: dropped 3 degenerate rings "
                                    "(fewer than 4 points or zero area)");
  const MultiPolygon& kept = result.grids.cell(0).geometry;
  ASSERT_EQ(kept.polygons.size(), 1u);
  EXPECT_EQ(kept.polygons[0].rings.size(), 1u);
  EXPECT_EQ(area(kept), 100.0);
}

TEST(GridSetImport, RefusesFeatureWithOnlyDegenerateRings) {
  const Error e = error_for_feature(R"("code":"bad")", polygon("[[0,0],[1,1],[0,0]]"));
  expect_names_feature(e);
  EXPECT_TRUE(e.detail().starts_with("cell 'bad': nothing left after dropping a degenerate ring"))
      << e.what();
}

TEST(GridSetImport, RefusesMissingCodeField) {
  const std::string path =
      write_geojson("nocode", {feature(1, R"("id_code":"A")", polygon(box(0, 0, 1, 1)))});
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()), path + ": layer nocode: field code: no such field");
  const Error named = error_of([&] { import_grid_set({{"grid", path, "", "adcode"}}); });
  EXPECT_EQ(named.where().field, "adcode");
}

TEST(GridSetImport, RefusesEmptyAndDuplicateCodes) {
  const Error empty = error_for_feature(R"("code":"  ")", polygon(box(0, 0, 1, 1)));
  expect_names_feature(empty);
  EXPECT_EQ(empty.where().field, "code");
  EXPECT_EQ(empty.detail(), "empty code");

  const Error duplicate = error_for_feature(R"("code":"ok")", polygon(box(2, 2, 3, 3)));
  expect_names_feature(duplicate);
  EXPECT_EQ(duplicate.where().field, "code");
  EXPECT_EQ(duplicate.detail(), "duplicate code 'ok' (first used by feature 1)");
}

TEST(GridSetImport, RefusesCodeUsedOnAnotherLevel) {
  const TwoLevels sources;
  const std::string lower =
      write_geojson("lower", {feature(5, R"("code":"11")", polygon(box(1, 1, 2, 2)))});
  const Error e = error_of([&] {
    import_grid_set({{"district", sources.districts}, {"g", lower}});
  });
  EXPECT_EQ(e.where().feature, 5);
  EXPECT_EQ(e.where().field, "code");
  EXPECT_EQ(e.detail(), "duplicate code '11' (first used by " + sources.districts +
                            ": layer districts: feature 1)");
}

// A level whose reserved name or field count a grid set file cannot hold is refused while the
// source is read, naming the source rather than the output written later.
TEST(GridSetImport, RefusesFieldsAGridSetFileCannotHold) {
  const std::string fid =
      write_geojson("fid", {feature(1, R"("code":"A","fid":3)", polygon(box(0, 0, 1, 1)))});
  const Error reserved = error_of([&] { import_grid_set({{"grid", fid}}); });
  EXPECT_EQ(reserved.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(reserved.what()),
            fid +
                ": layer fid: field fid: a grid set file keeps the name 'fid' for itself: "
                "rename the field");

  std::string properties = R"("code":"A")";
  for (int i = 0; i < 5000; ++i)
    properties += ",\"f" + std::to_string(i) + "\":" + std::to_string(i);
  const std::string wide =
      write_geojson("wide", {feature(1, properties, polygon(box(0, 0, 1, 1)))});
  const Error many = error_of([&] { import_grid_set({{"grid", wide}}); });
  EXPECT_EQ(many.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(many.what()), wide + ": layer wide: 5001 fields: a level keeps at most " +
                                          std::to_string(kMaxAttributeColumns) +
                                          " besides its code, name, parent code, households, "
                                          "population and kind");
}

TEST(GridSetImport, RefusesALevelPastA64BitTotal) {
  const std::string path = write_geojson(
      "crowded",
      {feature(1, R"("code":"A","households":9223372036854775000)", polygon(box(0, 0, 1, 1))),
       feature(2, R"("code":"B","households":9223372036854775000)", polygon(box(1, 0, 2, 1)))});
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().file, path);
  EXPECT_EQ(e.where().feature, 2);
  EXPECT_TRUE(contains(e.detail(), "past the largest total a 64-bit count holds")) << e.what();
}

TEST(GridSetImport, RefusesBadCountsAndKinds) {
  for (const char* value : {"-3", "2.5", "\"many\""}) {
    const Error e = error_for_feature(R"("code":"bad","households":)" + std::string(value),
                                      polygon(box(2, 2, 3, 3)));
    expect_names_feature(e);
    EXPECT_EQ(e.where().field, "households") << value;
    EXPECT_TRUE(e.detail().starts_with("not a non-negative integer")) << e.what();
  }
  const Error population =
      error_for_feature(R"("code":"bad","population":-1)", polygon(box(2, 2, 3, 3)));
  EXPECT_EQ(population.where().field, "population");
  const Error kind = error_for_feature(R"("code":"bad","kind":"school")", polygon(box(2, 2, 3, 3)));
  expect_names_feature(kind);
  EXPECT_EQ(kind.where().field, "kind");
  EXPECT_EQ(kind.detail(), "unknown kind 'school' (expected basic or dedicated)");
}

TEST(GridSetImport, SourceWithoutCrsNeedsTheOverride) {
  // GDAL's CSV driver reads a WKT column as geometry and knows no CRS.
  const std::string path = write_text("nocrs.csv",
                                      "code,WKT\n"
                                      "A,\"POLYGON ((500000 4400000,500100 4400000,500100 4400100,"
                                      "500000 4400000))\"\n");
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            path + ": layer nocrs: option crs: no CRS in the source; give one");
  EXPECT_EQ(e.where().option, "crs");  // gridtool says --crs, Python crs=

  ImportOptions options;
  options.crs = "EPSG:4548";
  const GridSet grids = import_grid_set({{"grid", path}}, options).grids;
  EXPECT_EQ(grids.crs(), "EPSG:4548");
  EXPECT_EQ(grids.cell(0).geometry.polygons[0].rings[0][1], (Point{500100, 4400000}));
}

// GDAL's GeoJSON driver falls back to EPSG:4326 when PROJ does not know the declared CRS.
TEST(GridSetImport, RefusesASourceDeclaringAnUnknownCrs) {
  const std::string path =
      write_geojson("unknown_crs", {feature(1, R"("code":"A")", polygon(box(0, 0, 1, 1)))},
                    "urn:ogc:def:crs:EPSG::999999");
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            path + ": cannot make out the CRS it declares: PROJ: proj_create: crs not found");
}

TEST(GridSetImport, RefusesUnknownOverrideCrs) {
  const TwoLevels sources;
  ImportOptions options;
  options.crs = "EPSG:99999";
  const Error e = error_of([&] { import_grid_set({{"district", sources.districts}}, options); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.detail(), "unknown CRS 'EPSG:99999'");
}

TEST(GridSetImport, RefusesLevelInAnotherCrs) {
  const TwoLevels sources;
  const std::string projected =
      write_geojson("projected", {feature(1, R"("code":"11001")", polygon(box(1, 1, 5, 5)))},
                    "urn:ogc:def:crs:EPSG::4548");
  const Error e = error_of([&] {
    import_grid_set({{"district", sources.districts}, {"street", projected}});
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().file, projected);
  EXPECT_EQ(e.detail(), "CRS EPSG:4548 differs from CRS EPSG:4326 of the first level (" +
                            sources.districts + ")");
}

TEST(GridSetImport, KeepsACrsWithoutIdentifierAsWkt) {
  const std::string path = write_text("local.csv", "code,WKT\nA,\"POLYGON ((0 0,1 0,1 1,0 0))\"\n");
  ImportOptions options;
  options.crs = "+proj=tmerc +lon_0=117 +k=1 +x_0=500000 +ellps=GRS80 +units=m";
  const GridSet grids = import_grid_set({{"grid", path}}, options).grids;
  EXPECT_TRUE(grids.crs().starts_with("PROJCRS[")) << grids.crs();
}

TEST(GridSetImport, LinearisesCurvedPolygons) {
  const std::string path =
      write_text("curves.csv", "code,WKT\nc,\"CURVEPOLYGON (CIRCULARSTRING (0 0,2 0,0 0))\"\n");
  ImportOptions options;
  options.crs = "EPSG:4548";
  const Cell cell = import_grid_set({{"grid", path}}, options).grids.cell(0);
  ASSERT_EQ(cell.geometry.polygons.size(), 1u);
  const Ring& ring = cell.geometry.polygons[0].rings[0];
  EXPECT_GT(ring.size(), 16u);
  EXPECT_EQ(ring.front(), ring.back());
  EXPECT_NEAR(area(cell.geometry), std::numbers::pi, 0.01);
}

TEST(GridSetImport, MissingFileIsAnIoError) {
  const std::string path = libgrid::testing::temporary_folder() + "/missing.geojson";
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(e.what()), path + ": no such file");
}

// A source the system will not look at is named with the system's reason, not "no such file".
TEST(GridSetImport, UnreachableSourceSaysWhy) {
  const std::string folder = libgrid::testing::temporary_folder();
  std::filesystem::create_symlink("b.geojson", folder + "/a.geojson");
  std::filesystem::create_symlink("a.geojson", folder + "/b.geojson");
  const Error loop = error_of([&] { import_grid_set({{"grid", folder + "/a.geojson"}}); });
  EXPECT_EQ(loop.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(loop.what()), folder + "/a.geojson: too many levels of symbolic links");
  const std::string long_name = folder + "/" + std::string(300, 'n') + ".geojson";
  EXPECT_EQ(std::string(error_of([&] {
                          import_grid_set({{"grid", long_name}});
                        }).what()),
            long_name + ": file name too long");
}

TEST(GridSetImport, UnreadableFileIsAnIoError) {
  const std::string path = write_text("garbage.geojson", "{\"type\":\"FeatureCollection\",\"feat");
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(e.where().file, path);
}

// GDAL's cause, reported before its summary, is kept.
TEST(GridSetImport, UnreadableFileKeepsGdalsReason) {
  const std::string path =
      write_text("unterminated.geojson", "{\"type\":\"FeatureCollection\",\n[");
  const Error e = error_of([&] { import_grid_set({{"grid", path}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(e.what()), path +
                                       ": cannot open as a vector source: Failed to read GeoJSON "
                                       "data: JSON parsing error: quoted object property name "
                                       "expected (at offset 29)");
}

TEST(GridSetImport, RefusesEmptySourcesAndLevels) {
  const std::string empty_file = write_text("empty.geojson", "");
  const Error file = error_of([&] { import_grid_set({{"grid", empty_file}}); });
  EXPECT_EQ(file.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(file.what()), empty_file + ": empty file");

  // No features, so no fields either: the code field is not what is wrong.
  const std::string no_features = write_geojson("none", {});
  const Error collection = error_of([&] { import_grid_set({{"grid", no_features}}); });
  EXPECT_EQ(collection.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(collection.what()),
            no_features + ": layer none: no features: level 'grid' would have no cells");

  // A GeoPackage layer with its fields but no rows.
  const TwoLevels sources;
  GridSet grids = import_grid_set({{"district", sources.districts}}).grids;
  grids.add_level("street");
  const std::string path = libgrid::testing::temporary_folder() + "/empty_level.gpkg";
  write_grid_set(grids, path);
  const Error layer = error_of([&] { import_grid_set({{"street", path, "street"}}); });
  EXPECT_EQ(std::string(layer.what()),
            path + ": layer street: no features: level 'street' would have no cells");
}

TEST(GridSetImport, RefusesARepeatedLevelNameBeforeReadingAnySource) {
  const TwoLevels sources;
  const std::string missing = libgrid::testing::temporary_folder() + "/missing.geojson";
  const Error e = error_of([&] {
    import_grid_set({{"district", missing}, {"district", sources.streets}});
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()), sources.streets + ": level 'district' is given twice");
}

TEST(GridSetImport, RefusesMissingLayerAndRepeatedLevel) {
  const TwoLevels sources;
  const Error layer = error_of([&] {
    import_grid_set({{"district", sources.districts, "roads"}});
  });
  EXPECT_EQ(layer.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(layer.what()), sources.districts + ": layer roads: no such layer");
  const Error level = error_of([&] {
    import_grid_set({{"district", sources.districts}, {"district", sources.streets}});
  });
  EXPECT_EQ(level.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(level.where().file, sources.streets);
  EXPECT_EQ(error_of([] { import_grid_set({}); }).kind(), ErrorKind::kInvalidInput);
}

TEST(GridSetImport, TruncatedGeoPackageIsAnErrorNamingTheFile) {
  const TwoLevels sources;
  const GridSet grids =
      import_grid_set({{"district", sources.districts}, {"street", sources.streets}}).grids;
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  write_grid_set(grids, path);
  // A source read from a complete GeoPackage first, to show the truncation is what fails.
  EXPECT_EQ(import_grid_set({{"district", path, "district"}}).grids.size(), 2u);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  const Error e = error_of([&] { import_grid_set({{"district", path, "district"}}); });
  EXPECT_TRUE(e.kind() == ErrorKind::kIo || e.kind() == ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().file, path) << e.what();
}

// ---- real data ----

TEST(GridSetImport, NycCommunityDistrictsNestInBoroughsByCodePrefix) {
  LIBGRID_REQUIRE_SHARED(boroughs, "nyc/boroughs.geojson");
  LIBGRID_REQUIRE_SHARED(districts, "nyc/community_districts.geojson");
  const ImportResult result = import_grid_set(
      {{"borough", boroughs, "", "BoroCode"}, {"district", districts, "", "BoroCD"}});
  const GridSet& grids = result.grids;
  EXPECT_EQ(grids.crs(), "EPSG:4326");
  ASSERT_EQ(grids.cells_of_level(0).size(), 5u);
  ASSERT_EQ(grids.cells_of_level(1).size(), 71u);
  for (const CellId id : grids.cells_of_level(1)) {
    const Cell& district = grids.cell(id);
    ASSERT_NE(district.parent, kNoCell) << district.code;
    EXPECT_EQ(grids.cell(district.parent).code, std::to_string(std::stoi(district.code) / 100))
        << district.code;
  }
  const Cell& staten_island = grids.cell(grids.find("5"));
  ASSERT_FALSE(staten_island.attributes.empty());
  EXPECT_EQ(staten_island.attributes[0].name, "BoroName");
  EXPECT_EQ(staten_island.attributes[0].value, "Staten Island");
  for (const auto& polygon : staten_island.geometry.polygons) {
    for (const auto& ring : polygon.rings) EXPECT_EQ(ring.front(), ring.back());
  }
}

TEST(GridSetImport, NycPrecinct70ImportsWithADegenerateRingWarning) {
  LIBGRID_REQUIRE_SHARED(precincts, "nyc/police_precincts.geojson");
  const ImportResult result = import_grid_set({{"precinct", precincts, "", "Precinct"}});
  EXPECT_EQ(result.grids.size(), 76u);
  const std::string prefix = precincts + ": layer police_precincts: feature 70: dropped ";
  bool warned = false;
  for (const std::string& w : result.warnings) warned = warned || w.starts_with(prefix);
  EXPECT_TRUE(warned) << ::testing::PrintToString(result.warnings);
  EXPECT_FALSE(result.grids.cell(result.grids.find("113")).geometry.empty());
}

TEST(GridSetImport, BeijingSelfIntersectingDistrictIsRefusedWithoutMakeValid) {
  LIBGRID_REQUIRE_SHARED(districts, "beijing/110100_full.json");
  const Error e = error_of([&] { import_grid_set({{"district", districts, "", "adcode"}}); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().file, districts);
  EXPECT_EQ(e.where().layer, "110100_full");
  EXPECT_EQ(e.where().feature, 9);
  EXPECT_EQ(e.detail(),
            "cell '110113': self-intersecting polygon at (116.578149 40.076461); repair it or "
            "import with make-valid");
}

// DataV's boundaries (GCJ-02, declaring no CRS beyond GeoJSON's default) with make_valid:
// every cell imported, none left invalid for validate() to report.
ImportResult import_datav(const std::string& path, const std::string& level) {
  ImportOptions options;
  options.crs = "GCJ-02";
  options.make_valid = true;
  ImportResult result = import_grid_set({{level, path, "", "adcode"}}, options);
  EXPECT_EQ(validate(result.grids).count(ProblemKind::kInvalidGeometry), 0u);
  return result;
}

TEST(GridSetImport, BeijingDistrictsImportWithMakeValidRepairingShunyi) {
  LIBGRID_REQUIRE_SHARED(districts, "beijing/110100_full.json");
  const ImportResult result = import_datav(districts, "district");
  const GridSet& grids = result.grids;
  EXPECT_EQ(grids.size(), 16u);
  EXPECT_EQ(grids.crs(), "GCJ-02");
  ASSERT_EQ(result.repairs.size(), 1u);
  const ImportRepair& shunyi = result.repairs[0];
  EXPECT_EQ(shunyi.where.feature, 9);
  EXPECT_EQ(shunyi.code, "110113");
  EXPECT_EQ(grids.cell(grids.find("110113")).name, "顺义区");
  EXPECT_EQ(shunyi.problem, "self-intersecting polygon at (116.578149 40.076461)");
  // One point where the ring crosses itself: the area hardly changes.
  EXPECT_LT(shunyi.share_changed(), 0.001);
  EXPECT_TRUE(describe(shunyi).ends_with("; area 0.106687 -> 0.106687 (<0.0001% changed)"))
      << describe(shunyi);
  EXPECT_NEAR(shunyi.area_after, 0.10668652644449952, 1e-12);
  EXPECT_NEAR(area(grids.cell(grids.find("110113")).geometry), shunyi.area_after, 1e-15);
}

TEST(GridSetImport, ChineseProvincesImportWithMakeValid) {
  LIBGRID_REQUIRE_SHARED(provinces, "beijing/100000_full.json");
  const ImportResult result = import_datav(provinces, "province");
  EXPECT_EQ(result.grids.size(), 35u);
  EXPECT_EQ(result.repairs.size(), 20u);
  for (const ImportRepair& repair : result.repairs) {
    EXPECT_LT(repair.share_changed(), 1e-4) << describe(repair);
  }
}

// ---- Levels held in memory (LevelLayer): the rows of a data frame ----

LayerColumn text_column(const std::string& name, std::vector<std::string> values,
                        std::vector<bool> missing = {}) {
  LayerColumn column{name, AttributeType::kText};
  column.text = std::move(values);
  column.missing = std::move(missing);
  return column;
}

LayerColumn integer_column(const std::string& name, std::vector<std::int64_t> values,
                           std::vector<bool> missing = {}) {
  LayerColumn column{name, AttributeType::kInteger};
  column.integers = std::move(values);
  column.missing = std::move(missing);
  return column;
}

LayerColumn real_column(const std::string& name, std::vector<double> values) {
  LayerColumn column{name, AttributeType::kReal};
  column.reals = std::move(values);
  return column;
}

std::string wkb(const std::string& wkt) { return to_wkb(parse_wkt_area(wkt)); }

std::string box_wkt(int x0, int y0, int x1, int y1) {
  auto p = [](int x, int y) { return std::to_string(x) + " " + std::to_string(y); };
  return "POLYGON ((" + p(x0, y0) + ", " + p(x1, y0) + ", " + p(x1, y1) + ", " + p(x0, y1) + ", " +
         p(x0, y0) + "))";
}

// The districts and streets of TwoLevels, as rows.
std::vector<LevelLayer> two_layers() {
  LevelLayer districts{"district", {wkb(box_wkt(0, 0, 10, 10)), wkb(box_wkt(10, 0, 20, 10))}};
  districts.columns = {integer_column("code", {11, 12}),
                       text_column("name", {"东城区", "西城区"}),
                       real_column("households", {1200.0, std::nan("")}),
                       text_column("population", {"4500", " 7 "}),
                       text_column("kind", {"basic", "Dedicated"}),
                       text_column("note", {"a, b", ""}, {false, true}),
                       real_column("rank", {2.5, 3.0})};
  districts.columns[2].missing = {false, true};
  districts.crs = "EPSG:4326";
  LevelLayer streets{
      "street", {wkb(box_wkt(1, 1, 5, 5)), wkb(box_wkt(11, 1, 15, 5)), wkb(box_wkt(5, 5, 9, 9))}};
  streets.columns = {text_column("code", {"11001", "12001", "1100"}),
                     text_column("name", {"s1", "s2", "s3"})};
  streets.crs = "EPSG:4326";
  return {districts, streets};
}

TEST(GridSetImportLayers, ReadsRowsAsTheFilesAreRead) {
  const TwoLevels files;
  const GridSet from_files =
      import_grid_set({{"district", files.districts}, {"street", files.streets}}).grids;
  const ImportResult result = import_grid_set_layers(two_layers());
  const GridSet& grids = result.grids;
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(grids.levels(), from_files.levels());
  EXPECT_EQ(grids.crs(), from_files.crs());
  ASSERT_EQ(grids.size(), from_files.size());
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const Cell& a = grids.cell(static_cast<CellId>(i));
    const Cell& b = from_files.cell(static_cast<CellId>(i));
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.parent, b.parent);
    EXPECT_EQ(a.households, b.households);
    EXPECT_EQ(a.population, b.population);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(to_wkt(a.geometry), to_wkt(b.geometry));
    ASSERT_EQ(a.attributes.size(), b.attributes.size()) << a.code;
    for (std::size_t k = 0; k < a.attributes.size(); ++k) {
      EXPECT_EQ(a.attributes[k].name, b.attributes[k].name);
      EXPECT_EQ(a.attributes[k].value, b.attributes[k].value);
      EXPECT_EQ(a.attributes[k].type, b.attributes[k].type);
    }
  }
  EXPECT_EQ(grids.cell(0).attributes[1].type, AttributeType::kReal);  // rank
  EXPECT_EQ(grids.cell(grids.find("1100")).parent, grids.find("11"));
}

TEST(GridSetImportLayers, KeepsAttributeTypesThroughAGridSetFile) {
  std::vector<LevelLayer> layers = two_layers();
  layers[1].columns.push_back(integer_column("floors", {3, 0, -2}, {false, true, false}));
  layers[1].columns.push_back(real_column("share", {0.1, 0.25, 1e-300}));
  layers[1].columns.push_back(text_column("tag", {"007", "x", ""}));
  const GridSet grids = import_grid_set_layers(layers).grids;
  const std::string path = libgrid::testing::temporary_folder() + "/typed.gpkg";
  write_grid_set(grids, path);
  const GridSet back = read_grid_set(path);
  for (const char* code : {"11001", "12001", "1100"}) {
    const Cell& a = grids.cell(grids.find(code));
    const Cell& b = back.cell(back.find(code));
    ASSERT_EQ(a.attributes.size(), b.attributes.size()) << code;
    for (std::size_t k = 0; k < a.attributes.size(); ++k) {
      EXPECT_EQ(b.attributes[k].name, a.attributes[k].name);
      EXPECT_EQ(b.attributes[k].value, a.attributes[k].value);
      EXPECT_EQ(b.attributes[k].type, a.attributes[k].type) << a.attributes[k].name;
    }
  }
  const Cell& s1 = back.cell(back.find("11001"));
  EXPECT_EQ(s1.attributes[0].value, "3");
  EXPECT_EQ(s1.attributes[0].type, AttributeType::kInteger);
  EXPECT_EQ(s1.attributes[1].value, "0.1");
  EXPECT_EQ(s1.attributes[2].value, "007");
  EXPECT_EQ(s1.attributes[2].type, AttributeType::kText);
  // Unset stays unset: the second street has no floors.
  EXPECT_EQ(back.cell(back.find("12001")).attributes[0].name, "share");
}

TEST(GridSetImportLayers, NamesTheLevelRowAndFieldOfADuplicateCode) {
  std::vector<LevelLayer> layers = two_layers();
  layers[1].columns[0].text[2] = "11";  // a district's code
  EXPECT_EQ(std::string(error_of([&] { import_grid_set_layers(layers); }).what()),
            "level 'street': row 2: field code: duplicate code '11' (first used by level "
            "'district': row 0)");
  layers[1].columns[0].text[2] = "11001";
  EXPECT_EQ(std::string(error_of([&] { import_grid_set_layers(layers); }).what()),
            "level 'street': row 2: field code: duplicate code '11001' (first used by row 0)");
}

TEST(GridSetImportLayers, RefusesWhatAFileImportRefuses) {
  auto message = [](const std::function<void(std::vector<LevelLayer>&, ImportOptions&)>& change) {
    std::vector<LevelLayer> layers = two_layers();
    ImportOptions options;
    change(layers, options);
    const Error e = error_of([&] { import_grid_set_layers(layers, options); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
    return std::string(e.what());
  };
  // A line where a polygon should be: LINESTRING (11 1, 15 5) as little-endian WKB.
  std::string line{'\x01', '\x02', '\0', '\0', '\0', '\x02', '\0', '\0', '\0'};
  for (const double v : {11.0, 1.0, 15.0, 5.0}) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) line.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  EXPECT_EQ(message([&](auto& layers, auto&) { layers[1].geometries[1] = line; }),
            "level 'street': row 1: cell '12001': expected a Polygon or MultiPolygon, found "
            "Line String");
  EXPECT_EQ(
      message([](auto& layers, auto&) {
        layers[1].geometries[1] = wkb("POLYGON ((11 1, 15 5, 15 1, 11 5, 11 1))");
      }),
      "level 'street': row 1: cell '12001': self-intersecting polygon at (13 3); repair it or "
      "import with make_valid");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].geometries[0].clear(); }),
            "level 'street': row 0: cell '11001': no geometry");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].geometries[0] = "not wkb"; }),
            "level 'street': row 0: the geometry is not well-known binary");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].columns[0].name = "id"; }),
            "level 'street': field code: no such field");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].crs = "EPSG:4548"; }),
            "level 'street': CRS EPSG:4548 differs from CRS EPSG:4326 of the first level "
            "(level 'district')");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[0].crs.clear(); }),
            "level 'district': option crs: no CRS in the source; give one");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].columns[1].text.pop_back(); }),
            "level 'street': field name: 2 values for 3 rows");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].columns[1].name = "code"; }),
            "level 'street': field code: two columns have this name");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1] = LevelLayer{"street"}; }),
            "level 'street': no rows: level 'street' would have no cells");
  EXPECT_EQ(message([](auto& layers, auto&) { layers[1].level = "district"; }),
            "level 'district': level 'district' is given twice");
}

TEST(GridSetImportLayers, TheOptionsCrsReplacesTheLayersAndMakeValidRepairs) {
  std::vector<LevelLayer> layers = two_layers();
  layers[0].crs.clear();
  layers[1].crs = "EPSG:4548";
  layers[1].geometries[1] = wkb("POLYGON ((11 1, 15 5, 15 1, 11 5, 11 1))");
  ImportOptions options;
  options.crs = "GCJ-02";
  options.make_valid = true;
  const ImportResult result = import_grid_set_layers(layers, options);
  EXPECT_EQ(result.grids.crs(), "GCJ-02");
  ASSERT_EQ(result.repairs.size(), 1u);
  EXPECT_EQ(describe(result.repairs[0]),
            "level 'street': row 1: cell '12001': repaired self-intersecting polygon at (13 3); "
            "area 0 -> 8 (100% changed)");
}

}  // namespace
}  // namespace libgrid
