#include "partition/tree_bisection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
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

  void split(const std::vector<int>& nodes, const std::vector<int>& edge_ids, int k) {
    if (k <= 1 || nodes.size() == 1) {
      for (int v : nodes) part_[static_cast<std::size_t>(v)] = next_part_;
      ++next_part_;
      return;
    }
    double total = 0.0, area = 0.0;
    for (int v : nodes) {
      total += g_.weight[static_cast<std::size_t>(v)];
      area += g_.area[static_cast<std::size_t>(v)];
    }
    // Side A may take any number k_a of the k cells; even halves are preferred slightly.
    struct Share {
      double lo, hi, ideal;
    };
    std::vector<Share> shares(static_cast<std::size_t>(k));
    for (int k_a = 1; k_a < k; ++k_a) {
      const int k_b = k - k_a;
      Share& s = shares[static_cast<std::size_t>(k_a)];
      s.ideal = total * k_a / k;
      s.lo = std::max(k_a * min_part_, total - k_b * max_part_);
      s.hi = std::min(k_a * max_part_, total - k_b * min_part_);
      if (s.lo > s.hi) s.lo = s.hi = s.ideal;
    }
    const double scale = std::sqrt(std::max(area, 1e-300) / k);
    const double balance_weight = even_ ? 1.0 : 0.25;

    // Local numbering.
    const std::size_t n = nodes.size();
    for (std::size_t i = 0; i < n; ++i)
      local_[static_cast<std::size_t>(nodes[i])] = static_cast<int>(i);
    std::vector<double> w(n), ar(n), per(n), deg(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = static_cast<std::size_t>(nodes[i]);
      w[i] = g_.weight[v];
      ar[i] = g_.area[v];
      per[i] = g_.perimeter[v];
    }
    for (int id : edge_ids) {
      const Edge& e = edges_[static_cast<std::size_t>(id)];
      deg[static_cast<std::size_t>(loc(e.a))] += e.length;
      deg[static_cast<std::size_t>(loc(e.b))] += e.length;
    }
    double total_per = 0.0, total_deg = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      total_per += per[i];
      total_deg += deg[i];
    }

    const int trials = n > 500 ? 16 : 32;
    Score best;
    int best_k_a = k / 2;
    std::vector<char> best_side;  // 1 for side A
    // A random spanning tree per trial: Kruskal over random keys, edges mostly along barriers
    // (off_barrier under half their length) after the rest, island joins last.
    BlockAdjacency graph(n);
    for (std::size_t i = 0; i < edge_ids.size(); ++i) {
      const Edge& e = edges_[static_cast<std::size_t>(edge_ids[i])];
      boost::add_edge(loc(e.a), loc(e.b), static_cast<int>(i), graph);
    }
    std::vector<double> keys(edge_ids.size());
    const auto key_of =
        boost::make_iterator_property_map(keys.begin(), boost::get(boost::edge_index, graph));
    std::vector<BlockAdjacency::edge_descriptor> spanning;
    std::vector<std::vector<std::pair<int, int>>> tree(n);
    std::vector<int> up(n), depth(n), order;
    std::vector<double> sw(n), sa(n), sp(n), sd(n), cut(n), cut_off(n);
    for (int t = 0; t < trials; ++t) {
      for (std::size_t i = 0; i < edge_ids.size(); ++i) {
        const Edge& e = edges_[static_cast<std::size_t>(edge_ids[i])];
        keys[i] = random_unit() + (e.off_barrier < 0.5 * e.length ? 1.0 : 0.0) +
                  (e.joins_islands ? 2.0 : 0.0);
      }
      spanning.clear();
      boost::kruskal_minimum_spanning_tree(graph, std::back_inserter(spanning),
                                           boost::weight_map(key_of));
      for (auto& adj : tree) adj.clear();
      for (const BlockAdjacency::edge_descriptor& edge : spanning) {
        const int id =
            edge_ids[static_cast<std::size_t>(boost::get(boost::edge_index, graph, edge))];
        const auto a = static_cast<int>(boost::source(edge, graph));
        const auto b = static_cast<int>(boost::target(edge, graph));
        tree[static_cast<std::size_t>(a)].push_back({b, id});
        tree[static_cast<std::size_t>(b)].push_back({a, id});
      }
      // Root at 0; order parents before children.
      order.clear();
      up.assign(n, -1);
      depth.assign(n, 0);
      order.push_back(0);
      up[0] = 0;
      for (std::size_t i = 0; i < order.size(); ++i) {
        const int v = order[i];
        for (const auto& [u, id] : tree[static_cast<std::size_t>(v)]) {
          if (up[static_cast<std::size_t>(u)] != -1) continue;
          up[static_cast<std::size_t>(u)] = v;
          depth[static_cast<std::size_t>(u)] = depth[static_cast<std::size_t>(v)] + 1;
          order.push_back(u);
        }
      }
      // An edge (a, b) is cut by every tree edge on the tree path a..b: add at both ends,
      // subtract twice at their lowest common ancestor, and sum over subtrees.
      std::fill(cut.begin(), cut.end(), 0.0);
      std::fill(cut_off.begin(), cut_off.end(), 0.0);
      for (int id : edge_ids) {
        const Edge& e = edges_[static_cast<std::size_t>(id)];
        int a = loc(e.a), b = loc(e.b);
        const int ea = a, eb = b;
        while (depth[static_cast<std::size_t>(a)] > depth[static_cast<std::size_t>(b)])
          a = up[static_cast<std::size_t>(a)];
        while (depth[static_cast<std::size_t>(b)] > depth[static_cast<std::size_t>(a)])
          b = up[static_cast<std::size_t>(b)];
        while (a != b) {
          a = up[static_cast<std::size_t>(a)];
          b = up[static_cast<std::size_t>(b)];
        }
        cut[static_cast<std::size_t>(ea)] += e.length;
        cut[static_cast<std::size_t>(eb)] += e.length;
        cut[static_cast<std::size_t>(a)] -= 2 * e.length;
        cut_off[static_cast<std::size_t>(ea)] += e.off_barrier;
        cut_off[static_cast<std::size_t>(eb)] += e.off_barrier;
        cut_off[static_cast<std::size_t>(a)] -= 2 * e.off_barrier;
      }
      sw = w;
      sa = ar;
      sp = per;
      sd = deg;
      for (std::size_t i = order.size(); i-- > 1;) {
        const auto v = static_cast<std::size_t>(order[i]);
        const auto p = static_cast<std::size_t>(up[v]);
        sw[p] += sw[v];
        sa[p] += sa[v];
        sp[p] += sp[v];
        sd[p] += sd[v];
        cut[p] += cut[v];
        cut_off[p] += cut_off[v];
      }
      int best_here = -1;
      Score best_score = best;
      for (std::size_t i = 1; i < order.size(); ++i) {
        const auto v = static_cast<std::size_t>(order[i]);
        const double per_sub = sp[v] - sd[v] + cut[v];
        const double per_rest = (total_per - sp[v]) - (total_deg - sd[v]) + cut[v];
        const double area_sub = sa[v], area_rest = area - sa[v];
        if (area_sub <= 0 || area_rest <= 0 || per_sub <= 0 || per_rest <= 0) continue;
        const double roundness = 0.5 * (per_sub * per_sub / (4 * std::numbers::pi * area_sub) +
                                        per_rest * per_rest / (4 * std::numbers::pi * area_rest));
        const double off = 0.5 * cut_off[v] / scale;
        // Side A is the subtree, taking k_a cells.
        const double wa = sw[v];
        for (int k_a = 1; k_a < k; ++k_a) {
          const Share& share = shares[static_cast<std::size_t>(k_a)];
          Score s;
          s.out_of_band = std::max({0.0, share.lo - wa, wa - share.hi});
          s.quality = roundness + off +
                      balance_weight * std::abs(wa - share.ideal) / std::max(share.ideal, 1e-300) +
                      0.2 * std::abs(2.0 * k_a - k) / k -
                      std::min(room(wa, k_a), room(total - wa, k - k_a));
          if (s < best_score) {
            best_score = s;
            best_here = static_cast<int>(v);
            best_k_a = k_a;
          }
        }
      }
      if (best_here >= 0) {
        best = best_score;
        // Side A: the subtree of best_here, or the rest.
        best_side.assign(n, 0);
        std::vector<int> stack{best_here};
        best_side[static_cast<std::size_t>(best_here)] = 1;
        while (!stack.empty()) {
          const int v = stack.back();
          stack.pop_back();
          for (const auto& [u, id] : tree[static_cast<std::size_t>(v)]) {
            if (u == up[static_cast<std::size_t>(v)]) continue;
            best_side[static_cast<std::size_t>(u)] = 1;
            stack.push_back(u);
          }
        }
      }
    }
    if (best_side.empty()) {  // no tree edge leaves two sides of any area: keep S whole
      for (int v : nodes) part_[static_cast<std::size_t>(v)] = next_part_;
      ++next_part_;
      return;
    }
    std::vector<int> side_a, side_b, edges_a, edges_b;
    for (std::size_t i = 0; i < n; ++i) (best_side[i] ? side_a : side_b).push_back(nodes[i]);
    for (int id : edge_ids) {
      const Edge& e = edges_[static_cast<std::size_t>(id)];
      const bool a_in = best_side[static_cast<std::size_t>(loc(e.a))] != 0;
      const bool b_in = best_side[static_cast<std::size_t>(loc(e.b))] != 0;
      if (a_in && b_in) edges_a.push_back(id);
      if (!a_in && !b_in) edges_b.push_back(id);
    }
    const int k_a = best_k_a;
    split(side_a, edges_a, k_a);
    split(side_b, edges_b, k - k_a);
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
  std::vector<int> local_ = std::vector<int>(g_.weight.size(), 0);
  int next_part_ = 0;
};

}  // namespace

std::vector<int> bisect_into_parts(const BlockGraph& graph, int k, double min_part, double max_part,
                                   std::uint64_t seed) {
  Bisector bisector(graph, min_part, max_part, seed);
  return bisector.run(k);
}

}  // namespace libgrid::internal
