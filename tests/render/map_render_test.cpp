#include "libgrid/render/map_render.h"

#include <cairo.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "libgrid/io/grid_set_import.h"
#include "support/error_of.h"
#include "support/test_data.h"

// Fontconfig, under Pango, keeps caches that LeakSanitizer counts as leaks at exit (they are
// its own, freed only by FcFini), and Cairo 1.16 loses a buffer when it subsets a CJK font into a
// PDF (cairo_surface_finish; the fast unwinder stops inside libcairo, so the module is named).
// The suppressions cover this whole test binary.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

namespace libgrid {
namespace {

namespace fs = std::filesystem;
using testing::error_of;

// A PNG read back with Cairo, checking what a viewer would.
struct DecodedPng {
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> pixels{};  // 0xAARRGGBB, row by row

  Rgb at(int x, int y) const {
    const std::uint32_t p = pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                                   static_cast<std::size_t>(x)];
    return {static_cast<std::uint8_t>(p >> 16), static_cast<std::uint8_t>(p >> 8),
            static_cast<std::uint8_t>(p)};
  }
  // The pixel holding a point given in pixel coordinates.
  Rgb at(Point p) const {
    return at(static_cast<int>(std::floor(p.x)), static_cast<int>(std::floor(p.y)));
  }
};

void decode_png(const std::string& path, DecodedPng& png) {
  cairo_surface_t* surface = cairo_image_surface_create_from_png(path.c_str());
  ASSERT_EQ(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS) << path;
  cairo_surface_flush(surface);
  png.width = cairo_image_surface_get_width(surface);
  png.height = cairo_image_surface_get_height(surface);
  // An opaque PNG is read as RGB24; anything else would mean a transparent background.
  EXPECT_EQ(cairo_image_surface_get_format(surface), CAIRO_FORMAT_RGB24);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  png.pixels.resize(static_cast<std::size_t>(png.width) * static_cast<std::size_t>(png.height));
  for (int y = 0; y < png.height; ++y) {
    std::memcpy(&png.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(png.width)],
                data + static_cast<std::ptrdiff_t>(y) * stride,
                static_cast<std::size_t>(png.width) * 4);
  }
  cairo_surface_destroy(surface);
}

// The colours Cairo's SVG paints with, written as rgb(R%,G%,B%).
std::vector<Rgb> svg_colours(const std::string& svg) {
  std::vector<Rgb> colours;
  const std::regex rgb("rgb\\(([0-9.]+)%,([0-9.]+)%,([0-9.]+)%\\)");
  auto channel = [](const std::string& percent) {
    return static_cast<std::uint8_t>(std::lround(std::stod(percent) * 2.55));
  };
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rgb); it != std::sregex_iterator();
       ++it) {
    colours.push_back({channel((*it)[1]), channel((*it)[2]), channel((*it)[3])});
  }
  return colours;
}

// The text of a PDF as pdftotext (poppler-utils) reads it; empty when pdftotext is missing.
std::string pdf_text(const std::string& path) {
  const std::string text = path + ".txt";
  if (std::system(("pdftotext -enc UTF-8 '" + path + "' '" + text + "' 2>/dev/null").c_str()) !=
      0) {
    return "";
  }
  return libgrid::testing::file_bytes(text);
}

std::string box(double x0, double y0, double x1, double y1) {
  std::ostringstream s;
  s << "(" << x0 << " " << y0 << ", " << x1 << " " << y0 << ", " << x1 << " " << y1 << ", " << x0
    << " " << y1 << ", " << x0 << " " << y0 << ")";
  return s.str();
}

// One community [0, 200] x [0, 100] with two grids: A, the west half with a hole [40, 60]^2,
// 10 households; B, the east half's south part [100, 200] x [0, 50] and a strip
// [100, 200] x [80, 100] in one multipolygon, 30 households. [100, 200] x [50, 80] is a gap.
GridSet two_grids() {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId community =
      grids.add_cell({.code = "1001",
                      .level = 0,
                      .geometry = parse_wkt_area("POLYGON (" + box(0, 0, 200, 100) + ")")});
  grids.add_cell({.code = "1001001",
                  .level = 1,
                  .parent = community,
                  .geometry = parse_wkt_area("POLYGON (" + box(0, 0, 100, 100) + ", " +
                                             box(40, 40, 60, 60) + ")"),
                  .households = 10,
                  .population = 25,
                  .attributes = {{"elderly", " 4.5 "}}});
  grids.add_cell({.code = "1001002",
                  .level = 1,
                  .parent = community,
                  .geometry = parse_wkt_area("MULTIPOLYGON ((" + box(100, 0, 200, 50) + "), (" +
                                             box(100, 80, 200, 100) + "))"),
                  .households = 30,
                  .population = 70,
                  .attributes = {{"elderly", "n/a"}}});
  return grids;
}

