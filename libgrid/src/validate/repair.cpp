#include "libgrid/validate/repair.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/error.h"

namespace libgrid {

namespace {

using internal::GeosContext;

// Snapping and cutting again make new vertices that may again be within reach of the parent's;
// in practice a cell settles after two or three rounds.
constexpr int kMaxRounds = 8;

// Whether GEOS can take the rings at all: closed, of 4 finite points or more, and some of them.
bool geos_ready(const MultiPolygon& area) {
  bool any = false;
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      if (ring.size() < 4 || ring.front() != ring.back()) return false;
      for (const Point& p : ring) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
      }
      any = true;
    }
  }
  return any;
}

bool same(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.polygons.size() != b.polygons.size()) return false;
  for (std::size_t i = 0; i < a.polygons.size(); ++i) {
    if (a.polygons[i].rings != b.polygons[i].rings) return false;
  }
  return true;
}

// The distinct vertices, closing points not counted, sorted.
std::vector<std::pair<double, double>> vertex_set(const MultiPolygon& area) {
  std::vector<std::pair<double, double>> points;
  for (const Polygon& polygon : area.polygons) {
    for (const Ring& ring : polygon.rings) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) points.emplace_back(ring[i].x, ring[i].y);
    }
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

// How many of `from` are not in `in` (both sorted).
std::size_t missing(const std::vector<std::pair<double, double>>& from,
                    const std::vector<std::pair<double, double>>& in) {
  std::vector<std::pair<double, double>> left;
  std::set_difference(from.begin(), from.end(), in.begin(), in.end(), std::back_inserter(left));
  return left.size();
}

