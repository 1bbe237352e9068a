#include "libgrid/partition/partition.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <utility>

#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/codes/grid_code.h"
#include "libgrid/error.h"
#include "libgrid/geometry/polygon.h"
#include "libgrid/index/cell_index.h"
#include "partition/cell_layout.h"
#include "partition/face_locator.h"
#include "partition/face_set.h"
#include "partition/parent_plan.h"
#include "partition/partition_metrics.h"
#include "partition/regular_lattice.h"

namespace libgrid {

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

// The most lattice cells a regular partition may lay over the parents' extent.
constexpr double kMaxLatticeCells = 4e6;

[[noreturn]] void bad_option(const std::string& what) {
  throw Error(ErrorKind::kInvalidInput, what);
}

// `option`: the face-neutral name of the option at fault (Location::option).
[[noreturn]] void bad_option(const std::string& option, const std::string& what) {
  throw Error(ErrorKind::kInvalidInput, Location{.option = option}, what);
}

// The most cells of one parent that `digits` digits of sequence number: 999 for 3.
double most_numbered(int digits) { return std::pow(10.0, digits) - 1.0; }

void check_options(const GridSet& grids, const std::vector<Unit>& units,
                   const std::vector<Barrier>& barriers, const PartitionOptions& o) {
  const int parent = grids.require_level(o.parent_level, "parent_level");
  if (parent + 1 != static_cast<int>(grids.levels().size())) {
    bad_option("level '" + o.parent_level + "' already has a finer level '" +
               grids.levels()[static_cast<std::size_t>(parent) + 1] +
               "': partition the finest level");
  }
  if (o.new_level.empty()) bad_option("new_level", "the new level needs a name");
  if (grids.level_index(o.new_level) >= 0) {
    bad_option("new_level", "level '" + o.new_level + "' exists already");
  }
  if (o.code_digits < 1 || o.code_digits > 9) bad_option("code_digits", "must be 1 to 9");
  switch (o.method) {
    case PartitionMethod::kUnits: {
      const bool band = o.min_weight.has_value() || o.max_weight.has_value();
      if (band == (o.count > 0)) bad_option("count", "give either a target band or a count");
      if (o.count < 0) bad_option("count", "must be positive");
      if (o.count > most_numbered(o.code_digits)) {
        bad_option(std::to_string(o.count) + " cells per parent: more than " +
                   std::to_string(o.code_digits) + " digits of sequence can number");
      }
      if (band) {
        if (!o.min_weight || !o.max_weight) bad_option("target", "a band needs both MIN and MAX");
        if (!std::isfinite(*o.min_weight) || !std::isfinite(*o.max_weight) || *o.min_weight < 0) {
          bad_option("target", "the band's MIN and MAX must be finite and not negative");
        }
        if (*o.min_weight > *o.max_weight) {
          bad_option("target", "empty band: MIN " + internal::short_number_text(*o.min_weight) +
                                   " is above MAX " + internal::short_number_text(*o.max_weight));
        }
        if (*o.max_weight <= 0) bad_option("target", "the band's MAX must be above 0");
      }
      break;
    }
    case PartitionMethod::kSquare:
    case PartitionMethod::kHex:
      if (!(o.size > 0) || !std::isfinite(o.size)) bad_option("size", "must be a positive length");
      break;
    case PartitionMethod::kBeidou:
      if (o.beidou_level < 1 || o.beidou_level > 10) bad_option("beidou_level", "must be 1 to 10");
      if (grids.crs().empty()) bad_option("the grid set has no CRS: the Beidou grid needs one");
      break;
  }
  check_workload(units, barriers);
}

std::vector<CellId> chosen_parents(const GridSet& grids, const PartitionOptions& o) {
  const int level = grids.level_index(o.parent_level);
  if (o.parents.empty()) return grids.cells_of_level(level);
  std::vector<CellId> result;
  for (const std::string& code : o.parents) {
    const CellId id = grids.find(code);
    if (id == kNoCell) bad_option("parents", "no cell with code '" + code + "'");
    if (grids.cell(id).level != level) {
      bad_option("parents", "cell '" + code + "' is not of level '" + o.parent_level + "'");
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

// One partition of a level: the state its steps share, one method per step, called in order.
// `grids` is only read; the new level is added to a copy, so that a failure part way leaves the
// caller's grid set as it was.
class LevelPartition {
 public:
  // REQUIRES: check_options passed.
  LevelPartition(const GridSet& grids, const std::vector<Unit>& units,
                 const std::vector<Barrier>& barriers, const PartitionOptions& options)
      : grids_(grids),
        units_(units),
        barriers_(barriers),
        options_(options),
        parent_level_(grids.level_index(options.parent_level)) {}

  void choose_parents();
  void weigh_units();
  void prepare_barriers();
  void plan_cells();
  void node_all_parents();
  void part_faces();
  void weigh_faces();
  void repair_contiguity();
  void make_cells();
  void write_report();

  GridSet take_grid_set() { return std::move(out_); }
  PartitionReport take_report() { return std::move(report_); }

 private:
  // Steps of plan_cells.
  std::vector<internal::ParentPlan> plan_parents();
  internal::Lattice lay_lattice();

  // Steps of make_cells, per parent; `first` is the parent's first cell in measured_.
  std::vector<MultiPolygon> dissolve_cells(std::size_t p);
  void measure_inner_boundaries(std::size_t p, std::size_t first);
  std::size_t number_cells(std::size_t p, std::size_t first, std::vector<MultiPolygon>& shapes);
  void report_shortfalls(std::size_t p, std::size_t formed);

  std::string heavy_unit_note(const PartitionCellReport& cell,
                              const internal::MeasuredCell& m) const;

  const GridSet& grids_;
  const std::vector<Unit>& units_;
  const std::vector<Barrier>& barriers_;
  const PartitionOptions& options_;
  const int parent_level_;
  GeosContext geos_;  // before every GEOS geometry below, which it must outlive
  PartitionReport report_;

  // choose_parents
  std::vector<CellId> parents_;
  std::vector<GeosContext::Geometry> parent_geometry_;
  std::vector<const GEOSGeometry*> parent_ptrs_;
  std::unordered_map<CellId, std::size_t> parent_slot_;
  Box extent_;  // of the parents

  // weigh_units
  std::vector<std::vector<std::size_t>> units_of_;  // per parent: its units (indices)

  // prepare_barriers
  std::vector<Box> barrier_boxes_;
  double on_barrier_ = 0.0;  // how far from a barrier a boundary piece still counts as on it
  GeosContext::Geometry barrier_lines_;

  // plan_cells: what differs between the methods
  std::unique_ptr<internal::CellLayout> layout_;

  // node_all_parents
  FaceSet faces_;

  // part_faces, repair_contiguity
  std::vector<int> part_;      // per face: its cell within its parent
  std::vector<int> parts_of_;  // per parent: its number of cells

  // weigh_faces
  std::vector<double> face_weight_;

  // make_cells
  GridSet out_;
  int new_level_ = 0;
  std::vector<GeosContext::Geometry> merged_cells_;
  std::vector<internal::MeasuredCell> measured_;
};

// The parents chosen, as GEOS geometry (an invalid one cannot be partitioned), and their extent.
void LevelPartition::choose_parents() {
  parents_ = chosen_parents(grids_, options_);
  for (std::size_t i = 0; i < parents_.size(); ++i) {
    const Cell& cell = grids_.cell(parents_[i]);
    parent_geometry_.push_back(geos_.to_geos(cell.geometry));
    if (const auto invalid = geos_.invalidity(*parent_geometry_.back())) {
      bad_option("parent '" + cell.code + "' is invalid: " + internal::describe(*invalid) +
                 " (validate the grid set)");
    }
    parent_ptrs_.push_back(parent_geometry_.back().get());
    const Box b = envelope(cell.geometry);
    extent_.expand(Point{b.min_x, b.min_y});
    extent_.expand(Point{b.max_x, b.max_y});
    parent_slot_[parents_[i]] = i;
  }
}

// Units by parent, through the grid set's own lookup.
void LevelPartition::weigh_units() {
  report_.units = units_.size();
  units_of_.resize(parents_.size());
  const CellIndex index(grids_);
  for (std::size_t u = 0; u < units_.size(); ++u) {
    const CellId holder = index.lookup_level(units_[u].location, parent_level_);
    if (holder == kNoCell) {
      ++report_.units_outside;
      continue;
    }
    const auto slot = parent_slot_.find(holder);
    if (slot == parent_slot_.end()) {
      ++report_.units_elsewhere;
      continue;
    }
    units_of_[slot->second].push_back(u);
    report_.total_weight += units_[u].weight;
  }
}

// The barriers' boxes and linework, and how near a barrier counts as on it.
void LevelPartition::prepare_barriers() {
  for (const Barrier& b : barriers_) {
    Box box;
    for (const Point& p : b) box.expand(p);
    barrier_boxes_.push_back(box);
  }
  const double diagonal = std::hypot(extent_.max_x - extent_.min_x, extent_.max_y - extent_.min_y);
  on_barrier_ = 1e-9 * std::max(diagonal, 1.0);
  if (!barriers_.empty()) barrier_lines_ = geos_.to_geos_lines(barriers_);
}

// Each parent's plan by units, or the lattice of regular cells.
void LevelPartition::plan_cells() {
  layout_ = options_.method == PartitionMethod::kUnits
                ? internal::units_layout(plan_parents())
                : internal::lattice_layout(lay_lattice(), options_.method);
}

// Blocks → weights → bisection → refinement by cuts, parent by parent (partition/parent_plan.h).
std::vector<internal::ParentPlan> LevelPartition::plan_parents() {
  std::vector<internal::ParentPlan> plans;
  for (std::size_t i = 0; i < parents_.size(); ++i) {
    const Cell& cell = grids_.cell(parents_[i]);
    const internal::ParentLines lines{
        parent_ptrs_[i], barriers_near(barriers_, barrier_boxes_, envelope(cell.geometry)),
        barrier_lines_.get(), on_barrier_};
    plans.push_back(internal::plan_parent(geos_, lines, units_, units_of_[i], options_,
                                          parent_seed(options_.seed, cell.code)));
  }
  return plans;
}

// Regular cells: the square, hexagonal or Beidou lattice over the parents' extent.
internal::Lattice LevelPartition::lay_lattice() {
  const PartitionMethod m = options_.method;
  if (m == PartitionMethod::kSquare || m == PartitionMethod::kHex) {
    // A parent needs at least its area over a cell's in cells: more than the code digits can
    // number is known now, not after the lattice is cut (minutes and gigabytes on a city).
    const double size = options_.size;
    const double cell_area =
        m == PartitionMethod::kSquare ? size * size : std::sqrt(3.0) / 2.0 * size * size;
    const double most = most_numbered(options_.code_digits);
    for (const CellId id : parents_) {
      const double needed = std::ceil(area(grids_.cell(id).geometry) / cell_area);
      if (needed > most) {
        bad_option("parent '" + grids_.cell(id).code + "' needs at least " +
                   internal::short_number_text(needed) + " cells of size " +
                   internal::short_number_text(size) + ": more than " +
                   std::to_string(options_.code_digits) + " digits of sequence can number");
      }
    }
  }
  return m == PartitionMethod::kSquare
             ? internal::square_lattice(extent_, options_.size, kMaxLatticeCells)
         : m == PartitionMethod::kHex
             ? internal::hex_lattice(extent_, options_.size, kMaxLatticeCells)
             : internal::beidou_lattice(extent_, options_.beidou_level, grids_.crs(),
                                        kMaxLatticeCells);
}

// The final blocks: all parents' boundaries, the barriers and the cuts (or the lattice's
// lines) noded together, so that neighbours share vertices, inside and across parents.
void LevelPartition::node_all_parents() {
  std::vector<std::vector<Point>> lines = barriers_near(barriers_, barrier_boxes_, extent_);
  layout_->add_cut_lines(lines);
  faces_ = internal::build_faces(geos_, parent_ptrs_, lines, barrier_lines_.get(), on_barrier_);
}

// The part of every face, numbered per parent: the part of the plan's block holding its inside
// point, or the lattice cell holding it.
void LevelPartition::part_faces() {
  part_.assign(faces_.size(), 0);
  parts_of_.assign(parents_.size(), 0);
  for (std::size_t p = 0; p < parents_.size(); ++p) {
    const std::vector<int> cells = layout_->cells_of_faces(p, faces_);
    const std::size_t first = faces_.first_of_parent[p];
    for (std::size_t i = 0; i < cells.size(); ++i) {
      part_[first + i] = cells[i];
      parts_of_[p] = std::max(parts_of_[p], cells[i] + 1);
    }
  }
}

// The weight of every face: each parent's units located among its faces.
void LevelPartition::weigh_faces() {
  face_weight_ = internal::weigh_faces(geos_, faces_, units_, units_of_).weight;
}

// Cells made whole where rounding left a sliver of a face astray.
void LevelPartition::repair_contiguity() { layout_->make_contiguous(faces_, face_weight_, part_); }

// The new cells of every parent, dissolved, measured and numbered, into a copy of the grid set.
void LevelPartition::make_cells() {
  out_ = grids_;
  new_level_ = out_.add_level(options_.new_level);
  for (std::size_t p = 0; p < parents_.size(); ++p) {
    const std::size_t first = measured_.size();
    std::vector<MultiPolygon> shapes = dissolve_cells(p);
    measure_inner_boundaries(p, first);
    report_shortfalls(p, number_cells(p, first, shapes));
  }
}

// Dissolve: each cell of parent p the union of its faces, with its weight and band; its shape
// is returned, and empty for a cell with no face.
std::vector<MultiPolygon> LevelPartition::dissolve_cells(std::size_t p) {
  const auto n = static_cast<std::size_t>(parts_of_[p]);
  std::vector<std::vector<const GEOSGeometry*>> members(n);
  std::vector<double> weight(n, 0.0);
  for (std::size_t f = faces_.first_of_parent[p]; f < faces_.first_of_parent[p + 1]; ++f) {
    members[static_cast<std::size_t>(part_[f])].push_back(faces_.geometry[f].get());
    weight[static_cast<std::size_t>(part_[f])] += face_weight_[f];
  }
  const internal::CellBand band = layout_->band(p, weight);
  std::vector<MultiPolygon> shapes(n);
  for (std::size_t k = 0; k < n; ++k) {
    internal::MeasuredCell m;
    m.parent_code = grids_.cell(parents_[p]).code;
    m.weight = weight[k];
    m.min_part = band.min_part;
    m.max_part = band.max_part;
    m.inner_boundary = barriers_.empty() ? -1.0 : 0.0;  // no barriers: no share to speak of
    if (!members[k].empty()) {
      merged_cells_.push_back(internal::dissolve(geos_, members[k]));
      m.geometry = merged_cells_.back().get();
      shapes[k] = geos_.to_multipolygon(*m.geometry);
    }
    measured_.push_back(std::move(m));
  }
  return shapes;
}

// Boundaries between parent p's cells, and how much of them lies on barriers.
void LevelPartition::measure_inner_boundaries(std::size_t p, std::size_t first) {
  for (const internal::FaceAdjacency& adj : faces_.adjacency) {
    if (faces_.parent[static_cast<std::size_t>(adj.a)] != static_cast<int>(p)) continue;
    const int pa = part_[static_cast<std::size_t>(adj.a)];
    const int pb = part_[static_cast<std::size_t>(adj.b)];
    if (pa == pb) continue;
    for (const int k : {pa, pb}) {
      internal::MeasuredCell& m = measured_[first + static_cast<std::size_t>(k)];
      if (m.inner_boundary < 0) continue;
      m.inner_boundary += adj.length;
      m.barrier_boundary += adj.barrier_length;
    }
  }
}

// Number: parent p's cells added under provisional codes, then given sequence codes as gridtool
// code numbers cells. Returns how many cells were formed.
std::size_t LevelPartition::number_cells(std::size_t p, std::size_t first,
                                         std::vector<MultiPolygon>& shapes) {
  const std::string parent_code = grids_.cell(parents_[p]).code;
  std::vector<CellId> added;
  std::vector<std::size_t> part_of_added;
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    const internal::MeasuredCell& m = measured_[first + k];
    if (m.geometry == nullptr) continue;
    Cell cell;
    cell.code = parent_code + "~" + std::to_string(k);
    cell.level = new_level_;
    cell.parent = parents_[p];
    cell.geometry = std::move(shapes[k]);
    cell.households = std::llround(m.weight);
    layout_->name_cell(p, k, cell);
    added.push_back(out_.add_cell(std::move(cell)));
    part_of_added.push_back(k);
  }
  std::size_t seq = 0;
  for (CellId id : sequence_order(out_, added)) {
    const std::string code = sequence_code(parent_code, ++seq, options_.code_digits);
    const auto at =
        static_cast<std::size_t>(std::find(added.begin(), added.end(), id) - added.begin());
    measured_[first + part_of_added[at]].code = code;
    out_.set_code(id, code);
  }
  return seq;
}

// Why parent p cannot have all its cells in band, as its plan tells, or a shortfall of cells.
void LevelPartition::report_shortfalls(std::size_t p, std::size_t formed) {
  const std::string& parent_code = grids_.cell(parents_[p]).code;
  for (const std::string& r : layout_->parent_shortfalls(p, formed)) {
    report_.infeasible.push_back({parent_code, "", r});
  }
}

// Measure and report: every cell in code order, why each one out of band is, and the summary.
void LevelPartition::write_report() {
  measured_.erase(
      std::remove_if(measured_.begin(), measured_.end(),
                     [](const internal::MeasuredCell& m) { return m.geometry == nullptr; }),
      measured_.end());
  std::sort(measured_.begin(), measured_.end(),
            [](const internal::MeasuredCell& a, const internal::MeasuredCell& b) {
              return a.code < b.code;
            });
  for (const internal::MeasuredCell& m : measured_) {
    report_.cells.push_back(internal::measure_cell(geos_, m));
    const PartitionCellReport& c = report_.cells.back();
    if (layout_->explains_out_of_band() && c.deviation != 0 &&
        !internal::in_band(c.weight, m.min_part, m.max_part)) {
      report_.infeasible.push_back(
          {c.parent_code, c.code,
           "weight " + internal::short_number_text(c.weight) + " is outside " +
               internal::short_number_text(m.min_part) +
               (m.min_part == m.max_part ? " ± 10%"
                                         : " to " + internal::short_number_text(m.max_part)) +
               heavy_unit_note(c, m)});
    }
  }
  report_.summary = internal::summarize(layout_->summary_name(), report_.cells, measured_);
}

// Why a cell is out of band, where one unit explains it.
std::string LevelPartition::heavy_unit_note(const PartitionCellReport& cell,
                                            const internal::MeasuredCell& m) const {
  const auto slot = parent_slot_.find(grids_.find(cell.parent_code));
  if (slot == parent_slot_.end()) return "";
  double heaviest = 0.0;
  for (std::size_t u : units_of_[slot->second]) heaviest = std::max(heaviest, units_[u].weight);
  for (const Infeasibility& f : report_.infeasible) {
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
  grids.require_one_version("partition");
  check_options(grids, units, barriers, o);
  LevelPartition run(grids, units, barriers, o);
  run.choose_parents();
  run.weigh_units();
  run.prepare_barriers();
  run.plan_cells();
  run.node_all_parents();
  run.part_faces();
  run.weigh_faces();
  run.repair_contiguity();
  run.make_cells();
  run.write_report();
  grids = run.take_grid_set();
  return run.take_report();
}

}  // namespace libgrid
