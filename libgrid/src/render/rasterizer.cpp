#include "render/rasterizer.h"

#include <algorithm>
#include <cmath>

namespace libgrid::internal {

namespace {

constexpr int kSubScanlines = 4;

}  // namespace

Rasterizer::Rasterizer(int width, int height)
    : width_(width), height_(height), coverage_(static_cast<std::size_t>(width) + 1, 0.0f) {}

void Rasterizer::add_edge(Point a, Point b) {
  if (a.y == b.y || !std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(b.x) ||
      !std::isfinite(b.y)) {
    return;
  }
  const int direction = a.y < b.y ? 1 : -1;
  if (direction < 0) std::swap(a, b);
  edges_.push_back({a.x, a.y, b.y, (b.x - a.x) / (b.y - a.y), direction});
}

void Rasterizer::add_ring(const std::vector<Point>& ring) {
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) add_edge(ring[i], ring[i + 1]);
}

void Rasterizer::add_span(double x_begin, double x_end, float weight, int& lo, int& hi) {
  x_begin = std::max(x_begin, 0.0);
  x_end = std::min(x_end, static_cast<double>(width_));
  if (!(x_end > x_begin)) return;
  const int first = static_cast<int>(x_begin);  // x_begin >= 0: truncation is floor
  const int last = std::min(static_cast<int>(x_end), width_ - 1);
  float* c = coverage_.data();
  if (first == static_cast<int>(x_end)) {
    c[first] += static_cast<float>(x_end - x_begin) * weight;
  } else {
    c[first] += static_cast<float>(first + 1 - x_begin) * weight;
    for (int x = first + 1; x < static_cast<int>(x_end) && x < width_; ++x) c[x] += weight;
    if (static_cast<int>(x_end) < width_) {
      c[static_cast<int>(x_end)] += static_cast<float>(x_end - static_cast<int>(x_end)) * weight;
    }
  }
  lo = std::min(lo, first);
  hi = std::max(hi, last);
}

void Rasterizer::fill(FillRule rule, const RowSink& sink, int row_begin, int row_end) {
  if (edges_.empty()) return;
  double y_min = edges_.front().y_top;
  double y_max = edges_.front().y_bottom;
  for (const Edge& e : edges_) {
    y_min = std::min(y_min, e.y_top);
    y_max = std::max(y_max, e.y_bottom);
  }
  const int first_row =
      std::max({row_begin, 0, static_cast<int>(std::floor(std::max(y_min, -1.0)))});
  const int end_row =
      std::min({row_end, height_, static_cast<int>(std::ceil(std::min(y_max, 1e9)))});
  if (first_row >= end_row) return;

  // Edges in order of the first sub-scanline they cross (a counting sort): sub-scanline s lies
  // at y = first_row + (s + 0.5) / kSubScanlines.
  const int samples = (end_row - first_row) * kSubScanlines;
  auto first_sample = [&](const Edge& e) {
    const double s = std::ceil((e.y_top - first_row) * kSubScanlines - 0.5);
    return s <= 0.0 ? 0 : s >= samples ? samples : static_cast<int>(s);
  };
  starts_.assign(static_cast<std::size_t>(samples) + 2, 0);
  for (const Edge& e : edges_) ++starts_[static_cast<std::size_t>(first_sample(e)) + 1];
  for (std::size_t i = 1; i < starts_.size(); ++i) starts_[i] += starts_[i - 1];
  sorted_.resize(edges_.size());
  for (const Edge& e : edges_) {
    sorted_[starts_[static_cast<std::size_t>(first_sample(e))]++] = e;
  }
  // starts_[s] is now where the edges of sample s + 1 begin, i.e. the end of sample s's.

  constexpr float kWeight = 1.0f / kSubScanlines;
  std::size_t next = 0;
  active_.clear();
  for (int row = first_row; row < end_row; ++row) {
    int lo = width_;
    int hi = -1;
    for (int s = 0; s < kSubScanlines; ++s) {
      const int sample = (row - first_row) * kSubScanlines + s;
      const double y = row + (s + 0.5) / kSubScanlines;
      // The edges still active move little from one sub-scanline to the next: insertion sort.
      std::size_t kept = 0;
      for (std::size_t i = 0; i < active_.size(); ++i) {
        ActiveEdge a = active_[i];
        if (a.edge.y_bottom <= y) continue;
        a.x = a.edge.x_top + (y - a.edge.y_top) * a.edge.dx_dy;
        std::size_t j = kept++;
        for (; j > 0 && active_[j - 1].x > a.x; --j) active_[j] = active_[j - 1];
        active_[j] = a;
      }
      active_.resize(kept);
      // The new ones are sorted apart and merged in.
      for (const std::size_t end = starts_[static_cast<std::size_t>(sample)]; next < end; ++next) {
        const Edge& e = sorted_[next];
        if (e.y_bottom > y) active_.push_back({e, e.x_top + (y - e.y_top) * e.dx_dy});
      }
      if (active_.size() > kept) {
        auto by_x = [](const ActiveEdge& a, const ActiveEdge& b) { return a.x < b.x; };
        const auto middle = active_.begin() + static_cast<std::ptrdiff_t>(kept);
        std::sort(middle, active_.end(), by_x);
        std::inplace_merge(active_.begin(), middle, active_.end(), by_x);
      }
      int winding = 0;
      for (std::size_t c = 0; c + 1 < active_.size(); ++c) {
        winding += rule == FillRule::kEvenOdd ? 1 : active_[c].edge.direction;
        const bool inside = rule == FillRule::kEvenOdd ? (winding & 1) != 0 : winding != 0;
        if (inside) add_span(active_[c].x, active_[c + 1].x, kWeight, lo, hi);
      }
    }
    if (hi < lo) continue;
    for (int x = lo; x <= hi; ++x) {
      coverage_[static_cast<std::size_t>(x)] =
          std::min(coverage_[static_cast<std::size_t>(x)], 1.0f);
    }
    sink(row, lo, hi + 1, coverage_.data() + lo);
    std::fill(coverage_.begin() + lo, coverage_.begin() + hi + 1, 0.0f);
  }
}

void add_segment(Rasterizer& rasterizer, Point a, Point b, double half_width) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double length = std::hypot(dx, dy);
  if (!(length > 0.0)) return;
  // n is d turned a quarter, so (a - n, b - n, b + n, a + n) always turns the same way.
  const Point n{-dy / length * half_width, dx / length * half_width};
  const Point corners[] = {{a.x - n.x, a.y - n.y},
                           {b.x - n.x, b.y - n.y},
                           {b.x + n.x, b.y + n.y},
                           {a.x + n.x, a.y + n.y},
                           {a.x - n.x, a.y - n.y}};
  for (int i = 0; i < 4; ++i) rasterizer.add_edge(corners[i], corners[i + 1]);
}

void add_joint(Rasterizer& rasterizer, Point p, double half_width) {
  // Angles rising, as the segments' corners turn.
  constexpr double kStep = 0.7853981633974483;  // pi / 4
  Point previous{p.x + half_width, p.y};
  for (int k = 1; k <= 8; ++k) {
    const Point next{p.x + half_width * std::cos(k * kStep),
                     p.y + half_width * std::sin(k * kStep)};
    rasterizer.add_edge(previous, next);
    previous = next;
  }
}

}  // namespace libgrid::internal
