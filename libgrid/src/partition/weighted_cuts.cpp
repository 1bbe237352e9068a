#include "partition/weighted_cuts.h"

#include <algorithm>
#include <cmath>

#include "libgrid/geometry/box.h"

namespace libgrid::internal {
namespace {

class Cutter {
 public:
  Cutter(const GeosContext& geos, const GEOSGeometry& block, double granularity, double overshoot)
      : geos_(geos), block_(block), granularity_(granularity), overshoot_(overshoot) {}

  void split(std::vector<WeightedPoint>::iterator first, std::vector<WeightedPoint>::iterator last,
             Box rect) {
    double total = 0.0;
    Box spread;
    for (auto it = first; it != last; ++it) {
      total += it->weight;
      spread.expand(it->location);
    }
    if (total <= granularity_ || last - first < 2) return;
    if (spread.max_x == spread.min_x && spread.max_y == spread.min_y) return;
    const bool vertical = spread.max_x - spread.min_x >= spread.max_y - spread.min_y;
    auto coord = [vertical](const WeightedPoint& p) {
      return vertical ? p.location.x : p.location.y;
    };
    std::sort(first, last, [&](const WeightedPoint& a, const WeightedPoint& b) {
      return coord(a) < coord(b) ||
             (coord(a) == coord(b) &&
              (vertical ? a.location.y < b.location.y : a.location.x < b.location.x));
    });
    // Pieces in proportion: the left side takes half of the pieces the block needs.
    const double pieces = std::ceil(total / granularity_);
    const double target = total * std::floor(pieces / 2) / pieces;
    // The split index m (left = [first, m)) between distinct coordinates nearest the target.
    double best_gap = INFINITY;
    auto best = last;
    double left = 0.0;
    for (auto it = first; it + 1 != last; ++it) {
      left += it->weight;
      if (coord(*it) == coord(*(it + 1))) continue;
      const double gap = std::abs(left - target);
      if (gap < best_gap) {
        best_gap = gap;
        best = it + 1;
      }
    }
    if (best == last) return;
    const double at = 0.5 * (coord(*(best - 1)) + coord(*best));
    if (vertical) {
      cut({at, rect.min_y}, {at, rect.max_y});
      Box l = rect, r = rect;
      l.max_x = at;
      r.min_x = at;
      split(first, best, l);
      split(best, last, r);
    } else {
      cut({rect.min_x, at}, {rect.max_x, at});
      Box l = rect, r = rect;
      l.max_y = at;
      r.min_y = at;
      split(first, best, l);
      split(best, last, r);
    }
  }

  std::vector<std::vector<Point>> take() { return std::move(cuts_); }

 private:
  void cut(Point a, Point b) {
    const GeosContext::Geometry line = geos_.to_geos_lines({{a, b}});
    const GeosContext::Geometry inside = geos_.intersection(*line, block_);
    for (auto& piece : geos_.to_lines(*inside)) {
      if (piece.size() < 2) continue;
      Point& p = piece.front();
      Point& q = piece.back();
      const double length = std::hypot(q.x - p.x, q.y - p.y);
      if (length == 0) continue;
      const double ux = (q.x - p.x) / length * overshoot_, uy = (q.y - p.y) / length * overshoot_;
      p = {p.x - ux, p.y - uy};
      q = {q.x + ux, q.y + uy};
      cuts_.push_back(std::move(piece));
    }
  }

  const GeosContext& geos_;
  const GEOSGeometry& block_;
  double granularity_;
  double overshoot_;
  std::vector<std::vector<Point>> cuts_;
};

}  // namespace

std::vector<std::vector<Point>> weighted_cuts(const GeosContext& geos, const GEOSGeometry& block,
                                              std::vector<WeightedPoint> points,
                                              double granularity) {
  Box extent;
  for (const auto& ring : geos.to_lines(block)) {
    for (const Point& p : ring) extent.expand(p);
  }
  if (extent.empty()) return {};
  const double diagonal = std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  // Far beyond rounding at these coordinates, far below any real feature.
  const double overshoot = 1e-6 * diagonal;
  const double margin = 1e-3 * diagonal;
  extent.min_x -= margin;
  extent.min_y -= margin;
  extent.max_x += margin;
  extent.max_y += margin;
  Cutter cutter(geos, block, granularity, overshoot);
  cutter.split(points.begin(), points.end(), extent);
  return cutter.take();
}

}  // namespace libgrid::internal
