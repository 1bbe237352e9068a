#include "libgrid/testing/household_drift.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"

namespace libgrid::testing {
namespace {

constexpr double kAnchorShare = 0.7;   // of the way from the centre to the farthest unit
constexpr double kSpreadShare = 0.03;  // of the grid set's diagonal
constexpr double kEstateUnit = 10.0;   // households per new unit
constexpr int kDrawsPerPoint = 10000;  // before giving up on finding land near the anchor

[[noreturn]] void fail(const std::string& what) {
  throw Error(ErrorKind::kInvalidInput, "household drift: " + what);
}

void check(const std::vector<Unit>& units, const HouseholdDriftOptions& o) {
  if (units.empty()) fail("no units");
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!std::isfinite(u.location.x) || !std::isfinite(u.location.y)) {
      fail("unit " + std::to_string(i) + ": location is not finite");
    }
    if (!std::isfinite(u.weight) || u.weight < 0.0) {
      fail("unit " + std::to_string(i) + ": weight must be finite and >= 0");
    }
  }
  if (o.households < 0) fail("households must be >= 0");
  if (!std::isfinite(o.growth) || !(o.growth > -1.0)) fail("growth must be finite and > -1");
  const Point d = o.corner_direction;
  if (!std::isfinite(d.x) || !std::isfinite(d.y) || (d.x == 0.0 && d.y == 0.0)) {
    fail("corner_direction must be finite and not {0, 0}");
  }
}

double total_weight(const std::vector<Unit>& units) {
  double total = 0.0;
  for (const Unit& u : units) total += u.weight;
  return total;
}

// 70% of the way from the weighted centre to the unit farthest in `direction`.
Point anchor(const std::vector<Unit>& units, Point direction) {
  const double total = total_weight(units);
  double cx = 0.0, cy = 0.0;
  for (const Unit& u : units) {
    const double w = total > 0.0 ? u.weight / total : 1.0 / static_cast<double>(units.size());
    cx += w * u.location.x;
    cy += w * u.location.y;
  }
  const Unit* farthest = &units.front();
  double best = -std::numeric_limits<double>::infinity();
  for (const Unit& u : units) {
    const double along = (u.location.x - cx) * direction.x + (u.location.y - cy) * direction.y;
    if (along > best) {
      best = along;
      farthest = &u;
    }
  }
  return {cx + kAnchorShare * (farthest->location.x - cx),
          cy + kAnchorShare * (farthest->location.y - cy)};
}

std::vector<Unit> new_estate(const GridSet& grids, std::vector<Unit> units,
                             const HouseholdDriftOptions& o) {
  if (o.households == 0) return units;
  if (grids.levels().empty()) fail("the grid set has no levels");
  const int finest = static_cast<int>(grids.levels().size()) - 1;
  const Box extent = grids.extent();
  if (extent.empty()) fail("the grid set has no cells");
  const double spread =
      kSpreadShare * std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  if (!(spread > 0.0)) fail("the grid set's extent is a point");

  const Point centre = anchor(units, o.corner_direction);
  const CellIndex index(grids);
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> offset(0.0, spread);
  auto draw = [&] {
    for (int tries = 0; tries < kDrawsPerPoint; ++tries) {
      const Point p{centre.x + offset(rng), centre.y + offset(rng)};
      if (index.lookup_level(p, finest) != kNoCell) return p;
    }
    fail("no cell of level \"" + grids.levels().back() + "\" near the new estate");
  };
  auto left = static_cast<double>(o.households);
  while (left > 0.0) {
    const double weight = std::min(kEstateUnit, left);
    units.push_back({draw(), weight});
    left -= weight;
  }
  return units;
}

std::vector<Unit> demolition(std::vector<Unit> units, const HouseholdDriftOptions& o) {
  auto left = static_cast<double>(o.households);
  if (total_weight(units) < left) {
    fail("cannot demolish " + std::to_string(o.households) + " households: the units carry " +
         std::to_string(total_weight(units)));
  }
  const Point at = anchor(units, o.corner_direction);
  std::vector<std::size_t> order(units.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto distance2 = [&](std::size_t i) {
    const double dx = units[i].location.x - at.x, dy = units[i].location.y - at.y;
    return dx * dx + dy * dy;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return distance2(a) < distance2(b); });
  for (std::size_t i : order) {
    if (left <= 0.0) break;
    const double removed = std::min(units[i].weight, left);
    units[i].weight -= removed;
    left -= removed;
  }
  return units;
}

std::vector<Unit> growth(std::vector<Unit> units, const HouseholdDriftOptions& o) {
  const double factor = 1.0 + o.growth;
  const double target = std::round(total_weight(units) * factor);
  std::vector<double> remainder(units.size());
  double floors = 0.0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const double grown = units[i].weight * factor;
    units[i].weight = std::floor(grown);
    remainder[i] = grown - units[i].weight;
    floors += units[i].weight;
  }
  // target - floors is a whole number in [0, units.size()]; rounding error aside.
  const auto extra =
      static_cast<std::size_t>(std::clamp(target - floors, 0.0, static_cast<double>(units.size())));
  std::vector<std::size_t> order(units.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; k < extra; ++k) units[order[k]].weight += 1.0;
  return units;
}

}  // namespace

std::vector<Unit> drift_households(const GridSet& grids, const std::vector<Unit>& units,
                                   const HouseholdDriftOptions& options) {
  check(units, options);
  switch (options.kind) {
    case HouseholdDrift::kNewEstate:
      return new_estate(grids, units, options);
    case HouseholdDrift::kDemolition:
      return demolition(units, options);
    case HouseholdDrift::kGrowth:
      return growth(units, options);
  }
  fail("unknown drift kind");
}

}  // namespace libgrid::testing