RenderOptions grid_map(int width = 400) {
  RenderOptions options;
  options.level = "grid";
  options.width = width;
  return options;
}

TEST(RenderMap, PngFillsCellsWithTheRampEnds) {
  const std::string path = testing::temporary_folder() + "/map.png";
  const RenderSummary summary = render_map(two_grids(), grid_map(), path);
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(path, png));
  EXPECT_EQ(png.width, 400);
  EXPECT_EQ(png.height, summary.height);
  EXPECT_EQ(summary.width, 400);
  EXPECT_EQ(summary.cells, 2u);
  EXPECT_EQ(summary.cells_without_value, 0u);
  EXPECT_EQ(summary.min_value, 10.0);
  EXPECT_EQ(summary.max_value, 30.0);
  // Wider than tall by the extent's 2 : 1, plus the title and the legend.
  EXPECT_NEAR(summary.scale * 200, 400 - 2 * summary.left, 1.0);

  EXPECT_EQ(png.at(summary.to_pixel({20, 50})), viridis(0.0));   // A: fewest households
  EXPECT_EQ(png.at(summary.to_pixel({150, 25})), viridis(1.0));  // B: most
  EXPECT_EQ(png.at(summary.to_pixel({150, 90})), viridis(1.0));  // B's other part
}

TEST(RenderMap, PngLeavesHolesAndGapsBackground) {
  const std::string path = testing::temporary_folder() + "/map.png";
  const RenderSummary summary = render_map(two_grids(), grid_map(), path);
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(path, png));
  EXPECT_EQ(png.at(summary.to_pixel({50, 50})), kMapBackground);   // A's hole
  EXPECT_EQ(png.at(summary.to_pixel({150, 65})), kMapBackground);  // between B's parts
}

TEST(RenderMap, PngNorthIsUp) {
  const std::string path = testing::temporary_folder() + "/map.png";
  const RenderSummary summary = render_map(two_grids(), grid_map(), path);
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(path, png));
  // B's wide part lies south of its strip: lower in the image.
  const Point south = summary.to_pixel({150, 25});
  const Point north = summary.to_pixel({150, 90});
  EXPECT_GT(south.y, north.y);
  EXPECT_NEAR(summary.to_pixel({0, 100}).y, summary.top, 1e-9);
  // Rows of B from the top of the map: its strip, then the gap, then its wide part.
  const int x = static_cast<int>(south.x);
  EXPECT_EQ(png.at(x, static_cast<int>(summary.to_pixel({150, 90}).y)), viridis(1.0));
  EXPECT_EQ(png.at(x, static_cast<int>(summary.to_pixel({150, 65}).y)), kMapBackground);
}

TEST(RenderMap, PngDrawsTheParentBoundaryThick) {
  const std::string path = testing::temporary_folder() + "/map.png";
  const RenderSummary summary = render_map(two_grids(), grid_map(), path);
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(path, png));
  // The community's west, south and east edges, thick and dark.
  EXPECT_EQ(png.at(summary.to_pixel({0, 50})), kMapOutline);
  EXPECT_EQ(png.at(summary.to_pixel({50, 0})), kMapOutline);
  EXPECT_EQ(png.at(summary.to_pixel({200, 25})), kMapOutline);
  // The grids' shared edge is thin and light: brighter than either fill beside it.
  const Rgb shared = png.at(summary.to_pixel({100, 25}));
  EXPECT_NE(shared, kMapOutline);
  EXPECT_GT(lightness(shared), lightness(viridis(0.0)) + 10);
}

