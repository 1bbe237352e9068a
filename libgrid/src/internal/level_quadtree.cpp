#include "internal/level_quadtree.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "libgrid/error.h"

namespace libgrid::internal {
namespace {

std::uint32_t entry(Leaf kind, std::uint32_t payload) {
  if (payload > 0x3FFFFFFFu) {
    throw Error(ErrorKind::kInvalidInput, "grid set too large for one index (quadtree over 2^30)");
  }
  return (static_cast<std::uint32_t>(kind) << 30) | payload;
}

// Whether segment a-b may reach `box`: false only when it certainly does not. The box passed in
// is already inflated by far more than the rounding of these double-precision tests.
bool may_touch(const QuadtreeEdge& e, const Box& box) {
  if (std::max(e.a.x, e.b.x) < box.min_x || std::min(e.a.x, e.b.x) > box.max_x ||
      std::max(e.a.y, e.b.y) < box.min_y || std::min(e.a.y, e.b.y) > box.max_y) {
    return false;
  }
  const double dx = e.b.x - e.a.x;
  const double dy = e.b.y - e.a.y;
  auto side = [&](double x, double y) { return dx * (y - e.a.y) - dy * (x - e.a.x); };
  const double s[4] = {side(box.min_x, box.min_y), side(box.max_x, box.min_y),
                       side(box.min_x, box.max_y), side(box.max_x, box.max_y)};
  const bool all_above = s[0] > 0 && s[1] > 0 && s[2] > 0 && s[3] > 0;
  const bool all_below = s[0] < 0 && s[1] < 0 && s[2] < 0 && s[3] < 0;
  return !(all_above || all_below);
}

class LevelBuilder {
 public:
  LevelBuilder(const QuadtreeLevel& q, double margin, int level,
               const std::vector<QuadtreeEdge>& edges,
               const std::function<std::vector<CellId>(int, Point)>& holders,
               const QuadtreeOptions& options, std::vector<std::uint32_t>& nodes,
               std::vector<std::uint32_t>& candidates)
      : q_(q),
        margin_(margin),
        level_(level),
        edges_(edges),
        holders_(holders),
        options_(options),
        nodes_(nodes),
        candidates_(candidates) {}

  // The node covering finest-grid units [x0, x0 + size) x [y0, y0 + size).
  std::uint32_t build(std::uint64_t x0, std::uint64_t y0, std::uint64_t size, std::uint32_t depth,
                      const std::vector<std::uint32_t>& edge_ids) {
    const Box box = box_of(x0, y0, size);
    if (edge_ids.empty()) return uniform_leaf(box);
    const bool deep_enough =
        depth >= options_.boundary_depth_bits && edge_ids.size() <= options_.max_leaf_edges;
    if (depth >= q_.depth_bits || deep_enough) return candidates_leaf(box, edge_ids);
    const std::uint64_t half = size / 2;
    std::uint32_t children[4];
    for (std::uint32_t c = 0; c < 4; ++c) {
      const std::uint64_t cx = x0 + (c & 1u) * half;
      const std::uint64_t cy = y0 + (c >> 1) * half;
      const Box inflated = inflate(box_of(cx, cy, half));
      std::vector<std::uint32_t> inside;
      for (std::uint32_t id : edge_ids) {
        if (may_touch(edges_[id], inflated)) inside.push_back(id);
      }
      children[c] = build(cx, cy, half, depth + 1, inside);
    }
    const auto base = static_cast<std::uint32_t>(nodes_.size());
    nodes_.insert(nodes_.end(), children, children + 4);
    return entry(Leaf::kInternal, base);
  }

  Box box_of(std::uint64_t x0, std::uint64_t y0, std::uint64_t size) const {
    return Box{q_.origin_x + static_cast<double>(x0) / q_.scale,
               q_.origin_y + static_cast<double>(y0) / q_.scale,
               q_.origin_x + static_cast<double>(x0 + size) / q_.scale,
               q_.origin_y + static_cast<double>(y0 + size) / q_.scale};
  }

  Box inflate(Box b) const {
    b.min_x -= margin_;
    b.min_y -= margin_;
    b.max_x += margin_;
    b.max_y += margin_;
    return b;
  }

