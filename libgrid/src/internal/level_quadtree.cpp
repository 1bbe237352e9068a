#include "internal/level_quadtree.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "libgrid/error.h"
#include "libgrid/parallel_for.h"

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

// The cells owning the edges `edge_ids`, in increasing id order.
std::vector<CellId> cells_of(const std::vector<QuadtreeEdge>& edges,
                             const std::vector<std::uint32_t>& edge_ids) {
  std::vector<CellId> cells;
  cells.reserve(edge_ids.size());
  for (std::uint32_t id : edge_ids) {
    if (cells.empty() || cells.back() != edges[id].cell) cells.push_back(edges[id].cell);
  }
  std::sort(cells.begin(), cells.end());
  cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
  return cells;
}

bool contains(const std::vector<CellId>& sorted, CellId c) {
  return std::binary_search(sorted.begin(), sorted.end(), c);
}

// Trees, or some of a level's top cells' trees: entries read from the top grid, internal nodes'
// children and candidate lists (see LevelQuadtrees), of their own.
struct TreePart {
  std::vector<std::uint32_t> top, nodes, candidates;
};

// A level's candidate lists in `candidates`: neighbouring leaves mostly list the same two or
// three cells, so each list is stored once.
class CandidateLists {
 public:
  explicit CandidateLists(std::vector<std::uint32_t>& candidates) : candidates_(candidates) {}

  // Where `cells` (in increasing id order) is listed, added when it is not yet.
  std::uint32_t position(const std::vector<CellId>& cells) {
    const auto [it, added] =
        known_.try_emplace(cells, static_cast<std::uint32_t>(candidates_.size()));
    if (added) {
      candidates_.push_back(static_cast<std::uint32_t>(cells.size()));
      for (CellId c : cells) candidates_.push_back(static_cast<std::uint32_t>(c));
    }
    return it->second;
  }

 private:
  struct ListHash {
    std::size_t operator()(const std::vector<CellId>& cells) const {
      std::size_t h = cells.size();
      for (CellId c : cells) h = h * 0x9E3779B97F4A7C15ull + static_cast<std::size_t>(c);
      return h;
    }
  };
  std::vector<std::uint32_t>& candidates_;
  std::unordered_map<std::vector<CellId>, std::uint32_t, ListHash> known_;
};

// Appends `part` to `out`, the level's lists deduplicated across parts by `lists` (on
// out.candidates): the parts of a level's rows appended in order make exactly the trees one
// pass over all its rows makes.
void append_part(const TreePart& part, TreePart& out, CandidateLists& lists) {
  const auto node_base = static_cast<std::uint32_t>(out.nodes.size());
  std::unordered_map<std::uint32_t, std::uint32_t> moved;  // a list's position: part -> out
  std::vector<CellId> cells;
  for (std::size_t at = 0; at < part.candidates.size(); at += 1 + part.candidates[at]) {
    cells.assign(part.candidates.begin() + static_cast<std::ptrdiff_t>(at) + 1,
                 part.candidates.begin() + static_cast<std::ptrdiff_t>(at) + 1 +
                     static_cast<std::ptrdiff_t>(part.candidates[at]));
    moved.emplace(static_cast<std::uint32_t>(at), lists.position(cells));
  }
  const auto relocated = [&](std::uint32_t e) {
    switch (leaf_kind(e)) {
      case Leaf::kInternal:
        return entry(Leaf::kInternal, node_base + leaf_payload(e));
      case Leaf::kCandidates:
        return entry(Leaf::kCandidates, moved.at(leaf_payload(e)));
      default:
        return e;
    }
  };
  for (const std::uint32_t e : part.nodes) out.nodes.push_back(relocated(e));
  for (const std::uint32_t e : part.top) out.top.push_back(relocated(e));
}

// The cells holding all of a box (none of their edges reaches it inflated: their boundary
// misses it, so they hold all of it or none of it), and those with an edge reaching it; both in
// increasing id order.
struct BoxCells {
  std::vector<CellId> whole, edged;
};

class LevelBuilder {
 public:
  LevelBuilder(const QuadtreeLevel& q, double margin, int level,
               const std::vector<QuadtreeEdge>& edges,
               const std::function<std::vector<CellId>(int, Point)>& holders,
               const std::function<bool(CellId, Point)>& holds, const QuadtreeOptions& options)
      : q_(q),
        margin_(margin),
        level_(level),
        edges_(edges),
        holders_(holders),
        holds_(holds),
        options_(options) {}

