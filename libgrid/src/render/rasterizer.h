// Anti-aliased scanline polygon fill: the coverage of every pixel by the inside of a set of
// edges, under the even-odd or the non-zero rule, so holes, multipolygons and unions of
// overlapping shapes (stroked lines) fill right.
//
// Each pixel row is sampled on 4 sub-scanlines; along each, the inside spans are integrated
// exactly across pixels, so a pixel's coverage is its inside area to within 1/4 vertically.
// Edges are bucketed by the first sub-scanline they cross and kept in an active edge list, in
// order along the scanline, sweeping down the rows: the cost grows with the rows and the edges
// crossing them, not with the number of edges times the rows.
#pragma once

#include <climits>
#include <functional>
#include <utility>
#include <vector>

#include "libgrid/geometry/point.h"

namespace libgrid::internal {

enum class FillRule { kEvenOdd, kNonZero };

class Rasterizer {
 public:
  // Rows [0, height) and columns [0, width) are drawn; everything else is clipped.
  Rasterizer(int width, int height);

  void clear() { edges_.clear(); }
  bool empty() const { return edges_.empty(); }
  std::size_t edge_count() const { return edges_.size(); }

  // An edge from a to b in pixel coordinates (x right, y down). Horizontal edges add nothing.
  void add_edge(Point a, Point b);
  // The edges of a closed ring (first point equal to the last).
  void add_ring(const std::vector<Point>& ring);

  // Receives the coverage of pixels [x_begin, x_end) of row y: coverage[i] in [0, 1] for
  // pixel x_begin + i. Rows and pixels not reached are not reported.
  using RowSink = std::function<void(int y, int x_begin, int x_end, const float* coverage)>;

  // Sweeps rows [row_begin, row_end) (clipped to the image) and reports their coverage.
  void fill(FillRule rule, const RowSink& sink, int row_begin = 0, int row_end = INT_MAX);

 private:
  struct Edge {
    double x_top;
    double y_top;
    double y_bottom;
    double dx_dy;
    int direction;  // +1 running down, -1 up: the winding number's step
  };

  void add_span(double x_begin, double x_end, float weight, int& lo, int& hi);

  int width_;
  int height_;
  struct ActiveEdge {
    Edge edge;
    double x;  // where it crosses the current sub-scanline
  };

  std::vector<Edge> edges_;
  std::vector<Edge> sorted_;
  std::vector<std::size_t> starts_;
  std::vector<ActiveEdge> active_;
  std::vector<float> coverage_;
};

// A line segment from a to b of width 2 * half_width as a quadrilateral, wound the same way as
// every other one, so that under FillRule::kNonZero any number of them fill their union.
void add_segment(Rasterizer& rasterizer, Point a, Point b, double half_width);
// A joint: an octagon of radius half_width around p, wound like the segments.
void add_joint(Rasterizer& rasterizer, Point p, double half_width);

}  // namespace libgrid::internal
