#include "libgrid/partition/partition.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <numeric>
#include <unordered_map>

#include "internal/digest.h"
#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/codes/grid_code.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "partition/contiguity.h"
#include "partition/face_locator.h"
#include "partition/face_set.h"
#include "partition/partition_metrics.h"
#include "partition/regular_lattice.h"
#include "partition/tree_bisection.h"
#include "partition/weighted_cuts.h"

namespace libgrid {

using internal::FaceLocator;
using internal::FaceSet;
using internal::GeosContext;

std::string_view to_string(PartitionMethod method) {
  switch (method) {
    case PartitionMethod::kUnits:
      return "units";
    case PartitionMethod::kSquare:
      return "square";
    case PartitionMethod::kHex:
      return "hex";
    case PartitionMethod::kBeidou:
      return "beidou";
  }
  return "units";
}

std::optional<PartitionMethod> parse_partition_method(std::string_view text) {
  for (PartitionMethod m : {PartitionMethod::kUnits, PartitionMethod::kSquare,
                            PartitionMethod::kHex, PartitionMethod::kBeidou}) {
    if (text == to_string(m)) return m;
  }
  return std::nullopt;
}

namespace {

// Refinement rounds: each halves the granularity of the blocks of parents still out of band.
constexpr int kRounds = 5;
// Other cell counts within the band tried, each refinement round, for a parent out of band.
constexpr std::size_t kOtherCounts = 4;
// The most lattice cells a regular partition may lay over the parents' extent.
constexpr double kMaxLatticeCells = 4e6;

[[noreturn]] void bad_option(const std::string& what) {
  throw Error(ErrorKind::kInvalidInput, what);
}

void check_options(const GridSet& grids, const std::vector<Unit>& units,
                   const std::vector<Barrier>& barriers, const PartitionOptions& o) {
  const int parent = grids.level_index(o.parent_level);
  if (parent < 0) bad_option("no level '" + o.parent_level + "' in the grid set");
  if (parent + 1 != static_cast<int>(grids.levels().size())) {
    bad_option("level '" + o.parent_level + "' already has a finer level '" +
               grids.levels()[static_cast<std::size_t>(parent) + 1] +
               "': partition the finest level");
  }
  if (o.new_level.empty()) bad_option("the new level needs a name");
  if (grids.level_index(o.new_level) >= 0) bad_option("level '" + o.new_level + "' exists already");
  if (o.code_digits < 1 || o.code_digits > 9) bad_option("code digits must be 1 to 9");
  switch (o.method) {
    case PartitionMethod::kUnits: {
      const bool band = o.min_weight.has_value() || o.max_weight.has_value();
      if (band == (o.count > 0)) bad_option("give either a band (--target MIN:MAX) or --count");
      if (o.count < 0) bad_option("--count must be positive");
      if (band) {
        if (!o.min_weight || !o.max_weight) bad_option("a band needs both MIN and MAX");
        if (!std::isfinite(*o.min_weight) || !std::isfinite(*o.max_weight) || *o.min_weight < 0) {
          bad_option("the band's MIN and MAX must be finite and not negative");
        }
        if (*o.min_weight > *o.max_weight) {
          bad_option("empty band: MIN " + internal::short_number_text(*o.min_weight) +
                     " is above MAX " + internal::short_number_text(*o.max_weight));
        }
        if (*o.max_weight <= 0) bad_option("the band's MAX must be above 0");
      }
      break;
    }
    case PartitionMethod::kSquare:
    case PartitionMethod::kHex:
      if (!(o.size > 0) || !std::isfinite(o.size)) bad_option("--size must be a positive length");
      break;
    case PartitionMethod::kBeidou:
      if (o.beidou_level < 1 || o.beidou_level > 10) bad_option("--beidou-level must be 1 to 10");
      if (grids.crs().empty()) bad_option("the grid set has no CRS: the Beidou grid needs one");
      break;
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!std::isfinite(u.location.x) || !std::isfinite(u.location.y)) {
      bad_option("unit " + std::to_string(i + 1) + " has no finite location");
    }
    if (!std::isfinite(u.weight) || u.weight < 0) {
      bad_option("unit " + std::to_string(i + 1) + " has weight " +
                 internal::short_number_text(u.weight) +
                 ": weights must be finite and not negative");
    }
  }
  for (std::size_t i = 0; i < barriers.size(); ++i) {
    if (barriers[i].size() < 2) {
      bad_option("barrier " + std::to_string(i + 1) + " is not a line (fewer than 2 points)");
    }
    for (const Point& p : barriers[i]) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        bad_option("barrier " + std::to_string(i + 1) + " has a coordinate that is not finite");
      }
    }
  }
}

