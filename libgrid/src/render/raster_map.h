// Draws a map scene as a PNG image: cells filled by the anti-aliased scanline rasterizer, their
// boundaries stroked as unions of segment quads, text in the built-in bitmap font.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "render/map_scene.h"

namespace libgrid::internal {

struct RasterMap {
  std::vector<std::uint8_t> png{};
  std::size_t labels_drawn = 0;  // those that fit in their cells
};

RasterMap draw_png(const MapScene& scene);

}  // namespace libgrid::internal
