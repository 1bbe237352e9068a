#include "libgrid/geometry/wkb.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "libgrid/geometry/wkt.h"

namespace libgrid {
namespace {

// Little-endian bytes of the values, written out by hand in the test's own way.
std::string u32(std::uint32_t v) {
  return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
          static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 24) & 0xff)};
}

std::string f64(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  return out;
}

std::string join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

TEST(Wkb, WritesAMultiPolygonWithAHoleByteForByte) {
  const MultiPolygon area = parse_wkt_area(
      "MULTIPOLYGON (((0 0, 4 0, 4 4, 0 0), (1 0.5, 3 0.5, 3 2.5, 1 0.5)), ((-1.25 7, 8 7, 8 9, "
      "-1.25 7)))");
  const std::string little(1, '\x01');
  const std::string expected = join({little, u32(6),     u32(2),  // 2 polygons
                                     little, u32(3),     u32(2),  // the first: 2 rings
                                     u32(4), f64(0),     f64(0),     f64(4),   f64(0),
                                     f64(4), f64(4),     f64(0),     f64(0),  // shell
                                     u32(4), f64(1),     f64(0.5),   f64(3),   f64(0.5),
                                     f64(3), f64(2.5),   f64(1),     f64(0.5),  // hole
                                     little, u32(3),     u32(1),  // the second: 1 ring
                                     u32(4), f64(-1.25), f64(7),     f64(8),   f64(7),
                                     f64(8), f64(9),     f64(-1.25), f64(7)});
  EXPECT_EQ(to_wkb(area), expected);
}

TEST(Wkb, WritesAnEmptyAreaAsAMultiPolygonOfNoPolygons) {
  EXPECT_EQ(to_wkb(MultiPolygon{}), join({std::string(1, '\x01'), u32(6), u32(0)}));
}

}  // namespace
}  // namespace libgrid