std::vector<CellId> chosen_parents(const GridSet& grids, const PartitionOptions& o) {
  const int level = grids.level_index(o.parent_level);
  if (o.parents.empty()) return grids.cells_of_level(level);
  std::vector<CellId> result;
  for (const std::string& code : o.parents) {
    const CellId id = grids.find(code);
    if (id == kNoCell) bad_option("no cell with code '" + code + "'");
    if (grids.cell(id).level != level) {
      bad_option("cell '" + code + "' is not of level '" + o.parent_level + "'");
    }
    if (std::find(result.begin(), result.end(), id) == result.end()) result.push_back(id);
  }
  return result;
}

std::vector<std::vector<Point>> barriers_near(const std::vector<Barrier>& barriers,
                                              const std::vector<Box>& boxes, const Box& extent) {
  std::vector<std::vector<Point>> near;
  for (std::size_t i = 0; i < barriers.size(); ++i) {
    const Box& b = boxes[i];
    if (b.max_x < extent.min_x || b.min_x > extent.max_x || b.max_y < extent.min_y ||
        b.min_y > extent.max_y) {
      continue;
    }
    near.push_back(barriers[i]);
  }
  return near;
}

// The plan for one parent: its cuts, and its blocks (by a point inside) with their parts.
struct ParentPlan {
  std::vector<std::vector<Point>> cuts;
  std::unique_ptr<FaceSet> faces;  // the parent's own blocks, from its last round
  std::unique_ptr<FaceLocator> locator;
  std::vector<int> part;  // per block of `faces`
  int parts = 0;
  double min_part = 0.0, max_part = 0.0;
  std::vector<std::string> reasons;  // why it cannot be all in band
};

struct Band {
  double min = 0.0, max = 0.0;
};

// The numbers of cells whose mean weight lies in the band: fewest..most (none when fewest >
// most).
struct CountRange {
  double fewest = 1.0, most = 1.0;
};
CountRange counts_in_band(double total, const Band& band) {
  const double fewest = std::max(1.0, std::ceil(total / band.max - 1e-9));
  return {fewest, band.min > 0 ? std::floor(total / band.min + 1e-9) : fewest};
}

// How many cells a parent of weight `total` gets, and each cell's band.
int cell_count(double total, const PartitionOptions& o, Band& part, std::string& reason) {
  if (o.count > 0) {
    part.min = part.max = total / o.count;
    return o.count;
  }
  const double lo = *o.min_weight, hi = *o.max_weight;
  part = {lo, hi};
  if (total <= 0) {
    if (lo > 0) reason = "no units: weight 0 is below the band";
    return 1;
  }
  const auto [fewest, most] = counts_in_band(total, part);
  if (fewest <= most) {
    const double mid = 0.5 * (lo + hi);
    return static_cast<int>(std::clamp(std::round(total / mid), fewest, std::max(fewest, most)));
  }
  // No whole number of cells: the one that misses the band least, and say so.
  auto miss = [&](double k) { return std::max({0.0, total / k - hi, lo - total / k}); };
  reason = "weight " + internal::short_number_text(total) + " cannot be divided into cells of " +
           internal::short_number_text(lo) + " to " + internal::short_number_text(hi);
  const double other = std::max(1.0, fewest - 1);
  return static_cast<int>(miss(fewest) <= miss(other) ? fewest : other);
}

// Up to kOtherCounts other numbers of cells whose mean weight lies in the band, nearest to
// `chosen` first.
std::vector<int> other_cell_counts(double total, const Band& band, int chosen) {
  const CountRange range = counts_in_band(total, band);
  std::vector<int> counts;
  for (int k = static_cast<int>(range.fewest); k <= static_cast<int>(range.most); ++k) {
    if (k != chosen) counts.push_back(k);
  }
  std::stable_sort(counts.begin(), counts.end(),
                   [&](int a, int b) { return std::abs(a - chosen) < std::abs(b - chosen); });
  if (counts.size() > kOtherCounts) counts.resize(kOtherCounts);
  return counts;
}

