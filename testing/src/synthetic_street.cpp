#include "libgrid/testing/synthetic_street.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "libgrid/error.h"
#include "libgrid/geometry/predicates.h"

namespace libgrid::testing {
namespace {

constexpr int kOutlineVertices = 96;
constexpr double kScatteredShare = 0.1;  // units outside any compound

void check(const SyntheticStreetOptions& o) {
  auto fail = [](const std::string& what) {
    throw Error(ErrorKind::kInvalidInput, "synthetic street: " + what);
  };
  if (o.units < 1) fail("units must be >= 1");
  if (o.households < o.units) fail("households must be >= units (one household each at least)");
  if (!(o.radius > 0.0) || !std::isfinite(o.radius)) fail("radius must be > 0");
  if (o.compounds < 1) fail("compounds must be >= 1");
  if (!(o.road_spacing > 0.0) || !std::isfinite(o.road_spacing)) fail("road_spacing must be > 0");
  if (o.side_streets < 0) fail("side_streets must be >= 0");
}

// A star-shaped outline: the radius varies smoothly with the angle, plus a little noise.
Ring outline(const SyntheticStreetOptions& o, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> phase(0.0, 2.0 * std::numbers::pi);
  std::uniform_real_distribution<double> noise(-0.03, 0.03);
  const double p2 = phase(rng), p3 = phase(rng), p5 = phase(rng);
  Ring ring;
  for (int k = 0; k < kOutlineVertices; ++k) {
    const double a = 2.0 * std::numbers::pi * k / kOutlineVertices;  // counter-clockwise
    const double r = o.radius * (1.0 + 0.16 * std::sin(2 * a + p2) + 0.09 * std::sin(3 * a + p3) +
                                 0.04 * std::sin(5 * a + p5) + noise(rng));
    ring.push_back({o.origin.x + r * std::cos(a), o.origin.y + r * std::sin(a)});
  }
  ring.push_back(ring.front());
  return ring;
}

// A polyline from `from` to `to` in `pieces` straight pieces, its inner vertices pushed sideways
// by up to `bend`.
Barrier bent_line(Point from, Point to, int pieces, double bend, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> side(-bend, bend);
  const double dx = to.x - from.x, dy = to.y - from.y;
  const double length = std::hypot(dx, dy);
  const double nx = -dy / length, ny = dx / length;
  Barrier line;
  for (int i = 0; i <= pieces; ++i) {
    const double t = static_cast<double>(i) / pieces;
    const double s = (i == 0 || i == pieces) ? 0.0 : side(rng);
    line.push_back({from.x + t * dx + s * nx, from.y + t * dy + s * ny});
  }
  return line;
}

std::vector<Barrier> roads(const SyntheticStreetOptions& o, const Ring& edge,
                           std::mt19937_64& rng) {
  const double reach = 1.4 * o.radius;  // past the outline everywhere
  std::uniform_real_distribution<double> shift(-0.2 * o.road_spacing, 0.2 * o.road_spacing);
  std::vector<Barrier> lines;
  const int half = static_cast<int>(std::floor(reach / o.road_spacing));
  for (int i = -half; i <= half; ++i) {
    const double at = i * o.road_spacing;
    const double x = o.origin.x + at + shift(rng), y = o.origin.y + at + shift(rng);
    lines.push_back(bent_line({x + shift(rng), o.origin.y - reach},
                              {x + shift(rng), o.origin.y + reach}, 8, 25.0, rng));
    lines.push_back(bent_line({o.origin.x - reach, y + shift(rng)},
                              {o.origin.x + reach, y + shift(rng)}, 8, 25.0, rng));
  }
  // The river: south-west to north-east, winding.
  lines.push_back(bent_line({o.origin.x - reach, o.origin.y - 0.8 * reach},
                            {o.origin.x + reach, o.origin.y + 0.6 * reach}, 24, 60.0, rng));
  // Side streets: short, roughly north or east, starting inside the street.
  std::uniform_real_distribution<double> in_box(-o.radius, o.radius);
  std::uniform_real_distribution<double> length(0.3 * o.road_spacing, 0.9 * o.road_spacing);
  std::bernoulli_distribution north(0.5);
  for (int made = 0; made < o.side_streets;) {
    const Point from{o.origin.x + in_box(rng), o.origin.y + in_box(rng)};
    if (!holds(edge, from)) continue;
    const double l = length(rng);
    const Point to = north(rng) ? Point{from.x + shift(rng) * 0.2, from.y + l}
                                : Point{from.x + l, from.y + shift(rng) * 0.2};
    lines.push_back(bent_line(from, to, 3, 10.0, rng));
    ++made;
  }
  return lines;
}

// Units in compounds, and their households: one each, the rest spread in proportion to a
// per-unit size (a few larger buildings among many small ones).
std::vector<Unit> units(const SyntheticStreetOptions& o, const Ring& edge, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> in_box(-1.3 * o.radius, 1.3 * o.radius);
  auto inside_point = [&] {
    for (;;) {
      const Point p{o.origin.x + in_box(rng), o.origin.y + in_box(rng)};
      if (holds(edge, p)) return p;
    }
  };
  struct Compound {
    Point centre;
    double spread;
  };
  std::vector<Compound> compounds;
  std::vector<double> compound_size;
  std::uniform_real_distribution<double> spread(30.0, 110.0);
  std::lognormal_distribution<double> size(0.0, 0.7);
  for (int c = 0; c < o.compounds; ++c) {
    compounds.push_back({inside_point(), spread(rng)});
    compound_size.push_back(size(rng));
  }
  std::discrete_distribution<int> which(compound_size.begin(), compound_size.end());
  std::bernoulli_distribution scattered(kScatteredShare);
  std::vector<Unit> made;
  made.reserve(static_cast<std::size_t>(o.units));
  for (int u = 0; u < o.units; ++u) {
    Point p;
    if (scattered(rng)) {
      p = inside_point();
    } else {
      const Compound& c = compounds[static_cast<std::size_t>(which(rng))];
      std::normal_distribution<double> offset(0.0, c.spread);
      do {
        p = {c.centre.x + offset(rng), c.centre.y + offset(rng)};
      } while (!holds(edge, p));
    }
    made.push_back({p, 1.0});
  }
  std::vector<double> building;
  std::lognormal_distribution<double> building_size(0.0, 0.6);
  for (int u = 0; u < o.units; ++u) building.push_back(std::min(building_size(rng), 5.0));
  std::discrete_distribution<int> gets(building.begin(), building.end());
  for (std::int64_t h = o.units; h < o.households; ++h) {
    made[static_cast<std::size_t>(gets(rng))].weight += 1.0;
  }
  return made;
}

}  // namespace

SyntheticStreet make_synthetic_street(const SyntheticStreetOptions& options) {
  check(options);
  std::mt19937_64 rng(options.seed);
  SyntheticStreet street;
  const Ring edge = outline(options, rng);
  street.roads = roads(options, edge, rng);
  street.units = units(options, edge, rng);
  street.grids.set_crs("EPSG:4548");
  street.grids.add_level("street");
  street.grids.add_cell({.code = "110119001",
                         .name = "S001",
                         .level = 0,
                         .geometry = MultiPolygon{{Polygon{{edge}}}},
                         .households = options.households});
  return street;
}

}  // namespace libgrid::testing