double distance_to_segment(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Snapping to one parent's boundary. A vertex within the tolerance of a vertex of the parent
// moves onto the nearest one (GEOS's vertex snapping). Between two consecutive vertices that
// both landed on the same ring of the parent, the parent's vertices along that ring (the
// shorter way round) are inserted when every one of them is within the tolerance of the
// segment: the segment snapping of GEOS, restricted to the parent's vertices that follow its
// boundary in order. GEOSSnap itself inserts every vertex of the reference near a segment,
// wherever it lies along the boundary; along a densely digitised coastline that zigzags and
// crosses itself (a district of NYC grows from 786 vertices to 62,030 in 195 polygons at
// 0.0005°, and more each time it is snapped again), where this follows the coastline.
class ParentSnapper {
 public:
  ParentSnapper(const MultiPolygon& parent, double tolerance) : tolerance_(tolerance) {
    for (const Polygon& polygon : parent.polygons) {
      for (const Ring& ring : polygon.rings) {
        if (ring.size() < 2) continue;
        const int r = static_cast<int>(rings_.size());
        rings_.emplace_back(ring.begin(), ring.end() - 1);  // without the closing point
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          const Point p = ring[i];
          if (where_.emplace(std::pair{p.x, p.y}, std::pair{r, static_cast<int>(i)}).second) {
            buckets_[bucket(p)].push_back(p);
          }
        }
      }
    }
  }

  // The ring snapped, closed again; empty when it collapses below 4 points.
  Ring snap(const Ring& ring) const {
    if (ring.size() < 2) return {};
    std::vector<Point> moved;  // without the closing point
    std::vector<bool> on_parent;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      const std::optional<Point> to = nearest(ring[i]);
      moved.push_back(to.value_or(ring[i]));
      on_parent.push_back(to.has_value());
    }
    Ring result;
    auto append = [&](Point p) {
      if (result.empty() || result.back() != p) result.push_back(p);
    };
    const std::size_t n = moved.size();
    for (std::size_t i = 0; i < n; ++i) {
      append(moved[i]);
      const std::size_t next = (i + 1) % n;
      if (on_parent[i] && on_parent[next]) {
        for (const Point& p : path_between(moved[i], moved[next])) append(p);
      }
    }
    while (result.size() > 1 && result.back() == result.front()) result.pop_back();
    if (result.size() < 3) return {};
    result.push_back(result.front());
    return result;
  }

 private:
  std::pair<std::int64_t, std::int64_t> bucket(Point p) const {
    return {static_cast<std::int64_t>(std::floor(p.x / tolerance_)),
            static_cast<std::int64_t>(std::floor(p.y / tolerance_))};
  }

  // The parent vertex nearest to `p`, closer than the tolerance (the first found on a tie).
  std::optional<Point> nearest(Point p) const {
    const auto [bx, by] = bucket(p);
    std::optional<Point> best;
    double best_distance = tolerance_;
    for (std::int64_t x = bx - 1; x <= bx + 1; ++x) {
      for (std::int64_t y = by - 1; y <= by + 1; ++y) {
        const auto found = buckets_.find({x, y});
        if (found == buckets_.end()) continue;
        for (const Point& q : found->second) {
          const double d = std::hypot(q.x - p.x, q.y - p.y);
          if (d < best_distance || (d == best_distance && best && d < tolerance_ &&
                                    std::pair{q.x, q.y} < std::pair{best->x, best->y})) {
            best = q;
            best_distance = d;
          }
        }
      }
    }
    return best;
  }

  // The parent's vertices strictly between `a` and `b` along their ring, the shorter way round
  // (on a tie, the way of increasing position from the lower one, so that two siblings sharing
  // the edge take the same way); none unless all are within the tolerance of segment ab.
  std::vector<Point> path_between(Point a, Point b) const {
    if (a == b) return {};
    const auto ia = where_.find({a.x, a.y});
    const auto ib = where_.find({b.x, b.y});
    if (ia == where_.end() || ib == where_.end()) return {};
    const auto [ring_a, pos_a] = ia->second;
    const auto [ring_b, pos_b] = ib->second;
    if (ring_a != ring_b) return {};
    const std::vector<Point>& ring = rings_[static_cast<std::size_t>(ring_a)];
    const int n = static_cast<int>(ring.size());
    const int forward = ((pos_b - pos_a) % n + n) % n;  // steps from a to b, increasing
    const int backward = n - forward;
    const bool go_forward = forward < backward || (forward == backward && pos_a < pos_b);
    const int steps = go_forward ? forward : backward;
    std::vector<Point> path;
    for (int k = 1; k < steps; ++k) {
      const int pos = go_forward ? (pos_a + k) % n : ((pos_a - k) % n + n) % n;
      const Point p = ring[static_cast<std::size_t>(pos)];
      if (!(distance_to_segment(p, a, b) < tolerance_)) return {};
      path.push_back(p);
    }
    return path;
  }

  double tolerance_;
  std::vector<std::vector<Point>> rings_;
  std::map<std::pair<double, double>, std::pair<int, int>> where_;  // first ring and position
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<Point>> buckets_;
};

class Repairer {
 public:
  Repairer(const GridSet& grids, const RepairOptions& options)
      : grids_(grids), tolerance_(options.snap), level_(options.level) {}

  // The repaired geometry of every cell, in id order.
  std::vector<MultiPolygon> run(RepairReport& report) {
    geometry_.reserve(grids_.size());
    for (const Cell& c : grids_.cells()) geometry_.push_back(c.geometry);
    const int levels = static_cast<int>(grids_.levels().size());
    for (int level = 1; level < levels; ++level) {
      if (level_ >= 0 && level != level_) continue;
      std::map<CellId, std::vector<CellId>> children;  // per parent, in id order
      for (const CellId id : grids_.cells_of_level(level)) {
        const Cell& c = cell(id);
        if (c.parent == kNoCell) continue;
        if (!geos_ready(c.geometry) || !geos_ready(geometry_[index(c.parent)])) {
          report.skipped.push_back(c.code);
          continue;
        }
        children[c.parent].push_back(id);
      }
      for (const auto& [parent, kids] : children) repair_children(parent, kids, report);
    }
    std::sort(report.cells.begin(), report.cells.end(),
              [](const CellRepair& a, const CellRepair& b) {
                return std::tie(a.level, a.code) < std::tie(b.level, b.code);
              });
    std::sort(report.skipped.begin(), report.skipped.end());
    return std::move(geometry_);
  }

