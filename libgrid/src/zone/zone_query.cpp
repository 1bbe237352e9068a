#include "libgrid/zone/zone_query.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "internal/geos_context.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/error.h"
#include "libgrid/geometry/predicates.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BgPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BgBox = bg::model::box<BgPoint>;

BgBox to_bg(const Box& b) { return BgBox(BgPoint(b.min_x, b.min_y), BgPoint(b.max_x, b.max_y)); }

// How a zone meets one cell: `inside` is exactly 0 where they only touch and exactly the cell's
// area where the zone covers it.
struct Overlap {
  bool touches = false;
  double inside = 0.0;
};

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

void check_zone_shape(const MultiPolygon& zone) {
  if (zone.empty()) throw Error(ErrorKind::kInvalidInput, "the zone is empty");
  for (const Polygon& polygon : zone.polygons) {
    if (polygon.rings.empty())
      throw Error(ErrorKind::kInvalidInput, "the zone has an empty polygon");
    for (const Ring& ring : polygon.rings) {
      for (const Point& p : ring) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
          throw Error(ErrorKind::kInvalidInput, "the zone has a coordinate that is not a number");
        }
      }
      if (ring.size() < 4 || ring.front() != ring.back()) {
        throw Error(ErrorKind::kInvalidInput,
                    "the zone has a ring that is not closed or has fewer than 4 points");
      }
    }
  }
}

}  // namespace

struct ZoneQuery::Impl {
  using CellEntry = std::pair<BgBox, CellId>;
  using UnitEntry = std::pair<BgPoint, std::size_t>;

  const GridSet* grids = nullptr;
  bgi::rtree<CellEntry, bgi::rstar<16>> cells;
  std::vector<double> cell_area;
  ResponsibilityResolver resolver;
  std::vector<Unit> units;
  std::vector<CellId> unit_cell;        // the finest cell holding each unit, or kNoCell
  std::vector<std::uint8_t> has_units;  // per cell: holds at least one unit
  bgi::rtree<UnitEntry, bgi::rstar<16>> unit_tree;

  explicit Impl(const GridSet& g) : grids(&g), resolver(g) {}

  ZoneReport run(const Box& box, double zone_area, const auto& overlap,
                 const auto& unit_inside) const;
};

ZoneQuery::ZoneQuery(const GridSet& grids, std::vector<Unit> units)
    : impl_(std::make_unique<Impl>(grids)) {
  grids.require_one_version("a zone query");
  Impl& m = *impl_;
  std::vector<Impl::CellEntry> entries;
  entries.reserve(grids.size());
  m.cell_area.resize(grids.size());
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const MultiPolygon& g = grids.cells()[i].geometry;
    m.cell_area[i] = area(g);
    const Box b = envelope(g);
    if (!b.empty()) entries.emplace_back(to_bg(b), static_cast<CellId>(i));
  }
  m.cells = decltype(m.cells)(entries.begin(), entries.end());  // packed: faster queries

  m.has_units.assign(grids.size(), 0);
  if (units.empty()) return;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    if (!std::isfinite(unit.weight) || unit.weight < 0) {
      throw Error(ErrorKind::kInvalidInput,
                  "unit " + std::to_string(u + 1) + ": the weight must be a number of 0 or more");
    }
    if (!std::isfinite(unit.location.x) || !std::isfinite(unit.location.y)) {
      throw Error(ErrorKind::kInvalidInput,
                  "unit " + std::to_string(u + 1) + ": the coordinates must be numbers");
    }
  }
  // Units are placed once, under the index's boundary rule: each is held by one cell per level.
  const CellIndex index(grids);
  std::vector<double> x(units.size()), y(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) {
    x[u] = units[u].location.x;
    y[u] = units[u].location.y;
  }
  m.unit_cell.resize(units.size());
  index.lookup(x, y, m.unit_cell, 0);
  std::vector<Impl::UnitEntry> points;
  points.reserve(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) {
    for (CellId c = m.unit_cell[u]; c != kNoCell; c = grids.cell(c).parent) {
      m.has_units[static_cast<std::size_t>(c)] = 1;
    }
    if (m.unit_cell[u] != kNoCell) points.emplace_back(BgPoint(x[u], y[u]), u);
  }
  m.unit_tree = decltype(m.unit_tree)(points.begin(), points.end());
  m.units = std::move(units);
}

ZoneQuery::~ZoneQuery() = default;
ZoneQuery::ZoneQuery(ZoneQuery&&) noexcept = default;
ZoneQuery& ZoneQuery::operator=(ZoneQuery&&) noexcept = default;

