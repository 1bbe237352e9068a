#include "partition/contiguity.h"

#include <algorithm>
#include <map>

namespace libgrid::internal {

void make_parts_contiguous(const FaceSet& faces, const std::vector<double>& face_weight,
                           std::vector<int>& part) {
  std::vector<std::vector<std::pair<int, double>>> next(faces.size());
  for (const FaceAdjacency& e : faces.adjacency) {
    next[static_cast<std::size_t>(e.a)].push_back({e.b, e.length});
    next[static_cast<std::size_t>(e.b)].push_back({e.a, e.length});
  }
  for (std::size_t p = 0; p + 1 < faces.first_of_parent.size(); ++p) {
    const std::size_t first = faces.first_of_parent[p], last = faces.first_of_parent[p + 1];
    for (int round = 0; round < 8; ++round) {
      // Pieces: connected faces of one cell.
      std::vector<int> piece(faces.size(), -1);
      struct Piece {
        int cell;
        double weight = 0.0, area = 0.0;
        std::vector<int> faces{};
      };
      std::vector<Piece> pieces;
      for (std::size_t f = first; f < last; ++f) {
        if (piece[f] >= 0) continue;
        Piece made{.cell = part[f]};
        std::vector<int> stack{static_cast<int>(f)};
        piece[f] = static_cast<int>(pieces.size());
        while (!stack.empty()) {
          const int v = stack.back();
          stack.pop_back();
          made.faces.push_back(v);
          made.weight += face_weight[static_cast<std::size_t>(v)];
          made.area += faces.area[static_cast<std::size_t>(v)];
          for (const auto& [u, length] : next[static_cast<std::size_t>(v)]) {
            if (piece[static_cast<std::size_t>(u)] >= 0 ||
                part[static_cast<std::size_t>(u)] != made.cell) {
              continue;
            }
            piece[static_cast<std::size_t>(u)] = static_cast<int>(pieces.size());
            stack.push_back(u);
          }
        }
        pieces.push_back(std::move(made));
      }
      // The main piece of each cell.
      std::map<int, std::size_t> main;
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        const auto [it, added] = main.try_emplace(pieces[i].cell, i);
        const Piece& best = pieces[it->second];
        if (!added && (pieces[i].weight > best.weight ||
                       (pieces[i].weight == best.weight && pieces[i].area > best.area))) {
          it->second = i;
        }
      }
      bool moved = false;
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (main[pieces[i].cell] == i) continue;
        std::map<int, double> shared;
        for (int v : pieces[i].faces) {
          for (const auto& [u, length] : next[static_cast<std::size_t>(v)]) {
            const int other = part[static_cast<std::size_t>(u)];
            if (other != pieces[i].cell) shared[other] += length;
          }
        }
        if (shared.empty()) continue;  // an island: nothing to join
        const int to =
            std::max_element(shared.begin(), shared.end(), [](const auto& a, const auto& b) {
              return a.second < b.second;
            })->first;
        for (int v : pieces[i].faces) part[static_cast<std::size_t>(v)] = to;
        moved = true;
      }
      if (!moved) break;
    }
  }
}

}  // namespace libgrid::internal