void plan_parent(const GeosContext& geos, const GEOSGeometry& parent,
                 const std::vector<std::vector<Point>>& barriers, const GEOSGeometry* barrier_lines,
                 double tolerance, const std::vector<internal::WeightedPoint>& units,
                 const PartitionOptions& o, std::uint64_t seed, ParentPlan& plan) {
  double total = 0.0;
  for (const auto& u : units) total += u.weight;
  Band band;
  std::string reason;
  plan.parts = cell_count(total, o, band, reason);
  plan.min_part = band.min;
  plan.max_part = band.max;
  if (!reason.empty()) plan.reasons.push_back(reason);
  // Blocks no heavier than the band's width let a cut land inside it; start coarser, so that
  // cells follow barriers where the blocks allow.
  double granularity = o.count > 0 ? band.max / 2 : band.max;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::vector<Point>> lines = barriers;
    lines.insert(lines.end(), plan.cuts.begin(), plan.cuts.end());
    plan.faces = std::make_unique<FaceSet>(
        internal::build_faces(geos, {&parent}, lines, barrier_lines, tolerance));
    const FaceSet& faces = *plan.faces;
    plan.locator = std::make_unique<FaceLocator>(geos, faces, 0, faces.size());
    internal::BlockGraph graph;
    graph.weight.assign(faces.size(), 0.0);
    graph.area = faces.area;
    graph.perimeter = faces.perimeter;
    graph.inside = faces.inside;
    graph.edges = faces.adjacency;
    std::vector<std::vector<internal::WeightedPoint>> in_face(faces.size());
    for (const auto& u : units) {
      const std::size_t f = plan.locator->locate(u.location);
      graph.weight[f] += u.weight;
      in_face[f].push_back(u);
    }
    plan.part = internal::bisect_into_parts(graph, plan.parts, band.min, band.max, seed);
    if (faces.size() == 0) return;
    const double slack = 1e-9 * std::max(1.0, band.max);
    const double allowed = o.count > 0 ? 0.1 * band.max : 0.0;  // --count: within 10% of even
    auto parts_made = [](const std::vector<int>& part) {
      return *std::max_element(part.begin(), part.end()) + 1;
    };
    auto all_in_band = [&](const std::vector<int>& part, int parts) {
      const int made = parts_made(part);
      std::vector<double> weight(static_cast<std::size_t>(made), 0.0);
      for (std::size_t f = 0; f < faces.size(); ++f) {
        weight[static_cast<std::size_t>(part[f])] += graph.weight[f];
      }
      return made == parts && std::all_of(weight.begin(), weight.end(), [&](double w) {
               return w >= band.min - allowed - slack && w <= band.max + allowed + slack;
             });
    };
    bool in_band = all_in_band(plan.part, plan.parts);
    // The band may allow a few other cell counts, which these blocks may split into.
    if (!in_band && o.count == 0 && reason.empty()) {
      for (const int k : other_cell_counts(total, band, plan.parts)) {
        std::vector<int> part = internal::bisect_into_parts(graph, k, band.min, band.max, seed);
        if (!all_in_band(part, k)) continue;
        plan.part = std::move(part);
        plan.parts = k;
        in_band = true;
        break;
      }
    }
    if (in_band || round + 1 == kRounds) break;
    // A parent no number of cells fits is refined only until it has its cells.
    if (!reason.empty() && parts_made(plan.part) == plan.parts) break;
    // Refine: split the blocks heavier than the granularity, halving it each round.
    if (o.count == 0)
      granularity = round == 0 ? std::max(band.max - band.min, band.max / 4) : granularity / 2;
    else
      granularity /= 2;
    bool refined = false;
    for (std::size_t f = 0; f < faces.size(); ++f) {
      if (graph.weight[f] <= granularity) continue;
      auto cuts = internal::weighted_cuts(geos, *faces.geometry[f], in_face[f], granularity);
      refined |= !cuts.empty();
      plan.cuts.insert(plan.cuts.end(), cuts.begin(), cuts.end());
    }
    if (!refined) break;
  }
}

