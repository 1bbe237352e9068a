// WKT of axis-aligned rectangles, the usual cells of constructed test cases.
#pragma once

#include <string>

namespace libgrid::testing {

// A rectangle [x0, x1] x [y0, y1] as a WKT polygon.
inline std::string box(double x0, double y0, double x1, double y1) {
  auto n = [](double v) { return std::to_string(v); };
  return "POLYGON ((" + n(x0) + " " + n(y0) + ", " + n(x1) + " " + n(y0) + ", " + n(x1) + " " +
         n(y1) + ", " + n(x0) + " " + n(y1) + ", " + n(x0) + " " + n(y0) + "))";
}

}  // namespace libgrid::testing
