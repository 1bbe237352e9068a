// Writes a map scene as SVG: one path per cell (fill-rule evenodd, coordinates rounded to 0.1
// pixel) with its code and name as a tooltip, the outline level's boundaries as unfilled
// paths, and text elements for the title, legend and labels.
#pragma once

#include <string>

#include "render/map_scene.h"

namespace libgrid::internal {

std::string draw_svg(const MapScene& scene);

}  // namespace libgrid::internal