std::uint64_t parent_seed(std::uint64_t seed, const std::string& code) {
  std::uint64_t h = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
  for (unsigned char c : code) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::string sequence_code(const std::string& parent, std::size_t n, int digits) {
  std::string seq = std::to_string(n);
  if (static_cast<int>(seq.size()) > digits) {
    bad_option("parent '" + parent + "' gets " + std::to_string(n) + " cells: more than " +
               std::to_string(digits) + " digits of sequence can number");
  }
  return parent + std::string(static_cast<std::size_t>(digits) - seq.size(), '0') + seq;
}

// Why a cell is out of band, where one unit explains it.
std::string heavy_unit_note(const std::vector<std::vector<internal::WeightedPoint>>& units_of,
                            const std::unordered_map<CellId, std::size_t>& parent_slot,
                            const GridSet& grids, const PartitionCellReport& cell,
                            const internal::MeasuredCell& m,
                            const std::vector<Infeasibility>& infeasible) {
  const auto slot = parent_slot.find(grids.find(cell.parent_code));
  if (slot == parent_slot.end()) return "";
  double heaviest = 0.0;
  for (const auto& u : units_of[slot->second]) heaviest = std::max(heaviest, u.weight);
  for (const Infeasibility& f : infeasible) {
    if (f.parent_code == cell.parent_code && f.cell_code.empty()) {
      return ": its parent's weight fits no number of cells in the band";
    }
  }
  if (cell.weight > m.max_part && heaviest > m.max_part) {
    return ": the parent has a unit of weight " + internal::short_number_text(heaviest) +
           ", more than a cell may hold";
  }
  return ": no connected split of the parent's blocks meets the band";
}

}  // namespace

