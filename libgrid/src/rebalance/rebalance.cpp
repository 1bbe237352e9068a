#include "libgrid/rebalance/rebalance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/codes/grid_code.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "partition/face_set.h"
#include "partition/weighted_cuts.h"
#include "rebalance/code_sequence.h"
#include "rebalance/land_pieces.h"
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

using internal::CellGroup;
using internal::GeosContext;
using internal::GroupPieces;
using internal::LandLayout;

// How far the cells of a parent may cover more or less than it (share of its area) before the
// level is called broken: rounding, never a real gap or overlap.
constexpr double kCoverTolerance = 1e-6;
// Pieces of the cells that change are cut down to this share of the band's width.
constexpr double kPieceShareOfBand = 1.0 / 16;
// Blocks along a boundary are cut no finer than this share of those pieces.
constexpr double kFinestShareOfPiece = 1.0 / 16;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::kInvalidInput, what); }

std::string number(double v) { return internal::short_number_text(v); }

void check_options(const GridSet& grids, const std::vector<Unit>& units,
                   const std::vector<Barrier>& barriers, const RebalanceOptions& o) {
  grids.require_level(o.level, "level");
  if (!std::isfinite(o.min_weight) || !std::isfinite(o.max_weight) || o.min_weight < 0) {
    bad("the band's MIN and MAX must be finite and not negative");
  }
  if (o.min_weight > o.max_weight) {
    bad("empty band: MIN " + number(o.min_weight) + " is above MAX " + number(o.max_weight));
  }
  if (o.max_weight <= 0) bad("the band's MAX must be above 0");
  check_workload(units, barriers);
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

std::string parent_code(const GridSet& grids, const CellGroup& g) {
  return g.parent == kNoCell ? "" : grids.cell(g.parent).code;
}

std::string group_name(const GridSet& grids, const CellGroup& g) {
  return g.parent == kNoCell ? "the coarsest level" : "'" + grids.cell(g.parent).code + "'";
}

// Refuses a level whose cells overlap, or leave gaps inside their parent.
void check_cover(const GeosContext& geos, const GridSet& grids, const RebalanceOptions& o,
                 const CellGroup& g) {
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

bool in_band(double w, const RebalanceOptions& o) {
  const double slack = 1e-9 * std::max(1.0, o.max_weight);
  return w >= o.min_weight - slack && w <= o.max_weight + slack;
}

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

// A code no real cell has, for new cell s of group gi until it is numbered.
std::string provisional_code(std::size_t gi, std::size_t s) {
  std::string code = "~";
  code += std::to_string(gi);
  code += '~';
  code += std::to_string(s);
  return code;
}

// What was decided for one group. Its plan's cells are "slots": 0..n-1 are its movable cells as
// they were, the rest new cells.
struct GroupOutcome {
  GroupPieces pieces;
  internal::MovePlan plan;
  bool touched = false;                // some piece changed cell
  std::vector<std::string> slot_code;  // per slot; empty when not alive
  std::vector<bool> slot_new;
  std::vector<MultiPolygon> slot_geometry;  // only when touched
  std::vector<double> slot_weight;          // per slot: the households it ends with
  std::vector<double> slot_population;      // per slot: the population its pieces bring
  std::vector<int> parts_before;            // per movable cell: its connected parts
  std::vector<int> parts_after;             // per slot
};

// What the report adds up for one group while it checks the guarantees.
struct GroupSums {
  std::vector<double> before;  // per movable cell: its households before
  std::vector<double> kept;    // per movable cell: of those, still in a cell of its code
  double households_before = 0.0;
  double area_before = 0.0;  // of the movable cells as they were
  double area_after = 0.0;   // of the cells they became
};

// One rebalance of a level: the state its steps share, one method per step, called in order.
// `grids` is only read; the result is assembled in a new grid set.
class LevelRebalance {
 public:
  // REQUIRES: check_options passed.
  LevelRebalance(const GridSet& grids, const std::vector<Unit>& units,
                 const std::vector<Barrier>& barriers, const RebalanceOptions& options)
      : grids_(grids),
        units_(units),
        barriers_(barriers),
        options_(options),
        level_(grids.level_index(options.level)),
        has_finer_(level_ + 1 < static_cast<int>(grids.levels().size())) {}

  void resolve_groups();
  void weigh_units();
  void lay_out_land();
  void cut_blocks_that_change();
  void plan_groups();
  void assemble_grid_set();
  void write_report();
  void explain_out_of_band();

  GridSet take_grid_set() { return std::move(out_); }
  RebalanceReport take_report() { return std::move(report_); }

 private:
  // Steps of lay_out_land.
  void draw_regions();
  void add_finer_boundaries();
  void add_barriers();
  LandLayout faces_of_land() const;

  // Steps of plan_groups, per group.
  void plan_group(std::size_t gi);
  void give_codes(std::size_t gi);
  void draw_changed_cells(std::size_t gi);

  // Steps of assemble_grid_set.
  void copy_coarser_levels();
  void add_cells_keeping_codes();
  void add_new_cells(std::size_t gi);
  void add_finer_cells();

  // Steps of write_report, per group.
  GroupSums report_moves(std::size_t gi, std::set<std::string>& touched_codes);
  void measure_boundary_changed(std::size_t gi);
  void report_old_cells(std::size_t gi, GroupSums& sums);
  void report_new_cells(std::size_t gi, GroupSums& sums, std::set<std::string>& touched_codes);
  void check_conserved(std::size_t gi, const GroupSums& sums) const;
  void add_lower_bound(std::size_t gi, const GroupSums& sums);

  // Steps of explain_out_of_band.
  void explain_group(std::size_t gi);
  std::string why_out_of_band(std::size_t gi, std::size_t s, bool count_fits) const;
  std::string outside_band(double w) const;

  double slot_weight(std::size_t gi, std::size_t s) const;
  bool is_locked(CellId id) const { return locked_.count(id) != 0; }

  const GridSet& grids_;
  const std::vector<Unit>& units_;
  const std::vector<Barrier>& barriers_;
  const RebalanceOptions& options_;
  const int level_;
  const bool has_finer_;
  GeosContext geos_;  // before every GEOS geometry below, which it must outlive
  RebalanceReport report_;

  // resolve_groups
  std::set<CellId> locked_;  // locked by the options, or dedicated
  std::vector<CellGroup> groups_;

  // weigh_units
  std::optional<CellIndex> index_;                        // built once the groups' cover is checked
  std::vector<std::vector<std::size_t>> units_of_group_;  // the units in its movable cells
  std::unordered_map<CellId, double> weight_before_;      // by the lookup, every cell of the groups

  // lay_out_land, cut_blocks_that_change
  std::vector<GeosContext::Geometry> regions_owned_;
  GeosContext::Geometry barrier_lines_;
  internal::LandLines land_;
  Box extent_;  // of the movable cells
  std::unordered_set<CellId> movable_;
  LandLayout layout_;

  // plan_groups
  std::vector<GroupOutcome> outcomes_;
  std::set<std::string> retired_;

  // assemble_grid_set
  GridSet out_;
  std::unordered_map<CellId, CellId> new_id_;   // old cell -> its cell in out_
  std::vector<std::vector<CellId>> slot_cell_;  // [gi][s]: the cell of slot s in out_
  // Each code kept -> the group and slot keeping it.
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> slot_of_code_;
};

// The groups adjusted, each under one parent, with the locks, the parents chosen and the
// dedicated cells resolved; then their cover checked.
void LevelRebalance::resolve_groups() {
  locked_ = cells_named(grids_, options_.locks, level_, "lock");
  if (!options_.parents.empty() && level_ == 0) {
    bad("level '" + options_.level + "' is the coarsest: it has no parents to choose");
  }
  const std::set<CellId> chosen =
      cells_named(grids_, options_.parents, std::max(0, level_ - 1), "parents");
  for (CellId id : grids_.cells_of_level(level_)) {
    if (grids_.cell(id).kind == CellKind::kDedicated) locked_.insert(id);
  }
  std::map<CellId, std::size_t> group_of_parent;
  for (CellId id : grids_.cells_of_level(level_)) {
    const CellId parent = grids_.cell(id).parent;
    if (!chosen.empty() && chosen.count(parent) == 0) continue;
    const auto [it, added] = group_of_parent.try_emplace(parent, groups_.size());
    if (added) groups_.push_back({parent, {}, {}});
    CellGroup& g = groups_[it->second];
    g.cells.push_back(id);
    if (!is_locked(id)) g.movable.push_back(id);
  }
  for (const CellGroup& g : groups_) check_cover(geos_, grids_, options_, g);
}

// Today's households of every cell of the groups, and the units each group may move.
void LevelRebalance::weigh_units() {
  report_.units = units_.size();
  index_.emplace(grids_);
  units_of_group_.resize(groups_.size());
  std::unordered_map<CellId, std::size_t> group_of_cell;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    for (CellId id : groups_[gi].cells) group_of_cell[id] = gi;
  }
  for (std::size_t u = 0; u < units_.size(); ++u) {
    const CellId holder = index_->lookup_level(units_[u].location, level_);
    if (holder == kNoCell) {
      ++report_.units_outside;
      continue;
    }
    const auto g = group_of_cell.find(holder);
    if (g == group_of_cell.end()) {
      ++report_.units_elsewhere;
      continue;
    }
    weight_before_[holder] += units_[u].weight;
    if (!is_locked(holder)) units_of_group_[g->second].push_back(u);
  }
}

// The land each group's movable cells may trade, cut by their boundaries and by the finer
// cells' boundaries or the barriers.
void LevelRebalance::lay_out_land() {
  draw_regions();
  if (has_finer_) {
    add_finer_boundaries();
  } else {
    add_barriers();
  }
  const double diagonal = std::hypot(extent_.max_x - extent_.min_x, extent_.max_y - extent_.min_y);
  land_.tolerance = 1e-9 * std::max(diagonal, 1.0);
  // How much of a boundary runs on barriers only steers splits: measured once cells split.
  land_.barriers = nullptr;
  layout_ = faces_of_land();
}

// Each group's region: its movable cells dissolved. Their boundaries are the first lines.
void LevelRebalance::draw_regions() {
  for (const CellGroup& g : groups_) {
    std::vector<GeosContext::Geometry> owned;
    std::vector<const GEOSGeometry*> parts;
    for (CellId id : g.movable) {
      movable_.insert(id);
      owned.push_back(geos_.to_geos(grids_.cell(id).geometry));
      parts.push_back(owned.back().get());
      for (auto& ring : geos_.to_lines(*owned.back())) land_.lines.push_back(std::move(ring));
      const Box b = envelope(grids_.cell(id).geometry);
      extent_.expand(Point{b.min_x, b.min_y});
      extent_.expand(Point{b.max_x, b.max_y});
    }
    GeosContext::Geometry region =
        parts.empty() ? geos_.union_all({}) : internal::dissolve(geos_, parts);
    land_.regions.push_back(region.get());
    regions_owned_.push_back(std::move(region));
  }
}

// Above the finest level land moves in whole finer cells: their boundaries cut it.
void LevelRebalance::add_finer_boundaries() {
  for (const Cell& c : grids_.cells()) {
    if (c.level == level_ + 1 && movable_.count(c.parent) != 0) {
      for (auto& ring : geos_.to_lines(*geos_.to_geos(c.geometry))) {
        land_.lines.push_back(std::move(ring));
      }
    }
  }
}

// At the finest level the barriers near the movable cells cut it.
void LevelRebalance::add_barriers() {
  for (const Barrier& b : barriers_) {
    Box box;
    for (const Point& p : b) box.expand(p);
    if (box.max_x < extent_.min_x || box.min_x > extent_.max_x || box.max_y < extent_.min_y ||
        box.min_y > extent_.max_y) {
      continue;
    }
    land_.lines.push_back(b);
  }
  if (!barriers_.empty()) barrier_lines_ = geos_.to_geos_lines(barriers_);
}

// The faces of the land as the lines now cut it.
LandLayout LevelRebalance::faces_of_land() const {
  const internal::LandSource source{.grids = grids_,
                                    .index = *index_,
                                    .level = level_,
                                    .has_finer = has_finer_,
                                    .units = units_,
                                    .units_of_group = units_of_group_,
                                    .groups = groups_};
  return internal::lay_out_land(geos_, source, land_);
}

// At the finest level, the blocks of cells out of band and of their neighbours are cut
// between their units, so that what moves can be close to what must.
void LevelRebalance::cut_blocks_that_change() {
  if (has_finer_) return;
  const double lo = options_.min_weight, hi = options_.max_weight;
  std::unordered_map<CellId, double> w;
  for (std::size_t f = 0; f < layout_.faces.size(); ++f) w[layout_.owner[f]] += layout_.weight[f];
  // Blocks on a boundary of a cell out of band: what it gives or takes.
  std::unordered_map<CellId, std::set<CellId>> neighbours;
  std::vector<char> on_boundary(layout_.faces.size(), 0);
  for (const internal::FaceAdjacency& e : layout_.faces.adjacency) {
    const CellId a = layout_.owner[static_cast<std::size_t>(e.a)];
    const CellId b = layout_.owner[static_cast<std::size_t>(e.b)];
    if (a == b) continue;
    neighbours[a].insert(b);
    neighbours[b].insert(a);
    if (in_band(w[a], options_) && in_band(w[b], options_)) continue;
    on_boundary[static_cast<std::size_t>(e.a)] = 1;
    on_boundary[static_cast<std::size_t>(e.b)] = 1;
  }
  // Cells out of band and their neighbours trade land along their boundaries; a cell whose
  // excess its neighbours cannot take will split, through its whole land.
  std::unordered_set<CellId> involved, splitting;
  for (CellId id : movable_) {
    if (in_band(w[id], options_)) continue;
    involved.insert(id);
    double room = 0.0;
    for (CellId n : neighbours[id]) {
      involved.insert(n);
      room += std::max(0.0, hi - w[n]);
    }
    if (w[id] - hi > room) splitting.insert(id);
  }
  // Blocks along a boundary are cut finer, towards the smallest excess or shortfall, so that a
  // small excess moves as a small piece.
  const double coarse = std::max((hi - lo) * kPieceShareOfBand, hi / 64);
  double smallest = coarse;
  for (CellId id : involved) {
    const double miss = std::max(w[id] - hi, lo - w[id]);
    if (miss > 0) smallest = std::min(smallest, miss);
  }
  const double fine = std::clamp(smallest, coarse * kFinestShareOfPiece, coarse);
  std::size_t cut_count = 0;
  std::vector<std::vector<Point>> cut_lines;
  for (std::size_t f = 0; f < layout_.faces.size(); ++f) {
    const CellId owner = layout_.owner[f];
    const bool whole = splitting.count(owner) != 0;
    if (!whole && !(on_boundary[f] && involved.count(owner) != 0)) continue;
    const double granularity = on_boundary[f] ? fine : coarse;
    if (layout_.weight[f] <= granularity) continue;
    std::vector<internal::WeightedPoint> points;
    for (std::size_t u : layout_.units[f]) {
      points.push_back({units_[u].location, units_[u].weight});
    }
    auto cuts = internal::weighted_cuts(geos_, *layout_.faces.geometry[f], points, granularity);
    cut_count += cuts.size();
    cut_lines.insert(cut_lines.end(), cuts.begin(), cuts.end());
  }
  // The cuts are noded into the blocks' own linework, where barriers already run cleanly
  // along the cells' boundaries.
  if (cut_count > 0) {
    land_.lines = geos_.to_lines(*layout_.faces.linework);
    land_.lines.insert(land_.lines.end(), cut_lines.begin(), cut_lines.end());
  }
  if (!splitting.empty()) land_.barriers = barrier_lines_.get();
  if (cut_count > 0 || land_.barriers != nullptr) layout_ = faces_of_land();
}

// Plans each group, then gives codes: a cell keeps its code where it keeps most of its area.
void LevelRebalance::plan_groups() {
  outcomes_.resize(groups_.size());
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    if (groups_[gi].movable.empty()) continue;
    plan_group(gi);
    give_codes(gi);
    if (outcomes_[gi].touched) draw_changed_cells(gi);
  }
}