ZoneReport ZoneQuery::Impl::run(const Box& box, double zone_area, const auto& overlap,
                                const auto& unit_inside) const {
  ZoneReport report;
  report.zone_area = zone_area;
  std::vector<CellId> candidates;
  for (auto it = cells.qbegin(bgi::intersects(to_bg(box))); it != cells.qend(); ++it) {
    candidates.push_back(it->second);
  }
  std::sort(candidates.begin(), candidates.end());
  std::unordered_map<CellId, std::size_t> slot;
  for (const CellId id : candidates) {
    const Overlap o = overlap(id);
    if (!o.touches) continue;
    const Cell& cell = grids->cell(id);
    ZoneCell z;
    z.cell = id;
    z.level = cell.level;
    z.area = cell_area[static_cast<std::size_t>(id)];
    z.area_inside = std::clamp(o.inside, 0.0, z.area);
    z.share = z.area > 0 ? z.area_inside / z.area : 0.0;
    slot.emplace(id, report.cells.size());
    report.cells.push_back(std::move(z));
  }

  // Units inside the zone count for the cell that holds them and its ancestors.
  if (!units.empty()) {
    for (auto it = unit_tree.qbegin(bgi::intersects(to_bg(box))); it != unit_tree.qend(); ++it) {
      const std::size_t u = it->second;
      if (!unit_inside(units[u].location)) continue;
      for (CellId c = unit_cell[u]; c != kNoCell; c = grids->cell(c).parent) {
        const auto found = slot.find(c);
        if (found == slot.end()) continue;
        ZoneCell& z = report.cells[found->second];
        z.households += units[u].weight;
        ++z.units;
      }
    }
  }

  for (ZoneCell& z : report.cells) {
    const Cell& cell = grids->cell(z.cell);
    z.estimated = has_units[static_cast<std::size_t>(z.cell)] == 0;
    if (z.estimated) {
      z.households = static_cast<double>(cell.households) * z.share;
      z.population = static_cast<double>(cell.population) * z.share;
    } else if (cell.households > 0) {
      z.population = z.households * static_cast<double>(cell.population) /
                     static_cast<double>(cell.households);
    } else {
      z.population = static_cast<double>(cell.population) * z.share;
    }
    const Responsibility r = resolver.resolve(z.cell, "");
    z.grid_worker = r.grid_worker;
    z.leaders = r.grid_leaders;
  }
  std::sort(report.cells.begin(), report.cells.end(), [&](const ZoneCell& a, const ZoneCell& b) {
    if (a.level != b.level) return a.level < b.level;
    return grids->cell(a.cell).code < grids->cell(b.cell).code;
  });

  report.levels.resize(grids->levels().size());
  for (std::size_t l = 0; l < report.levels.size(); ++l) {
    report.levels[l].level = static_cast<int>(l);
  }
  for (const ZoneCell& z : report.cells) {
    ZoneLevelTotals& t = report.levels[static_cast<std::size_t>(z.level)];
    ++t.cells;
    t.cells_covered += z.share == 1.0;
    t.cells_edge_only += z.area_inside == 0.0;
    t.cells_estimated += z.estimated;
    t.area_inside += z.area_inside;
    t.households += z.households;
    t.population += z.population;
  }
  return report;
}

ZoneReport ZoneQuery::cells_in(const MultiPolygon& zone) const {
  check_zone_shape(zone);
  const internal::GeosContext context;
  const internal::GeosContext::Geometry shape = context.to_geos(zone);
  if (const auto why = context.invalidity(*shape)) {
    throw Error(ErrorKind::kInvalidInput,
                "the zone is not a valid polygon: " + internal::describe(*why));
  }
  const internal::GeosContext::Prepared prepared = context.prepare(*shape);
  const GEOSContextHandle_t h = context.handle();
  const auto overlap = [&](CellId id) {
    Overlap o;
    const MultiPolygon& geometry = impl_->grids->cell(id).geometry;
    if (geometry.empty()) return o;
    const internal::GeosContext::Geometry cell = context.to_geos(geometry);
    const double whole = impl_->cell_area[static_cast<std::size_t>(id)];
    if (context.covers(*prepared, *cell)) {
      o.touches = true;
      o.inside = whole;
      return o;
    }
    // The overlay first: where it has area the two meet, and the predicate (a scan of every edge
    // of a large cell) is needed only where it has none.
    o.inside = context.intersection_area(*shape, *cell);
    if (o.inside == 0.0) {
      o.touches = context.intersects(*prepared, *cell);
      return o;
    }
    o.touches = true;
    // Should rounding leave a sliver where the two only touch, the exact predicate decides (a
    // full relate, too slow to ask of every cell).
    if (o.inside < whole * 1e-9 && GEOSPreparedTouches_r(h, prepared.get(), cell.get()) == 1) {
      o.inside = 0.0;
    }
    return o;
  };
  const auto unit_inside = [&](Point p) { return locate(zone, p) != PointLocation::kExterior; };
  return impl_->run(envelope(zone), area(zone), overlap, unit_inside);
}

ZoneReport ZoneQuery::cells_in(const Circle& circle) const {
  const Point c = circle.centre;
  if (!std::isfinite(c.x) || !std::isfinite(c.y)) {
    throw Error(ErrorKind::kInvalidInput, "the circle's centre must be two numbers");
  }
  if (!std::isfinite(circle.radius) || circle.radius <= 0) {
    throw Error(ErrorKind::kInvalidInput,
                "the circle's radius must be a number above 0, not " + number_text(circle.radius));
  }
  const double r = circle.radius;
  const auto overlap = [&](CellId id) {
    Overlap o;
    const MultiPolygon& geometry = impl_->grids->cell(id).geometry;
    if (geometry.empty()) return o;
    const double d = distance(geometry, c);
    if (d > r) return o;
    o.touches = true;
    if (d == r) return o;  // reaches the cell's boundary only
    // A disk is convex: it covers the cell when it holds every vertex.
    bool covered = true;
    for (const Polygon& polygon : geometry.polygons) {
      for (const Point& p : polygon.rings.front()) {
        covered = covered && std::hypot(p.x - c.x, p.y - c.y) <= r;
      }
    }
    o.inside =
        covered ? impl_->cell_area[static_cast<std::size_t>(id)] : area_inside(geometry, circle);
    return o;
  };
  const auto unit_inside = [&](Point p) { return std::hypot(p.x - c.x, p.y - c.y) <= r; };
  const Box box{c.x - r, c.y - r, c.x + r, c.y + r};
  return impl_->run(box, std::numbers::pi * r * r, overlap, unit_inside);
}

}  // namespace libgrid