  // The cells of the first top cell of every row: a cell whose boundary reaches neither of two
  // neighbouring boxes holds both or neither, so each row's follow from the row's below, and
  // only the bottom left top cell asks every cell.
  std::vector<BoxCells> first_of_rows(std::uint32_t side, std::uint64_t unit,
                                      const std::vector<std::vector<std::uint32_t>>& top_edges) {
    std::vector<BoxCells> firsts(side);
    for (std::uint32_t j = 0; j < side; ++j) {
      BoxCells& here = firsts[j];
      here.edged = cells_of(edges_, top_edges[std::size_t{j} * side]);
      const Point p = centre(box_of(0, j * unit, unit));
      if (j == 0) {
        here.whole = holders_(level_, p);
        std::erase_if(here.whole, [&](CellId c) { return contains(here.edged, c); });
      } else {
        here.whole = whole_after(firsts[j - 1], here.edged, p);
      }
    }
    return firsts;
  }

  // The trees of the top cells of rows [row_begin, row_end), left to right, each row's cells
  // following from its first's (`firsts`) as the rows follow from each other. `top_edges` lists
  // the edges reaching each top cell; those of these rows are emptied on the way.
  TreePart build_rows(std::uint32_t row_begin, std::uint32_t row_end, std::uint32_t side,
                      std::uint64_t unit, std::vector<std::vector<std::uint32_t>>& top_edges,
                      const std::vector<BoxCells>& firsts) {
    TreePart part;
    nodes_ = &part.nodes;
    CandidateLists lists(part.candidates);
    lists_ = &lists;
    for (std::uint32_t j = row_begin; j < row_end; ++j) {
      BoxCells before = firsts[j];
      for (std::uint32_t i = 0; i < side; ++i) {
        auto& edge_ids = top_edges[std::size_t{j} * side + i];
        BoxCells here;
        if (i == 0) {
          here = firsts[j];
        } else {
          here.edged = cells_of(edges_, edge_ids);
          here.whole = whole_after(before, here.edged, centre(box_of(i * unit, j * unit, unit)));
        }
        part.top.push_back(build(i * unit, j * unit, unit, 0, edge_ids, here));
        std::vector<std::uint32_t>().swap(edge_ids);
        before = std::move(here);
      }
    }
    nodes_ = nullptr;
    lists_ = nullptr;
    return part;
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
  // The node covering finest-grid units [x0, x0 + size) x [y0, y0 + size), reached by the
  // edges `edge_ids`, whose cells are `cells`.
  std::uint32_t build(std::uint64_t x0, std::uint64_t y0, std::uint64_t size, std::uint32_t depth,
                      const std::vector<std::uint32_t>& edge_ids, const BoxCells& cells) {
    if (edge_ids.empty()) return uniform_leaf(cells.whole);
    const bool deep_enough =
        depth >= options_.boundary_depth_bits && edge_ids.size() <= options_.max_leaf_edges;
    if (depth >= q_.depth_bits || deep_enough) return candidates_leaf(cells);
    const std::uint64_t half = size / 2;
    std::uint32_t children[4];
    for (std::uint32_t c = 0; c < 4; ++c) {
      const std::uint64_t cx = x0 + (c & 1u) * half;
      const std::uint64_t cy = y0 + (c >> 1) * half;
      const Box child = box_of(cx, cy, half);
      const Box inflated = inflate(child);
      std::vector<std::uint32_t> inside;
      for (std::uint32_t id : edge_ids) {
        if (may_touch(edges_[id], inflated)) inside.push_back(id);
      }
      BoxCells child_cells;
      child_cells.edged = cells_of(edges_, inside);
      child_cells.whole = whole_after(cells, child_cells.edged, centre(child));
      children[c] = build(cx, cy, half, depth + 1, inside, child_cells);
    }
    const auto base = static_cast<std::uint32_t>(nodes_->size());
    nodes_->insert(nodes_->end(), children, children + 4);
    return entry(Leaf::kInternal, base);
  }

  static Point centre(const Box& b) { return {(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2}; }

  // The whole cells of a box, reached by the cells `edged`, with p in it, next to or inside a
  // box whose cells are `before`: a cell reaching neither box holds both or neither; one that
  // reached the other only is tested at p.
  std::vector<CellId> whole_after(const BoxCells& before, const std::vector<CellId>& edged,
                                  Point p) const {
    std::vector<CellId> whole;
    for (const CellId c : before.whole) {
      if (!contains(edged, c)) whole.push_back(c);
    }
    for (const CellId c : before.edged) {
      if (!contains(edged, c) && holds_(c, p)) whole.push_back(c);
    }
    std::sort(whole.begin(), whole.end());
    return whole;
  }

  std::uint32_t uniform_leaf(const std::vector<CellId>& held) {
    if (held.empty()) return entry(Leaf::kEmpty, 0);
    if (held.size() == 1) return entry(Leaf::kInside, static_cast<std::uint32_t>(held[0]));
    return entry(Leaf::kCandidates, lists_->position(held));
  }

  // Every cell with an edge reaching the leaf, and those holding all of it.
  std::uint32_t candidates_leaf(const BoxCells& cells) {
    std::vector<CellId> listed;
    std::merge(cells.whole.begin(), cells.whole.end(), cells.edged.begin(), cells.edged.end(),
               std::back_inserter(listed));
    return entry(Leaf::kCandidates, lists_->position(listed));
  }

  const QuadtreeLevel& q_;
  double margin_;
  int level_;
  const std::vector<QuadtreeEdge>& edges_;
  const std::function<std::vector<CellId>(int, Point)>& holders_;
  const std::function<bool(CellId, Point)>& holds_;
  const QuadtreeOptions& options_;
  std::vector<std::uint32_t>* nodes_ = nullptr;  // of the part being built
  CandidateLists* lists_ = nullptr;
};

// Whether level q's tree (in `top` and `nodes`) has an empty leaf, or no square, wherever it
// meets the finest-grid units [x_lo, x_hi] x [y_lo, y_hi] of that level (inclusive, and
// already clamped to its square).
bool empty_over(const QuadtreeLevel& q, const std::vector<std::uint32_t>& top,
                const std::vector<std::uint32_t>& nodes, std::uint64_t x_lo, std::uint64_t x_hi,
                std::uint64_t y_lo, std::uint64_t y_hi) {
  // The subtree at `e` over units [x0, x0 + size) x [y0, y0 + size).
  const auto empty_below = [&](const auto& self, std::uint32_t e, std::uint64_t x0,
                               std::uint64_t y0, std::uint64_t size) -> bool {
    if (x0 > x_hi || y0 > y_hi || x0 + size <= x_lo || y0 + size <= y_lo) return true;
    if (leaf_kind(e) == Leaf::kEmpty) return true;
    if (leaf_kind(e) != Leaf::kInternal) return false;
    const std::uint64_t half = size / 2;
    for (std::uint32_t c = 0; c < 4; ++c) {
      if (!self(self, nodes[leaf_payload(e) + c], x0 + (c & 1u) * half, y0 + (c >> 1) * half,
                half)) {
        return false;
      }
    }
    return true;
  };
  const std::uint64_t unit = std::uint64_t{1} << q.depth_bits;
  const std::uint64_t side = std::uint64_t{1} << q.top_bits;
  for (std::uint64_t j = y_lo / unit; j <= y_hi / unit; ++j) {
    for (std::uint64_t i = x_lo / unit; i <= x_hi / unit; ++i) {
      if (!empty_below(empty_below, top[q.first_top + j * side + i], i * unit, j * unit, unit)) {
        return false;
      }
    }
  }
  return true;
}

// Marks every empty leaf of every level that no coarser level's tree reaches with a leaf other
// than empty (kNoCoarserCell). A leaf's box is widened by 2^-40 of its coordinates' magnitude
// and by a unit of the coarser level's grid on every side, far more than the rounding of
// locating a point in either tree, so the mark holds for every point that reads the leaf.
void mark_empty_at_coarser_levels(const std::vector<QuadtreeLevel>& levels,
                                  std::vector<std::uint32_t>& top,
                                  std::vector<std::uint32_t>& nodes) {
  const auto empty_at_coarser = [&](std::size_t level, const QuadtreeLevel& q, std::uint64_t x0,
                                    std::uint64_t y0, std::uint64_t size) {
    double min_x = q.origin_x + static_cast<double>(x0) / q.scale;
    double max_x = q.origin_x + static_cast<double>(x0 + size) / q.scale;
    double min_y = q.origin_y + static_cast<double>(y0) / q.scale;
    double max_y = q.origin_y + static_cast<double>(y0 + size) / q.scale;
    const double widen =
        std::max({std::abs(min_x), std::abs(max_x), std::abs(min_y), std::abs(max_y)}) * 0x1p-40;
    min_x -= widen;
    max_x += widen;
    min_y -= widen;
    max_y += widen;
    for (std::size_t coarser = 0; coarser < level; ++coarser) {
      const QuadtreeLevel& c = levels[coarser];
      if (c.span == 0.0) continue;  // an empty level: every point reads as outside
      const double lo_x = (min_x - c.origin_x) * c.scale - 1.0;
      const double hi_x = (max_x - c.origin_x) * c.scale + 1.0;
      const double lo_y = (min_y - c.origin_y) * c.scale - 1.0;
      const double hi_y = (max_y - c.origin_y) * c.scale + 1.0;
      if (hi_x < 0.0 || hi_y < 0.0 || lo_x >= c.span || lo_y >= c.span) continue;  // outside
      const auto unit_at = [&](double v) {
        return static_cast<std::uint64_t>(std::clamp(std::floor(v), 0.0, c.span - 1.0));
      };
      if (!empty_over(c, top, nodes, unit_at(lo_x), unit_at(hi_x), unit_at(lo_y), unit_at(hi_y))) {
        return false;
      }
    }
    return true;
  };
  for (std::size_t level = 1; level < levels.size(); ++level) {
    const QuadtreeLevel& q = levels[level];
    if (q.span == 0.0) continue;
    const std::uint64_t unit = std::uint64_t{1} << q.depth_bits;
    const std::uint64_t side = std::uint64_t{1} << q.top_bits;
    // Every top cell's tree on every core: each reads the coarser trees and writes its own
    // leaves only.
    parallel_for(side, 0, 1, [&](std::size_t begin, std::size_t end) {
      const auto mark = [&](const auto& self, std::uint32_t& e, std::uint64_t x0, std::uint64_t y0,
                            std::uint64_t size) -> void {
        if (leaf_kind(e) == Leaf::kInternal) {
          const std::uint64_t half = size / 2;
          for (std::uint32_t c = 0; c < 4; ++c) {
            self(self, nodes[leaf_payload(e) + c], x0 + (c & 1u) * half, y0 + (c >> 1) * half,
                 half);
          }
        } else if (leaf_kind(e) == Leaf::kEmpty && empty_at_coarser(level, q, x0, y0, size)) {
          e = entry(Leaf::kEmpty, kNoCoarserCell);
        }
      };
      for (std::size_t j = begin; j < end; ++j) {
        for (std::uint64_t i = 0; i < side; ++i) {
          mark(mark, top[q.first_top + j * side + i], i * unit, j * unit, unit);
        }
      }
    });
  }
}

}  // namespace

LevelQuadtrees build_level_quadtrees(const std::vector<std::vector<QuadtreeEdge>>& edges_of_level,
                                     const std::vector<Box>& extent_of_level,
                                     const std::vector<std::size_t>& cells_of_level,
                                     const std::function<std::vector<CellId>(int, Point)>& holders,
                                     const std::function<bool(CellId, Point)>& holds,
                                     const QuadtreeOptions& options) {
  std::vector<QuadtreeLevel> levels;
  TreePart out;
  for (std::size_t l = 0; l < edges_of_level.size(); ++l) {
    QuadtreeLevel q;
    q.first_top = static_cast<std::uint32_t>(out.top.size());
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

    LevelBuilder builder(q, margin, static_cast<int>(l), edges_of_level[l], holders, holds,
                         options);
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
    // The rows' trees on every core, in runs of rows put together in order: the same trees as
    // one pass makes.
    const std::vector<BoxCells> firsts = builder.first_of_rows(side, unit, top_edges);
    std::vector<TreePart> parts(side);
    parallel_for(side, 0, 1, [&](std::size_t begin, std::size_t end) {
      LevelBuilder rows = builder;  // a builder holds the part it builds: one per thread
      parts[begin] =
          rows.build_rows(static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), side,
                          unit, top_edges, firsts);
    });
    CandidateLists lists(out.candidates);
    for (TreePart& part : parts) {
      append_part(part, out, lists);
      part = TreePart();
    }
    levels.push_back(q);
  }
  mark_empty_at_coarser_levels(levels, out.top, out.nodes);
  LevelQuadtrees trees;
  trees.levels = FlatArray<QuadtreeLevel>(std::move(levels));
  trees.top = FlatArray<std::uint32_t>(std::move(out.top));
  trees.nodes = FlatArray<std::uint32_t>(std::move(out.nodes));
  trees.candidates = FlatArray<std::uint32_t>(std::move(out.candidates));
  return trees;
}

}  // namespace libgrid::internal