 private:
  static std::size_t index(CellId id) { return static_cast<std::size_t>(id); }
  const Cell& cell(CellId id) const { return grids_.cell(id); }

  // Runs a GEOS step, naming the cell when GEOS fails.
  template <typename Step>
  auto guarded(const std::string& what, Step step) {
    try {
      return step();
    } catch (const Error& e) {
      if (vanished_) throw;  // already names the cell
      throw Error(e.kind(), "repairing " + what + ": " + e.detail());
    }
  }

  [[noreturn]] void vanish(CellId id, const std::string& how) {
    const Cell& c = cell(id);
    vanished_ = true;
    throw Error(ErrorKind::kInvalidInput,
                "cell " + c.code + " (level " + grids_.levels()[index(c.level)] +
                    ") would vanish: " + how + " its parent " + cell(c.parent).code +
                    " within the snap tolerance " + internal::short_number_text(tolerance_) +
                    "; fix or remove it first");
  }

  // The areas of a GEOS result.
  MultiPolygon areas(const GEOSGeometry& g) const { return geos_.to_multipolygon(g); }

  void repair_children(CellId parent, const std::vector<CellId>& kids, RepairReport& report) {
    const std::string parent_what = "cell " + cell(parent).code;
    const auto parent_geometry =
        guarded(parent_what, [&] { return geos_.to_geos(geometry_[index(parent)]); });
    if (guarded(parent_what, [&] { return geos_.invalidity(*parent_geometry); })) {
      for (const CellId k : kids) report.skipped.push_back(cell(k).code);
      return;
    }
    const auto parent_prepared = geos_.prepare(*parent_geometry);
    const ParentSnapper snapper(geometry_[index(parent)], tolerance_);
    // A parent that was itself repaired: its children first follow it from where it was.
    std::optional<ParentSnapper> parent_before;
    if (!same(geometry_[index(parent)], cell(parent).geometry)) {
      parent_before.emplace(cell(parent).geometry, tolerance_);
    }

    std::vector<CellId> done;
    for (const CellId k : kids) {
      const std::string what = "cell " + cell(k).code + " in its parent " + cell(parent).code;
      const auto original = guarded(what, [&] { return geos_.to_geos(cell(k).geometry); });
      if (guarded(what, [&] { return geos_.invalidity(*original); })) {
        report.skipped.push_back(cell(k).code);
        continue;
      }
      geometry_[index(k)] = guarded(what, [&] {
        MultiPolygon start = cell(k).geometry;
        if (parent_before) start = areas(*snap(start, *parent_before));
        return settle(k, std::move(start), snapper, *parent_geometry, *parent_prepared);
      });
      done.push_back(k);
    }
    guarded("the children of " + cell(parent).code, [&] {
      part_new_overlaps(done);
      return 0;
    });
    for (const CellId k : done) {
      if (same(geometry_[index(k)], cell(k).geometry)) continue;
      CellRepair r = guarded("cell " + cell(k).code, [&] { return describe(k); });
      // The same vertices and area, only written another way round (an overlay's output):
      // keep it as it was, so that repairing again changes nothing.
      if (r.vertices_moved == 0 && r.vertices_added == 0 && r.area_out == 0.0 && r.area_in == 0.0) {
        geometry_[index(k)] = cell(k).geometry;
        continue;
      }
      report.cells.push_back(std::move(r));
    }
  }

  // Snaps and cuts one cell, from `current`, until it no longer changes.
  MultiPolygon settle(CellId id, MultiPolygon current, const ParentSnapper& snapper,
                      const GEOSGeometry& parent, const GEOSPreparedGeometry& prepared) {
    for (int round = 0; round < kMaxRounds; ++round) {
      MultiPolygon next = cut(snap(current, snapper), parent, prepared);
      if (next.empty()) vanish(id, "nothing of it is left inside");
      if (same(next, current)) break;
      current = std::move(next);
    }
    return current;
  }