TEST(RenderMap, OutlineNoneAndOutlineLevel) {
  const std::string folder = testing::temporary_folder();
  RenderOptions options = grid_map();
  options.outline_level = "none";
  RenderSummary summary = render_map(two_grids(), options, folder + "/none.png");
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/none.png", png));
  EXPECT_NE(png.at(summary.to_pixel({0, 50})), kMapOutline);

  // Drawing the communities with their own level as the outline.
  options.level = "community";
  options.outline_level = "community";
  summary = render_map(two_grids(), options, folder + "/community.png");
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/community.png", png));
  EXPECT_EQ(summary.cells, 1u);
  EXPECT_EQ(png.at(summary.to_pixel({0, 50})), kMapOutline);
  EXPECT_EQ(png.at(summary.to_pixel({150, 65})), viridis(0.5));  // one value: the middle
}

TEST(RenderMap, AttributeWithoutNumberIsGrey) {
  const std::string path = testing::temporary_folder() + "/map.png";
  RenderOptions options = grid_map();
  options.color_field = "elderly";
  const RenderSummary summary = render_map(two_grids(), options, path);
  EXPECT_EQ(summary.cells_without_value, 1u);
  EXPECT_EQ(summary.min_value, 4.5);
  EXPECT_EQ(summary.max_value, 4.5);
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(path, png));
  EXPECT_EQ(png.at(summary.to_pixel({20, 50})), viridis(0.5));
  EXPECT_EQ(png.at(summary.to_pixel({150, 25})), kMapNoValue);
}

TEST(RenderMap, AreaAndPlainFills) {
  const std::string folder = testing::temporary_folder();
  RenderOptions options = grid_map();
  options.color_field = "area";
  RenderSummary summary = render_map(two_grids(), options, folder + "/area.png");
  EXPECT_EQ(summary.min_value, 100.0 * 50 + 100 * 20);  // B's two parts
  EXPECT_EQ(summary.max_value, 100.0 * 100 - 20 * 20);  // A less its hole

  options.color_field = "none";
  summary = render_map(two_grids(), options, folder + "/plain.png");
  EXPECT_FALSE(summary.min_value);
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/plain.png", png));
  EXPECT_EQ(png.at(summary.to_pixel({20, 50})), kMapPlainFill);
  EXPECT_EQ(png.at(summary.to_pixel({150, 25})), kMapPlainFill);
}

TEST(RenderMap, PngLabelsWhereTheyFit) {
  const std::string folder = testing::temporary_folder();
  RenderOptions options = grid_map();
  options.labels = true;
  RenderSummary summary = render_map(two_grids(), options, folder + "/labels.png");
  EXPECT_EQ(summary.labels_drawn, 2u);
  // A's label sits in the widest room around its hole, white on purple; with no names, the
  // labels are the codes.
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/labels.png", png));
  int white = 0;
  for (int y = static_cast<int>(summary.to_pixel({0, 100}).y);
       y < static_cast<int>(summary.to_pixel({0, 0}).y); ++y) {
    for (int x = static_cast<int>(summary.to_pixel({2, 0}).x);
         x < static_cast<int>(summary.to_pixel({98, 0}).x); ++x) {
      white += png.at(x, y) == Rgb{255, 255, 255};
    }
  }
  EXPECT_GT(white, 20);

  options.width = 40;  // cells of 18 pixels: no room for 7 digits
  summary = render_map(two_grids(), options, folder + "/small.png");
  EXPECT_EQ(summary.labels_drawn, 0u);
}

// Two cells side by side, 1000 m each way, one named long and one short; the long name fits
// across its cell only when the map is wide.
GridSet named_grids() {
  GridSet grids;
  grids.add_level("grid");
  grids.set_crs("EPSG:32650");
  grids.add_cell({.code = "G1",
                  .name = "第一网格",
                  .level = 0,
                  .geometry = parse_wkt_area("POLYGON (" + box(0, 0, 1000, 1000) + ")"),
                  .households = 5});
  grids.add_cell({.code = "G2",
                  .name = "Second grid with a very long name indeed",
                  .level = 0,
                  .geometry = parse_wkt_area("POLYGON (" + box(1000, 0, 2000, 1000) + ")"),
                  .households = 9});
  return grids;
}

