// compare_level (map_render.h): what changed cell between two versions of a level, by GEOS
// overlays of the cells whose geometry differs.
#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "internal/geos_context.h"
#include "libgrid/crs/transform.h"
#include "libgrid/error.h"
#include "libgrid/render/map_render.h"

namespace libgrid {

namespace {

using internal::GeosContext;
using internal::GeosTree;
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

int level_of(const GridSet& grids, const std::string& name, const char* which) {
  const int level = grids.level_index(name);
  if (level < 0) {
    throw Error(ErrorKind::kInvalidInput, std::string(which) + " has no level named '" + name +
                                              "' (its levels: " + join(grids.levels()) + ")");
  }
  return level;
}

// True when both name the same CRS, or either is unknown (empty).
bool same_crs(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == b) return true;
  try {
    return Transform(a, b).is_identity();
  } catch (const Error&) {
    return false;  // a definition PROJ does not know: only the same text is the same CRS
  }
}

bool same_geometry(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.polygons.size() != b.polygons.size()) return false;
  for (std::size_t p = 0; p < a.polygons.size(); ++p) {
    if (a.polygons[p].rings != b.polygons[p].rings) return false;
  }
  return true;
}

// What `step` returns; a GEOS failure in it is told as one in comparing `cell`.
template <typename Step>
auto guarded(const Cell& cell, Step step) {
  try {
    return step();
  } catch (const Error& e) {
    throw Error(e.kind(), "comparing cell " + cell.code + ": " + e.detail());
  }
}

// Overlays one cell's geometry, mending it with GEOS's make-valid when the overlay refuses it
// as it stands; names the cell when that fails too.
class Overlays {
 public:
  explicit Overlays(const GeosContext& geos) : geos_(geos) {}

  GeosContext::Geometry geometry(const Cell& cell) const {
    return guarded(cell, [&] { return geos_.to_geos(cell.geometry); });
  }

  // a - b, where a is `cell`'s geometry.
  GeosContext::Geometry difference(const Cell& cell, const GEOSGeometry& a,
                                   const GEOSGeometry& b) const {
    try {
      return geos_.difference(a, b);
    } catch (const Error&) {
      return guarded(cell,
                     [&] { return geos_.difference(*geos_.make_valid(a), *geos_.make_valid(b)); });
    }
  }

 private:
  const GeosContext& geos_;
};

// The segments of some polylines, for finding those within a distance of a point.
class SegmentIndex {
 public:
  explicit SegmentIndex(const std::vector<std::vector<Point>>& lines) {
    std::vector<Value> values;
    for (const std::vector<Point>& line : lines) {
      for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const Point a = line[i];
        const Point b = line[i + 1];
        values.push_back({Box2{{std::min(a.x, b.x), std::min(a.y, b.y)},
                               {std::max(a.x, b.x), std::max(a.y, b.y)}},
                          segments_.size()});
        segments_.push_back({a, b});
      }
    }
    tree_ = Tree(values.begin(), values.end());  // packed
  }

  // True when some segment passes within `distance` of p.
  bool near(Point p, double distance) const {
    const Box2 around{{p.x - distance, p.y - distance}, {p.x + distance, p.y + distance}};
    for (auto it = tree_.qbegin(bgi::intersects(around)); it != tree_.qend(); ++it) {
      const auto& [a, b] = segments_[it->second];
      const double dx = b.x - a.x;
      const double dy = b.y - a.y;
      const double squared = dx * dx + dy * dy;
      const double t =
          squared > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / squared, 0.0, 1.0) : 0.0;
      if (std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y) <= distance) return true;
    }
    return false;
  }

 private:
  using Point2 = bg::model::point<double, 2, bg::cs::cartesian>;
  using Box2 = bg::model::box<Point2>;
  using Value = std::pair<Box2, std::size_t>;
  using Tree = bgi::rtree<Value, bgi::rstar<16>>;
  std::vector<std::pair<Point, Point>> segments_;
  Tree tree_;
};

// The polygons of `area` larger than `tolerance`.
MultiPolygon without_slivers(MultiPolygon area, double tolerance) {
  std::erase_if(area.polygons, [&](const Polygon& polygon) {
    return libgrid::area(MultiPolygon{{polygon}}) <= tolerance;
  });
  return area;
}

}  // namespace