  // Step 1: the cell snapped to the parent's boundary, made valid if it has to be.
  GeosContext::Geometry snap(const MultiPolygon& area, const ParentSnapper& snapper) {
    MultiPolygon snapped;
    for (const Polygon& polygon : area.polygons) {
      Polygon moved;
      for (const Ring& ring : polygon.rings) {
        Ring r = snapper.snap(ring);
        if (r.empty()) {
          if (moved.rings.empty()) break;  // the shell collapsed: the polygon with it
          continue;                        // a hole collapsed
        }
        moved.rings.push_back(std::move(r));
      }
      if (!moved.rings.empty()) snapped.polygons.push_back(std::move(moved));
    }
    auto made = geos_.to_geos(snapped);
    if (geos_.invalidity(*made)) made = geos_.to_geos(areas(*geos_.make_valid(*made)));
    return made;
  }

  // Step 2: the parts outside the parent that are slivers cut off; thicker ones kept.
  MultiPolygon cut(GeosContext::Geometry snapped, const GEOSGeometry& parent,
                   const GEOSPreparedGeometry& prepared) {
    if (geos_.covers(prepared, *snapped)) return areas(*snapped);
    const MultiPolygon outside = areas(*geos_.difference(*snapped, parent));
    std::vector<GeosContext::Geometry> slivers;
    std::size_t thick = 0;
    for (const Polygon& polygon : outside.polygons) {
      const MultiPolygon part{{polygon}};
      const double a = area(part);
      if (!(a > 0.0)) continue;
      const double around = perimeter(part);
      if (around > 0.0 && 2.0 * a / around <= tolerance_) {
        slivers.push_back(geos_.to_geos(part));
      } else {
        ++thick;
      }
    }
    if (slivers.empty()) return areas(*snapped);
    if (thick == 0) return areas(*geos_.intersection(*snapped, parent));
    std::vector<const GEOSGeometry*> parts;
    parts.reserve(slivers.size());
    for (const auto& s : slivers) parts.push_back(s.get());
    return areas(*geos_.difference(*snapped, *geos_.union_all(parts)));
  }

  // Two children that did not share area before but do now: the one that moved into the
  // other's former area gives the shared area back.
  void part_new_overlaps(const std::vector<CellId>& kids) {
    std::vector<GeosContext::Geometry> after;
    std::vector<const GEOSGeometry*> pointers;
    for (const CellId k : kids) {
      after.push_back(geos_.to_geos(geometry_[index(k)]));
      pointers.push_back(after.back().get());
    }
    const internal::GeosTree tree(geos_, pointers);
    for (std::size_t j = 0; j < kids.size(); ++j) {
      for (const std::size_t i : tree.query(*after[j])) {
        if (i >= j) continue;  // each pair once
        const CellId a = kids[i], b = kids[j];
        if (same(geometry_[index(a)], cell(a).geometry) &&
            same(geometry_[index(b)], cell(b).geometry)) {
          continue;
        }
        if (!(geos_.intersection_area(*after[i], *after[j]) > 0.0)) continue;
        const auto a_before = geos_.to_geos(cell(a).geometry);
        const auto b_before = geos_.to_geos(cell(b).geometry);
        if (geos_.intersection_area(*a_before, *b_before) > 0.0) continue;  // not ours to part
        // The shared area lies where one of them was before: the other one moved in.
        const auto shared = geos_.intersection(*after[i], *after[j]);
        const bool a_moved = geos_.intersection_area(*shared, *b_before) >=
                             geos_.intersection_area(*shared, *a_before);
        const std::size_t mover = a_moved ? i : j;
        const std::size_t keeper = a_moved ? j : i;
        const CellId id = kids[mover];
        MultiPolygon parted = areas(*geos_.difference(*after[mover], *after[keeper]));
        if (parted.empty()) vanish(id, "all of it overlaps a sibling after snapping to");
        geometry_[index(id)] = std::move(parted);
        after[mover] = geos_.to_geos(geometry_[index(id)]);
      }
    }
  }

