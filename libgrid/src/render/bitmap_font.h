// A 5 x 7 pixel bitmap font for printable ASCII (g, j, p, q and y descend one pixel more), so
// PNG maps carry their title, legend and labels without a font library. Other characters (any
// UTF-8 sequence) are drawn as '?'.
#pragma once

#include <string_view>

#include "libgrid/render/colour_ramp.h"
#include "render/image.h"

namespace libgrid::internal {

inline constexpr int kGlyphWidth = 5;
inline constexpr int kGlyphHeight = 8;    // the box, descenders included
inline constexpr int kGlyphBaseline = 7;  // rows above the baseline
inline constexpr int kGlyphAdvance = 6;   // one column of space between glyphs

// Width in pixels of `text` drawn at `scale` (each font pixel a scale x scale square).
int text_width(std::string_view text, int scale);

// Draws `text` with its glyph box's top-left corner at (x, y): the baseline is at
// y + kGlyphBaseline * scale.
void draw_text(Image& image, int x, int y, std::string_view text, int scale, Rgb colour);

}  // namespace libgrid::internal
