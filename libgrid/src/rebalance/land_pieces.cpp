#include "rebalance/land_pieces.h"

#include <algorithm>
#include <map>
#include <utility>

#include "partition/face_locator.h"

namespace libgrid::internal {

LandLayout lay_out_land(const GeosContext& geos, const LandSource& source, const LandLines& land) {
  LandLayout layout;
  layout.faces = build_faces(geos, land.regions, land.lines, land.barriers, land.tolerance);
  const std::size_t n = layout.faces.size();
  layout.owner.assign(n, kNoCell);
  layout.child.assign(n, kNoCell);
  for (std::size_t f = 0; f < n; ++f) {
    const CellGroup& g = source.groups[static_cast<std::size_t>(layout.faces.parent[f])];
    const CellId holder = source.index.lookup_level(layout.faces.inside[f], source.level);
    if (std::find(g.movable.begin(), g.movable.end(), holder) != g.movable.end()) {
      layout.owner[f] = holder;
    } else {  // rounding at an edge: the movable cell overlapping it most
      double best = -1.0;
      for (CellId id : g.movable) {
        const double a = geos.intersection_area(*geos.to_geos(source.grids.cell(id).geometry),
                                                *layout.faces.geometry[f]);
        if (a > best) {
          best = a;
          layout.owner[f] = id;
        }
      }
    }
    if (source.has_finer) {
      const CellId c = source.index.lookup_level(layout.faces.inside[f], source.level + 1);
      if (c != kNoCell && source.grids.cell(c).parent == layout.owner[f]) layout.child[f] = c;
    }
  }
  FaceUnits held = weigh_faces(geos, layout.faces, source.units, source.units_of_group);
  layout.weight = std::move(held.weight);
  layout.units = std::move(held.units);
  return layout;
}

namespace {

struct FaceKeys {
  std::vector<long> key;   // faces of one key make one piece
  std::vector<char> main;  // the face decided its key itself (not a sliver that joined)
};

// What each face of a group goes with: its finer cell, or at the finest level itself. A face in
// no finer cell, or a sliver thinner than `sliver_width` (where the finer cells' edges do not
// quite meet), goes with the piece it shares most boundary with, of its own cell if it can.

FaceKeys face_keys(const LandLayout& layout, std::size_t first, std::size_t last,
                   double sliver_width) {
  std::vector<long> key(last - first, -1);
  bool has_children = false;
  for (std::size_t f = first; f < last; ++f) has_children |= layout.child[f] != kNoCell;
  for (std::size_t f = first; f < last; ++f) {
    if (2 * layout.faces.area[f] < sliver_width * layout.faces.perimeter[f]) continue;
    if (!has_children) {
      key[f - first] = static_cast<long>(f);
    } else if (layout.child[f] != kNoCell) {
      key[f - first] = layout.child[f];
    }
  }
  std::vector<char> main(key.size(), 0);
  for (std::size_t i = 0; i < key.size(); ++i) main[i] = key[i] >= 0 ? 1 : 0;
  for (const bool same_cell : {true, false}) {
    for (bool changed = true; changed;) {
      changed = false;
      std::vector<double> best(key.size(), 0.0);
      std::vector<long> found(key.size(), -1);
      for (const FaceAdjacency& e : layout.faces.adjacency) {
        const auto a = static_cast<std::size_t>(e.a), b = static_cast<std::size_t>(e.b);
        if (a < first || a >= last || b < first || b >= last) continue;
        if (same_cell && layout.owner[a] != layout.owner[b]) continue;
        for (const auto& [lone, other] : {std::pair{a, b}, std::pair{b, a}}) {
          const std::size_t i = lone - first, j = other - first;
          if (key[i] >= 0 || key[j] < 0 || e.length <= best[i]) continue;
          best[i] = e.length;
          found[i] = key[j];
        }
      }
      for (std::size_t i = 0; i < key.size(); ++i) {
        if (key[i] < 0 && found[i] >= 0) {
          key[i] = found[i];
          changed = true;
        }
      }
    }
  }
  // A face touching no other face stays a piece of its own.
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] >= 0) continue;
    key[i] = -2 - static_cast<long>(i);
    main[i] = 1;
  }
  return {key, main};
}

}  // namespace

GroupPieces make_group_pieces(const LandLayout& layout, const CellGroup& group,
                              std::size_t group_index, double sliver_width) {
  GroupPieces pieces;
  const std::size_t first = layout.faces.first_of_parent[group_index];
  const std::size_t last = layout.faces.first_of_parent[group_index + 1];
  const FaceKeys keys = face_keys(layout, first, last, sliver_width);
  std::map<long, int> piece_of_key;
  std::vector<int> piece_of(last - first, -1);
  // Pieces are made from their main faces first, so that a piece starts in their cell.
  for (const bool main_faces : {true, false}) {
    for (std::size_t f = first; f < last; ++f) {
      if ((keys.main[f - first] != 0) != main_faces) continue;
      const auto [it, added] =
          piece_of_key.try_emplace(keys.key[f - first], static_cast<int>(pieces.faces.size()));
      const int piece = it->second;
      if (added) {
        pieces.faces.emplace_back();
        pieces.child.push_back(layout.child[f]);
        const auto slot = std::find(group.movable.begin(), group.movable.end(), layout.owner[f]) -
                          group.movable.begin();
        pieces.graph.owner.push_back(static_cast<int>(slot));
        pieces.graph.blocks.weight.push_back(0.0);
        pieces.graph.blocks.area.push_back(0.0);
        pieces.graph.blocks.perimeter.push_back(0.0);
        pieces.graph.blocks.inside.push_back(layout.faces.inside[f]);
      }
      piece_of[f - first] = piece;
      const auto up = static_cast<std::size_t>(piece);
      pieces.faces[up].push_back(f);
      pieces.graph.blocks.weight[up] += layout.weight[f];
      pieces.graph.blocks.area[up] += layout.faces.area[f];
      pieces.graph.blocks.perimeter[up] += layout.faces.perimeter[f];
    }
  }
  std::map<std::pair<int, int>, FaceAdjacency> shared;
  for (const FaceAdjacency& e : layout.faces.adjacency) {
    const auto a = static_cast<std::size_t>(e.a), b = static_cast<std::size_t>(e.b);
    if (a < first || a >= last || b < first || b >= last) continue;
    const int pa = piece_of[a - first], pb = piece_of[b - first];
    if (pa == pb) {  // inside one finer cell: not part of its perimeter
      pieces.graph.blocks.perimeter[static_cast<std::size_t>(pa)] -= 2 * e.length;
      continue;
    }
    FaceAdjacency& s = shared[{std::min(pa, pb), std::max(pa, pb)}];
    s.a = std::min(pa, pb);
    s.b = std::max(pa, pb);
    s.length += e.length;
    s.barrier_length += e.barrier_length;
  }
  for (const auto& [key, e] : shared) pieces.graph.blocks.edges.push_back(e);
  pieces.graph.cells = static_cast<int>(group.movable.size());
  pieces.region_parts =
      components_per_cell(pieces.graph, std::vector<int>(pieces.faces.size(), 0), 1).front();
  return pieces;
}

}  // namespace libgrid::internal
