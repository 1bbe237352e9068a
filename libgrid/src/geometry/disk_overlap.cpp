#include "libgrid/geometry/disk_overlap.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "libgrid/geometry/predicates.h"

namespace libgrid {

namespace {

double cross(Point a, Point b) { return a.x * b.y - a.y * b.x; }
double dot(Point a, Point b) { return a.x * b.x + a.y * b.y; }

// The signed area of the triangle (origin, a, b) inside the disk of radius r about the origin.
// The edge is cut where it crosses the circle; a piece inside the disk adds its triangle, a
// piece outside adds the sector it subtends.
double edge_share(Point a, Point b, double r) {
  const Point d{b.x - a.x, b.y - a.y};
  const double dd = dot(d, d);
  if (dd == 0.0) return 0.0;
  const double r2 = r * r;
  // |a + t d|^2 = r^2  <=>  dd t^2 + 2 (a.d) t + (|a|^2 - r^2) = 0.
  const double half_b = dot(a, d);
  const double c = dot(a, a) - r2;
  const double disc = half_b * half_b - dd * c;
  double cuts[4] = {0.0, 1.0, 1.0, 1.0};
  int n = 1;
  if (disc > 0.0) {
    const double root = std::sqrt(disc);
    // The stable pair of roots: no cancellation between -half_b and root.
    const double q = half_b >= 0 ? -(half_b + root) : -(half_b - root);
    double t1 = q / dd, t2 = q != 0.0 ? c / q : t1;
    if (t1 > t2) std::swap(t1, t2);
    if (t1 > 0.0 && t1 < 1.0) cuts[n++] = t1;
    if (t2 > 0.0 && t2 < 1.0) cuts[n++] = t2;
  }
  cuts[n++] = 1.0;
  double sum = 0.0;
  for (int i = 0; i + 1 < n; ++i) {
    const double t0 = cuts[i], t1 = cuts[i + 1];
    if (t1 <= t0) continue;
    const Point p{a.x + t0 * d.x, a.y + t0 * d.y};
    const Point q{a.x + t1 * d.x, a.y + t1 * d.y};
    const double tm = (t0 + t1) / 2.0;
    const Point m{a.x + tm * d.x, a.y + tm * d.y};
    if (dot(m, m) <= r2) {
      sum += cross(p, q) / 2.0;
    } else {
      sum += r2 * std::atan2(cross(p, q), dot(p, q)) / 2.0;
    }
  }
  return sum;
}

// The ring's area inside the disk, unsigned.
double ring_inside(const Ring& ring, const Circle& circle) {
  double signed_inside = 0.0, signed_area = 0.0;
  const Point c = circle.centre;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const Point a{ring[i].x - c.x, ring[i].y - c.y};
    const Point b{ring[i + 1].x - c.x, ring[i + 1].y - c.y};
    signed_inside += edge_share(a, b, circle.radius);
    signed_area += cross(a, b);
  }
  return signed_area >= 0 ? signed_inside : -signed_inside;
}

double segment_distance(Point p, Point a, Point b) {
  const Point d{b.x - a.x, b.y - a.y};
  const Point ap{p.x - a.x, p.y - a.y};
  const double dd = dot(d, d);
  const double t = dd > 0 ? std::clamp(dot(ap, d) / dd, 0.0, 1.0) : 0.0;
  // Exact where the nearest point is a vertex or the edge is axis-parallel, so that a circle
  // that only reaches an edge is seen to be exactly at its radius.
  if (t == 0.0) return std::hypot(ap.x, ap.y);
  if (t == 1.0) return std::hypot(p.x - b.x, p.y - b.y);
  if (d.x == 0.0) return std::abs(p.x - a.x);
  if (d.y == 0.0) return std::abs(p.y - a.y);
  return std::abs(cross(d, ap)) / std::sqrt(dd);
}

}  // namespace

double area_inside(const MultiPolygon& area, const Circle& circle) {
  double total = 0.0;
  for (const Polygon& polygon : area.polygons) {
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      total += (r == 0 ? 1.0 : -1.0) * ring_inside(polygon.rings[r], circle);
    }
  }
  return std::max(total, 0.0);
}

double distance(const MultiPolygon& area, Point p) {
  if (locate(area, p) != PointLocation::kExterior) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        best = std::min(best, segment_distance(p, ring[i], ring[i + 1]));
      }
    }
  }
  return best;
}

}  // namespace libgrid
