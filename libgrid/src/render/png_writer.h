// A small PNG encoder: 8-bit RGB, no interlacing, each row filtered with the PNG filter that
// minimises the sum of its absolute values, deflated with zlib.
#pragma once

#include <cstdint>
#include <vector>

#include "render/image.h"

namespace libgrid::internal {

// The complete PNG file. Throws Error(kIo) when zlib fails (out of memory).
std::vector<std::uint8_t> encode_png(const Image& image);

}  // namespace libgrid::internal
