#include "libgrid/rebalance/rebalance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/codes/grid_code.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "partition/face_locator.h"
#include "partition/face_set.h"
#include "partition/weighted_cuts.h"
#include "rebalance/move_plan.h"

namespace libgrid {

std::string_view to_string(RebalanceStatus status) {
  switch (status) {
    case RebalanceStatus::kKept:
      return "kept";
    case RebalanceStatus::kNew:
      return "new";
    case RebalanceStatus::kRetired:
      return "retired";
    case RebalanceStatus::kLocked:
      return "locked";
  }
  return "kept";
}

namespace {

using internal::FaceLocator;
using internal::FaceSet;
using internal::GeosContext;

// How far the cells of a parent may cover more or less than it (share of its area) before the
// level is called broken: rounding, never a real gap or overlap.
constexpr double kCoverTolerance = 1e-6;
// Pieces of the cells that change are cut down to this share of the band's width.
constexpr double kPieceShareOfBand = 1.0 / 16;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::kInvalidInput, what); }

std::string number(double v) { return internal::short_number_text(v); }

void check_options(const GridSet& grids, const std::vector<Unit>& units,
                   const std::vector<Barrier>& barriers, const RebalanceOptions& o) {
  if (grids.level_index(o.level) < 0) bad("no level '" + o.level + "' in the grid set");
  if (!std::isfinite(o.min_weight) || !std::isfinite(o.max_weight) || o.min_weight < 0) {
    bad("the band's MIN and MAX must be finite and not negative");
  }
  if (o.min_weight > o.max_weight) {
    bad("empty band: MIN " + number(o.min_weight) + " is above MAX " + number(o.max_weight));
  }
  if (o.max_weight <= 0) bad("the band's MAX must be above 0");
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!std::isfinite(u.location.x) || !std::isfinite(u.location.y)) {
      bad("unit " + std::to_string(i + 1) + " has no finite location");
    }
    if (!std::isfinite(u.weight) || u.weight < 0) {
      bad("unit " + std::to_string(i + 1) + " has weight " + number(u.weight) +
          ": weights must be finite and not negative");
    }
  }
  for (std::size_t i = 0; i < barriers.size(); ++i) {
    if (barriers[i].size() < 2) {
      bad("barrier " + std::to_string(i + 1) + " is not a line (fewer than 2 points)");
    }
    for (const Point& p : barriers[i]) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        bad("barrier " + std::to_string(i + 1) + " has a coordinate that is not finite");
      }
    }
  }
}

// The cells named by `codes`, each required to be of `level`.
std::set<CellId> cells_named(const GridSet& grids, const std::vector<std::string>& codes, int level,
                             const std::string& what) {
  std::set<CellId> result;
  for (const std::string& code : codes) {
    const CellId id = grids.find(code);
    if (id == kNoCell) bad(what + ": no cell with code '" + code + "'");
    const int at = grids.cell(id).level;
    if (at != level) {
      bad(what + ": cell '" + code + "' is of level '" +
          grids.levels()[static_cast<std::size_t>(at)] + "', not '" +
          grids.levels()[static_cast<std::size_t>(level)] + "'");
    }
    result.insert(id);
  }
  return result;
}

// The cells of the level under one parent (kNoCell at the coarsest level).
struct Group {
  CellId parent = kNoCell;
  std::vector<CellId> cells;    // all of them, in id order
  std::vector<CellId> movable;  // not locked: the plan's cells 0..n-1
};

std::string group_name(const GridSet& grids, const Group& g) {
  return g.parent == kNoCell ? "the coarsest level" : "'" + grids.cell(g.parent).code + "'";
}

// Refuses a level whose cells overlap, or leave gaps inside their parent.
void check_cover(const GeosContext& geos, const GridSet& grids, const RebalanceOptions& o,
                 const Group& g) {
  double sum = 0.0;
  std::vector<GeosContext::Geometry> owned;
  std::vector<const GEOSGeometry*> parts;
  for (CellId id : g.cells) {
    sum += area(grids.cell(id).geometry);
    owned.push_back(geos.to_geos(grids.cell(id).geometry));
    parts.push_back(owned.back().get());
  }
  const double united = geos.area(*geos.union_all(parts));
  const std::string where = "level '" + o.level + "' in " + group_name(grids, g);
  if (sum > united * (1 + kCoverTolerance) + 1e-12) {
    bad(where + ": cells overlap (their areas sum to " + number(sum) + ", their union is " +
        number(united) + "); validate the grid set first");
  }
  if (g.parent != kNoCell) {
    const double whole = area(grids.cell(g.parent).geometry);
    if (united < whole * (1 - kCoverTolerance)) {
      bad(where + ": cells leave gaps (they cover " + number(united) + " of its area " +
          number(whole) + "); validate the grid set first");
    }
  }
}

std::uint64_t group_seed(std::uint64_t seed, const std::string& code) {
  std::uint64_t h = seed ^ 0x2545f4914f6cdd1dULL;
  for (unsigned char c : code) h = (h ^ c) * 0x100000001b3ULL + 0x9e37ULL;
  return h;
}