// Where each piece of the group ends: planned where some cell is out of band, else where it is.
void LevelRebalance::plan_group(std::size_t gi) {
  const CellGroup& g = groups_[gi];
  GroupOutcome& oc = outcomes_[gi];
  oc.pieces = internal::make_group_pieces(layout_, g, gi, land_.tolerance);
  const auto& pg = oc.pieces.graph;
  bool out_of_band = false;
  std::vector<double> w(g.movable.size(), 0.0);
  for (std::size_t p = 0; p < pg.owner.size(); ++p) {
    w[static_cast<std::size_t>(pg.owner[p])] += pg.blocks.weight[p];
  }
  for (double x : w) out_of_band |= !in_band(x, options_);
  if (out_of_band) {
    const std::uint64_t seed = group_seed(options_.seed, parent_code(grids_, g));
    oc.plan = internal::plan_moves(pg, options_.min_weight, options_.max_weight, seed);
  } else {
    oc.plan.owner = pg.owner;
    oc.plan.alive.assign(g.movable.size(), true);
  }
  oc.touched = oc.plan.owner != pg.owner;
  const std::size_t slots = oc.plan.alive.size();
  oc.slot_weight.assign(slots, 0.0);
  std::vector<bool> holds(slots, false);
  for (std::size_t p = 0; p < oc.plan.owner.size(); ++p) {
    const auto s = static_cast<std::size_t>(oc.plan.owner[p]);
    oc.slot_weight[s] += pg.blocks.weight[p];
    holds[s] = true;
  }
  for (std::size_t s = 0; s < slots; ++s) {  // a cell left with no piece
    if (!holds[s]) oc.plan.alive[s] = false;
  }
  // A cell's population goes with its pieces, by their households (by area where it has none).
  std::vector<double> weight_of(g.movable.size(), 0.0), area_of(g.movable.size(), 0.0);
  for (std::size_t p = 0; p < pg.owner.size(); ++p) {
    weight_of[static_cast<std::size_t>(pg.owner[p])] += pg.blocks.weight[p];
    area_of[static_cast<std::size_t>(pg.owner[p])] += pg.blocks.area[p];
  }
  oc.slot_population.assign(slots, 0.0);
  for (std::size_t p = 0; p < pg.owner.size(); ++p) {
    const auto c = static_cast<std::size_t>(pg.owner[p]);
    const double share = weight_of[c] > 0 ? pg.blocks.weight[p] / weight_of[c]
                         : area_of[c] > 0 ? pg.blocks.area[p] / area_of[c]
                                          : 0.0;
    oc.slot_population[static_cast<std::size_t>(oc.plan.owner[p])] +=
        share * static_cast<double>(grids_.cell(g.movable[c]).population);
  }
  oc.parts_before = internal::components_per_cell(pg, pg.owner, static_cast<int>(g.movable.size()));
  oc.parts_after = internal::components_per_cell(pg, oc.plan.owner, static_cast<int>(slots));
}

