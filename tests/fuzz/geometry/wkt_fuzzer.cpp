// parse_wkt_area and parse_wkt_points on any text: geometry or Error; and what was read writes
// back as text that reads as the same geometry (an Error there escapes: a finding).
// seeds: tests/fuzz/seeds/wkt/*
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"

namespace {

template <typename Parse>
auto parsed_or_none(Parse parse) -> std::optional<decltype(parse())> {
  try {
    return parse();
  } catch (const libgrid::Error&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto area = parsed_or_none([&] { return libgrid::parse_wkt_area(text); })) {
    const std::string written = libgrid::to_wkt(*area);
    if (libgrid::to_wkt(libgrid::parse_wkt_area(written)) != written) __builtin_trap();
  }
  if (const auto points = parsed_or_none([&] { return libgrid::parse_wkt_points(text); })) {
    for (const libgrid::Point p : *points) {
      const std::string written = libgrid::to_wkt(p);
      const std::vector<libgrid::Point> again = libgrid::parse_wkt_points(written);
      if (again.size() != 1 || libgrid::to_wkt(again[0]) != written) __builtin_trap();
    }
  }
  return 0;
}