LevelChanges compare_level(const GridSet& grids, const GridSet& before, const std::string& level) {
  const int after_level = level_of(grids, level, "the grid set");
  const int before_level = level_of(before, level, "the grid set to compare with");
  if (!same_crs(grids.crs(), before.crs())) {
    throw Error(ErrorKind::kInvalidInput,
                "the grid set to compare with is in another CRS than the one drawn");
  }

  std::vector<const Cell*> after_cells;
  std::vector<const Cell*> before_cells;
  Box extent;
  double magnitude = 0.0;
  for (const Cell& cell : grids.cells()) {
    if (cell.level == after_level) after_cells.push_back(&cell);
  }
  for (const Cell& cell : before.cells()) {
    if (cell.level == before_level) before_cells.push_back(&cell);
  }
  for (const auto* cells : {&after_cells, &before_cells}) {
    for (const Cell* cell : *cells) {
      const Box box = envelope(cell->geometry);
      if (box.empty()) continue;
      extent.expand(box);
      magnitude = std::max({magnitude, std::abs(box.min_x), std::abs(box.max_x),
                            std::abs(box.min_y), std::abs(box.max_y)});
    }
  }
  LevelChanges changes;
  if (extent.empty()) return changes;
  // Rounding: a billionth of the extent, and never below a few units in the last place of the
  // coordinates.
  const double tolerance =
      std::max(1e-9 * std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y),
               1e-14 * magnitude);

  std::unordered_map<std::string_view, const Cell*> earlier;
  for (const Cell* cell : before_cells) earlier.emplace(cell->code, cell);
  std::unordered_set<std::string_view> kept_codes;

  const GeosContext geos;
  const Overlays overlays(geos);
  // The earlier cells whose boundaries may be gone: those whose code changed land or is gone.
  std::vector<const Cell*> redrawn;
  for (const Cell* cell : after_cells) {
    kept_codes.insert(cell->code);
    const auto found = earlier.find(cell->code);
    const Cell* old = found == earlier.end() ? nullptr : found->second;
    if (old != nullptr && same_geometry(old->geometry, cell->geometry)) continue;

    ChangedCell change;
    change.cell = static_cast<CellId>(cell - grids.cells().data());
    change.code = cell->code;
    change.is_new = old == nullptr;
    const GeosContext::Geometry now = overlays.geometry(*cell);
    // A sliver along the whole boundary, as thin as the tolerance, is rounding.
    double sliver = tolerance * perimeter(cell->geometry);
    if (old == nullptr) {
      change.moved_in = cell->geometry;
    } else {
      sliver += tolerance * perimeter(old->geometry);
      const GeosContext::Geometry then = overlays.geometry(*old);
      change.moved_in =
          without_slivers(geos.to_multipolygon(*overlays.difference(*cell, *now, *then)), sliver);
      const MultiPolygon out =
          without_slivers(geos.to_multipolygon(*overlays.difference(*cell, *then, *now)), sliver);
      change.moved_out_area = area(out);
    }
    change.moved_in_area = area(change.moved_in);
    if (change.moved_in_area == 0.0 && change.moved_out_area == 0.0) continue;
    if (old != nullptr) redrawn.push_back(old);
    changes.moved_area += change.moved_in_area;
    changes.changed.push_back(std::move(change));
  }
  for (const Cell* cell : before_cells) {
    if (!kept_codes.contains(cell->code)) {
      changes.removed.push_back(cell->code);
      redrawn.push_back(cell);
    }
  }
  if (redrawn.empty()) return changes;

  // The earlier boundaries of those cells, each stretch once, less the boundaries of the
  // cells near them now.
  std::vector<GeosContext::Geometry> after_geometry;
  std::vector<const GEOSGeometry*> after_pointers;
  for (const Cell* cell : after_cells) {
    after_geometry.push_back(overlays.geometry(*cell));
    after_pointers.push_back(after_geometry.back().get());
  }
  const GeosTree tree(geos, after_pointers);
  std::vector<GeosContext::Geometry> old_lines;
  std::vector<const GEOSGeometry*> old_pointers;
  std::vector<bool> near(after_cells.size(), false);
  for (const Cell* cell : redrawn) {
    const GeosContext::Geometry then = overlays.geometry(*cell);
    for (const std::size_t i : tree.query(*then)) near[i] = true;
    old_lines.push_back(guarded(*cell, [&] { return geos.boundary(*then); }));
    old_pointers.push_back(old_lines.back().get());
  }
  std::vector<GeosContext::Geometry> new_lines;
  std::vector<const GEOSGeometry*> new_pointers;
  for (std::size_t i = 0; i < after_cells.size(); ++i) {
    if (!near[i]) continue;
    new_lines.push_back(
        guarded(*after_cells[i], [&] { return geos.boundary(*after_geometry[i]); }));
    new_pointers.push_back(new_lines.back().get());
  }
  std::vector<std::vector<Point>> gone;
  std::vector<std::vector<Point>> kept;
  try {
    const GeosContext::Geometry before_boundaries = geos.union_all(old_pointers);
    const GeosContext::Geometry after_boundaries = geos.union_all(new_pointers);
    gone = geos.to_lines(*geos.difference(*before_boundaries, *after_boundaries));
    kept = geos.to_lines(*after_boundaries);
  } catch (const Error& e) {
    throw Error(e.kind(), "comparing the boundaries of level '" + level + "': " + e.detail());
  }
  const SegmentIndex boundaries_now(kept);

  // Stretches only rounding away from a boundary now are left out, segment by segment.
  for (const std::vector<Point>& line : gone) {
    std::vector<Point> run;
    auto finish = [&] {
      if (run.size() >= 2) changes.vanished_boundaries.push_back(std::move(run));
      run.clear();
    };
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      const Point a = line[i];
      const Point b = line[i + 1];
      const bool stays = std::hypot(b.x - a.x, b.y - a.y) > tolerance &&
                         !boundaries_now.near({(a.x + b.x) / 2, (a.y + b.y) / 2}, tolerance);
      if (!stays) {
        finish();
        continue;
      }
      if (run.empty()) run.push_back(a);
      run.push_back(b);
    }
    finish();
  }
  return changes;
}

}  // namespace libgrid