TEST(RenderMap, LabelsThatDoNotFitAreLeftOut) {
  const std::string folder = testing::temporary_folder();
  RenderOptions options;
  options.level = "grid";
  options.labels = true;
  options.width = 2000;
  EXPECT_EQ(render_map(named_grids(), options, folder + "/wide.svg").labels_drawn, 2u);
  options.width = 200;  // cells of 93 pixels: the long name does not fit, the short one does
  RenderSummary summary = render_map(named_grids(), options, folder + "/narrow.svg");
  EXPECT_EQ(summary.labels_drawn, 1u);
  const std::string svg = libgrid::testing::file_bytes(folder + "/narrow.svg");
  EXPECT_NE(svg.find(">第一网格</text>"), std::string::npos);
  EXPECT_EQ(svg.find("very long name"), std::string::npos);
  options.label_text = LabelText::kCode;
  summary = render_map(named_grids(), options, folder + "/codes.svg");
  EXPECT_EQ(summary.labels_drawn, 2u);
  EXPECT_NE(libgrid::testing::file_bytes(folder + "/codes.svg").find(">G2</text>"),
            std::string::npos);
}

TEST(RenderMap, ChineseNamesGiveAChineseLegendWithAScaleBarInMetres) {
  const std::string folder = testing::temporary_folder();
  RenderOptions options;
  options.level = "grid";
  options.width = 600;
  render_map(named_grids(), options, folder + "/zh.svg");
  const std::string zh = libgrid::testing::file_bytes(folder + "/zh.svg");
  EXPECT_NE(zh.find(">grid：共 2 个单元</text>"), std::string::npos);
  EXPECT_NE(zh.find(">户数</text>"), std::string::npos);
  EXPECT_NE(zh.find(">北</text>"), std::string::npos);
  // 2000 m across: a quarter of the map is 500 m.
  EXPECT_NE(zh.find(">500 m</text>"), std::string::npos);
  options.lang = "en";
  options.title = "Grids & names";
  render_map(named_grids(), options, folder + "/en.svg");
  const std::string en = libgrid::testing::file_bytes(folder + "/en.svg");
  EXPECT_NE(en.find(">Grids &amp; names</text>"), std::string::npos);
  EXPECT_NE(en.find(">households</text>"), std::string::npos);
  EXPECT_NE(en.find(">N</text>"), std::string::npos);
}

TEST(RenderMap, ScaleBarOfLonLatUsesTheLocalScale) {
  // 0.1 degree of longitude at 40 degrees north is 8.53 km; a quarter of the map 2.1 km: 2 km.
  GridSet grids;
  grids.add_level("grid");
  grids.set_crs("EPSG:4326");
  grids.add_cell({.code = "A",
                  .level = 0,
                  .geometry = parse_wkt_area("POLYGON (" + box(116.3, 39.95, 116.4, 40.05) + ")")});
  RenderOptions options;
  options.level = "grid";
  const std::string path = testing::temporary_folder() + "/lonlat.svg";
  render_map(grids, options, path);
  EXPECT_NE(libgrid::testing::file_bytes(path).find(">2 km</text>"), std::string::npos);
}

TEST(RenderMap, MissingFontFallsBackAndSaysSo) {
  RenderOptions options;
  options.level = "grid";
  options.labels = true;
  options.width = 2000;
  options.font = "No Such Font Family";
  const std::string path = testing::temporary_folder() + "/fallback.png";
  const RenderSummary summary = render_map(named_grids(), options, path);
  ASSERT_EQ(summary.warnings.size(), 1u);
  EXPECT_NE(summary.warnings[0].find("no font 'No Such Font Family' installed"), std::string::npos);
  EXPECT_EQ(summary.labels_drawn, 2u);  // never a blank label
  // The label's ink shows inside G1, which is otherwise one flat colour.
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(path, png));
  const Rgb fill = png.at(summary.to_pixel({50, 950}));
  int ink = 0;
  for (int y = static_cast<int>(summary.to_pixel({0, 600}).y);
       y < static_cast<int>(summary.to_pixel({0, 400}).y); ++y) {
    for (int x = static_cast<int>(summary.to_pixel({100, 0}).x);
         x < static_cast<int>(summary.to_pixel({900, 0}).x); ++x) {
      ink += png.at(x, y) != fill;
    }
  }
  EXPECT_GT(ink, 50);
}