// Each old cell's code goes to the slot holding most of its area, largest claims first; codes
// no slot takes are retired.
void LevelRebalance::give_codes(std::size_t gi) {
  const CellGroup& g = groups_[gi];
  GroupOutcome& oc = outcomes_[gi];
  const auto& pg = oc.pieces.graph;
  const std::size_t slots = oc.plan.alive.size();
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
    oc.slot_code[c.slot] = grids_.cell(g.movable[c.old_cell]).code;
    code_used[c.old_cell] = true;
  }
  for (std::size_t c = 0; c < g.movable.size(); ++c) {
    if (!code_used[c]) retired_.insert(grids_.cell(g.movable[c]).code);
  }
}

// The geometry of every cell of a group that changed, from its faces.
void LevelRebalance::draw_changed_cells(std::size_t gi) {
  GroupOutcome& oc = outcomes_[gi];
  const std::size_t slots = oc.plan.alive.size();
  oc.slot_geometry.resize(slots);
  std::vector<std::vector<const GEOSGeometry*>> members(slots);
  for (std::size_t p = 0; p < oc.pieces.graph.owner.size(); ++p) {
    for (std::size_t f : oc.pieces.faces[p]) {
      members[static_cast<std::size_t>(oc.plan.owner[p])].push_back(
          layout_.faces.geometry[f].get());
    }
  }
  for (std::size_t s = 0; s < slots; ++s) {
    if (members[s].empty()) continue;
    const GeosContext::Geometry merged = internal::dissolve(geos_, members[s]);
    oc.slot_geometry[s] = geos_.to_multipolygon(*merged);
  }
}

