#include "partition/tree_bisection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/kruskal_min_spanning_tree.hpp>
#include <boost/property_map/property_map.hpp>

namespace libgrid::internal {
namespace {

struct Edge {
  int a, b;
  double length;
  double off_barrier;  // length not on a barrier
  bool joins_islands;
};

// The blocks as vertices and their adjacencies as edges; edge_index numbers the edges as given.
using BlockAdjacency =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_index_t, int>>;

// Scores are compared in this order; smaller is better.
struct Score {
  double out_of_band = std::numeric_limits<double>::infinity();
  double quality = std::numeric_limits<double>::infinity();
  bool operator<(const Score& o) const {
    const double slack = 1e-9 * std::max(1.0, std::abs(o.out_of_band));
    if (out_of_band < o.out_of_band - slack) return true;
    if (out_of_band > o.out_of_band + slack) return false;
    return quality < o.quality;
  }
};

// Side A of a split may take any number k_a of the k cells: the weight it may then have, and
// its fair share of the set's weight.
struct Share {
  double lo, hi, ideal;
};

// What a split of a set into k cells aims at.
struct SplitGoal {
  int k = 0;
  std::vector<Share> shares;  // by k_a (1..k-1)
  double scale = 0.0;         // a cell's length: cuts off the barriers are measured in it
};

// Figures of one block, or summed over a subtree of a spanning tree: the blocks' weight, area
// and perimeter, the length of their edges within the set being split (each edge counted at
// both of its blocks), and the length of the set's edges that the tree edge above the subtree
// cuts, in all and off the barriers (subtrees only).
struct Figures {
  double weight = 0.0;
  double area = 0.0;
  double perimeter = 0.0;
  double inner = 0.0;
  double cut = 0.0;
  double cut_off_barrier = 0.0;

  Figures& operator+=(const Figures& o) {
    weight += o.weight;
    area += o.area;
    perimeter += o.perimeter;
    inner += o.inner;
    cut += o.cut;
    cut_off_barrier += o.cut_off_barrier;
    return *this;
  }
};

// A set of blocks being split, numbered 0..n-1 in the order given: each block's figures, the
// set's edges between these numbers, and the totals.
struct BlockSet {
  std::vector<Figures> blocks;
  std::vector<Edge> edges;
  Figures total;
};

// A spanning tree of a set, rooted at block 0: each block's neighbours in the tree, its parent
// (the root its own), its depth, and the blocks with every parent before its children.
struct SpanningTree {
  std::vector<std::vector<int>> adjacent;
  std::vector<int> up, depth, order;
};

// The best cut found: side A (1 per block of the set), taking k_a of the cells.
struct Bisection {
  Score score;
  std::vector<char> side_a;  // empty when no cut leaves two sides of any area
  int k_a = 0;
};

// The best cut of one tree: the tree edge above `block`, its subtree taking k_a cells.
struct TreeCut {
  Score score;
  int block = -1;  // -1 when no cut of the tree beats the best so far
  int k_a = 0;
};

// Random spanning trees of one set of blocks: Kruskal over random keys, edges mostly along
// barriers (off_barrier under half their length) after the rest, island joins last.
class RandomTrees {
 public:
  explicit RandomTrees(const BlockSet& set)
      : set_(set), graph_(set.blocks.size()), keys_(set.edges.size()) {
    for (std::size_t i = 0; i < set.edges.size(); ++i) {
      boost::add_edge(set.edges[i].a, set.edges[i].b, static_cast<int>(i), graph_);
    }
  }

  // `random_unit` draws a number in [0, 1) per edge, in the set's edge order.
  template <class RandomUnit>
  void draw(RandomUnit&& random_unit, SpanningTree& tree) {
    for (std::size_t i = 0; i < set_.edges.size(); ++i) {
      const Edge& e = set_.edges[i];
      keys_[i] = random_unit() + (e.off_barrier < 0.5 * e.length ? 1.0 : 0.0) +
                 (e.joins_islands ? 2.0 : 0.0);
    }
    const auto key_of =
        boost::make_iterator_property_map(keys_.begin(), boost::get(boost::edge_index, graph_));
    spanning_.clear();
    boost::kruskal_minimum_spanning_tree(graph_, std::back_inserter(spanning_),
                                         boost::weight_map(key_of));
    tree.adjacent.resize(set_.blocks.size());
    for (auto& adj : tree.adjacent) adj.clear();
    for (const BlockAdjacency::edge_descriptor& edge : spanning_) {
      const auto a = static_cast<int>(boost::source(edge, graph_));
      const auto b = static_cast<int>(boost::target(edge, graph_));
      tree.adjacent[static_cast<std::size_t>(a)].push_back(b);
      tree.adjacent[static_cast<std::size_t>(b)].push_back(a);
    }
    root_at_first_block(tree);
  }

