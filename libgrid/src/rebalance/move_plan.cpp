#include "rebalance/move_plan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace libgrid::internal {
namespace {

constexpr double kNoCap = std::numeric_limits<double>::infinity();
// Zero-weight pieces moved in one transfer to open a way to the households behind them.
constexpr int kMaxEmptyPieces = 32;
// Cells out of band tried as targets of one push before the cell is given up.
constexpr std::size_t kTargetsTried = 8;

std::uint64_t cell_seed(std::uint64_t seed, int cell) {
  return (seed + 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL ^
         static_cast<std::uint64_t>(cell) * 0x94d049bb133111ebULL;
}

using Adjacency = std::vector<std::vector<std::pair<int, double>>>;

Adjacency adjacency_lists(const BlockGraph& g) {
  Adjacency adjacent(g.weight.size());
  for (const FaceAdjacency& e : g.edges) {
    adjacent[static_cast<std::size_t>(e.a)].push_back({e.b, e.length});
    adjacent[static_cast<std::size_t>(e.b)].push_back({e.a, e.length});
  }
  return adjacent;
}

// Connected groups of the pieces `owner` gives to `cell`, leaving out piece `skip`.
int count_components(const Adjacency& adjacent, const std::vector<int>& owner, int cell, int skip) {
  std::vector<char> seen(owner.size(), 0);
  int count = 0;
  std::vector<int> stack;
  for (std::size_t p = 0; p < owner.size(); ++p) {
    if (owner[p] != cell || static_cast<int>(p) == skip || seen[p]) continue;
    ++count;
    seen[p] = 1;
    stack.push_back(static_cast<int>(p));
    while (!stack.empty()) {
      const auto at = static_cast<std::size_t>(stack.back());
      stack.pop_back();
      for (const auto& [q, length] : adjacent[at]) {
        const auto uq = static_cast<std::size_t>(q);
        if (seen[uq] || owner[uq] != cell || q == skip) continue;
        seen[uq] = 1;
        stack.push_back(q);
      }
    }
  }
  return count;
}

class Planner {
 public:
  Planner(const PieceGraph& graph, double lo, double hi, std::uint64_t seed)
      : g_(graph.blocks), lo_(lo), hi_(hi), seed_(seed), owner_(graph.owner) {
    slack_ = 1e-9 * std::max(1.0, hi);
    adjacent_ = adjacency_lists(g_);
    weight_.assign(static_cast<std::size_t>(graph.cells), 0.0);
    alive_.assign(static_cast<std::size_t>(graph.cells), false);
    for (std::size_t p = 0; p < owner_.size(); ++p) {
      weight_[static_cast<std::size_t>(owner_[p])] += g_.weight[p];
      alive_[static_cast<std::size_t>(owner_[p])] = true;
    }
    for (double w : g_.weight) total_ += w;
  }

  MovePlan run() {
    // Where no number of cells fits the band, any change would be for nothing.
    if (fewest() > most()) return {owner_, alive_};
    merge_light_cells();
    split_heavy_cells();
    balance();
    return {owner_, alive_};
  }

 private:
  int cells() const { return static_cast<int>(weight_.size()); }
  double& weight(int c) { return weight_[static_cast<std::size_t>(c)]; }
  bool alive(int c) const { return alive_[static_cast<std::size_t>(c)]; }
  int alive_count() const {
    return static_cast<int>(std::count(alive_.begin(), alive_.end(), true));
  }

  double violation(int c) const {
    const double w = weight_[static_cast<std::size_t>(c)];
    return std::max({0.0, w - hi_, lo_ - w});
  }
  double total_violation() const {
    double v = 0.0;
    for (int c = 0; c < cells(); ++c) {
      if (alive(c)) v += violation(c);
    }
    return v;
  }
  // The fewest and most cells whose mean weight lies in the band.
  double fewest() const { return std::max(1.0, std::ceil(total_ / hi_ - 1e-9)); }
  double most() const { return lo_ > 0 ? std::floor(total_ / lo_ + 1e-9) : kNoCap; }

  // Neighbouring cells of `c` and the boundary length shared with each.
  std::map<int, double> neighbours(int c) const {
    std::map<int, double> result;
    for (std::size_t p = 0; p < owner_.size(); ++p) {
      if (owner_[p] != c) continue;
      for (const auto& [q, length] : adjacent_[p]) {
        const int o = owner_[static_cast<std::size_t>(q)];
        if (o != c) result[o] += length;
      }
    }
    return result;
  }

  int components(int c, int skip = -1) const {
    return count_components(adjacent_, owner_, c, skip);
  }

  void move_all(int from, int to) {
    for (int& o : owner_) {
      if (o == from) o = to;
    }
    weight(to) += weight(from);
    weight(from) = 0.0;
    alive_[static_cast<std::size_t>(from)] = false;
  }

  // A cell too light to stand alone merges into a neighbour where that moves fewer households
  // than filling it from its neighbours, or where nothing else can bring it into the band.
  void merge_light_cells() {
    for (bool merged = true; merged;) {
      merged = false;
      std::vector<int> light;
      for (int c = 0; c < cells(); ++c) {
        if (alive(c) && weight(c) < lo_ - slack_) light.push_back(c);
      }
      std::stable_sort(light.begin(), light.end(), [&](int a, int b) {
        return weight_[static_cast<std::size_t>(a)] < weight_[static_cast<std::size_t>(b)];
      });
      for (int c : light) {
        if (alive_count() - 1 < fewest()) return;
        const std::map<int, double> near = neighbours(c);
        if (near.empty()) continue;
        double to_spare = 0.0;
        for (const auto& [n, length] : near) to_spare += std::max(0.0, weight(n) - lo_);
        const double fill_cost = lo_ - weight(c);
        const bool must = alive_count() > most();
        if (!must && to_spare >= fill_cost && weight(c) > fill_cost) continue;
        // The neighbour with room sharing most boundary, else the lightest.
        int target = -1;
        double best = -1.0;
        for (const auto& [n, length] : near) {
          if (weight(n) + weight(c) > hi_ + slack_) continue;
          const bool tie = target >= 0 && std::abs(length - best) <= 1e-9 * best;
          if (tie ? weight(n) < weight(target) : length > best) {
            best = length;
            target = n;
          }
        }
        if (target < 0) {
          for (const auto& [n, length] : near) {
            if (target < 0 || weight(n) < weight(target)) target = n;
          }
        }
        move_all(c, target);
        merged = true;
        break;
      }
    }
  }

  // A cell whose excess its neighbours cannot absorb, or any heavy cell while the parent has
  // too few cells, splits into cells within the band; the part with most of its area keeps it.
  void split_heavy_cells() {
    std::vector<int> heavy;
    for (int c = 0; c < cells(); ++c) {
      if (alive(c) && weight(c) > hi_ + slack_) heavy.push_back(c);
    }
    std::stable_sort(heavy.begin(), heavy.end(), [&](int a, int b) {
      return weight_[static_cast<std::size_t>(a)] > weight_[static_cast<std::size_t>(b)];
    });
    for (int c : heavy) {
      // A split must give cells within the band: 560 in 300..500 cannot split.
      if (lo_ > 0 && std::ceil(weight(c) / hi_ - 1e-9) > std::floor(weight(c) / lo_ + 1e-9)) {
        continue;
      }
      double room = 0.0;
      for (const auto& [n, length] : neighbours(c)) room += std::max(0.0, hi_ - weight(n));
      if (room >= weight(c) - hi_ && alive_count() >= fewest()) continue;
      split(c);
    }
  }

  void split(int c) {
    const double w = weight(c);
    const double fewest_parts = std::ceil(w / hi_ - 1e-9);
    const double most_parts = lo_ > 0 ? std::max(fewest_parts, std::floor(w / lo_ + 1e-9)) : w;
    const int k = static_cast<int>(
        std::max(2.0, std::clamp(std::round(w / (0.5 * (lo_ + hi_))), fewest_parts, most_parts)));
    std::vector<int> pieces;
    std::vector<int> local(owner_.size(), -1);
    for (std::size_t p = 0; p < owner_.size(); ++p) {
      if (owner_[p] != c) continue;
      local[p] = static_cast<int>(pieces.size());
      pieces.push_back(static_cast<int>(p));
    }
    if (pieces.size() < 2) return;
    BlockGraph sub;
    for (int p : pieces) {
      const auto up = static_cast<std::size_t>(p);
      sub.weight.push_back(g_.weight[up]);
      sub.area.push_back(g_.area[up]);
      sub.perimeter.push_back(g_.perimeter[up]);
      sub.inside.push_back(g_.inside[up]);
    }
    for (const FaceAdjacency& e : g_.edges) {
      const int a = local[static_cast<std::size_t>(e.a)];
      const int b = local[static_cast<std::size_t>(e.b)];
      if (a < 0 || b < 0) continue;
      FaceAdjacency local_edge = e;
      local_edge.a = std::min(a, b);
      local_edge.b = std::max(a, b);
      sub.edges.push_back(local_edge);
    }
    const std::vector<int> part = bisect_into_parts(sub, k, lo_, hi_, cell_seed(seed_, c));
    const int made = *std::max_element(part.begin(), part.end()) + 1;
    if (made < 2) return;
    std::vector<double> part_area(static_cast<std::size_t>(made), 0.0);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      part_area[static_cast<std::size_t>(part[i])] += sub.area[i];
    }
    const auto keeper =
        static_cast<int>(std::max_element(part_area.begin(), part_area.end()) - part_area.begin());
    std::vector<int> cell_of_part(static_cast<std::size_t>(made), c);
    for (int q = 0; q < made; ++q) {
      if (q == keeper) continue;
      cell_of_part[static_cast<std::size_t>(q)] = cells();
      weight_.push_back(0.0);
      alive_.push_back(true);
    }
    weight(c) = 0.0;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const int to = cell_of_part[static_cast<std::size_t>(part[i])];
      owner_[static_cast<std::size_t>(pieces[i])] = to;
      weight(to) += sub.weight[i];
    }
  }