 private:
  static Point centre(const Box& b) { return {(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2}; }

  std::uint32_t uniform_leaf(const Box& box) {
    const std::vector<CellId> held = holders_(level_, centre(box));
    if (held.empty()) return entry(Leaf::kEmpty, 0);
    if (held.size() == 1) return entry(Leaf::kInside, static_cast<std::uint32_t>(held[0]));
    return list(held);
  }

  std::uint32_t candidates_leaf(const Box& box, const std::vector<std::uint32_t>& edge_ids) {
    std::vector<CellId> cells = holders_(level_, centre(box));
    for (std::uint32_t id : edge_ids) cells.push_back(edges_[id].cell);
    std::sort(cells.begin(), cells.end());
    cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
    return list(cells);
  }

  // Neighbouring leaves mostly list the same two or three cells: each list is stored once.
  std::uint32_t list(const std::vector<CellId>& cells) {
    const auto [it, added] =
        known_lists_.try_emplace(cells, static_cast<std::uint32_t>(candidates_.size()));
    if (added) {
      candidates_.push_back(static_cast<std::uint32_t>(cells.size()));
      for (CellId c : cells) candidates_.push_back(static_cast<std::uint32_t>(c));
    }
    return entry(Leaf::kCandidates, it->second);
  }

  struct ListHash {
    std::size_t operator()(const std::vector<CellId>& cells) const {
      std::size_t h = cells.size();
      for (CellId c : cells) h = h * 0x9E3779B97F4A7C15ull + static_cast<std::size_t>(c);
      return h;
    }
  };

  const QuadtreeLevel& q_;
  double margin_;
  int level_;
  const std::vector<QuadtreeEdge>& edges_;
  const std::function<std::vector<CellId>(int, Point)>& holders_;
  const QuadtreeOptions& options_;
  std::vector<std::uint32_t>& nodes_;
  std::vector<std::uint32_t>& candidates_;
  std::unordered_map<std::vector<CellId>, std::uint32_t, ListHash> known_lists_;
};

}  // namespace

LevelQuadtrees build_level_quadtrees(const std::vector<std::vector<QuadtreeEdge>>& edges_of_level,
                                     const std::vector<Box>& extent_of_level,
                                     const std::vector<std::size_t>& cells_of_level,
                                     const std::function<std::vector<CellId>(int, Point)>& holders,
                                     const QuadtreeOptions& options) {
  std::vector<QuadtreeLevel> levels;
  std::vector<std::uint32_t> top, nodes, candidates;
  for (std::size_t l = 0; l < edges_of_level.size(); ++l) {
    QuadtreeLevel q;
    q.first_top = static_cast<std::uint32_t>(top.size());
    const Box& extent = extent_of_level[l];
    if (extent.empty()) {  // span 0: every point reads as empty
      levels.push_back(q);
      continue;
    }
    const double size = std::max({extent.max_x - extent.min_x, extent.max_y - extent.min_y,
                                  std::numeric_limits<double>::min()});
    const double magnitude = std::max({std::abs(extent.min_x), std::abs(extent.max_x),
                                       std::abs(extent.min_y), std::abs(extent.max_y)});
    // Far above the rounding of locating a point (a few ulps of the coordinates and of the
    // square's size), far below any real feature.
    const double margin = std::max(size * 0x1p-36, magnitude * 0x1p-44);
    const double pad = 4 * margin;
    const double square = size + 2 * pad;
    // About one top cell per few edges keeps the trees below it shallow; more cells than edges
    // would only spend memory.
    const double per_side = std::sqrt(static_cast<double>(
        std::max<std::size_t>({edges_of_level[l].size() / 2, cells_of_level[l], 1})));
    q.top_bits = static_cast<std::uint32_t>(std::clamp(std::round(std::log2(per_side)), 2.0, 11.0));
    q.depth_bits = std::min(options.max_depth_bits, 30u - q.top_bits);
    q.span = std::ldexp(1.0, static_cast<int>(q.top_bits + q.depth_bits));
    q.scale = q.span / square;
    q.origin_x = extent.min_x - pad;
    q.origin_y = extent.min_y - pad;

    LevelBuilder builder(q, margin, static_cast<int>(l), edges_of_level[l], holders, options, nodes,
                         candidates);
    // Edges of each top cell: every top cell whose inflated box an edge may reach.
    const std::uint32_t side = 1u << q.top_bits;
    const std::uint64_t unit = std::uint64_t{1} << q.depth_bits;
    std::vector<std::vector<std::uint32_t>> top_edges(std::size_t{side} * side);
    const auto& edges = edges_of_level[l];
    auto top_index = [&](double v, double origin) {
      const double t = std::floor((v - origin) * q.scale / static_cast<double>(unit));
      return static_cast<std::uint32_t>(std::clamp(t, 0.0, static_cast<double>(side - 1)));
    };
    for (std::uint32_t e = 0; e < edges.size(); ++e) {
      const auto [x_lo, x_hi] = std::minmax(edges[e].a.x, edges[e].b.x);
      const auto [y_lo, y_hi] = std::minmax(edges[e].a.y, edges[e].b.y);
      for (std::uint32_t j = top_index(y_lo - margin, q.origin_y);
           j <= top_index(y_hi + margin, q.origin_y); ++j) {
        for (std::uint32_t i = top_index(x_lo - margin, q.origin_x);
             i <= top_index(x_hi + margin, q.origin_x); ++i) {
          if (may_touch(edges[e], builder.inflate(builder.box_of(i * unit, j * unit, unit)))) {
            top_edges[std::size_t{j} * side + i].push_back(e);
          }
        }
      }
    }
    for (std::uint32_t j = 0; j < side; ++j) {
      for (std::uint32_t i = 0; i < side; ++i) {
        auto& list = top_edges[std::size_t{j} * side + i];
        top.push_back(builder.build(i * unit, j * unit, unit, 0, list));
        std::vector<std::uint32_t>().swap(list);
      }
    }
    levels.push_back(q);
  }
  LevelQuadtrees trees;
  trees.levels = FlatArray<QuadtreeLevel>(std::move(levels));
  trees.top = FlatArray<std::uint32_t>(std::move(top));
  trees.nodes = FlatArray<std::uint32_t>(std::move(nodes));
  trees.candidates = FlatArray<std::uint32_t>(std::move(candidates));
  return trees;
}

}  // namespace libgrid::internal