 private:
  // Root at block 0; order parents before children (breadth first).
  static void root_at_first_block(SpanningTree& tree) {
    const std::size_t n = tree.adjacent.size();
    tree.order.clear();
    tree.up.assign(n, -1);
    tree.depth.assign(n, 0);
    tree.order.push_back(0);
    tree.up[0] = 0;
    for (std::size_t i = 0; i < tree.order.size(); ++i) {
      const int v = tree.order[i];
      for (const int u : tree.adjacent[static_cast<std::size_t>(v)]) {
        if (tree.up[static_cast<std::size_t>(u)] != -1) continue;
        tree.up[static_cast<std::size_t>(u)] = v;
        tree.depth[static_cast<std::size_t>(u)] = tree.depth[static_cast<std::size_t>(v)] + 1;
        tree.order.push_back(u);
      }
    }
  }

  const BlockSet& set_;
  BlockAdjacency graph_;
  std::vector<double> keys_;
  std::vector<BlockAdjacency::edge_descriptor> spanning_;
};

int common_ancestor(const SpanningTree& tree, int a, int b) {
  while (tree.depth[static_cast<std::size_t>(a)] > tree.depth[static_cast<std::size_t>(b)])
    a = tree.up[static_cast<std::size_t>(a)];
  while (tree.depth[static_cast<std::size_t>(b)] > tree.depth[static_cast<std::size_t>(a)])
    b = tree.up[static_cast<std::size_t>(b)];
  while (a != b) {
    a = tree.up[static_cast<std::size_t>(a)];
    b = tree.up[static_cast<std::size_t>(b)];
  }
  return a;
}

// The figures of every subtree of `tree`, at its top block. An edge (a, b) is cut by every tree
// edge on the tree path a..b: it is added at both ends, subtracted twice at their lowest common
// ancestor, and summed over subtrees.
void sum_subtrees(const BlockSet& set, const SpanningTree& tree, std::vector<Figures>& subtree) {
  subtree = set.blocks;
  for (const Edge& e : set.edges) {
    const auto a = static_cast<std::size_t>(e.a);
    const auto b = static_cast<std::size_t>(e.b);
    const auto top = static_cast<std::size_t>(common_ancestor(tree, e.a, e.b));
    subtree[a].cut += e.length;
    subtree[b].cut += e.length;
    subtree[top].cut -= 2 * e.length;
    subtree[a].cut_off_barrier += e.off_barrier;
    subtree[b].cut_off_barrier += e.off_barrier;
    subtree[top].cut_off_barrier -= 2 * e.off_barrier;
  }
  for (std::size_t i = tree.order.size(); i-- > 1;) {
    const auto v = static_cast<std::size_t>(tree.order[i]);
    subtree[static_cast<std::size_t>(tree.up[v])] += subtree[v];
  }
}

// How badly a cut leaving `sub` on one side and the rest of `total` on the other is shaped: the
// mean of both sides' 1 / Polsby-Popper, plus half its length off the barriers in cell lengths.
// None when a side has no area or no perimeter.
std::optional<double> cut_shape(const Figures& sub, const Figures& total, double scale) {
  const double per_sub = sub.perimeter - sub.inner + sub.cut;
  const double per_rest = (total.perimeter - sub.perimeter) - (total.inner - sub.inner) + sub.cut;
  const double area_sub = sub.area, area_rest = total.area - sub.area;
  if (area_sub <= 0 || area_rest <= 0 || per_sub <= 0 || per_rest <= 0) return std::nullopt;
  const double roundness = 0.5 * (per_sub * per_sub / (4 * std::numbers::pi * area_sub) +
                                  per_rest * per_rest / (4 * std::numbers::pi * area_rest));
  const double off = 0.5 * sub.cut_off_barrier / scale;
  return roundness + off;
}

// Blocks of the subtree of `tree` at `top`: 1 for each.
std::vector<char> blocks_under(const SpanningTree& tree, int top) {
  std::vector<char> under(tree.adjacent.size(), 0);
  std::vector<int> stack{top};
  under[static_cast<std::size_t>(top)] = 1;
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (const int u : tree.adjacent[static_cast<std::size_t>(v)]) {
      if (u == tree.up[static_cast<std::size_t>(v)]) continue;
      under[static_cast<std::size_t>(u)] = 1;
      stack.push_back(u);
    }
  }
  return under;
}

class Bisector {
 public:
  // An even split (min_part == max_part) counts as within the band inside ±5%, so that
  // compactness still decides among nearly even cuts.
  Bisector(const BlockGraph& graph, double min_part, double max_part, std::uint64_t seed)
      : g_(graph),
        even_(min_part == max_part),
        min_part_(even_ ? 0.95 * min_part : min_part),
        max_part_(even_ ? 1.05 * max_part : max_part),
        rng_(seed),
        part_(graph.weight.size(), -1) {
    for (const FaceAdjacency& e : graph.edges) {
      edges_.push_back({e.a, e.b, e.length, e.length - e.barrier_length, false});
    }
    join_islands();
  }