// The faces the pieces are made of, and what each holds.
struct Layout {
  FaceSet faces;
  std::vector<CellId> owner;  // the cell of the level holding each face
  std::vector<CellId> child;  // the finer cell holding it, kNoCell at the finest level
  std::vector<double> weight;
  std::vector<std::vector<std::size_t>> units;
};

struct Inputs {
  const GridSet* grids;
  const CellIndex* index;
  int level;
  bool has_finer;
  const std::vector<Unit>* units;
  const std::vector<std::vector<std::size_t>>* units_of_group;
  const std::vector<Group>* groups;
};

Layout lay_out(const GeosContext& geos, const Inputs& in,
               const std::vector<const GEOSGeometry*>& regions,
               const std::vector<std::vector<Point>>& lines, const GEOSGeometry* barrier_lines,
               double tolerance) {
  Layout l;
  l.faces = internal::build_faces(geos, regions, lines, barrier_lines, tolerance);
  const std::size_t n = l.faces.size();
  l.owner.assign(n, kNoCell);
  l.child.assign(n, kNoCell);
  l.weight.assign(n, 0.0);
  l.units.resize(n);
  for (std::size_t f = 0; f < n; ++f) {
    const Group& g = (*in.groups)[static_cast<std::size_t>(l.faces.parent[f])];
    const CellId holder = in.index->lookup_level(l.faces.inside[f], in.level);
    if (std::find(g.movable.begin(), g.movable.end(), holder) != g.movable.end()) {
      l.owner[f] = holder;
    } else {  // rounding at an edge: the movable cell overlapping it most
      double best = -1.0;
      for (CellId id : g.movable) {
        const double a = geos.intersection_area(*geos.to_geos(in.grids->cell(id).geometry),
                                                *l.faces.geometry[f]);
        if (a > best) {
          best = a;
          l.owner[f] = id;
        }
      }
    }
    if (in.has_finer) {
      const CellId c = in.index->lookup_level(l.faces.inside[f], in.level + 1);
      if (c != kNoCell && in.grids->cell(c).parent == l.owner[f]) l.child[f] = c;
    }
  }
  for (std::size_t gi = 0; gi < regions.size(); ++gi) {
    const std::size_t first = l.faces.first_of_parent[gi], last = l.faces.first_of_parent[gi + 1];
    if (first == last) continue;
    const FaceLocator locator(geos, l.faces, first, last);
    for (std::size_t u : (*in.units_of_group)[gi]) {
      const std::size_t f = locator.locate((*in.units)[u].location);
      l.weight[f] += (*in.units)[u].weight;
      l.units[f].push_back(u);
    }
  }
  return l;
}

// The pieces of one group: faces grouped by finer cell (or one face each at the finest level).
struct Pieces {
  internal::PieceGraph graph;
  std::vector<std::vector<std::size_t>> faces;  // per piece
  std::vector<CellId> child;                    // per piece, kNoCell at the finest level
  int region_parts = 1;
};

Pieces make_pieces(const Layout& l, const Group& g, std::size_t gi) {
  Pieces p;
  const std::size_t first = l.faces.first_of_parent[gi], last = l.faces.first_of_parent[gi + 1];
  std::map<CellId, int> by_child;
  std::vector<int> piece_of(last - first, -1);
  for (std::size_t f = first; f < last; ++f) {
    int piece = -1;
    if (l.child[f] != kNoCell) {
      const auto it = by_child.find(l.child[f]);
      if (it != by_child.end()) piece = it->second;
    }
    if (piece < 0) {
      piece = static_cast<int>(p.faces.size());
      p.faces.emplace_back();
      p.child.push_back(l.child[f]);
      if (l.child[f] != kNoCell) by_child[l.child[f]] = piece;
      const auto slot =
          std::find(g.movable.begin(), g.movable.end(), l.owner[f]) - g.movable.begin();
      p.graph.owner.push_back(static_cast<int>(slot));
      p.graph.blocks.weight.push_back(0.0);
      p.graph.blocks.area.push_back(0.0);
      p.graph.blocks.perimeter.push_back(0.0);
      p.graph.blocks.inside.push_back(l.faces.inside[f]);
    }
    piece_of[f - first] = piece;
    const auto up = static_cast<std::size_t>(piece);
    p.faces[up].push_back(f);
    p.graph.blocks.weight[up] += l.weight[f];
    p.graph.blocks.area[up] += l.faces.area[f];
    p.graph.blocks.perimeter[up] += l.faces.perimeter[f];
  }
  std::map<std::pair<int, int>, internal::FaceAdjacency> shared;
  for (const internal::FaceAdjacency& e : l.faces.adjacency) {
    const auto a = static_cast<std::size_t>(e.a), b = static_cast<std::size_t>(e.b);
    if (a < first || a >= last || b < first || b >= last) continue;
    const int pa = piece_of[a - first], pb = piece_of[b - first];
    if (pa == pb) {  // inside one finer cell: not part of its perimeter
      p.graph.blocks.perimeter[static_cast<std::size_t>(pa)] -= 2 * e.length;
      continue;
    }
    internal::FaceAdjacency& s = shared[{std::min(pa, pb), std::max(pa, pb)}];
    s.a = std::min(pa, pb);
    s.b = std::max(pa, pb);
    s.length += e.length;
    s.barrier_length += e.barrier_length;
  }
  for (const auto& [key, e] : shared) p.graph.blocks.edges.push_back(e);
  p.graph.cells = static_cast<int>(g.movable.size());
  p.region_parts = internal::cell_components(p.graph, std::vector<int>(p.faces.size(), 0), 0);
  return p;
}

