#include "libgrid/render/colour_ramp.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace libgrid {

namespace {

// matplotlib's viridis at t = 0, 1/8, ..., 1.
constexpr Rgb kViridis[] = {{68, 1, 84},    {72, 40, 120},  {62, 73, 137},
                            {49, 104, 142}, {38, 130, 142}, {31, 158, 137},
                            {53, 183, 121}, {110, 206, 88}, {253, 231, 37}};
constexpr int kSteps = static_cast<int>(sizeof kViridis / sizeof kViridis[0]) - 1;

std::uint8_t mix(std::uint8_t a, std::uint8_t b, double f) {
  return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
}

double linear(std::uint8_t channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

Rgb viridis(double t) {
  if (!(t > 0.0)) t = 0.0;  // NaN too
  t = std::min(t, 1.0);
  const double at = t * kSteps;
  const int i = std::min(static_cast<int>(at), kSteps - 1);
  const double f = at - i;
  const Rgb& a = kViridis[i];
  const Rgb& b = kViridis[i + 1];
  return {mix(a.r, b.r, f), mix(a.g, b.g, f), mix(a.b, b.b, f)};
}

double lightness(Rgb colour) {
  const double y =
      0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b);
  const double f = y > 216.0 / 24389.0 ? std::cbrt(y) : (24389.0 / 27.0 * y + 16.0) / 116.0;
  return 116.0 * f - 16.0;
}

std::string hex_colour(Rgb colour) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", colour.r, colour.g, colour.b);
  return buffer;
}

}  // namespace libgrid