  CellRepair describe(CellId id) {
    const Cell& c = cell(id);
    const MultiPolygon& now = geometry_[index(id)];
    CellRepair r{.cell = id,
                 .level = c.level,
                 .code = c.code,
                 .parent_code = cell(c.parent).code,
                 .area_before = area(c.geometry),
                 .area_after = area(now)};
    const auto before_vertices = vertex_set(c.geometry);
    const auto after_vertices = vertex_set(now);
    r.vertices_moved = missing(before_vertices, after_vertices);
    r.vertices_added = missing(after_vertices, before_vertices);
    const auto before = geos_.to_geos(c.geometry);
    const auto after = geos_.to_geos(now);
    r.area_out = geos_.area(*geos_.difference(*before, *after));
    r.area_in = geos_.area(*geos_.difference(*after, *before));
    return r;
  }

  const GridSet& grids_;
  const double tolerance_;
  const int level_;
  GeosContext geos_;
  std::vector<MultiPolygon> geometry_;  // per cell, repaired as far as done
  bool vanished_ = false;               // a cell would vanish: the error names it already
};

}  // namespace

std::size_t RepairReport::vertices_moved() const {
  std::size_t n = 0;
  for (const CellRepair& c : cells) n += c.vertices_moved;
  return n;
}

double RepairReport::area_out() const {
  double total = 0.0;
  for (const CellRepair& c : cells) total += c.area_out;
  return total;
}

double RepairReport::area_in() const {
  double total = 0.0;
  for (const CellRepair& c : cells) total += c.area_in;
  return total;
}

RepairReport repair(GridSet& grids, const RepairOptions& options) {
  grids.require_one_version("repair");
  if (!(options.snap > 0.0) || !std::isfinite(options.snap)) {
    throw Error(ErrorKind::kInvalidInput, Location{.option = "snap"},
                "must be a finite number > 0, not " + internal::short_number_text(options.snap));
  }
  // Below one unit in the last place of the largest coordinate nothing can move; the snapper's
  // buckets (coordinate / tolerance) also stay far inside 64-bit integers above it.
  const Box extent = grids.extent();
  const double largest = extent.empty()
                             ? 0.0
                             : std::max({std::abs(extent.min_x), std::abs(extent.max_x),
                                         std::abs(extent.min_y), std::abs(extent.max_y)});
  const double finest = std::ldexp(largest, -52);
  if (options.snap < finest) {
    throw Error(ErrorKind::kInvalidInput, Location{.option = "snap"},
                internal::short_number_text(options.snap) +
                    " is below the precision of coordinates as large as " +
                    internal::short_number_text(largest) + ": give at least " +
                    internal::short_number_text(finest));
  }
  const int levels = static_cast<int>(grids.levels().size());
  if (options.level != -1 && (options.level < 0 || options.level >= levels)) {
    throw Error(ErrorKind::kInvalidInput, Location{.option = "level"},
                "no level " + std::to_string(options.level) + " to repair: the grid set has " +
                    std::to_string(levels) + (levels == 1 ? " level" : " levels"));
  }
  if (options.level == 0) {
    throw Error(ErrorKind::kInvalidInput, Location{.option = "level"},
                "level " + grids.levels()[0] + " is the top level: it has no parents to snap to");
  }
  RepairReport report;
  std::vector<MultiPolygon> repaired = Repairer(grids, options).run(report);

  // A GridSet's cells are fixed once added: build it again with the new geometry, cell for cell
  // in the same order, so that ids, parents and everything else stay as they were.
  GridSet rebuilt;
  for (const std::string& level : grids.levels()) rebuilt.add_level(level);
  rebuilt.set_crs(grids.crs());
  for (std::size_t i = 0; i < grids.size(); ++i) {
    Cell c = grids.cells()[i];
    c.geometry = std::move(repaired[i]);
    rebuilt.add_cell(std::move(c));
  }
  rebuilt.roster() = grids.roster();
  rebuilt.duty_table() = grids.duty_table();
  grids = std::move(rebuilt);
  return report;
}

}  // namespace libgrid
