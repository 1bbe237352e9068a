// An axis-aligned box, closed on all sides. A default-constructed box is empty.
#pragma once

#include <algorithm>
#include <limits>

#include "libgrid/geometry/point.h"

namespace libgrid {

struct Box {
  double min_x = std::numeric_limits<double>::infinity();
  double min_y = std::numeric_limits<double>::infinity();
  double max_x = -std::numeric_limits<double>::infinity();
  double max_y = -std::numeric_limits<double>::infinity();

  bool empty() const { return min_x > max_x || min_y > max_y; }
  void expand(Point p) {
    min_x = std::min(min_x, p.x);
    min_y = std::min(min_y, p.y);
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  void expand(const Box& b) {
    min_x = std::min(min_x, b.min_x);
    min_y = std::min(min_y, b.min_y);
    max_x = std::max(max_x, b.max_x);
    max_y = std::max(max_y, b.max_y);
  }
  bool contains(Point p) const {
    return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
  }
  bool intersects(const Box& b) const {
    return b.min_x <= max_x && b.max_x >= min_x && b.min_y <= max_y && b.max_y >= min_y;
  }
};

}  // namespace libgrid
