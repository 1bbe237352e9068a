// An RGB raster with 8 bits per channel, the canvas PNG maps are drawn on.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "libgrid/render/colour_ramp.h"

namespace libgrid::internal {

class Image {
 public:
  // REQUIRES: width, height > 0.
  Image(int width, int height, Rgb background)
      : width_(width),
        height_(height),
        rgb_(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3) {
    for (std::size_t i = 0; i < rgb_.size(); i += 3) {
      rgb_[i] = background.r;
      rgb_[i + 1] = background.g;
      rgb_[i + 2] = background.b;
    }
  }

  int width() const { return width_; }
  int height() const { return height_; }
  // Rows top to bottom, each `width` pixels of r, g, b.
  const std::vector<std::uint8_t>& rgb() const { return rgb_; }

  Rgb at(int x, int y) const {
    const std::uint8_t* p = pixel(x, y);
    return {p[0], p[1], p[2]};
  }

  // Paints `colour` over pixel (x, y) with opacity `alpha` (clamped to [0, 1]); pixels outside
  // the image are ignored.
  void blend(int x, int y, Rgb colour, float alpha) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    alpha = std::clamp(alpha, 0.0f, 1.0f);
    std::uint8_t* p = const_cast<std::uint8_t*>(pixel(x, y));
    p[0] = mix(p[0], colour.r, alpha);
    p[1] = mix(p[1], colour.g, alpha);
    p[2] = mix(p[2], colour.b, alpha);
  }

  // blend() over pixels [x_begin, x_end) of row y, with opacity alpha * coverage[x - x_begin].
  void blend_row(int y, int x_begin, int x_end, const float* coverage, Rgb colour, float alpha) {
    for (int x = x_begin; x < x_end; ++x) blend(x, y, colour, alpha * coverage[x - x_begin]);
  }

  void fill_rect(int x0, int y0, int x1, int y1, Rgb colour) {
    for (int y = std::max(y0, 0); y < std::min(y1, height_); ++y) {
      for (int x = std::max(x0, 0); x < std::min(x1, width_); ++x) blend(x, y, colour, 1.0f);
    }
  }

 private:
  const std::uint8_t* pixel(int x, int y) const {
    return &rgb_[(static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                  static_cast<std::size_t>(x)) *
                 3];
  }
  static std::uint8_t mix(std::uint8_t under, std::uint8_t over, float alpha) {
    return static_cast<std::uint8_t>(under + (over - under) * alpha + 0.5f);
  }

  int width_;
  int height_;
  std::vector<std::uint8_t> rgb_;
};

}  // namespace libgrid::internal
