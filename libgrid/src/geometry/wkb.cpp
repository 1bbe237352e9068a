#include "libgrid/geometry/wkb.h"

#include <bit>
#include <cstdint>

namespace libgrid {

namespace {

// Appends values as little-endian bytes, whatever the machine's order.
class WkbWriter {
 public:
  explicit WkbWriter(std::string& out) : out_(out) {}

  void byte(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }

  void uint32(std::uint32_t value) {
    for (int i = 0; i < 4; ++i) byte(static_cast<std::uint8_t>(value >> (8 * i)));
  }

  void real(double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(bits >> (8 * i)));
  }

 private:
  std::string& out_;
};

constexpr std::uint8_t kLittleEndian = 1;
constexpr std::uint32_t kPolygon = 3;
constexpr std::uint32_t kMultiPolygon = 6;

}  // namespace

std::string to_wkb(const MultiPolygon& area) {
  std::size_t bytes = 9;
  for (const Polygon& polygon : area.polygons) {
    bytes += 9;
    for (const Ring& ring : polygon.rings) bytes += 4 + 16 * ring.size();
  }
  std::string out;
  out.reserve(bytes);
  WkbWriter write(out);
  write.byte(kLittleEndian);
  write.uint32(kMultiPolygon);
  write.uint32(static_cast<std::uint32_t>(area.polygons.size()));
  for (const Polygon& polygon : area.polygons) {
    write.byte(kLittleEndian);
    write.uint32(kPolygon);
    write.uint32(static_cast<std::uint32_t>(polygon.rings.size()));
    for (const Ring& ring : polygon.rings) {
      write.uint32(static_cast<std::uint32_t>(ring.size()));
      for (const Point& p : ring) {
        write.real(p.x);
        write.real(p.y);
      }
    }
  }
  return out;
}

}  // namespace libgrid