TEST(RenderMap, PdfHoldsTheNamesAsTextOnTheGivenPage) {
  const std::string folder = testing::temporary_folder();
  RenderOptions options;
  options.level = "grid";
  options.labels = true;
  options.page = page_size_of("A3-landscape");
  const RenderSummary summary = render_map(named_grids(), options, folder + "/map.pdf");
  EXPECT_EQ(summary.format, MapFormat::kPdf);
  EXPECT_EQ(summary.width, 1191);
  EXPECT_EQ(summary.height, 842);
  const std::string pdf = libgrid::testing::file_bytes(folder + "/map.pdf");
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 1190.55"), std::string::npos);
  const std::string text = pdf_text(folder + "/map.pdf");
  if (text.empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  EXPECT_NE(text.find("第一网格"), std::string::npos) << text;
  EXPECT_NE(text.find("户数"), std::string::npos) << text;
}

// How many of the level's cell names the text holds.
std::size_t names_in(const std::string& text, const GridSet& grids, int level) {
  std::size_t found = 0;
  for (const Cell& cell : grids.cells()) {
    found += cell.level == level && !cell.name.empty() && text.find(cell.name) != std::string::npos;
  }
  return found;
}

TEST(RenderMap, PdfOfTheSampleCityHoldsItsGridNames) {
  const std::string path = testing::temporary_folder() + "/grids.pdf";
  const GridSet grids =
      import_grid_set({testing::sample_city_sources()[2], testing::sample_city_sources()[3]}).grids;
  RenderOptions options;
  options.level = "grid";
  options.labels = true;
  options.page = page_size_of("A3-landscape");
  const RenderSummary summary = render_map(grids, options, path);
  const std::string text = pdf_text(path);
  if (text.empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  // Every label drawn is there as text, Chinese included, and most cells have room for one.
  EXPECT_EQ(names_in(text, grids, 1), summary.labels_drawn) << text;
  EXPECT_GT(summary.labels_drawn, summary.cells / 2);
  EXPECT_NE(text.find("桃园社区第1网格"), std::string::npos);
  EXPECT_NE(text.find("grid：共 " + std::to_string(summary.cells) + " 个单元"), std::string::npos);
}

TEST(RenderMap, PdfOfBeijingHoldsEveryDistrictName) {
  LIBGRID_REQUIRE_SHARED(districts, "beijing/110100_full.json");
  ImportOptions import;
  import.crs = "GCJ-02";
  import.make_valid = true;
  const GridSet grids = import_grid_set({{"district", districts, "", "adcode"}}, import).grids;
  const std::string path = testing::temporary_folder() + "/beijing.pdf";
  RenderOptions options;
  options.level = "district";
  options.labels = true;
  const RenderSummary summary = render_map(grids, options, path);
  // Drawn true to scale at 40 degrees north, Beijing is taller than wide: A4 portrait.
  EXPECT_NEAR(summary.x_factor, std::cos(40.2 * 3.14159265358979 / 180), 0.01);
  EXPECT_EQ(summary.width, 595);
  const std::string text = pdf_text(path);
  if (text.empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  // The small central districts have no room for their names on A4; the others do.
  EXPECT_EQ(names_in(text, grids, 0), summary.labels_drawn) << text;
  EXPECT_GE(summary.labels_drawn, 12u);
  EXPECT_NE(text.find("延庆区"), std::string::npos);
  EXPECT_NE(text.find("km"), std::string::npos);  // the scale bar, at Beijing's latitude
}

TEST(RenderMap, PageSizes) {
  EXPECT_EQ(page_size_of("A4")->name, "A4-portrait");
  EXPECT_NEAR(page_size_of("a4")->width, 595.28, 0.01);
  EXPECT_NEAR(page_size_of("A3-Landscape")->width, 1190.55, 0.01);
  EXPECT_NEAR(page_size_of("A3-landscape")->height, 841.89, 0.01);
  EXPECT_EQ(page_size_of("A3-portrait")->name, "A3-portrait");
  EXPECT_FALSE(page_size_of("A5"));
  EXPECT_FALSE(page_size_of("A4-sideways"));
  EXPECT_FALSE(page_size_of(""));
}

TEST(RenderMap, SvgHasTheMapAndItsTexts) {
  const std::string path = testing::temporary_folder() + "/map.svg";
  RenderOptions options = grid_map();
  options.labels = true;
  const RenderSummary summary = render_map(two_grids(), options, path);
  EXPECT_EQ(summary.format, MapFormat::kSvg);
  const std::string svg = libgrid::testing::file_bytes(path);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("width=\"400px\" height=\"" + std::to_string(summary.height) + "px\""),
            std::string::npos);
  // Both ends of the ramp fill a cell, even-odd so that A's hole stays open.
  const std::vector<Rgb> colours = svg_colours(svg);
  EXPECT_NE(std::find(colours.begin(), colours.end(), viridis(0.0)), colours.end());
  EXPECT_NE(std::find(colours.begin(), colours.end(), viridis(1.0)), colours.end());
  EXPECT_NE(svg.find("fill-rule:evenodd"), std::string::npos);
  EXPECT_NE(svg.find(">1001001</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1001002</text>"), std::string::npos);
  EXPECT_NE(svg.find(">grid: 2 cells</text>"), std::string::npos);
  EXPECT_NE(svg.find(">households</text>"), std::string::npos);
  EXPECT_NE(svg.find(">10</text>"), std::string::npos);
  EXPECT_NE(svg.find(">30</text>"), std::string::npos);
}

TEST(RenderMap, ColorFieldsListBuiltInsThenAttributes) {
  const std::vector<std::string> expected = {"households", "population", "area", "elderly"};
  EXPECT_EQ(color_fields(two_grids(), 1), expected);
  EXPECT_EQ(color_fields(two_grids(), 0).size(), 3u);
}

TEST(RenderMap, FormatFromExtension) {
  EXPECT_EQ(map_format_of("a/map.png"), MapFormat::kPng);
  EXPECT_EQ(map_format_of("MAP.SVG"), MapFormat::kSvg);
  EXPECT_EQ(map_format_of("map.Pdf"), MapFormat::kPdf);
  EXPECT_FALSE(map_format_of("map.jpg"));
  EXPECT_FALSE(map_format_of("png"));
  EXPECT_FALSE(map_format_of("a.png/map"));
}

// Asserts that the folder holds nothing: no map, no temporary file.
void expect_empty(const std::string& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    ADD_FAILURE() << entry.path() << " was written";
  }
}

TEST(RenderMap, ErrorsWriteNothing) {
  const std::string folder = testing::temporary_folder();
  const GridSet grids = two_grids();
  auto message = [&](RenderOptions options, const std::string& name) {
    const Error e = error_of([&] { render_map(grids, options, folder + "/" + name); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
    return std::string(e.what());
  };
  RenderOptions options = grid_map();
  EXPECT_NE(message(options, "map.jpg").find("map.jpg: a map is written as .png, .svg or .pdf"),
            std::string::npos);
  options.level = "block";
  EXPECT_NE(message(options, "map.png").find("no level named 'block'"), std::string::npos);
  options = grid_map();
  options.outline_level = "street";
  EXPECT_NE(message(options, "map.png").find("no level named 'street'"), std::string::npos);
  options = grid_map();
  options.color_field = "income";
  EXPECT_NE(message(options, "map.svg").find("no field 'income'"), std::string::npos);
  options = grid_map(15);
  EXPECT_NE(message(options, "map.png").find("16 to 16384 pixels, not 15"), std::string::npos);
  options = grid_map(16385);
  EXPECT_NE(message(options, "map.png").find("not 16385"), std::string::npos);
  GridSet empty_level = two_grids();
  empty_level.add_level("microgrid");
  options = grid_map();
  options.level = "microgrid";
  const Error e = error_of([&] { render_map(empty_level, options, folder + "/map.png"); });
  EXPECT_NE(std::string(e.what()).find("level 'microgrid' has no cells"), std::string::npos);
  expect_empty(folder);

  const Error io = error_of([&] { render_map(grids, grid_map(), folder + "/none/map.png"); });
  EXPECT_EQ(io.kind(), ErrorKind::kIo);
}

// A write cut short (here by a file size limit, as by a full disk) fails the run with its reason,
// in every format, and leaves no map: a PDF cut short came out "written" before.
TEST(RenderMap, AWriteCutShortFailsAndLeavesNothing) {
  const std::string folder = testing::temporary_folder();
  std::ofstream(folder + "/map.pdf") << "the last good map";
  struct sigaction ignore {
  }, saved{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &ignore, &saved);  // the write then fails with EFBIG
  rlimit limit{}, small{};
  getrlimit(RLIMIT_FSIZE, &limit);
  small = {2048, limit.rlim_max};
  setrlimit(RLIMIT_FSIZE, &small);
  std::vector<std::string> messages;
  for (const char* name : {"map.png", "map.svg", "map.pdf"}) {
    const Error e = error_of([&] { render_map(two_grids(), grid_map(), folder + "/" + name); });
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    messages.emplace_back(e.what());
  }
  setrlimit(RLIMIT_FSIZE, &limit);
  sigaction(SIGXFSZ, &saved, nullptr);
  for (const std::string name : {"map.png", "map.svg", "map.pdf"}) {
    EXPECT_NE(std::find(messages.begin(), messages.end(),
                        folder + "/" + name + ": cannot write the map: File too large"),
              messages.end())
        << ::testing::PrintToString(messages);
  }
  EXPECT_EQ(libgrid::testing::file_bytes(folder + "/map.pdf"), "the last good map");
  EXPECT_FALSE(fs::exists(folder + "/map.png"));
  EXPECT_FALSE(fs::exists(folder + "/map.svg"));
}

TEST(RenderMap, SmallestAndTallExtents) {
  const std::string folder = testing::temporary_folder();
  GridSet tall;
  tall.add_level("grid");
  tall.add_cell({.code = "1", .geometry = parse_wkt_area("POLYGON (" + box(0, 0, 1, 1000) + ")")});
  const RenderSummary summary = render_map(tall, grid_map(kMinMapWidth), folder + "/tall.png");
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/tall.png", png));
  EXPECT_EQ(png.width, kMinMapWidth);
  EXPECT_EQ(png.height, summary.height);
  EXPECT_LE(summary.height, kMaxMapWidth + 200);

  // All on one line: drawn as a square around it.
  GridSet flat;
  flat.add_level("grid");
  flat.add_cell({.code = "1", .geometry = parse_wkt_area("POLYGON ((0 0, 10 0, 5 0, 0 0))")});
  const RenderSummary line = render_map(flat, grid_map(100), folder + "/flat.svg");
  EXPECT_TRUE(std::isfinite(line.scale));
  EXPECT_GT(line.height, 50);
}

// Before and after a rebalance of one community [0, 200] x [0, 100]: grids A and B meeting at
// x = `cut`, with 10 and 30 households. After, A has given B the strip [80, 100] x [0, 100].
GridSet rebalanced(double cut = 80) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  const CellId community =
      grids.add_cell({.code = "1001",
                      .level = 0,
                      .geometry = parse_wkt_area("POLYGON (" + box(0, 0, 200, 100) + ")")});
  grids.add_cell({.code = "A",
                  .level = 1,
                  .parent = community,
                  .geometry = parse_wkt_area("POLYGON (" + box(0, 0, cut, 100) + ")"),
                  .households = 10});
  grids.add_cell({.code = "B",
                  .level = 1,
                  .parent = community,
                  .geometry = parse_wkt_area("POLYGON (" + box(cut, 0, 200, 100) + ")"),
                  .households = 30});
  return grids;
}

RenderOptions compared_with(const GridSet& before, int width = 400) {
  RenderOptions options = grid_map(width);
  options.compare = &before;
  return options;
}

TEST(RenderMap, CompareSummaryCountsTheChange) {
  const GridSet before = rebalanced(100);
  const RenderSummary summary =
      render_map(rebalanced(), compared_with(before), testing::temporary_folder() + "/map.png");
  EXPECT_EQ(summary.cells_changed, 2u);  // A lost the strip, B gained it
  EXPECT_EQ(summary.cells_removed, 0u);
  EXPECT_DOUBLE_EQ(summary.moved_area, 20.0 * 100);

  const RenderSummary same =
      render_map(before, compared_with(before), testing::temporary_folder() + "/same.png");
  EXPECT_EQ(same.cells_changed, 0u);
  EXPECT_EQ(same.moved_area, 0.0);
}

TEST(RenderMap, PngHatchesTheLandThatChangedCell) {
  const std::string folder = testing::temporary_folder();
  const GridSet before = rebalanced(100);
  const RenderSummary summary = render_map(rebalanced(), compared_with(before), folder + "/c.png");
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/c.png", png));
  const Rgb b_fill = viridis(1.0);
  // Pixels well inside a world rectangle, a few pixels clear of its edges.
  auto pixels_in = [&](double x0, double y0, double x1, double y1) {
    std::vector<Rgb> found;
    const Point top_left = summary.to_pixel({x0, y1});
    const Point bottom_right = summary.to_pixel({x1, y0});
    for (int y = static_cast<int>(top_left.y) + 3; y < static_cast<int>(bottom_right.y) - 3; ++y) {
      for (int x = static_cast<int>(top_left.x) + 3; x < static_cast<int>(bottom_right.x) - 3;
           ++x) {
        found.push_back(png.at(x, y));
      }
    }
    return found;
  };
  // The strip B gained: striped with the hatch colour over B's fill.
  const std::vector<Rgb> strip = pixels_in(80, 0, 100, 100);
  ASSERT_GT(strip.size(), 500u);
  std::size_t hatched = 0, solid_hatch = 0;
  for (const Rgb& c : strip) {
    hatched += c != b_fill;
    solid_hatch += c == kMapMoved;
  }
  EXPECT_GT(hatched, strip.size() / 5);
  EXPECT_LT(hatched, strip.size() * 4 / 5);
  EXPECT_GT(solid_hatch, 0u);
  // The rest of B, and A, are their plain fills.
  for (const Rgb& c : pixels_in(110, 0, 200, 100)) ASSERT_EQ(c, b_fill);
  for (const Rgb& c : pixels_in(0, 0, 80, 100)) ASSERT_EQ(c, viridis(0.0));

  // A's old east edge, x = 100, is dashed dark over a light line: dark and light greys
  // alternate along it, unlike the fills and the hatch beside it.
  const int x = static_cast<int>(std::floor(summary.to_pixel({100, 0}).x));
  std::size_t dark = 0, light = 0;
  for (int y = static_cast<int>(summary.to_pixel({0, 95}).y);
       y < static_cast<int>(summary.to_pixel({0, 5}).y); ++y) {
    for (const Rgb c : {png.at(x - 1, y), png.at(x, y)}) {
      const int chroma = std::max({c.r, c.g, c.b}) - std::min({c.r, c.g, c.b});
      if (chroma > 25) continue;
      dark += lightness(c) < 50;
      light += lightness(c) > 85;
    }
  }
  EXPECT_GT(light, 5u);
}

TEST(RenderMap, SvgHatchesTheMovedLandAndDashesTheOldBoundary) {
  const std::string path = testing::temporary_folder() + "/c.svg";
  const GridSet before = rebalanced(100);
  render_map(rebalanced(), compared_with(before), path);
  const std::string svg = libgrid::testing::file_bytes(path);
  const std::vector<Rgb> colours = svg_colours(svg);
  auto has = [&](Rgb c) { return std::find(colours.begin(), colours.end(), c) != colours.end(); };
  EXPECT_TRUE(has(kMapMoved));           // the hatch's stripes
  EXPECT_TRUE(has(kMapBoundaryBefore));  // the dashes
  EXPECT_NE(svg.find("stroke-dasharray:"), std::string::npos);
  // The legend says what the hatch means, with the number of cells changed.
  EXPECT_NE(svg.find(">land that changed cell (2 of 2 cells changed)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">boundary before</text>"), std::string::npos);
}

TEST(RenderMap, WithoutCompareNothingIsHatched) {
  const std::string path = testing::temporary_folder() + "/map.svg";
  render_map(rebalanced(), grid_map(), path);
  const std::string svg = libgrid::testing::file_bytes(path);
  const std::vector<Rgb> colours = svg_colours(svg);
  EXPECT_EQ(std::find(colours.begin(), colours.end(), kMapMoved), colours.end());
  EXPECT_EQ(svg.find("stroke-dasharray:"), std::string::npos);
  EXPECT_EQ(svg.find("changed cell"), std::string::npos);
}

TEST(RenderMap, CompareErrorsWriteNothing) {
  const std::string folder = testing::temporary_folder();
  GridSet communities;
  communities.add_level("community");
  communities.add_cell(
      {.code = "1001", .geometry = parse_wkt_area("POLYGON (" + box(0, 0, 200, 100) + ")")});
  Error e =
      error_of([&] { render_map(rebalanced(), compared_with(communities), folder + "/a.png"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            "the grid set to compare with has no level named 'grid' (its levels: community)");

  GridSet after = rebalanced();
  after.set_crs("EPSG:4548");
  GridSet before = rebalanced(100);
  before.set_crs("EPSG:4326");
  e = error_of([&] { render_map(after, compared_with(before), folder + "/b.svg"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(std::string(e.what()).find("another CRS"), std::string::npos) << e.what();
  expect_empty(folder);
}

}  // namespace
}  // namespace libgrid
