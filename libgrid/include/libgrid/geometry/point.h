// Plain coordinate values in a grid set's CRS: x is easting or longitude, y northing or latitude.
#pragma once

namespace libgrid {

struct Point {
  double x = 0.0;
  double y = 0.0;

  friend bool operator==(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }
  friend bool operator!=(const Point& a, const Point& b) { return !(a == b); }
};

}  // namespace libgrid