PartitionReport partition(GridSet& grids, const std::vector<Unit>& units,
                          const std::vector<Barrier>& barriers, const PartitionOptions& o) {
  check_options(grids, units, barriers, o);
  const int parent_level = grids.level_index(o.parent_level);
  const std::vector<CellId> parents = chosen_parents(grids, o);
  GeosContext geos;

  // Parents as GEOS geometry; an invalid one cannot be partitioned.
  std::vector<GeosContext::Geometry> parent_geometry;
  std::vector<const GEOSGeometry*> parent_ptrs;
  Box extent;
  std::unordered_map<CellId, std::size_t> parent_slot;
  for (std::size_t i = 0; i < parents.size(); ++i) {
    const Cell& cell = grids.cell(parents[i]);
    parent_geometry.push_back(geos.to_geos(cell.geometry));
    if (const auto invalid = geos.invalidity(*parent_geometry.back())) {
      bad_option("parent '" + cell.code + "' is invalid: " + internal::describe(*invalid) +
                 " (run gridtool validate)");
    }
    parent_ptrs.push_back(parent_geometry.back().get());
    const Box b = envelope(cell.geometry);
    extent.expand(Point{b.min_x, b.min_y});
    extent.expand(Point{b.max_x, b.max_y});
    parent_slot[parents[i]] = i;
  }

  PartitionReport report;
  report.units = units.size();
  // Units by parent, through the grid set's own lookup.
  std::vector<std::vector<internal::WeightedPoint>> units_of(parents.size());
  {
    const CellIndex index(grids);
    for (const Unit& u : units) {
      const CellId holder = index.lookup_level(u.location, parent_level);
      if (holder == kNoCell) {
        ++report.units_outside;
        continue;
      }
      const auto slot = parent_slot.find(holder);
      if (slot == parent_slot.end()) {
        ++report.units_elsewhere;
        continue;
      }
      units_of[slot->second].push_back({u.location, u.weight});
      report.total_weight += u.weight;
    }
  }

  std::vector<Box> barrier_boxes;
  for (const Barrier& b : barriers) {
    Box box;
    for (const Point& p : b) box.expand(p);
    barrier_boxes.push_back(box);
  }
  const double diagonal = std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  const double on_barrier = 1e-9 * std::max(diagonal, 1.0);
  GeosContext::Geometry barrier_lines;
  if (!barriers.empty()) barrier_lines = geos.to_geos_lines(barriers);

  // Each parent's blocks and parts, then all noded together so that neighbours share vertices.
  std::vector<ParentPlan> plans(parents.size());
  std::vector<std::vector<Point>> lines = barriers_near(barriers, barrier_boxes, extent);
  internal::Lattice lattice;
  if (o.method == PartitionMethod::kUnits) {
    for (std::size_t i = 0; i < parents.size(); ++i) {
      const Box b = envelope(grids.cell(parents[i]).geometry);
      plan_parent(geos, *parent_ptrs[i], barriers_near(barriers, barrier_boxes, b),
                  barrier_lines.get(), on_barrier, units_of[i], o,
                  parent_seed(o.seed, grids.cell(parents[i]).code), plans[i]);
      lines.insert(lines.end(), plans[i].cuts.begin(), plans[i].cuts.end());
    }
  } else {
    lattice = o.method == PartitionMethod::kSquare
                  ? internal::square_lattice(extent, o.size, kMaxLatticeCells)
              : o.method == PartitionMethod::kHex
                  ? internal::hex_lattice(extent, o.size, kMaxLatticeCells)
                  : internal::beidou_lattice(extent, o.beidou_level, grids.crs(), kMaxLatticeCells);
    lines.insert(lines.end(), lattice.lines.begin(), lattice.lines.end());
  }
  const FaceSet faces =
      internal::build_faces(geos, parent_ptrs, lines, barrier_lines.get(), on_barrier);

  // The part of every face, numbered per parent.
  std::vector<int> part(faces.size(), 0);
  std::vector<int> parts_of(parents.size(), 0);
  std::vector<std::vector<std::string>> lattice_name(parents.size());
  for (std::size_t p = 0; p < parents.size(); ++p) {
    std::map<std::string, int> by_name;
    for (std::size_t f = faces.first_of_parent[p]; f < faces.first_of_parent[p + 1]; ++f) {
      if (o.method == PartitionMethod::kUnits) {
        const ParentPlan& plan = plans[p];
        part[f] = plan.part.empty() ? 0 : plan.part[plan.locator->locate(faces.inside[f])];
      } else {
        const auto [it, added] =
            by_name.try_emplace(lattice.cell_of(faces.inside[f]), static_cast<int>(by_name.size()));
        part[f] = it->second;
      }
      parts_of[p] = std::max(parts_of[p], part[f] + 1);
    }
    lattice_name[p].resize(by_name.size());
    for (const auto& [name, k] : by_name) lattice_name[p][static_cast<std::size_t>(k)] = name;
  }

  // Units by face, then cells made whole where rounding left a sliver of a face astray.
  std::vector<double> face_weight(faces.size(), 0.0);
  for (std::size_t p = 0; p < parents.size(); ++p) {
    if (faces.first_of_parent[p] == faces.first_of_parent[p + 1]) continue;
    const FaceLocator locator(geos, faces, faces.first_of_parent[p], faces.first_of_parent[p + 1]);
    for (const auto& u : units_of[p]) face_weight[locator.locate(u.location)] += u.weight;
  }
  if (o.method == PartitionMethod::kUnits)
    internal::make_parts_contiguous(faces, face_weight, part);

  // Dissolve, weigh, number and add the new cells.
  // Into a copy, so that a failure part way leaves the caller's grid set as it was.
  GridSet out = grids;
  const int new_level = out.add_level(o.new_level);
  std::vector<GeosContext::Geometry> merged_cells;
  std::vector<internal::MeasuredCell> measured;
  for (std::size_t p = 0; p < parents.size(); ++p) {
    const Cell& parent = out.cell(parents[p]);
    const std::string parent_code = parent.code;
    const auto n = static_cast<std::size_t>(parts_of[p]);
    std::vector<std::vector<const GEOSGeometry*>> members(n);
    for (std::size_t f = faces.first_of_parent[p]; f < faces.first_of_parent[p + 1]; ++f) {
      members[static_cast<std::size_t>(part[f])].push_back(faces.geometry[f].get());
    }
    std::vector<double> weight(n, 0.0);
    for (std::size_t f = faces.first_of_parent[p]; f < faces.first_of_parent[p + 1]; ++f) {
      weight[static_cast<std::size_t>(part[f])] += face_weight[f];
    }
    // Each cell's band: the plan's, or for a lattice the parent's mean (as even as can be).
    double min_part = 0.0, max_part = 0.0;
    if (o.method == PartitionMethod::kUnits) {
      min_part = plans[p].min_part;
      max_part = plans[p].max_part;
    } else if (n > 0) {
      min_part = max_part =
          std::accumulate(weight.begin(), weight.end(), 0.0) / static_cast<double>(n);
    }

    const std::size_t base = measured.size();
    std::vector<MultiPolygon> shapes(n);
    for (std::size_t k = 0; k < n; ++k) {
      internal::MeasuredCell m;
      m.parent_code = parent_code;
      m.weight = weight[k];
      m.min_part = min_part;
      m.max_part = max_part;
      m.inner_boundary = barriers.empty() ? -1.0 : 0.0;  // no barriers: no share to speak of
      if (!members[k].empty()) {
        merged_cells.push_back(internal::dissolve(geos, members[k]));
        m.geometry = merged_cells.back().get();
        shapes[k] = geos.to_multipolygon(*m.geometry);
      }
      measured.push_back(std::move(m));
    }
    // Boundaries between the parent's cells, and how much of them lies on barriers.
    for (const internal::FaceAdjacency& adj : faces.adjacency) {
      if (faces.parent[static_cast<std::size_t>(adj.a)] != static_cast<int>(p)) continue;
      const int pa = part[static_cast<std::size_t>(adj.a)];
      const int pb = part[static_cast<std::size_t>(adj.b)];
      if (pa == pb) continue;
      for (const int k : {pa, pb}) {
        internal::MeasuredCell& m = measured[base + static_cast<std::size_t>(k)];
        if (m.inner_boundary < 0) continue;
        m.inner_boundary += adj.length;
        m.barrier_boundary += adj.barrier_length;
      }
    }
    // Added under provisional codes, then numbered as gridtool code numbers cells.
    std::vector<CellId> added;
    std::vector<std::size_t> part_of_added;
    for (std::size_t k = 0; k < n; ++k) {
      if (members[k].empty()) continue;
      Cell cell;
      cell.code = parent_code + "~" + std::to_string(k);
      cell.level = new_level;
      cell.parent = parents[p];
      cell.geometry = std::move(shapes[k]);
      cell.households = std::llround(weight[k]);
      if (o.method == PartitionMethod::kBeidou) {
        cell.name = lattice_name[p][k];
        cell.attributes.push_back({"beidou_code", lattice_name[p][k]});
      }
      added.push_back(out.add_cell(std::move(cell)));
      part_of_added.push_back(k);
    }
    std::size_t seq = 0;
    for (CellId id : sequence_order(out, added)) {
      const std::string code = sequence_code(parent_code, ++seq, o.code_digits);
      const auto at =
          static_cast<std::size_t>(std::find(added.begin(), added.end(), id) - added.begin());
      measured[base + part_of_added[at]].code = code;
      out.set_code(id, code);
    }
    if (o.method == PartitionMethod::kUnits) {
      const ParentPlan& plan = plans[p];
      for (const std::string& r : plan.reasons) report.infeasible.push_back({parent_code, "", r});
      if (plan.reasons.empty() && static_cast<int>(seq) < plan.parts) {
        report.infeasible.push_back({parent_code, "",
                                     "only " + std::to_string(seq) + " of " +
                                         std::to_string(plan.parts) +
                                         " cells could be formed: too few blocks"});
      }
    }
  }
  measured.erase(
      std::remove_if(measured.begin(), measured.end(),
                     [](const internal::MeasuredCell& m) { return m.geometry == nullptr; }),
      measured.end());
  std::sort(measured.begin(), measured.end(),
            [](const internal::MeasuredCell& a, const internal::MeasuredCell& b) {
              return a.code < b.code;
            });
  for (const internal::MeasuredCell& m : measured) {
    report.cells.push_back(internal::measure_cell(geos, m));
    const PartitionCellReport& c = report.cells.back();
    if (o.method == PartitionMethod::kUnits && c.deviation != 0 &&
        !internal::in_band(c.weight, m.min_part, m.max_part)) {
      report.infeasible.push_back(
          {c.parent_code, c.code,
           "weight " + internal::short_number_text(c.weight) + " is outside " +
               internal::short_number_text(m.min_part) +
               (m.min_part == m.max_part ? " ± 10%"
                                         : " to " + internal::short_number_text(m.max_part)) +
               heavy_unit_note(units_of, parent_slot, out, c, m, report.infeasible)});
    }
  }
  grids = std::move(out);
  report.summary = internal::summarize(o.method == PartitionMethod::kUnits
                                           ? "libgrid"
                                           : "libgrid " + std::string(to_string(o.method)),
                                       report.cells, measured);
  return report;
}

}  // namespace libgrid
