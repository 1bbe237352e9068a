#include "libgrid/render/map_render.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "libgrid/geometry/wkt.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;
using testing::error_of;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A PNG read back with zlib alone, checking what a viewer would.
struct DecodedPng {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb{};

  Rgb at(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(x)) *
                          3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
  // The pixel holding a point given in pixel coordinates.
  Rgb at(Point p) const {
    return at(static_cast<int>(std::floor(p.x)), static_cast<int>(std::floor(p.y)));
  }
};

std::uint32_t be32(const std::string& bytes, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

void decode_png(const std::string& path, DecodedPng& png) {
  const std::string bytes = read_bytes(path);
  ASSERT_GE(bytes.size(), 8u);
  ASSERT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::string idat;
  std::vector<std::string> types;
  std::size_t at = 8;
  while (at < bytes.size()) {
    ASSERT_LE(at + 12, bytes.size());
    const std::uint32_t length = be32(bytes, at);
    ASSERT_LE(at + 12 + length, bytes.size());
    const std::string type = bytes.substr(at + 4, 4);
    const std::string data = bytes.substr(at + 8, length);
    const uLong crc = crc32(crc32(0L, Z_NULL, 0),
                            reinterpret_cast<const Bytef*>(bytes.data() + at + 4), 4 + length);
    EXPECT_EQ(be32(bytes, at + 8 + length), static_cast<std::uint32_t>(crc)) << type << " CRC";
    types.push_back(type);
    if (type == "IHDR") {
      ASSERT_EQ(length, 13u);
      png.width = static_cast<int>(be32(data, 0));
      png.height = static_cast<int>(be32(data, 4));
      EXPECT_EQ(data[8], 8) << "bit depth";
      EXPECT_EQ(data[9], 2) << "colour type RGB";
      EXPECT_EQ(data[10], 0);
      EXPECT_EQ(data[11], 0);
      EXPECT_EQ(data[12], 0) << "interlace";
    } else if (type == "IDAT") {
      idat += data;
    }
    at += 12 + length;
  }
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types.front(), "IHDR");
  EXPECT_EQ(types.back(), "IEND");
  ASSERT_GT(png.width, 0);
  ASSERT_GT(png.height, 0);

  const std::size_t stride = static_cast<std::size_t>(png.width) * 3;
  std::vector<std::uint8_t> raw((stride + 1) * static_cast<std::size_t>(png.height));
  uLongf raw_size = static_cast<uLongf>(raw.size());
  ASSERT_EQ(uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()),
                       static_cast<uLong>(idat.size())),
            Z_OK);
  ASSERT_EQ(raw_size, raw.size());
  png.rgb.assign(stride * static_cast<std::size_t>(png.height), 0);
  for (std::size_t y = 0; y < static_cast<std::size_t>(png.height); ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    ASSERT_LE(filter, 4) << "row " << y;
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* row = &png.rgb[y * stride];
    const std::uint8_t* up = y > 0 ? row - stride : nullptr;
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= 3 ? row[i - 3] : 0;
      const int b = up ? up[i] : 0;
      const int c = up && i >= 3 ? up[i - 3] : 0;
      const int predictor[] = {0, a, b, (a + b) / 2, paeth(a, b, c)};
      row[i] = static_cast<std::uint8_t>(in[i] + predictor[filter]);
    }
  }
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
  // A's label sits west of its hole, on the widest span through the middle: white on purple.
  DecodedPng png;
  ASSERT_NO_FATAL_FAILURE(decode_png(folder + "/labels.png", png));
  const Point at = summary.to_pixel({20, 50});
  int white = 0;
  for (int dy = -4; dy <= 4; ++dy) {
    for (int dx = -20; dx <= 20; ++dx) {
      white +=
          png.at(static_cast<int>(at.x) + dx, static_cast<int>(at.y) + dy) == Rgb{255, 255, 255};
    }
  }
  EXPECT_GT(white, 20);

  options.width = 40;  // cells of 18 pixels: no room for 7 digits
  summary = render_map(two_grids(), options, folder + "/small.png");
  EXPECT_EQ(summary.labels_drawn, 0u);
}