  std::vector<int> run(int k) {
    std::vector<int> all(g_.weight.size());
    std::iota(all.begin(), all.end(), 0);
    std::vector<int> edge_ids(edges_.size());
    std::iota(edge_ids.begin(), edge_ids.end(), 0);
    if (!all.empty()) split(all, edge_ids, k);
    return part_;
  }

 private:
  // Blocks of the graph and the ids of the edges between them.
  struct Side {
    std::vector<int> nodes, edge_ids;
  };

  double random_unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

  // Islands (a parent in several parts, blocks cut off by barriers all round) are joined to
  // their nearest component by edges of no length, drawn last.
  void join_islands() {
    const std::size_t n = g_.weight.size();
    for (;;) {
      BlockAdjacency graph(n);
      for (const Edge& e : edges_) boost::add_edge(e.a, e.b, graph);
      std::vector<int> component(n);
      if (n > 0) boost::connected_components(graph, component.data());
      if (n == 0 || std::all_of(component.begin(), component.end(),
                                [&](int c) { return c == component[0]; })) {
        return;
      }
      // The block nearest to a block of the first component, outside it.
      const int first = component[0];
      double best = std::numeric_limits<double>::infinity();
      int from = -1, to = -1;
      for (std::size_t i = 0; i < n; ++i) {
        if (component[i] != first) continue;
        for (std::size_t j = 0; j < n; ++j) {
          if (component[j] == first) continue;
          const double d =
              std::hypot(g_.inside[i].x - g_.inside[j].x, g_.inside[i].y - g_.inside[j].y);
          if (d < best) {
            best = d;
            from = static_cast<int>(i);
            to = static_cast<int>(j);
          }
        }
      }
      edges_.push_back({std::min(from, to), std::max(from, to), 0.0, 0.0, true});
    }
  }

  // Splits the connected set `nodes`, with the edges `edge_ids` between them, into k parts.
  void split(const std::vector<int>& nodes, const std::vector<int>& edge_ids, int k) {
    if (k <= 1 || nodes.size() == 1) {
      keep_whole(nodes);
      return;
    }
    const BlockSet set = block_set(nodes, edge_ids);
    const SplitGoal goal = goal_of(set, k);
    const Bisection best = best_bisection(set, goal);
    if (best.side_a.empty()) {  // no tree edge leaves two sides of any area: keep S whole
      keep_whole(nodes);
      return;
    }
    const auto [a, b] = divide(nodes, edge_ids, best.side_a);
    split(a.nodes, a.edge_ids, best.k_a);
    split(b.nodes, b.edge_ids, k - best.k_a);
  }

  // The set as one part, the next.
  void keep_whole(const std::vector<int>& nodes) {
    for (int v : nodes) part_[static_cast<std::size_t>(v)] = next_part_;
    ++next_part_;
  }

  // The blocks and edges of a set, numbered locally (local_ maps a block to its number).
  BlockSet block_set(const std::vector<int>& nodes, const std::vector<int>& edge_ids) {
    const std::size_t n = nodes.size();
    for (std::size_t i = 0; i < n; ++i)
      local_[static_cast<std::size_t>(nodes[i])] = static_cast<int>(i);
    BlockSet set;
    set.blocks.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = static_cast<std::size_t>(nodes[i]);
      set.blocks[i].weight = g_.weight[v];
      set.blocks[i].area = g_.area[v];
      set.blocks[i].perimeter = g_.perimeter[v];
    }
    for (int id : edge_ids) {
      Edge e = edges_[static_cast<std::size_t>(id)];
      e.a = loc(e.a);
      e.b = loc(e.b);
      set.blocks[static_cast<std::size_t>(e.a)].inner += e.length;
      set.blocks[static_cast<std::size_t>(e.b)].inner += e.length;
      set.edges.push_back(e);
    }
    for (const Figures& block : set.blocks) set.total += block;
    return set;
  }

  // Each number of cells side A may take, and the length cut lengths are measured in. Even
  // halves are preferred slightly (see score).
  SplitGoal goal_of(const BlockSet& set, int k) const {
    SplitGoal goal;
    goal.k = k;
    const double total = set.total.weight;
    goal.shares.resize(static_cast<std::size_t>(k));
    for (int k_a = 1; k_a < k; ++k_a) {
      const int k_b = k - k_a;
      Share& s = goal.shares[static_cast<std::size_t>(k_a)];
      s.ideal = total * k_a / k;
      s.lo = std::max(k_a * min_part_, total - k_b * max_part_);
      s.hi = std::min(k_a * max_part_, total - k_b * min_part_);
      if (s.lo > s.hi) s.lo = s.hi = s.ideal;
    }
    goal.scale = std::sqrt(std::max(set.total.area, 1e-300) / k);
    return goal;
  }