bool in_band(double w, const RebalanceOptions& o) {
  const double slack = 1e-9 * std::max(1.0, o.max_weight);
  return w >= o.min_weight - slack && w <= o.max_weight + slack;
}

// The next codes for new cells of a group: the parent's code and a sequence after every code
// its cells have, in the width they use.
class CodeSequence {
 public:
  CodeSequence(const GridSet& grids, const Group& g) {
    prefix_ = g.parent == kNoCell ? "" : grids.cell(g.parent).code;
    for (CellId id : g.cells) {
      const std::string& code = grids.cell(id).code;
      const bool numbered = code.size() > prefix_.size() &&
                            code.compare(0, prefix_.size(), prefix_) == 0 &&
                            std::all_of(code.begin() + static_cast<long>(prefix_.size()),
                                        code.end(), [](char c) { return c >= '0' && c <= '9'; });
      const std::size_t digits = code.size() - prefix_.size();
      if (!numbered || (digits_ != 0 && digits != digits_) || digits > 18) {
        numbered_ = false;
        continue;
      }
      digits_ = digits;
      last_ = std::max(last_, std::stoull(code.substr(prefix_.size())));
    }
    if (digits_ == 0) {
      numbered_ = false;
      digits_ = 3;
    }
  }
  std::string next(const GridSet& grids) {
    for (;;) {
      ++last_;
      std::string seq = std::to_string(last_);
      std::string code;
      if (numbered_) {
        if (seq.size() > digits_) {
          bad("parent '" + prefix_ + "' needs a new cell, but " + std::to_string(digits_) +
              " digits of sequence are used up");
        }
        code = prefix_ + std::string(digits_ - seq.size(), '0') + seq;
      } else {
        code = prefix_ + (prefix_.empty() ? "" : "-") + "new" + seq;
      }
      if (grids.find(code) == kNoCell) return code;
    }
  }

 private:
  std::string prefix_;
  std::size_t digits_ = 0;
  unsigned long long last_ = 0;
  bool numbered_ = true;
};

bool same_geometry(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.polygons.size() != b.polygons.size()) return false;
  for (std::size_t i = 0; i < a.polygons.size(); ++i) {
    if (a.polygons[i].rings != b.polygons[i].rings) return false;
  }
  return true;
}

double polsby_popper(const MultiPolygon& m) {
  const double p = perimeter(m);
  return p > 0 ? 4 * std::numbers::pi * area(m) / (p * p) : 0.0;
}

}  // namespace