// The new grid set: coarser levels as they were, the level adjusted, finer cells re-parented.
void LevelRebalance::assemble_grid_set() {
  copy_coarser_levels();
  slot_cell_.resize(groups_.size());
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    slot_cell_[gi].assign(outcomes_[gi].plan.alive.size(), kNoCell);
    for (std::size_t s = 0; s < outcomes_[gi].slot_code.size(); ++s) {
      if (!outcomes_[gi].slot_code[s].empty()) slot_of_code_[outcomes_[gi].slot_code[s]] = {gi, s};
    }
  }
  add_cells_keeping_codes();
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) add_new_cells(gi);
  add_finer_cells();
}

// The levels, CRS, duty table and roster (less the entries of retired codes), and the cells of
// the coarser levels.
void LevelRebalance::copy_coarser_levels() {
  for (const std::string& level_name : grids_.levels()) out_.add_level(level_name);
  out_.set_crs(grids_.crs());
  out_.duty_table() = grids_.duty_table();
  for (const RosterEntry& e : grids_.roster().entries) {
    if (retired_.count(e.cell_code) != 0) {
      report_.retired_roster.push_back(e);
    } else {
      out_.roster().entries.push_back(e);
    }
  }
  for (CellId id = 0; id < static_cast<CellId>(grids_.size()); ++id) {
    const Cell& c = grids_.cell(id);
    if (c.level >= level_) continue;
    Cell copy = c;
    if (c.parent != kNoCell) copy.parent = new_id_.at(c.parent);
    new_id_[id] = out_.add_cell(std::move(copy));
  }
}

