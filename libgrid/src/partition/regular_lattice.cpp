#include "partition/regular_lattice.h"

#include <cmath>
#include <memory>

#include "libgrid/codes/beidou_grid.h"
#include "libgrid/crs/transform.h"
#include "libgrid/error.h"

namespace libgrid::internal {
namespace {

// `option`: the face-neutral name of the option that sets the cell size (Location::option).
void check_count(double cells, double max_cells, const std::string& option,
                 const std::string& value) {
  if (!(cells <= max_cells)) {
    char text[64];
    std::snprintf(text, sizeof text, "%.3g", cells);
    throw Error(ErrorKind::kInvalidInput, Location{.option = option},
                value + " gives " + text +
                    " lattice cells over the parents' extent; "
                    "the most is " +
                    std::to_string(static_cast<long long>(max_cells)));
  }
}

std::string pair_name(long long i, long long j) {
  return std::to_string(i) + " " + std::to_string(j);
}

}  // namespace

Lattice square_lattice(const Box& extent, double size, double max_cells) {
  const auto i0 = static_cast<long long>(std::floor(extent.min_x / size));
  const auto i1 = static_cast<long long>(std::ceil(extent.max_x / size));
  const auto j0 = static_cast<long long>(std::floor(extent.min_y / size));
  const auto j1 = static_cast<long long>(std::ceil(extent.max_y / size));
  check_count(static_cast<double>(i1 - i0) * static_cast<double>(j1 - j0), max_cells, "size",
              "this size");
  Lattice lattice;
  const double x0 = static_cast<double>(i0 - 1) * size, x1 = static_cast<double>(i1 + 1) * size;
  const double y0 = static_cast<double>(j0 - 1) * size, y1 = static_cast<double>(j1 + 1) * size;
  for (long long i = i0; i <= i1; ++i) {
    const double x = static_cast<double>(i) * size;
    lattice.lines.push_back({{x, y0}, {x, y1}});
  }
  for (long long j = j0; j <= j1; ++j) {
    const double y = static_cast<double>(j) * size;
    lattice.lines.push_back({{x0, y}, {x1, y}});
  }
  lattice.cell_of = [size](Point p) {
    return pair_name(static_cast<long long>(std::floor(p.x / size)),
                     static_cast<long long>(std::floor(p.y / size)));
  };
  return lattice;
}

Lattice hex_lattice(const Box& extent, double size, double max_cells) {
  // Centre of hexagon (q, r): x = size·(q + r/2), y = 1.5·R·r with R = size/√3 the corner
  // radius. Every corner lies on the lattice (a·size/2, b·R/2) of integers a, b.
  const double radius = size / std::sqrt(3.0);
  const double half_x = size / 2, half_y = radius / 2;
  const auto r0 = static_cast<long long>(std::floor(extent.min_y / (1.5 * radius))) - 1;
  const auto r1 = static_cast<long long>(std::ceil(extent.max_y / (1.5 * radius))) + 1;
  const double width_cells = (extent.max_x - extent.min_x) / size + 3;
  check_count(width_cells * static_cast<double>(r1 - r0 + 1), max_cells, "size", "this size");
  Lattice lattice;
  // Corners of a hexagon around centre (a, b) in those units, counter-clockwise from the top.
  static constexpr int kCorner[6][2] = {{0, 2}, {-1, 1}, {-1, -1}, {0, -2}, {1, -1}, {1, 1}};
  for (long long r = r0; r <= r1; ++r) {
    const auto q0 =
        static_cast<long long>(std::floor(extent.min_x / size - static_cast<double>(r) / 2)) - 1;
    const auto q1 =
        static_cast<long long>(std::ceil(extent.max_x / size - static_cast<double>(r) / 2)) + 1;
    for (long long q = q0; q <= q1; ++q) {
      const long long a = 2 * q + r, b = 3 * r;
      // Three edges per hexagon (top-left, left, bottom-left) draw every edge of the lattice
      // once; the far edges of the last row and column are drawn by their outer neighbours.
      for (int e = 0; e < 3; ++e) {
        const Point p{static_cast<double>(a + kCorner[e][0]) * half_x,
                      static_cast<double>(b + kCorner[e][1]) * half_y};
        const Point s{static_cast<double>(a + kCorner[e + 1][0]) * half_x,
                      static_cast<double>(b + kCorner[e + 1][1]) * half_y};
        lattice.lines.push_back({p, s});
      }
    }
  }
  lattice.cell_of = [size, radius](Point p) {
    // Axial coordinates, rounded in cube coordinates.
    const double rf = p.y / (1.5 * radius);
    const double qf = p.x / size - rf / 2;
    const double sf = -qf - rf;
    double q = std::round(qf), r = std::round(rf), s = std::round(sf);
    const double dq = std::abs(q - qf), dr = std::abs(r - rf), ds = std::abs(s - sf);
    if (dq > dr && dq > ds) {
      q = -r - s;
    } else if (dr > ds) {
      r = -q - s;
    }
    return pair_name(static_cast<long long>(q), static_cast<long long>(r));
  };
  return lattice;
}

Lattice beidou_lattice(const Box& extent, int level, const std::string& crs, double max_cells) {
  const BeidouStep step = beidou_step(level);
  auto to_lon_lat = std::make_shared<Transform>(crs, "EPSG:4326");
  const Transform from_lon_lat("EPSG:4326", crs);
  // The extent in longitude/latitude, from its outline densified.
  Box geographic;
  {
    std::vector<double> x, y;
    constexpr int kSteps = 32;
    for (int i = 0; i <= kSteps; ++i) {
      const double t = static_cast<double>(i) / kSteps;
      const double ex = extent.min_x + t * (extent.max_x - extent.min_x);
      const double ey = extent.min_y + t * (extent.max_y - extent.min_y);
      for (const Point p : {Point{ex, extent.min_y}, Point{ex, extent.max_y},
                            Point{extent.min_x, ey}, Point{extent.max_x, ey}}) {
        x.push_back(p.x);
        y.push_back(p.y);
      }
    }
    to_lon_lat->apply(x, y);
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
        throw Error(ErrorKind::kInvalidInput,
                    "the parents' extent cannot be turned into longitude/latitude");
      }
      geographic.expand(Point{x[i], y[i]});
    }
  }
  const auto i0 = static_cast<long long>(std::floor((geographic.min_x + 180) / step.lon_degrees));
  const auto i1 = static_cast<long long>(std::ceil((geographic.max_x + 180) / step.lon_degrees));
  const auto j0 = static_cast<long long>(std::floor(geographic.min_y / step.lat_degrees));
  const auto j1 = static_cast<long long>(std::ceil(geographic.max_y / step.lat_degrees));
  check_count(static_cast<double>(i1 - i0) * static_cast<double>(j1 - j0), max_cells,
              "beidou_level", "level " + std::to_string(level));
  // Lines densified per cell so that they follow the projection's curvature.
  constexpr int kPerCell = 8;
  Lattice lattice;
  auto add_line = [&](bool along_latitude, long long k) {
    std::vector<double> x, y;
    if (along_latitude) {
      const double lat = static_cast<double>(k) * step.lat_degrees;
      for (long long s = i0 * kPerCell; s <= i1 * kPerCell; ++s) {
        x.push_back(-180 + static_cast<double>(s) * step.lon_degrees / kPerCell);
        y.push_back(lat);
      }
    } else {
      const double lon = -180 + static_cast<double>(k) * step.lon_degrees;
      for (long long s = j0 * kPerCell; s <= j1 * kPerCell; ++s) {
        x.push_back(lon);
        y.push_back(static_cast<double>(s) * step.lat_degrees / kPerCell);
      }
    }
    from_lon_lat.apply(x, y);
    std::vector<Point> line;
    for (std::size_t i = 0; i < x.size(); ++i) line.push_back({x[i], y[i]});
    lattice.lines.push_back(std::move(line));
  };
  for (long long i = i0; i <= i1; ++i) add_line(false, i);
  for (long long j = j0; j <= j1; ++j) add_line(true, j);
  lattice.cell_of = [to_lon_lat, level](Point p) {
    double x = p.x, y = p.y;
    to_lon_lat->apply(std::span<double>(&x, 1), std::span<double>(&y, 1));
    return beidou_code({x, y}, level);
  };
  return lattice;
}

}  // namespace libgrid::internal