  // Moves pieces of `from` along its boundary with `to`, covering `amount` with the least
  // overshoot, keeping `from` at or above the band's minimum, `to` at or below `cap`, and
  // `from` in no more parts than it was. Returns the weight moved.
  double transfer(int from, int to, double amount, double cap) {
    const int parts = components(from);
    std::vector<char> excluded(owner_.size(), 0);
    double moved = 0.0;
    int empty_moved = 0;
    while (moved < amount - slack_) {
      const double remaining = amount - moved;
      int best = -1, best_empty = -1;
      bool best_fits = false;
      double best_score = 0.0, best_empty_length = 0.0;
      for (std::size_t p = 0; p < owner_.size(); ++p) {
        if (owner_[p] != from || excluded[p]) continue;
        double to_length = 0.0, from_length = 0.0;
        for (const auto& [q, length] : adjacent_[p]) {
          const int o = owner_[static_cast<std::size_t>(q)];
          if (o == to) to_length += length;
          if (o == from) from_length += length;
        }
        if (to_length <= 0) continue;
        const double w = g_.weight[p];
        if (w <= 0) {
          if (to_length > best_empty_length) {
            best_empty_length = to_length;
            best_empty = static_cast<int>(p);
          }
          continue;
        }
        if (weight(from) - w < lo_ - slack_ || weight(to) + w > cap + slack_) continue;
        const bool fits = w <= remaining + slack_;
        // Fitting pieces: the heaviest; otherwise the lightest; then the most compact move.
        const double score =
            (fits ? w : -w) * 1e6 + (to_length - from_length) / std::max(1e-300, g_.perimeter[p]);
        if (best < 0 || (fits && !best_fits) || (fits == best_fits && score > best_score)) {
          best = static_cast<int>(p);
          best_fits = fits;
          best_score = score;
        }
      }
      int chosen = best;
      if (chosen < 0) {
        if (best_empty < 0 || empty_moved >= kMaxEmptyPieces) break;
        chosen = best_empty;
      }
      if (components(from, chosen) > parts || std::count(owner_.begin(), owner_.end(), from) <= 1) {
        excluded[static_cast<std::size_t>(chosen)] = 1;
        continue;
      }
      const double w = g_.weight[static_cast<std::size_t>(chosen)];
      owner_[static_cast<std::size_t>(chosen)] = to;
      weight(from) -= w;
      weight(to) += w;
      moved += w;
      if (w <= 0) ++empty_moved;
    }
    return moved;
  }