// The cells of the level that keep their codes (locked ones and those of other parents as
// they were), with today's households and, where their group changed, their new geometry.
void LevelRebalance::add_cells_keeping_codes() {
  for (CellId id : grids_.cells_of_level(level_)) {
    const Cell& c = grids_.cell(id);
    if (retired_.count(c.code) != 0) continue;
    Cell copy = c;
    if (c.parent != kNoCell) copy.parent = new_id_.at(c.parent);
    const auto found = slot_of_code_.find(c.code);
    if (found != slot_of_code_.end()) {
      const auto [gi, s] = found->second;
      copy.households = std::llround(slot_weight(gi, s));
      if (outcomes_[gi].touched) {
        copy.geometry = outcomes_[gi].slot_geometry[s];
        copy.population = std::llround(outcomes_[gi].slot_population[s]);
      }
      slot_cell_[gi][s] = out_.add_cell(std::move(copy));
      new_id_[id] = slot_cell_[gi][s];
    } else {
      new_id_[id] = out_.add_cell(std::move(copy));
    }
  }
}

// The group's new cells, added under provisional codes, then coded in sequence order.
void LevelRebalance::add_new_cells(std::size_t gi) {
  GroupOutcome& oc = outcomes_[gi];
  const CellGroup& g = groups_[gi];
  std::vector<CellId> added;
  std::vector<std::size_t> added_slot;
  for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
    if (!oc.plan.alive[s] || !oc.slot_code[s].empty()) continue;
    Cell cell;
    cell.code = provisional_code(gi, s);
    cell.level = level_;
    cell.parent = g.parent == kNoCell ? kNoCell : new_id_.at(g.parent);
    cell.geometry = oc.slot_geometry[s];
    cell.households = std::llround(slot_weight(gi, s));
    cell.population = std::llround(oc.slot_population[s]);
    added.push_back(out_.add_cell(std::move(cell)));
    added_slot.push_back(s);
  }
  internal::CodeSequence sequence(grids_, g.parent, g.cells);
  for (CellId id : sequence_order(out_, added)) {
    const std::size_t at =
        static_cast<std::size_t>(std::find(added.begin(), added.end(), id) - added.begin());
    const std::string code = sequence.next(grids_);
    out_.set_code(id, code);
    oc.slot_code[added_slot[at]] = code;
    oc.slot_new[added_slot[at]] = true;
    slot_cell_[gi][added_slot[at]] = id;
  }
}

