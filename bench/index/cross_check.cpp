#include "index/cross_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace libgrid::bench {
namespace {

double segment_distance(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

double edge_distance(const MultiPolygon& area, Point p) {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& polygon : area.polygons) {
    for (const auto& ring : polygon.rings) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        best = std::min(best, segment_distance(p, ring[i], ring[i + 1]));
      }
    }
  }
  return best;
}

}  // namespace

CrossCheck cross_check(const GridSet& grids, const PointSet& points,
                       std::span<const CellId> reference,
                       const std::function<CellId(std::size_t)>& answer) {
  CrossCheck check;
  check.points = reference.size();
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const CellId mine = answer(i), theirs = reference[i];
    if (mine == theirs) continue;
    ++check.differ;
    if (mine == kNoCell) {
      ++check.peer_none;
    } else if (theirs == kNoCell) {
      ++check.reference_none;
    } else {
      ++check.other_cell;
    }
    const Point p{points.x[i], points.y[i]};
    double nearest = std::numeric_limits<double>::infinity();
    for (const CellId cell : {mine, theirs}) {
      if (cell != kNoCell) nearest = std::min(nearest, edge_distance(grids.cell(cell).geometry, p));
    }
    check.max_edge_distance = std::max(check.max_edge_distance, nearest);
  }
  return check;
}

std::string describe(const CrossCheck& c) {
  char text[200];
  std::snprintf(text, sizeof text, "%zu of %zu differ", c.differ, c.points);
  if (c.differ == 0) return text;
  char more[200];
  std::snprintf(more, sizeof more,
                " (peer none %zu, reference none %zu, other cell %zu; all within %.2g of an edge)",
                c.peer_none, c.reference_none, c.other_cell, c.max_edge_distance);
  return std::string(text) + more;
}

}  // namespace libgrid::bench