TEST(RenderMap, SvgHasOnePathPerCellWithItsFill) {
  const std::string path = testing::temporary_folder() + "/map.svg";
  RenderOptions options = grid_map();
  options.labels = true;
  const RenderSummary summary = render_map(two_grids(), options, path);
  EXPECT_EQ(summary.format, MapFormat::kSvg);
  const std::string svg = read_bytes(path);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"" +
                     std::to_string(summary.height) + "\""),
            std::string::npos);
  EXPECT_NE(svg.find("fill-rule=\"evenodd\""), std::string::npos);

  const std::regex cell_path(
      "<path class=\"cell\" fill=\"(#[0-9a-f]{6})\" d=\"([^\"]*)\">"
      "<title>([^<]*)</title>");
  std::vector<std::smatch> cells;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cell_path);
       it != std::sregex_iterator(); ++it) {
    cells.push_back(*it);
  }
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0][1], "#440154");
  EXPECT_EQ(cells[0][3], "1001001");
  EXPECT_EQ(cells[1][1], "#fde725");
  EXPECT_EQ(cells[1][3], "1001002");
  // A: shell and hole; B: two parts. Coordinates to a tenth of a pixel at most.
  for (const auto& cell : cells) {
    const std::string d = cell[2];
    EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 2) << d;
    EXPECT_EQ(std::count(d.begin(), d.end(), 'Z'), 2) << d;
    EXPECT_FALSE(std::regex_search(d, std::regex("\\.[0-9]{2}"))) << d;
  }
  // A's shell starts at its south-west corner, y measured down from the top.
  auto tenths = [](double v) {
    const long long t = std::llround(v * 10);
    return std::to_string(t / 10) + (t % 10 != 0 ? "." + std::to_string(t % 10) : "");
  };
  const Point corner = summary.to_pixel({0, 0});
  EXPECT_EQ(cells[0][2].str().rfind("M" + tenths(corner.x) + " " + tenths(corner.y) + " ", 0), 0u)
      << cells[0][2];

  EXPECT_NE(svg.find("<g class=\"outline\""), std::string::npos);
  EXPECT_NE(svg.find(">1001001</text>"), std::string::npos);
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
  EXPECT_NE(message(options, "map.jpg").find("map.jpg: a map is written as .png or .svg"),
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
  const RenderSummary summary = render_map(rebalanced(), compared_with(before), path);
  const std::string svg = read_bytes(path);
  EXPECT_NE(svg.find("<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"" + hex_colour(kMapMoved) + "\"/></pattern>"), std::string::npos);

  auto corners_of = [](const std::string& d) {
    std::vector<Point> points;
    const std::regex number_pair("(-?[0-9.]+) (-?[0-9.]+)");
    for (auto it = std::sregex_iterator(d.begin(), d.end(), number_pair);
         it != std::sregex_iterator(); ++it) {
      points.push_back({std::stod((*it)[1]), std::stod((*it)[2])});
    }
    return points;
  };
  auto near = [](Point a, Point b) {
    return std::abs(a.x - b.x) <= 0.1 && std::abs(a.y - b.y) <= 0.1;
  };

  // One hatched path, B's strip: its four corners and nothing else.
  const std::regex moved_path(
      "<g class=\"moved\" fill=\"url\\(#hatch\\)\"[^>]*>\n<path d=\"([^\"]*)\"><title>land that "
      "changed cell into B</title></path>\n</g>");
  std::smatch moved;
  ASSERT_TRUE(std::regex_search(svg, moved, moved_path)) << svg;
  const std::vector<Point> strip = corners_of(moved[1]);
  ASSERT_EQ(strip.size(), 4u) << moved[1];
  for (const Point world : {Point{80, 0}, Point{100, 0}, Point{100, 100}, Point{80, 100}}) {
    const Point pixel = summary.to_pixel(world);
    EXPECT_TRUE(std::any_of(strip.begin(), strip.end(), [&](Point p) { return near(p, pixel); }))
        << world.x << " " << world.y << " not in " << moved[1];
  }

  // The old edge x = 100, as a light line and as dashes along the same path.
  const std::regex vanished(
      "<g class=\"vanished\" fill=\"none\"[^>]*>\n<path stroke=\"#ffffff\"[^>]* d=\"([^\"]*)\"/>\n"
      "<path stroke=\"" +
      hex_colour(kMapBoundaryBefore) +
      "\"[^>]* stroke-dasharray=\"[0-9.]+ [0-9.]+\" d=\"([^\"]*)\"/>");
  std::smatch line;
  ASSERT_TRUE(std::regex_search(svg, line, vanished)) << svg;
  EXPECT_EQ(line[1], line[2]);
  const std::vector<Point> ends = corners_of(line[1]);
  ASSERT_EQ(ends.size(), 2u) << line[1];
  const Point south = summary.to_pixel({100, 0});
  const Point north = summary.to_pixel({100, 100});
  EXPECT_TRUE((near(ends[0], south) && near(ends[1], north)) ||
              (near(ends[0], north) && near(ends[1], south)))
      << line[1];

  // The legend says what the hatch means, with the number of cells changed.
  EXPECT_NE(svg.find(">land that changed cell (2 of 2 cells changed)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">boundary before</text>"), std::string::npos);
  EXPECT_NE(svg.find("<rect class=\"moved\""), std::string::npos);
}

TEST(RenderMap, WithoutCompareNothingIsHatched) {
  const std::string path = testing::temporary_folder() + "/map.svg";
  render_map(rebalanced(), grid_map(), path);
  const std::string svg = read_bytes(path);
  EXPECT_EQ(svg.find("hatch"), std::string::npos);
  EXPECT_EQ(svg.find("vanished"), std::string::npos);
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