// Finer cells: children of moved pieces follow their piece; the rest their old parent.
void LevelRebalance::add_finer_cells() {
  std::unordered_map<CellId, CellId> child_parent;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const GroupOutcome& oc = outcomes_[gi];
    for (std::size_t p = 0; p < oc.pieces.child.size(); ++p) {
      if (oc.pieces.child[p] != kNoCell) {
        child_parent[oc.pieces.child[p]] =
            slot_cell_[gi][static_cast<std::size_t>(oc.plan.owner[p])];
      }
    }
  }
  for (CellId id = 0; id < static_cast<CellId>(grids_.size()); ++id) {
    const Cell& c = grids_.cell(id);
    if (c.level <= level_) continue;
    Cell copy = c;
    const auto moved = child_parent.find(id);
    copy.parent = moved != child_parent.end() ? moved->second : new_id_.at(c.parent);
    new_id_[id] = out_.add_cell(std::move(copy));
  }
}

// The report, and the guarantees checked before the grid set is replaced.
void LevelRebalance::write_report() {
  RebalanceTotals& t = report_.totals;
  std::set<std::string> touched_codes;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    GroupSums sums = report_moves(gi, touched_codes);
    measure_boundary_changed(gi);
    report_old_cells(gi, sums);
    report_new_cells(gi, sums, touched_codes);
    check_conserved(gi, sums);
    add_lower_bound(gi, sums);
  }
  t.cells_touched = touched_codes.size();
  t.core_retention = t.households > 0 ? 1 - t.moved / t.households : 1.0;
  std::sort(
      report_.cells.begin(), report_.cells.end(),
      [](const RebalanceCellReport& a, const RebalanceCellReport& b) { return a.code < b.code; });
}

