#include "partition/parent_plan.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "internal/text.h"
#include "partition/tree_bisection.h"
#include "partition/weighted_cuts.h"

namespace libgrid::internal {

namespace {

// Refinement rounds: each halves the granularity of the blocks of parents still out of band.
constexpr int kRounds = 5;
// Other cell counts within the band tried, each refinement round, for a parent out of band.
constexpr std::size_t kOtherCounts = 4;

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
  reason = "weight " + short_number_text(total) + " cannot be divided into cells of " +
           short_number_text(lo) + " to " + short_number_text(hi);
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

int parts_made(const std::vector<int>& part) {
  return *std::max_element(part.begin(), part.end()) + 1;
}

// The planning of one parent: the state its steps share, one method per step.
class ParentPlanner {
 public:
  ParentPlanner(const GeosContext& geos, const ParentLines& lines, const std::vector<Unit>& units,
                const std::vector<std::size_t>& inside, const PartitionOptions& options,
                std::uint64_t seed)
      : geos_(geos),
        lines_(lines),
        units_(units),
        inside_(inside),
        options_(options),
        seed_(seed) {}

  // Counts the cells, then blocks → weights → bisection, refined until the cells are in band.
  ParentPlan plan();

 private:
  void count_cells();
  void lay_blocks();
  void weigh_blocks();
  bool bisect();
  bool refine(int round);

  bool all_in_band(const std::vector<int>& part, int parts) const;

  const GeosContext& geos_;
  const ParentLines& lines_;
  const std::vector<Unit>& units_;
  const std::vector<std::size_t>& inside_;
  const PartitionOptions& options_;
  const std::uint64_t seed_;
  ParentPlan plan_;

  // count_cells
  double total_ = 0.0;
  Band band_;
  std::string reason_;  // why no number of cells fits the band; empty when one does
  double granularity_ = 0.0;

  // weigh_blocks
  BlockGraph graph_;
  std::vector<std::vector<std::size_t>> units_of_block_;
};

ParentPlan ParentPlanner::plan() {
  count_cells();
  for (int round = 0; round < kRounds; ++round) {
    lay_blocks();
    weigh_blocks();
    if (bisect() || round + 1 == kRounds) break;
    // A parent no number of cells fits is refined only until it has its cells.
    if (!reason_.empty() && parts_made(plan_.part) == plan_.parts) break;
    if (!refine(round)) break;
  }
  return std::move(plan_);
}

// The parent's weight, its number of cells and their band.
void ParentPlanner::count_cells() {
  for (std::size_t u : inside_) total_ += units_[u].weight;
  plan_.parts = cell_count(total_, options_, band_, reason_);
  plan_.min_part = band_.min;
  plan_.max_part = band_.max;
  if (!reason_.empty()) plan_.reasons.push_back(reason_);
  // Blocks no heavier than the band's width let a cut land inside it; start coarser, so that
  // cells follow barriers where the blocks allow.
  granularity_ = options_.count > 0 ? band_.max / 2 : band_.max;
}

// Blocks: the parent cut by the barriers near it and by the cuts so far.
void ParentPlanner::lay_blocks() {
  std::vector<std::vector<Point>> lines = lines_.barriers;
  lines.insert(lines.end(), plan_.cuts.begin(), plan_.cuts.end());
  plan_.faces = std::make_unique<FaceSet>(
      build_faces(geos_, {lines_.parent}, lines, lines_.barrier_lines, lines_.tolerance));
  plan_.locator = std::make_unique<FaceLocator>(geos_, *plan_.faces, 0, plan_.faces->size());
}

// Weights: the units of each block, and the blocks' graph.
void ParentPlanner::weigh_blocks() {
  const FaceSet& faces = *plan_.faces;
  FaceUnits held(faces.size());
  add_units(*plan_.locator, units_, inside_, held);
  graph_.weight = std::move(held.weight);
  graph_.area = faces.area;
  graph_.perimeter = faces.perimeter;
  graph_.inside = faces.inside;
  graph_.edges = faces.adjacency;
  units_of_block_ = std::move(held.units);
}

// Bisection: the blocks split into the plan's number of cells or, where some cell misses the
// band, into another number the band allows. True when all are in band (or there are no
// blocks to split).
bool ParentPlanner::bisect() {
  plan_.part = bisect_into_parts(graph_, plan_.parts, band_.min, band_.max, seed_);
  if (plan_.faces->size() == 0) return true;
  if (all_in_band(plan_.part, plan_.parts)) return true;
  // The band may allow a few other cell counts, which these blocks may split into.
  if (options_.count > 0 || !reason_.empty()) return false;
  for (const int k : other_cell_counts(total_, band_, plan_.parts)) {
    std::vector<int> part = bisect_into_parts(graph_, k, band_.min, band_.max, seed_);
    if (!all_in_band(part, k)) continue;
    plan_.part = std::move(part);
    plan_.parts = k;
    return true;
  }
  return false;
}

// Refinement: cuts between the units of the blocks heavier than the granularity, which falls
// each round. False when no block could be cut.
bool ParentPlanner::refine(int round) {
  if (options_.count == 0)
    granularity_ = round == 0 ? std::max(band_.max - band_.min, band_.max / 4) : granularity_ / 2;
  else
    granularity_ /= 2;
  const FaceSet& faces = *plan_.faces;
  bool refined = false;
  for (std::size_t f = 0; f < faces.size(); ++f) {
    if (graph_.weight[f] <= granularity_) continue;
    std::vector<WeightedPoint> points;
    for (std::size_t u : units_of_block_[f]) {
      points.push_back({units_[u].location, units_[u].weight});
    }
    auto cuts = weighted_cuts(geos_, *faces.geometry[f], std::move(points), granularity_);
    refined |= !cuts.empty();
    plan_.cuts.insert(plan_.cuts.end(), cuts.begin(), cuts.end());
  }
  return refined;
}

// Every cell of `part` in band (--count: within 10% of even), and `parts` of them.
bool ParentPlanner::all_in_band(const std::vector<int>& part, int parts) const {
  const double slack = 1e-9 * std::max(1.0, band_.max);
  const double allowed = options_.count > 0 ? 0.1 * band_.max : 0.0;
  const int made = parts_made(part);
  std::vector<double> weight(static_cast<std::size_t>(made), 0.0);
  for (std::size_t f = 0; f < graph_.weight.size(); ++f) {
    weight[static_cast<std::size_t>(part[f])] += graph_.weight[f];
  }
  return made == parts && std::all_of(weight.begin(), weight.end(), [&](double w) {
           return w >= band_.min - allowed - slack && w <= band_.max + allowed + slack;
         });
}

}  // namespace

ParentPlan plan_parent(const GeosContext& geos, const ParentLines& lines,
                       const std::vector<Unit>& units, const std::vector<std::size_t>& inside,
                       const PartitionOptions& options, std::uint64_t seed) {
  return ParentPlanner(geos, lines, units, inside, options, seed).plan();
}

}  // namespace libgrid::internal
