// Colours for maps: the sequential ramp cells are filled with, and the lightness that keeps it
// readable.
#pragma once

#include <cstdint>
#include <string>

namespace libgrid {

// An sRGB colour, 8 bits per channel.
struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;

  friend bool operator==(const Rgb& a, const Rgb& b) {
    return a.r == b.r && a.g == b.g && a.b == b.b;
  }
  friend bool operator!=(const Rgb& a, const Rgb& b) { return !(a == b); }
};

// The viridis ramp (matplotlib's perceptually uniform sequential map) at t in [0, 1]: dark
// purple at 0, yellow at 1, its lightness rising steadily in between, so larger values always
// read lighter, also in greyscale and for the common colour-vision deficiencies. Approximated
// by nine control points interpolated linearly. t outside [0, 1] (NaN included) is clamped.
Rgb viridis(double t);

// CIE L* of an sRGB colour: 0 black .. 100 white.
double lightness(Rgb colour);

// "#rrggbb".
std::string hex_colour(Rgb colour);

}  // namespace libgrid