// One row per moved piece: a finer cell, or at the finest level the blocks that moved
// together from one cell to another.
GroupSums LevelRebalance::report_moves(std::size_t gi, std::set<std::string>& touched_codes) {
  const CellGroup& g = groups_[gi];
  const GroupOutcome& oc = outcomes_[gi];
  const auto& pg = oc.pieces.graph;
  GroupSums sums;
  sums.before.assign(g.movable.size(), 0.0);
  sums.kept.assign(g.movable.size(), 0.0);
  std::vector<std::vector<int>> adjacent(pg.owner.size());
  for (const internal::FaceAdjacency& e : pg.blocks.edges) {
    adjacent[static_cast<std::size_t>(e.a)].push_back(e.b);
    adjacent[static_cast<std::size_t>(e.b)].push_back(e.a);
  }
  auto code_before = [&](std::size_t p) -> const std::string& {
    return grids_.cell(g.movable[static_cast<std::size_t>(pg.owner[p])]).code;
  };
  auto code_after = [&](std::size_t p) -> const std::string& {
    return oc.slot_code[static_cast<std::size_t>(oc.plan.owner[p])];
  };
  std::vector<char> reported(pg.owner.size(), 0);
  for (std::size_t p = 0; p < pg.owner.size(); ++p) {
    const auto from = static_cast<std::size_t>(pg.owner[p]);
    const double w = pg.blocks.weight[p];
    sums.before[from] += w;
    sums.households_before += w;
    if (code_before(p) == code_after(p)) {
      sums.kept[from] += w;
      continue;
    }
    report_.totals.moved += w;
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
      if (oc.pieces.child[q] != kNoCell) m.piece = grids_.cell(oc.pieces.child[q]).code;
      for (std::size_t f : oc.pieces.faces[q]) {
        m.units.insert(m.units.end(), layout_.units[f].begin(), layout_.units[f].end());
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
    report_.moves.push_back(std::move(m));
  }
  return sums;
}

// Boundary between pieces drawn or removed: between different cells before, not after, or the
// other way round.
void LevelRebalance::measure_boundary_changed(std::size_t gi) {
  const GroupOutcome& oc = outcomes_[gi];
  const auto& pg = oc.pieces.graph;
  for (const internal::FaceAdjacency& e : pg.blocks.edges) {
    const auto a = static_cast<std::size_t>(e.a), b = static_cast<std::size_t>(e.b);
    const bool was = pg.owner[a] != pg.owner[b];
    const bool is = oc.slot_code[static_cast<std::size_t>(oc.plan.owner[a])] !=
                    oc.slot_code[static_cast<std::size_t>(oc.plan.owner[b])];
    if (was != is) report_.totals.boundary_changed += e.length;
  }
}

// One row per cell of the group as it was: locked, retired or kept. Checks that locked cells
// are unchanged and that no kept cell is in more parts than it or its region was.
void LevelRebalance::report_old_cells(std::size_t gi, GroupSums& sums) {
  const CellGroup& g = groups_[gi];
  const GroupOutcome& oc = outcomes_[gi];
  RebalanceTotals& t = report_.totals;
  for (CellId id : g.cells) {
    const Cell& c = grids_.cell(id);
    RebalanceCellReport r;
    r.code = c.code;
    r.parent_code = parent_code(grids_, g);
    r.area_before = area(c.geometry);
    sums.area_before += is_locked(id) ? 0.0 : r.area_before;
    const auto slot = std::find(g.movable.begin(), g.movable.end(), id) - g.movable.begin();
    r.weight_before =
        is_locked(id) ? weight_before_[id] : sums.before[static_cast<std::size_t>(slot)];
    r.in_band_before = in_band(r.weight_before, options_);
    ++t.cells_before;
    // The band is for basic grids: a dedicated one (a school, a hospital) counts as in it.
    const bool dedicated = c.kind == CellKind::kDedicated;
    t.in_band_before += r.in_band_before || dedicated ? 1 : 0;
    if (is_locked(id)) {
      r.status = RebalanceStatus::kLocked;
      r.weight_after = r.weight_before;
      r.area_after = r.area_before;
      r.polsby_popper = polsby_popper(c.geometry);
      if (!same_geometry(out_.cell(new_id_.at(id)).geometry, c.geometry)) {
        bad("rebalance changed locked cell '" + c.code + "' (please report this)");
      }
    } else if (retired_.count(c.code) != 0) {
      r.status = RebalanceStatus::kRetired;
      r.kept_share = 0.0;
      r.polsby_popper = polsby_popper(c.geometry);
    } else {
      const Cell& now = out_.cell(new_id_.at(id));
      const auto [sg, s] = slot_of_code_.at(c.code);
      r.weight_after = slot_weight(sg, s);
      r.area_after = area(now.geometry);
      sums.area_after += r.area_after;
      r.polsby_popper = polsby_popper(now.geometry);
      r.kept_share =
          r.weight_before > 0 ? sums.kept[static_cast<std::size_t>(slot)] / r.weight_before : 1.0;
      const int parts = oc.parts_after[s];
      const int was = oc.parts_before[static_cast<std::size_t>(slot)];
      if (parts > std::max(oc.pieces.region_parts, was)) {
        bad("rebalance left cell '" + c.code + "' in " + std::to_string(parts) +
            " parts (please report this)");
      }
    }
    r.in_band_after = r.status != RebalanceStatus::kRetired && in_band(r.weight_after, options_);
    if (r.status != RebalanceStatus::kRetired) {
      ++t.cells_after;
      t.in_band_after += r.in_band_after || dedicated ? 1 : 0;
    }
    if (r.status == RebalanceStatus::kKept) t.codes_kept += 1;
    if (r.status == RebalanceStatus::kRetired) t.codes_retired += 1;
    report_.cells.push_back(r);
    t.households += r.weight_before;
  }
}

// One row per new cell of the group. Checks that none is in more parts than its region.
void LevelRebalance::report_new_cells(std::size_t gi, GroupSums& sums,
                                      std::set<std::string>& touched_codes) {
  const CellGroup& g = groups_[gi];
  const GroupOutcome& oc = outcomes_[gi];
  RebalanceTotals& t = report_.totals;
  for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
    if (oc.slot_new.empty() || !oc.slot_new[s]) continue;
    RebalanceCellReport r;
    r.code = oc.slot_code[s];
    r.parent_code = parent_code(grids_, g);
    r.status = RebalanceStatus::kNew;
    r.weight_after = slot_weight(gi, s);
    const Cell& now = out_.cell(slot_cell_[gi][s]);
    r.area_after = area(now.geometry);
    sums.area_after += r.area_after;
    r.polsby_popper = polsby_popper(now.geometry);
    r.in_band_after = in_band(r.weight_after, options_);
    ++t.cells_after;
    t.in_band_after += r.in_band_after ? 1 : 0;
    ++t.codes_new;
    touched_codes.insert(r.code);
    const int parts = oc.parts_after[s];
    if (parts > oc.pieces.region_parts) {
      bad("rebalance left new cell '" + r.code + "' in " + std::to_string(parts) +
          " parts (please report this)");
    }
    report_.cells.push_back(r);
  }
}

// Households are conserved, and a group that changed still covers the same land.
void LevelRebalance::check_conserved(std::size_t gi, const GroupSums& sums) const {
  const CellGroup& g = groups_[gi];
  const GroupOutcome& oc = outcomes_[gi];
  double households_after = 0.0;
  for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
    if (oc.plan.alive.empty() || !oc.plan.alive[s]) continue;
    households_after += slot_weight(gi, s);
  }
  const double before = sums.households_before;
  if (std::abs(households_after - before) > 1e-9 * std::max(1.0, before)) {
    bad("rebalance of " + group_name(grids_, g) + " changed its households from " + number(before) +
        " to " + number(households_after) + " (please report this)");
  }
  if (oc.touched &&
      std::abs(sums.area_after - sums.area_before) > 1e-9 * std::max(1.0, sums.area_before)) {
    bad("rebalance of " + group_name(grids_, g) + " changed the land its cells cover from " +
        number(sums.area_before) + " to " + number(sums.area_after) + " (please report this)");
  }
}

