#include "libgrid/index/cell_index.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <thread>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "internal/ring_crossing.h"
#include "libgrid/error.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using RPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using RBox = bg::model::box<RPoint>;
using RValue = std::pair<RBox, CellId>;
using RTree = bgi::rtree<RValue, bgi::rstar<16>>;

struct Segment {
  Point a;
  Point b;
};

// A cell's edges bucketed into horizontal bands of its envelope, so a point tests only the
// edges whose y-span reaches its own band: the crossing test ignores every other edge anyway.
struct CellEdges {
  Box box;
  double inverse_band_height = 0.0;
  int bands = 1;
  std::uint32_t first_offset = 0;  // into CellIndex::Impl::band_offsets, bands + 1 entries

  int band_of(double y) const {
    const double t = (y - box.min_y) * inverse_band_height;
    if (!(t > 0.0)) return 0;
    return t >= bands ? bands - 1 : static_cast<int>(t);
  }
};

int choose_bands(std::size_t vertices, int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::clamp<std::size_t>(vertices / 4, 1, 4096));
}

}  // namespace

struct CellIndex::Impl {
  int level_count = 0;
  std::vector<int> level;
  std::vector<CellId> parent;
  std::vector<CellEdges> cells;
  std::vector<std::uint32_t> band_offsets;  // into segments
  std::vector<Segment> segments;            // an edge appears once in every band it spans
  std::vector<RTree> trees;                 // one per level

  bool cell_holds(CellId id, Point p) const {
    const CellEdges& c = cells[static_cast<std::size_t>(id)];
    const int band = c.band_of(p.y);
    const std::uint32_t begin = band_offsets[c.first_offset + static_cast<std::uint32_t>(band)];
    const std::uint32_t end = band_offsets[c.first_offset + static_cast<std::uint32_t>(band) + 1];
    bool inside = false;
    for (std::uint32_t i = begin; i < end; ++i) {
      if (internal::crosses_north_ray(segments[i].a, segments[i].b, p)) inside = !inside;
    }
    return inside;
  }

  template <typename Visit>
  void for_each_candidate(int lvl, Point p, Visit visit) const {
    const RPoint q(p.x, p.y);
    for (auto it = trees[static_cast<std::size_t>(lvl)].qbegin(bgi::intersects(q));
         it != trees[static_cast<std::size_t>(lvl)].qend(); ++it) {
      if (!visit(it->second)) return;
    }
  }

  CellId find_in_level(int lvl, Point p) const {
    CellId found = kNoCell;
    for_each_candidate(lvl, p, [&](CellId id) {
      if (!cell_holds(id, p)) return true;
      found = id;
      return false;
    });
    return found;
  }

  CellId lookup(Point p) const {
    for (int lvl = level_count - 1; lvl >= 0; --lvl) {
      const CellId id = find_in_level(lvl, p);
      if (id != kNoCell) return id;
    }
    return kNoCell;
  }

  void add_cell(const Cell& cell, int requested_bands) {
    CellEdges edges;
    edges.box = envelope(cell.geometry);
    std::vector<Segment> own;
    for (const auto& polygon : cell.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          // Horizontal edges never cross the nudged point's ray.
          if (ring[i].y != ring[i + 1].y) own.push_back({ring[i], ring[i + 1]});
        }
      }
    }
    edges.bands = choose_bands(own.size(), requested_bands);
    const double height = edges.box.max_y - edges.box.min_y;
    edges.inverse_band_height = height > 0.0 ? edges.bands / height : 0.0;
    if (!(edges.inverse_band_height > 0.0) || !std::isfinite(edges.inverse_band_height)) {
      edges.bands = 1;
      edges.inverse_band_height = 0.0;
    }
    std::vector<std::vector<std::uint32_t>> per_band(static_cast<std::size_t>(edges.bands));
    for (std::uint32_t i = 0; i < own.size(); ++i) {
      const int first = edges.band_of(std::min(own[i].a.y, own[i].b.y));
      const int last = edges.band_of(std::max(own[i].a.y, own[i].b.y));
      for (int b = first; b <= last; ++b) per_band[static_cast<std::size_t>(b)].push_back(i);
    }
    edges.first_offset = static_cast<std::uint32_t>(band_offsets.size());
    for (const auto& band : per_band) {
      band_offsets.push_back(static_cast<std::uint32_t>(segments.size()));
      for (std::uint32_t i : band) segments.push_back(own[i]);
    }
    band_offsets.push_back(static_cast<std::uint32_t>(segments.size()));
    cells.push_back(edges);
  }
};

CellIndex::CellIndex(const GridSet& grids, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.level_count = static_cast<int>(grids.levels().size());
  std::vector<std::vector<RValue>> boxes(static_cast<std::size_t>(m.level_count));
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const Cell& cell = grids.cells()[i];
    m.level.push_back(cell.level);
    m.parent.push_back(cell.parent);
    m.add_cell(cell, options.bands_per_cell);
    const Box& b = m.cells.back().box;
    if (b.empty()) continue;
    if (m.segments.size() > UINT32_MAX) {
      throw Error(ErrorKind::kInvalidInput, "grid set too large for one index");
    }
    boxes[static_cast<std::size_t>(cell.level)].emplace_back(
        RBox(RPoint(b.min_x, b.min_y), RPoint(b.max_x, b.max_y)), static_cast<CellId>(i));
  }
  for (auto& level_boxes : boxes) m.trees.emplace_back(level_boxes.begin(), level_boxes.end());
}

CellIndex::~CellIndex() = default;
CellIndex::CellIndex(CellIndex&&) noexcept = default;
CellIndex& CellIndex::operator=(CellIndex&&) noexcept = default;

CellId CellIndex::lookup(Point p) const { return impl_->lookup(p); }

void CellIndex::lookup(std::span<const double> x, std::span<const double> y, std::span<CellId> out,
                       int threads) const {
  if (x.size() != y.size() || x.size() != out.size()) {
    throw Error(ErrorKind::kInvalidInput, "lookup: x, y and out must have the same length");
  }
  const std::size_t n = x.size();
  std::size_t workers = threads > 0 ? static_cast<std::size_t>(threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
  // Below a few thousand points a thread costs more than it saves.
  workers = std::min(workers, std::max<std::size_t>(1, n / 4096));
  auto run = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = impl_->lookup({x[i], y[i]});
  };
  if (workers <= 1) {
    run(0, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t chunk = (n + workers - 1) / workers;
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t begin = w * chunk;
    const std::size_t end = std::min(n, begin + chunk);
    if (begin < end) pool.emplace_back(run, begin, end);
  }
  for (auto& t : pool) t.join();
}

CellId CellIndex::lookup_level(Point p, int level) const {
  if (level < 0 || level >= impl_->level_count) return kNoCell;
  return impl_->find_in_level(level, p);
}

std::vector<CellId> CellIndex::cells_holding(Point p, int level) const {
  std::vector<CellId> found;
  if (level < 0 || level >= impl_->level_count) return found;
  impl_->for_each_candidate(level, p, [&](CellId id) {
    if (impl_->cell_holds(id, p)) found.push_back(id);
    return true;
  });
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<CellId> CellIndex::path(CellId finest) const {
  std::vector<CellId> ids;
  for (CellId c = finest; c != kNoCell; c = impl_->parent[static_cast<std::size_t>(c)]) {
    ids.push_back(c);
  }
  std::reverse(ids.begin(), ids.end());
  return ids;
}

int CellIndex::level_count() const { return impl_->level_count; }
std::size_t CellIndex::cell_count() const { return impl_->cells.size(); }

}  // namespace libgrid