  // The best cut over a number of random spanning trees of the set.
  Bisection best_bisection(const BlockSet& set, const SplitGoal& goal) {
    const int trials = set.blocks.size() > 500 ? 16 : 32;
    RandomTrees trees(set);
    SpanningTree tree;
    std::vector<Figures> subtree;
    Bisection best;
    for (int t = 0; t < trials; ++t) {
      trees.draw([this] { return random_unit(); }, tree);
      sum_subtrees(set, tree, subtree);
      const TreeCut cut = best_cut_of_tree(set, tree, subtree, goal, best.score);
      if (cut.block < 0) continue;
      best.score = cut.score;
      best.k_a = cut.k_a;
      best.side_a = blocks_under(tree, cut.block);
    }
    return best;
  }

  // The cut of `tree` (edge, and cells of side A) that scores best, if it beats `to_beat`.
  TreeCut best_cut_of_tree(const BlockSet& set, const SpanningTree& tree,
                           const std::vector<Figures>& subtree, const SplitGoal& goal,
                           const Score& to_beat) const {
    TreeCut best{to_beat};
    for (std::size_t i = 1; i < tree.order.size(); ++i) {
      const auto v = static_cast<std::size_t>(tree.order[i]);
      const std::optional<double> shape = cut_shape(subtree[v], set.total, goal.scale);
      if (!shape) continue;
      // Side A is the subtree, taking k_a cells.
      for (int k_a = 1; k_a < goal.k; ++k_a) {
        const Score s = score(*shape, subtree[v].weight, set.total.weight, k_a, goal);
        if (s < best.score) best = {s, static_cast<int>(v), k_a};
      }
    }
    return best;
  }

  // A cut of the given shape leaving side A `weight_a` of `total` for k_a cells.
  Score score(double shape, double weight_a, double total, int k_a, const SplitGoal& goal) const {
    const int k = goal.k;
    const Share& share = goal.shares[static_cast<std::size_t>(k_a)];
    const double balance_weight = even_ ? 1.0 : 0.25;
    Score s;
    s.out_of_band = std::max({0.0, share.lo - weight_a, weight_a - share.hi});
    s.quality = shape +
                balance_weight * std::abs(weight_a - share.ideal) / std::max(share.ideal, 1e-300) +
                0.2 * std::abs(2.0 * k_a - k) / k -
                std::min(room(weight_a, k_a), room(total - weight_a, k - k_a));
    return s;
  }

  // The set's blocks and edges on side A, and on side B; edges across the cut are dropped.
  std::pair<Side, Side> divide(const std::vector<int>& nodes, const std::vector<int>& edge_ids,
                               const std::vector<char>& side_a) const {
    Side a, b;
    for (std::size_t i = 0; i < nodes.size(); ++i) (side_a[i] ? a : b).nodes.push_back(nodes[i]);
    for (int id : edge_ids) {
      const Edge& e = edges_[static_cast<std::size_t>(id)];
      const bool a_in = side_a[static_cast<std::size_t>(loc(e.a))] != 0;
      const bool b_in = side_a[static_cast<std::size_t>(loc(e.b))] != 0;
      if (a_in && b_in) a.edge_ids.push_back(id);
      if (!a_in && !b_in) b.edge_ids.push_back(id);
    }
    return {std::move(a), std::move(b)};
  }

  // How far a side's mean cell weight lies from the band's edges, as a share of the band's
  // width (0.5 in its middle, 0 at an edge or beyond): sides with room can still be cut into
  // cells within the band. A side of one cell needs none.
  double room(double weight, int cells) const {
    if (cells <= 1 || even_) return 0.5;
    const double mean = weight / cells;
    return std::clamp(std::min(mean - min_part_, max_part_ - mean) / (max_part_ - min_part_), 0.0,
                      0.5);
  }

  int loc(int v) const { return local_[static_cast<std::size_t>(v)]; }

  const BlockGraph& g_;
  bool even_;
  double min_part_, max_part_;
  std::mt19937_64 rng_;
  std::vector<Edge> edges_;
  std::vector<int> part_;
  std::vector<int> local_ = std::vector<int>(g_.weight.size(), 0);  // see block_set
  int next_part_ = 0;
};

}  // namespace

std::vector<int> bisect_into_parts(const BlockGraph& graph, int k, double min_part, double max_part,
                                   std::uint64_t seed) {
  Bisector bisector(graph, min_part, max_part, seed);
  return bisector.run(k);
}

}  // namespace libgrid::internal