RebalanceReport rebalance(GridSet& grids, const std::vector<Unit>& units,
                          const std::vector<Barrier>& barriers, const RebalanceOptions& o) {
  check_options(grids, units, barriers, o);
  const int level = grids.level_index(o.level);
  const bool has_finer = level + 1 < static_cast<int>(grids.levels().size());
  std::set<CellId> locked = cells_named(grids, o.locks, level, "lock");
  if (!o.parents.empty() && level == 0) {
    bad("level '" + o.level + "' is the coarsest: it has no parents to choose");
  }
  const std::set<CellId> chosen = cells_named(grids, o.parents, std::max(0, level - 1), "parents");
  for (CellId id : grids.cells_of_level(level)) {
    if (grids.cell(id).kind == CellKind::kDedicated) locked.insert(id);
  }

  // The groups adjusted, each under one parent.
  std::vector<Group> groups;
  std::map<CellId, std::size_t> group_of_parent;
  for (CellId id : grids.cells_of_level(level)) {
    const CellId parent = grids.cell(id).parent;
    if (!chosen.empty() && chosen.count(parent) == 0) continue;
    const auto [it, added] = group_of_parent.try_emplace(parent, groups.size());
    if (added) groups.push_back({parent, {}, {}});
    Group& g = groups[it->second];
    g.cells.push_back(id);
    if (locked.count(id) == 0) g.movable.push_back(id);
  }
  GeosContext geos;
  for (const Group& g : groups) check_cover(geos, grids, o, g);

  RebalanceReport report;
  report.units = units.size();
  const CellIndex index(grids);
  std::vector<std::vector<std::size_t>> units_of_group(groups.size());
  std::unordered_map<CellId, double> weight_before;  // by the lookup, every cell of the groups
  std::unordered_map<CellId, std::size_t> group_of_cell;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    for (CellId id : groups[gi].cells) group_of_cell[id] = gi;
  }
  for (std::size_t u = 0; u < units.size(); ++u) {
    const CellId holder = index.lookup_level(units[u].location, level);
    if (holder == kNoCell) {
      ++report.units_outside;
      continue;
    }
    const auto g = group_of_cell.find(holder);
    if (g == group_of_cell.end()) {
      ++report.units_elsewhere;
      continue;
    }
    weight_before[holder] += units[u].weight;
    if (locked.count(holder) == 0) units_of_group[g->second].push_back(u);
  }

  // Regions: the land each group's movable cells may trade, and the lines cutting it.
  std::vector<GeosContext::Geometry> regions_owned;
  std::vector<const GEOSGeometry*> regions;
  std::vector<std::vector<Point>> lines;
  Box extent;
  std::unordered_set<CellId> movable_set;
  for (const Group& g : groups) {
    std::vector<GeosContext::Geometry> owned;
    std::vector<const GEOSGeometry*> parts;
    for (CellId id : g.movable) {
      movable_set.insert(id);
      owned.push_back(geos.to_geos(grids.cell(id).geometry));
      parts.push_back(owned.back().get());
      for (auto& ring : geos.to_lines(*owned.back())) lines.push_back(std::move(ring));
      const Box b = envelope(grids.cell(id).geometry);
      extent.expand(Point{b.min_x, b.min_y});
      extent.expand(Point{b.max_x, b.max_y});
    }
    GeosContext::Geometry region =
        parts.empty() ? geos.union_all({}) : internal::dissolve(geos, parts);
    regions.push_back(region.get());
    regions_owned.push_back(std::move(region));
  }
  if (has_finer) {  // land moves in whole finer cells: their boundaries cut it
    for (const Cell& c : grids.cells()) {
      if (c.level == level + 1 && movable_set.count(c.parent) != 0) {
        for (auto& ring : geos.to_lines(*geos.to_geos(c.geometry)))
          lines.push_back(std::move(ring));
      }
    }
  }
  GeosContext::Geometry barrier_lines;
  if (!has_finer) {
    for (const Barrier& b : barriers) {
      Box box;
      for (const Point& p : b) box.expand(p);
      if (box.max_x < extent.min_x || box.min_x > extent.max_x || box.max_y < extent.min_y ||
          box.min_y > extent.max_y) {
        continue;
      }
      lines.push_back(b);
    }
    if (!barriers.empty()) barrier_lines = geos.to_geos_lines(barriers);
  }
  const double diagonal = std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  const double tolerance = 1e-9 * std::max(diagonal, 1.0);
  const Inputs inputs{&grids, &index, level, has_finer, &units, &units_of_group, &groups};
  Layout layout = lay_out(geos, inputs, regions, lines, barrier_lines.get(), tolerance);

  // At the finest level, the blocks of cells out of band and of their neighbours are cut
  // between their units, so that what moves can be close to what must.
  if (!has_finer) {
    std::unordered_map<CellId, double> w;
    for (std::size_t f = 0; f < layout.faces.size(); ++f) w[layout.owner[f]] += layout.weight[f];
    std::unordered_set<CellId> involved;
    for (CellId id : movable_set) {
      if (!in_band(w[id], o)) involved.insert(id);
    }
    for (const internal::FaceAdjacency& e : layout.faces.adjacency) {
      const CellId a = layout.owner[static_cast<std::size_t>(e.a)];
      const CellId b = layout.owner[static_cast<std::size_t>(e.b)];
      if (a == b) continue;
      if (!in_band(w[a], o)) involved.insert(b);
      if (!in_band(w[b], o)) involved.insert(a);
    }
    // Blocks along a boundary between cells are cut finer, down to the smallest excess or
    // shortfall, so that a small excess moves as a small piece.
    const double coarse =
        std::max((o.max_weight - o.min_weight) * kPieceShareOfBand, o.max_weight / 64);
    double smallest = coarse;
    for (CellId id : movable_set) {
      const double miss = std::max(w[id] - o.max_weight, o.min_weight - w[id]);
      if (miss > 0) smallest = std::min(smallest, miss);
    }
    const double fine = std::clamp(smallest, std::min(1.0, coarse), coarse);
    std::vector<char> on_boundary(layout.faces.size(), 0);
    for (const internal::FaceAdjacency& e : layout.faces.adjacency) {
      if (layout.owner[static_cast<std::size_t>(e.a)] ==
          layout.owner[static_cast<std::size_t>(e.b)]) {
        continue;
      }
      on_boundary[static_cast<std::size_t>(e.a)] = 1;
      on_boundary[static_cast<std::size_t>(e.b)] = 1;
    }
    std::size_t cut_count = 0;
    for (std::size_t f = 0; f < layout.faces.size(); ++f) {
      const double granularity = on_boundary[f] ? fine : coarse;
      if (layout.weight[f] <= granularity || involved.count(layout.owner[f]) == 0) continue;
      std::vector<internal::WeightedPoint> points;
      for (std::size_t u : layout.units[f]) points.push_back({units[u].location, units[u].weight});
      auto cuts = internal::weighted_cuts(geos, *layout.faces.geometry[f], points, granularity);
      cut_count += cuts.size();
      lines.insert(lines.end(), cuts.begin(), cuts.end());
    }
    if (cut_count > 0) {
      layout = lay_out(geos, inputs, regions, lines, barrier_lines.get(), tolerance);
    }
  }

  // Plan each group, then give codes: a cell keeps its code where it keeps most of its area.
  struct Outcome {
    Pieces pieces;
    internal::MovePlan plan;
    bool touched = false;
    std::vector<std::string> slot_code;  // per plan cell; empty when not alive
    std::vector<bool> slot_new;
    std::vector<MultiPolygon> slot_geometry;
  };
  std::vector<Outcome> outcomes(groups.size());
  GridSet out;  // the result, assembled after the plans
  std::set<std::string> retired;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    Outcome& oc = outcomes[gi];
    if (g.movable.empty()) continue;
    oc.pieces = make_pieces(layout, g, gi);
    const auto& pg = oc.pieces.graph;
    bool out_of_band = false;
    std::vector<double> w(g.movable.size(), 0.0);
    for (std::size_t p = 0; p < pg.owner.size(); ++p) {
      w[static_cast<std::size_t>(pg.owner[p])] += pg.blocks.weight[p];
    }
    for (double x : w) out_of_band |= !in_band(x, o);
    if (out_of_band) {
      const std::string code = g.parent == kNoCell ? "" : grids.cell(g.parent).code;
      oc.plan = internal::plan_moves(pg, o.min_weight, o.max_weight, group_seed(o.seed, code));
    } else {
      oc.plan.owner = pg.owner;
      oc.plan.alive.assign(g.movable.size(), true);
      oc.plan.merged_into.assign(g.movable.size(), -1);
    }
    oc.touched = oc.plan.owner != pg.owner;
    const std::size_t slots = oc.plan.alive.size();
    for (std::size_t s = 0; s < slots; ++s) {  // a cell left with no piece is not alive
      if (std::find(oc.plan.owner.begin(), oc.plan.owner.end(), static_cast<int>(s)) ==
          oc.plan.owner.end()) {
        oc.plan.alive[s] = false;
      }
    }
    // Area of each old cell (row) in each new cell (column).
    std::vector<std::vector<double>> overlap(g.movable.size(), std::vector<double>(slots, 0.0));
    for (std::size_t p = 0; p < pg.owner.size(); ++p) {
      overlap[static_cast<std::size_t>(pg.owner[p])][static_cast<std::size_t>(oc.plan.owner[p])] +=
          pg.blocks.area[p];
    }
    struct Claim {
      double area;
      std::size_t old_cell, slot;
    };
    std::vector<Claim> claims;
    for (std::size_t c = 0; c < g.movable.size(); ++c) {
      const auto best = static_cast<std::size_t>(
          std::max_element(overlap[c].begin(), overlap[c].end()) - overlap[c].begin());
      if (overlap[c][best] > 0) claims.push_back({overlap[c][best], c, best});
    }
    std::stable_sort(claims.begin(), claims.end(),
                     [](const Claim& a, const Claim& b) { return a.area > b.area; });
    oc.slot_code.assign(slots, "");
    oc.slot_new.assign(slots, false);
    std::vector<bool> code_used(g.movable.size(), false);
    for (const Claim& c : claims) {
      if (!oc.plan.alive[c.slot] || !oc.slot_code[c.slot].empty()) continue;
      oc.slot_code[c.slot] = grids.cell(g.movable[c.old_cell]).code;
      code_used[c.old_cell] = true;
    }
    for (std::size_t c = 0; c < g.movable.size(); ++c) {
      if (!code_used[c]) retired.insert(grids.cell(g.movable[c]).code);
    }
    // Geometry of every cell of a group that changed, from its faces.
    if (oc.touched) {
      oc.slot_geometry.resize(slots);
      std::vector<std::vector<const GEOSGeometry*>> members(slots);
      for (std::size_t p = 0; p < pg.owner.size(); ++p) {
        for (std::size_t f : oc.pieces.faces[p]) {
          members[static_cast<std::size_t>(oc.plan.owner[p])].push_back(
              layout.faces.geometry[f].get());
        }
      }
      for (std::size_t s = 0; s < slots; ++s) {
        if (members[s].empty()) continue;
        const GeosContext::Geometry merged = internal::dissolve(geos, members[s]);
        oc.slot_geometry[s] = geos.to_multipolygon(*merged);
      }
    }
  }

  // The new grid set: coarser levels as they were, the level adjusted, finer cells re-parented.
  for (const std::string& level_name : grids.levels()) out.add_level(level_name);
  out.set_crs(grids.crs());
  out.duty_table() = grids.duty_table();
  for (const RosterEntry& e : grids.roster().entries) {
    if (retired.count(e.cell_code) != 0) {
      report.retired_roster.push_back(e);
    } else {
      out.roster().entries.push_back(e);
    }
  }
  std::unordered_map<CellId, CellId> new_id;  // old cell -> its cell in `out`
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const Cell& c = grids.cell(id);
    if (c.level >= level) continue;
    Cell copy = c;
    if (c.parent != kNoCell) copy.parent = new_id.at(c.parent);
    new_id[id] = out.add_cell(std::move(copy));
  }
  // slot_cell[gi][s]: the new cell of plan cell s.
  std::vector<std::vector<CellId>> slot_cell(groups.size());
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> slot_of_code;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    slot_cell[gi].assign(outcomes[gi].plan.alive.size(), kNoCell);
    for (std::size_t s = 0; s < outcomes[gi].slot_code.size(); ++s) {
      if (!outcomes[gi].slot_code[s].empty()) slot_of_code[outcomes[gi].slot_code[s]] = {gi, s};
    }
  }
  auto slot_weight = [&](std::size_t gi, std::size_t s) {
    double sum = 0.0;
    const Outcome& oc = outcomes[gi];
    for (std::size_t p = 0; p < oc.plan.owner.size(); ++p) {
      if (oc.plan.owner[p] == static_cast<int>(s)) sum += oc.pieces.graph.blocks.weight[p];
    }
    return sum;
  };
  for (CellId id : grids.cells_of_level(level)) {
    const Cell& c = grids.cell(id);
    if (retired.count(c.code) != 0) continue;
    Cell copy = c;
    if (c.parent != kNoCell) copy.parent = new_id.at(c.parent);
    const auto found = slot_of_code.find(c.code);
    if (found != slot_of_code.end()) {
      const auto [gi, s] = found->second;
      copy.households = std::llround(slot_weight(gi, s));
      if (outcomes[gi].touched) copy.geometry = outcomes[gi].slot_geometry[s];
      slot_cell[gi][s] = out.add_cell(std::move(copy));
      new_id[id] = slot_cell[gi][s];
    } else {
      new_id[id] = out.add_cell(std::move(copy));
    }
  }
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    Outcome& oc = outcomes[gi];
    const Group& g = groups[gi];
    std::vector<CellId> added;
    std::vector<std::size_t> added_slot;
    for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
      if (!oc.plan.alive[s] || !oc.slot_code[s].empty()) continue;
      Cell cell;
      cell.code = "~" + std::to_string(gi) + "~" + std::to_string(s);
      cell.level = level;
      cell.parent = g.parent == kNoCell ? kNoCell : new_id.at(g.parent);
      cell.geometry = oc.slot_geometry[s];
      cell.households = std::llround(slot_weight(gi, s));
      added.push_back(out.add_cell(std::move(cell)));
      added_slot.push_back(s);
    }
    CodeSequence sequence(grids, g);
    for (CellId id : sequence_order(out, added)) {
      const std::size_t at =
          static_cast<std::size_t>(std::find(added.begin(), added.end(), id) - added.begin());
      const std::string code = sequence.next(grids);
      out.set_code(id, code);
      oc.slot_code[added_slot[at]] = code;
      oc.slot_new[added_slot[at]] = true;
      slot_cell[gi][added_slot[at]] = id;
    }
  }
  // Finer cells: children of moved pieces follow their piece; the rest their old parent.
  std::unordered_map<CellId, CellId> child_parent;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Outcome& oc = outcomes[gi];
    for (std::size_t p = 0; p < oc.pieces.child.size(); ++p) {
      if (oc.pieces.child[p] != kNoCell) {
        child_parent[oc.pieces.child[p]] =
            slot_cell[gi][static_cast<std::size_t>(oc.plan.owner[p])];
      }
    }
  }
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const Cell& c = grids.cell(id);
    if (c.level <= level) continue;
    Cell copy = c;
    const auto moved = child_parent.find(id);
    copy.parent = moved != child_parent.end() ? moved->second : new_id.at(c.parent);
    new_id[id] = out.add_cell(std::move(copy));
  }

  // The report, and the guarantees checked before the grid set is replaced.
  RebalanceTotals& t = report.totals;
  std::set<std::string> touched_codes;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    const Outcome& oc = outcomes[gi];
    const std::string parent_code = g.parent == kNoCell ? "" : grids.cell(g.parent).code;
    const auto& pg = oc.pieces.graph;
    std::vector<double> kept(g.movable.size(), 0.0), before(g.movable.size(), 0.0);
    double sum_before = 0.0, sum_after = 0.0;
    // One row per moved piece: a finer cell, or at the finest level the blocks that moved
    // together from one cell to another.
    std::vector<std::vector<int>> adjacent(pg.owner.size());
    for (const internal::FaceAdjacency& e : pg.blocks.edges) {
      adjacent[static_cast<std::size_t>(e.a)].push_back(e.b);
      adjacent[static_cast<std::size_t>(e.b)].push_back(e.a);
    }
    auto code_before = [&](std::size_t p) -> const std::string& {
      return grids.cell(g.movable[static_cast<std::size_t>(pg.owner[p])]).code;
    };
    auto code_after = [&](std::size_t p) -> const std::string& {
      return oc.slot_code[static_cast<std::size_t>(oc.plan.owner[p])];
    };
    std::vector<char> reported(pg.owner.size(), 0);
    for (std::size_t p = 0; p < pg.owner.size(); ++p) {
      const auto from = static_cast<std::size_t>(pg.owner[p]);
      const double w = pg.blocks.weight[p];
      before[from] += w;
      sum_before += w;
      if (code_before(p) == code_after(p)) {
        kept[from] += w;
        continue;
      }
      t.moved += w;
      if (reported[p]) continue;
      touched_codes.insert(code_before(p));
      touched_codes.insert(code_after(p));
      RebalanceMove m;
      m.from_code = code_before(p);
      m.to_code = code_after(p);
      std::vector<std::size_t> stack{p};
      reported[p] = 1;
      while (!stack.empty()) {
        const std::size_t q = stack.back();
        stack.pop_back();
        if (oc.pieces.child[q] != kNoCell) m.piece = grids.cell(oc.pieces.child[q]).code;
        for (std::size_t f : oc.pieces.faces[q]) {
          m.units.insert(m.units.end(), layout.units[f].begin(), layout.units[f].end());
        }
        m.households += pg.blocks.weight[q];
        m.area += pg.blocks.area[q];
        if (oc.pieces.child[q] != kNoCell) continue;
        for (int r : adjacent[q]) {
          const auto ur = static_cast<std::size_t>(r);
          if (reported[ur] || oc.pieces.child[ur] != kNoCell || code_before(ur) != m.from_code ||
              code_after(ur) != m.to_code) {
            continue;
          }
          reported[ur] = 1;
          stack.push_back(ur);
        }
      }
      std::sort(m.units.begin(), m.units.end());
      report.moves.push_back(std::move(m));
    }
    for (const internal::FaceAdjacency& e : pg.blocks.edges) {
      const bool was =
          pg.owner[static_cast<std::size_t>(e.a)] != pg.owner[static_cast<std::size_t>(e.b)];
      const bool is =
          oc.slot_code[static_cast<std::size_t>(oc.plan.owner[static_cast<std::size_t>(e.a)])] !=
          oc.slot_code[static_cast<std::size_t>(oc.plan.owner[static_cast<std::size_t>(e.b)])];
      if (was != is) t.boundary_changed += e.length;
    }
    double area_before = 0.0, area_after = 0.0;
    for (CellId id : g.cells) {
      const Cell& c = grids.cell(id);
      RebalanceCellReport r;
      r.code = c.code;
      r.parent_code = parent_code;
      r.area_before = area(c.geometry);
      area_before += locked.count(id) != 0 ? 0.0 : r.area_before;
      const auto slot = std::find(g.movable.begin(), g.movable.end(), id) - g.movable.begin();
      const bool is_locked = locked.count(id) != 0;
      r.weight_before = is_locked ? weight_before[id] : before[static_cast<std::size_t>(slot)];
      r.in_band_before = in_band(r.weight_before, o);
      ++t.cells_before;
      t.in_band_before += r.in_band_before ? 1 : 0;
      if (is_locked) {
        r.status = RebalanceStatus::kLocked;
        r.weight_after = r.weight_before;
        r.area_after = r.area_before;
        r.polsby_popper = polsby_popper(c.geometry);
        if (!same_geometry(out.cell(new_id.at(id)).geometry, c.geometry)) {
          bad("rebalance changed locked cell '" + c.code + "' (please report this)");
        }
      } else if (retired.count(c.code) != 0) {
        r.status = RebalanceStatus::kRetired;
        r.kept_share = 0.0;
        r.polsby_popper = polsby_popper(c.geometry);
      } else {
        const Cell& now = out.cell(new_id.at(id));
        const auto [sg, s] = slot_of_code.at(c.code);
        r.weight_after = slot_weight(sg, s);
        r.area_after = area(now.geometry);
        area_after += r.area_after;
        r.polsby_popper = polsby_popper(now.geometry);
        r.kept_share =
            r.weight_before > 0 ? kept[static_cast<std::size_t>(slot)] / r.weight_before : 1.0;
        const int parts = internal::cell_components(pg, oc.plan.owner, static_cast<int>(s));
        const int was = internal::cell_components(pg, pg.owner, static_cast<int>(slot));
        if (parts > std::max(oc.pieces.region_parts, was)) {
          bad("rebalance left cell '" + c.code + "' in " + std::to_string(parts) +
              " parts (please report this)");
        }
      }
      r.in_band_after = r.status != RebalanceStatus::kRetired && in_band(r.weight_after, o);
      if (r.status != RebalanceStatus::kRetired) {
        ++t.cells_after;
        t.in_band_after += r.in_band_after ? 1 : 0;
      }
      if (r.status == RebalanceStatus::kKept) t.codes_kept += 1;
      if (r.status == RebalanceStatus::kRetired) t.codes_retired += 1;
      report.cells.push_back(r);
      t.households += r.weight_before;
    }
    for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
      if (!oc.slot_new.empty() && oc.slot_new[s]) {
        RebalanceCellReport r;
        r.code = oc.slot_code[s];
        r.parent_code = parent_code;
        r.status = RebalanceStatus::kNew;
        r.weight_after = slot_weight(gi, s);
        const Cell& now = out.cell(slot_cell[gi][s]);
        r.area_after = area(now.geometry);
        area_after += r.area_after;
        r.polsby_popper = polsby_popper(now.geometry);
        r.in_band_after = in_band(r.weight_after, o);
        ++t.cells_after;
        t.in_band_after += r.in_band_after ? 1 : 0;
        ++t.codes_new;
        touched_codes.insert(r.code);
        const int parts = internal::cell_components(pg, oc.plan.owner, static_cast<int>(s));
        if (parts > oc.pieces.region_parts) {
          bad("rebalance left new cell '" + r.code + "' in " + std::to_string(parts) +
              " parts (please report this)");
        }
        report.cells.push_back(r);
      }
    }
    for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
      if (oc.plan.alive.empty() || !oc.plan.alive[s]) continue;
      sum_after += slot_weight(gi, s);
    }
    if (std::abs(sum_after - sum_before) > 1e-9 * std::max(1.0, sum_before)) {
      bad("rebalance of " + group_name(grids, g) + " changed its households from " +
          number(sum_before) + " to " + number(sum_after) + " (please report this)");
    }
    if (oc.touched && std::abs(area_after - area_before) > 1e-9 * std::max(1.0, area_before)) {
      bad("rebalance of " + group_name(grids, g) + " changed the land its cells cover from " +
          number(area_before) + " to " + number(area_after) + " (please report this)");
    }
    // What any plan keeping the number of cells must move.
    double excess = 0.0, shortfall = 0.0;
    for (std::size_t c = 0; c < g.movable.size(); ++c) {
      excess += std::max(0.0, before[c] - o.max_weight);
      shortfall += std::max(0.0, o.min_weight - before[c]);
    }
    t.lower_bound += std::max(excess, shortfall);
  }
  t.cells_touched = touched_codes.size();
  t.core_retention = t.households > 0 ? 1 - t.moved / t.households : 1.0;
  std::sort(
      report.cells.begin(), report.cells.end(),
      [](const RebalanceCellReport& a, const RebalanceCellReport& b) { return a.code < b.code; });

  // Cells still out of band, and why.
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    const Outcome& oc = outcomes[gi];
    const std::string parent_code = g.parent == kNoCell ? "" : grids.cell(g.parent).code;
    double total = 0.0;
    for (double w : oc.pieces.graph.blocks.weight) total += w;
    const double fewest = std::max(1.0, std::ceil(total / o.max_weight - 1e-9));
    const double most = o.min_weight > 0 ? std::floor(total / o.min_weight + 1e-9) : fewest;
    const bool count_fits = g.movable.empty() || fewest <= most;
    if (!count_fits) {
      report.infeasible.push_back({parent_code, "",
                                   "its movable weight " + number(total) +
                                       " cannot be divided into cells of " + number(o.min_weight) +
                                       " to " + number(o.max_weight)});
    }
    for (CellId id : g.cells) {
      if (locked.count(id) == 0) continue;
      const double w = weight_before[id];
      if (!in_band(w, o)) {
        report.infeasible.push_back({parent_code, grids.cell(id).code,
                                     "weight " + number(w) + " is outside " + number(o.min_weight) +
                                         " to " + number(o.max_weight) + ": the cell is locked"});
      }
    }
    for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
      if (oc.plan.alive.empty() || !oc.plan.alive[s]) continue;
      const double w = slot_weight(gi, s);
      if (in_band(w, o)) continue;
      double heaviest = 0.0;
      bool has_neighbour = false;
      const auto& pg = oc.pieces.graph;
      for (std::size_t p = 0; p < oc.plan.owner.size(); ++p) {
        if (oc.plan.owner[p] == static_cast<int>(s))
          heaviest = std::max(heaviest, pg.blocks.weight[p]);
      }
      for (const internal::FaceAdjacency& e : pg.blocks.edges) {
        const int a = oc.plan.owner[static_cast<std::size_t>(e.a)];
        const int b = oc.plan.owner[static_cast<std::size_t>(e.b)];
        if (a != b && (a == static_cast<int>(s) || b == static_cast<int>(s))) has_neighbour = true;
      }
      std::string why;
      if (!count_fits) {
        why = "its parent's movable weight fits no number of cells in the band";
      } else if (heaviest > o.max_weight) {
        why = "it holds a piece of weight " + number(heaviest) + " (" +
              (has_finer ? "one finer cell" : "one address") + "), more than a cell may hold";
      } else if (!has_neighbour) {
        why = g.movable.size() < g.cells.size()
                  ? "its neighbours in the parent are locked"
                  : "it has no neighbour in its parent to trade land with";
      } else {
        why = "its neighbours cannot take or give households without leaving the band";
        if (g.movable.size() < g.cells.size()) why += " (some neighbours are locked)";
      }
      report.infeasible.push_back({parent_code, oc.slot_code[s],
                                   "weight " + number(w) + " is outside " + number(o.min_weight) +
                                       " to " + number(o.max_weight) + ": " + why});
    }
  }
  grids = std::move(out);
  return report;
}

}  // namespace libgrid