// What any plan keeping the number of cells must move.
void LevelRebalance::add_lower_bound(std::size_t gi, const GroupSums& sums) {
  double excess = 0.0, shortfall = 0.0;
  for (std::size_t c = 0; c < groups_[gi].movable.size(); ++c) {
    excess += std::max(0.0, sums.before[c] - options_.max_weight);
    shortfall += std::max(0.0, options_.min_weight - sums.before[c]);
  }
  report_.totals.lower_bound += std::max(excess, shortfall);
}

// Cells still out of band, and why.
void LevelRebalance::explain_out_of_band() {
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) explain_group(gi);
}

// The parent when no number of cells fits its weight, then its locked cells out of band, then
// its other cells out of band.
void LevelRebalance::explain_group(std::size_t gi) {
  const CellGroup& g = groups_[gi];
  const GroupOutcome& oc = outcomes_[gi];
  const std::string parent = parent_code(grids_, g);
  double total = 0.0;
  for (double w : oc.pieces.graph.blocks.weight) total += w;
  const double fewest = std::max(1.0, std::ceil(total / options_.max_weight - 1e-9));
  const double most =
      options_.min_weight > 0 ? std::floor(total / options_.min_weight + 1e-9) : fewest;
  const bool count_fits = g.movable.empty() || fewest <= most;
  if (!count_fits) {
    report_.infeasible.push_back(
        {parent, "",
         "its movable weight " + number(total) + " cannot be divided into cells of " +
             number(options_.min_weight) + " to " + number(options_.max_weight)});
  }
  for (CellId id : g.cells) {
    if (!is_locked(id) || grids_.cell(id).kind == CellKind::kDedicated) continue;
    const double w = weight_before_[id];
    if (!in_band(w, options_)) {
      report_.infeasible.push_back(
          {parent, grids_.cell(id).code, outside_band(w) + ": the cell is locked"});
    }
  }
  for (std::size_t s = 0; s < oc.slot_code.size(); ++s) {
    if (oc.plan.alive.empty() || !oc.plan.alive[s]) continue;
    const double w = slot_weight(gi, s);
    if (in_band(w, options_)) continue;
    report_.infeasible.push_back(
        {parent, oc.slot_code[s], outside_band(w) + ": " + why_out_of_band(gi, s, count_fits)});
  }
}

std::string LevelRebalance::why_out_of_band(std::size_t gi, std::size_t s, bool count_fits) const {
  const CellGroup& g = groups_[gi];
  const GroupOutcome& oc = outcomes_[gi];
  const auto& pg = oc.pieces.graph;
  double heaviest = 0.0;
  bool has_neighbour = false;
  for (std::size_t p = 0; p < oc.plan.owner.size(); ++p) {
    if (oc.plan.owner[p] == static_cast<int>(s)) heaviest = std::max(heaviest, pg.blocks.weight[p]);
  }
  for (const internal::FaceAdjacency& e : pg.blocks.edges) {
    const int a = oc.plan.owner[static_cast<std::size_t>(e.a)];
    const int b = oc.plan.owner[static_cast<std::size_t>(e.b)];
    if (a != b && (a == static_cast<int>(s) || b == static_cast<int>(s))) has_neighbour = true;
  }
  if (!count_fits) return "its parent's movable weight fits no number of cells in the band";
  if (heaviest > options_.max_weight) {
    return "it holds a piece of weight " + number(heaviest) + " (" +
           (has_finer_ ? "one finer cell" : "one address") + "), more than a cell may hold";
  }
  const bool some_locked = g.movable.size() < g.cells.size();
  if (!has_neighbour) {
    return some_locked ? "its neighbours in the parent are locked"
                       : "it has no neighbour in its parent to trade land with";
  }
  std::string why = "its neighbours cannot take or give households without leaving the band";
  if (some_locked) why += " (some neighbours are locked)";
  return why;
}

std::string LevelRebalance::outside_band(double w) const {
  return "weight " + number(w) + " is outside " + number(options_.min_weight) + " to " +
         number(options_.max_weight);
}

// Today's households in slot s of group gi.
double LevelRebalance::slot_weight(std::size_t gi, std::size_t s) const {
  return outcomes_[gi].slot_weight[s];
}

}  // namespace

RebalanceReport rebalance(GridSet& grids, const std::vector<Unit>& units,
                          const std::vector<Barrier>& barriers, const RebalanceOptions& options) {
  check_options(grids, units, barriers, options);
  LevelRebalance run(grids, units, barriers, options);
  run.resolve_groups();
  run.weigh_units();
  run.lay_out_land();
  run.cut_blocks_that_change();
  run.plan_groups();
  run.assemble_grid_set();
  run.write_report();
  run.explain_out_of_band();
  grids = run.take_grid_set();
  return run.take_report();
}

}  // namespace libgrid
