#include "libgrid/render/colour_ramp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace libgrid {
namespace {

TEST(ColourRamp, EndsAreViridisPurpleAndYellow) {
  EXPECT_EQ(viridis(0.0), (Rgb{68, 1, 84}));
  EXPECT_EQ(viridis(1.0), (Rgb{253, 231, 37}));
  EXPECT_EQ(hex_colour(viridis(0.0)), "#440154");
  EXPECT_EQ(hex_colour(viridis(1.0)), "#fde725");
}

TEST(ColourRamp, ClampsOutOfRangeAndNaN) {
  EXPECT_EQ(viridis(-3.0), viridis(0.0));
  EXPECT_EQ(viridis(7.0), viridis(1.0));
  EXPECT_EQ(viridis(std::numeric_limits<double>::quiet_NaN()), viridis(0.0));
}

TEST(ColourRamp, LightnessRisesSteadily) {
  double previous = lightness(viridis(0.0));
  EXPECT_LT(previous, 20.0);
  for (int i = 1; i <= 1000; ++i) {
    const double l = lightness(viridis(i / 1000.0));
    // Rounding to 8 bits may step back a hair; the ramp itself never does.
    EXPECT_GE(l, previous - 0.3) << "at t = " << i / 1000.0;
    previous = std::max(previous, l);
  }
  EXPECT_GT(lightness(viridis(1.0)), 85.0);
  // And evenly: each eighth of the ramp gains a similar share of lightness.
  for (int k = 0; k < 8; ++k) {
    const double gain = lightness(viridis((k + 1) / 8.0)) - lightness(viridis(k / 8.0));
    EXPECT_GT(gain, 5.0) << "eighth " << k;
    EXPECT_LT(gain, 17.0) << "eighth " << k;
  }
}

TEST(ColourRamp, LightnessOfBlackGreyWhite) {
  EXPECT_NEAR(lightness({0, 0, 0}), 0.0, 1e-9);
  EXPECT_NEAR(lightness({255, 255, 255}), 100.0, 1e-6);
  EXPECT_NEAR(lightness({119, 119, 119}), 50.0, 0.5);
}

}  // namespace
}  // namespace libgrid