  // Cells adjacent to each cell.
  std::vector<std::map<int, double>> cell_graph() const {
    std::vector<std::map<int, double>> graph(static_cast<std::size_t>(cells()));
    for (const FaceAdjacency& e : g_.edges) {
      const int a = owner_[static_cast<std::size_t>(e.a)];
      const int b = owner_[static_cast<std::size_t>(e.b)];
      if (a == b) continue;
      graph[static_cast<std::size_t>(a)][b] += e.length;
      graph[static_cast<std::size_t>(b)][a] += e.length;
    }
    return graph;
  }

  // Pushes `amount` along `path` (giver first): each cell passes on what it received.
  void push(const std::vector<int>& path, double amount) {
    std::vector<double> before(weight_);
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      const int from = path[i];
      const double need = i == 0 ? amount : weight(from) - before[static_cast<std::size_t>(from)];
      if (need <= slack_) break;
      const bool last = i + 2 == path.size();
      // The cell that gains last must stay in band; one that was short may fill to the top.
      // NOLINTNEXTLINE(bugprone-narrowing-conversions): clang-tidy 14 takes infinity for narrowing.
      transfer(from, path[i + 1], need, last ? hi_ : kNoCap);
    }
  }

  // Brings each cell still out of band into it through chains of neighbours.
  void balance() {
    std::vector<char> stuck(static_cast<std::size_t>(cells()), 0);
    const int rounds = 8 * cells() + 64;
    for (int round = 0; round < rounds; ++round) {
      int s = -1;
      for (int c = 0; c < cells(); ++c) {
        if (!alive(c) || stuck[static_cast<std::size_t>(c)] || violation(c) <= slack_) continue;
        if (s < 0 || violation(c) > violation(s)) s = c;
      }
      if (s < 0) return;
      const bool excess = weight(s) > hi_;
      const auto graph = cell_graph();
      // Breadth-first from s; cells with room (excess) or to spare (shortfall) are targets.
      std::vector<int> via(static_cast<std::size_t>(cells()), -2);
      std::vector<int> order{s};
      via[static_cast<std::size_t>(s)] = -1;
      for (std::size_t i = 0; i < order.size(); ++i) {
        for (const auto& [n, length] : graph[static_cast<std::size_t>(order[i])]) {
          if (via[static_cast<std::size_t>(n)] != -2) continue;
          via[static_cast<std::size_t>(n)] = order[i];
          order.push_back(n);
        }
      }
      auto capacity = [&](int c) { return excess ? hi_ - weight(c) : weight(c) - lo_; };
      // Nearest first, then the one with the most room (or most to spare).
      std::vector<int> depth(static_cast<std::size_t>(cells()), 0);
      std::vector<int> targets;
      for (std::size_t i = 1; i < order.size(); ++i) {
        const auto c = static_cast<std::size_t>(order[i]);
        depth[c] = depth[static_cast<std::size_t>(via[c])] + 1;
        if (capacity(order[i]) > slack_) targets.push_back(order[i]);
      }
      std::stable_sort(targets.begin(), targets.end(), [&](int a, int b) {
        const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
        if (depth[ua] != depth[ub]) return depth[ua] < depth[ub];
        return capacity(a) > capacity(b);
      });
      const double before = total_violation();
      bool progress = false;
      for (std::size_t t = 0; t < targets.size() && t < kTargetsTried && !progress; ++t) {
        std::vector<int> path;
        for (int c = targets[t]; c != -1; c = via[static_cast<std::size_t>(c)]) path.push_back(c);
        if (excess) std::reverse(path.begin(), path.end());  // s first, giving
        const std::vector<int> owner_before = owner_;
        const std::vector<double> weight_before = weight_;
        push(path, std::min(violation(s), capacity(targets[t])));
        if (total_violation() < before - slack_) {
          progress = true;
        } else {
          owner_ = owner_before;
          weight_ = weight_before;
        }
      }
      if (!progress) stuck[static_cast<std::size_t>(s)] = 1;
    }
  }

  const BlockGraph& g_;
  double lo_, hi_;
  std::uint64_t seed_;
  double slack_ = 0.0;
  double total_ = 0.0;
  std::vector<int> owner_;
  Adjacency adjacent_;
  std::vector<double> weight_;
  std::vector<bool> alive_;
};

}  // namespace

MovePlan plan_moves(const PieceGraph& graph, double min_weight, double max_weight,
                    std::uint64_t seed) {
  return Planner(graph, min_weight, max_weight, seed).run();
}

std::vector<int> components_per_cell(const PieceGraph& graph, const std::vector<int>& owner,
                                     int cells) {
  const Adjacency adjacent = adjacency_lists(graph.blocks);
  std::vector<int> count(static_cast<std::size_t>(cells), 0);
  std::vector<char> seen(owner.size(), 0);
  std::vector<std::size_t> stack;
  for (std::size_t p = 0; p < owner.size(); ++p) {
    if (seen[p]) continue;
    const int cell = owner[p];
    ++count[static_cast<std::size_t>(cell)];
    seen[p] = 1;
    stack.push_back(p);
    while (!stack.empty()) {
      const std::size_t at = stack.back();
      stack.pop_back();
      for (const auto& [q, length] : adjacent[at]) {
        const auto uq = static_cast<std::size_t>(q);
        if (seen[uq] || owner[uq] != cell) continue;
        seen[uq] = 1;
        stack.push_back(uq);
      }
    }
  }
  return count;
}

}  // namespace libgrid::internal
