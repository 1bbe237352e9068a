// The usual recipes, measured beside the partition: a clipped square grid and k-means with
// Voronoi cells, both with the partition's number of cells per parent.
#include <algorithm>
#include <cmath>
#include <random>
#include <unordered_map>

#include "internal/geos_context.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/partition/partition.h"
#include "partition/partition_metrics.h"

namespace libgrid {
namespace {

using internal::GeosContext;

// A parent as the baselines see it: its units, and the cells and band of the partition in it.
struct ParentInput {
  const Cell* cell;
  GeosContext::Geometry geometry;
  std::vector<Unit> units;
  std::size_t count = 0;  // cells of the partition under it
  double min_part = 0.0, max_part = 0.0;
};

// A cell of a baseline in one parent: its shape, clipped to the parent, and its weight.
struct Piece {
  GeosContext::Geometry geometry;
  double weight = 0.0;
};

// A lattice square over a parent and its part inside the parent.
struct ClippedSquare {
  Box square;
  GeosContext::Geometry piece;
};

// The cells of one baseline, measured like the partition's (`measured` points into `shapes`).
struct Baseline {
  std::vector<GeosContext::Geometry> shapes;
  std::vector<internal::MeasuredCell> measured;
  std::vector<PartitionCellReport> cells;
};

Polygon box_polygon(const Box& b) {
  return Polygon{{{{b.min_x, b.min_y},
                   {b.max_x, b.min_y},
                   {b.max_x, b.max_y},
                   {b.min_x, b.max_y},
                   {b.min_x, b.min_y}}}};
}

double squared_distance(const Point& a, const Point& b) {
  return std::pow(a.x - b.x, 2) + std::pow(a.y - b.y, 2);
}

// A unit's share in the k-means: its households, a little for none.
double mass_of(const Unit& unit) { return std::max(unit.weight, 1e-9); }

// An index drawn with probability proportional to its mass.
std::size_t pick(const std::vector<double>& mass, double uniform) {
  double total = 0.0;
  for (double m : mass) total += m;
  double r = uniform * total;
  for (std::size_t i = 0; i < mass.size(); ++i) {
    r -= mass[i];
    if (r <= 0) return i;
  }
  return mass.size() - 1;
}

// k-means++ seeding, weighted by households.
std::vector<Point> first_centres(const std::vector<Unit>& units, std::size_t k,
                                 std::mt19937_64& rng) {
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<Point> centres;
  std::vector<double> d2(units.size(), INFINITY);
  std::vector<double> mass(units.size());
  for (std::size_t i = 0; i < units.size(); ++i) mass[i] = mass_of(units[i]);
  centres.push_back(units[pick(mass, uniform())].location);
  while (centres.size() < k) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      d2[i] = std::min(d2[i], squared_distance(units[i].location, centres.back()));
      mass[i] = mass_of(units[i]) * d2[i];
    }
    centres.push_back(units[pick(mass, uniform())].location);
  }
  return centres;
}

// Each unit's nearest centre, into `owner` (left as it was where no distance is finite).
void assign_to_nearest(const std::vector<Unit>& units, const std::vector<Point>& centres,
                       std::vector<std::size_t>& owner) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    double best = INFINITY;
    for (std::size_t c = 0; c < centres.size(); ++c) {
      const double d = squared_distance(units[i].location, centres[c]);
      if (d < best) {
        best = d;
        owner[i] = c;
      }
    }
  }
}

// Each centre moved to the weighted mean of its units; a centre without units stays.
void move_centres(const std::vector<Unit>& units, const std::vector<std::size_t>& owner,
                  std::vector<Point>& centres) {
  const std::size_t k = centres.size();
  std::vector<double> sx(k, 0), sy(k, 0), sw(k, 0);
  for (std::size_t i = 0; i < units.size(); ++i) {
    const double w = mass_of(units[i]);
    sx[owner[i]] += w * units[i].location.x;
    sy[owner[i]] += w * units[i].location.y;
    sw[owner[i]] += w;
  }
  for (std::size_t c = 0; c < k; ++c) {
    if (sw[c] > 0) centres[c] = {sx[c] / sw[c], sy[c] / sw[c]};
  }
}

std::vector<Point> k_means(const std::vector<Unit>& units, std::size_t k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Point> centres = first_centres(units, k, rng);
  std::vector<std::size_t> owner(units.size());
  for (int iteration = 0; iteration < 50; ++iteration) {
    assign_to_nearest(units, centres, owner);
    move_centres(units, owner, centres);
  }
  return centres;
}

// The parents of the partition, with their units (through the grid set's lookup), their
// number of new cells, and the band each cell is measured against: the partition's, or for a
// count or a regular method the parent's mean.
std::vector<ParentInput> parent_inputs(const GeosContext& geos, const GridSet& grids,
                                       const std::vector<Unit>& units, const PartitionOptions& o,
                                       int parent_level, int new_level) {
  std::vector<ParentInput> parents;
  std::unordered_map<CellId, std::size_t> slot;
  for (CellId id : grids.cells_of_level(parent_level)) {
    slot[id] = parents.size();
    parents.push_back({&grids.cell(id), geos.to_geos(grids.cell(id).geometry), {}, 0, 0, 0});
  }
  for (CellId id : grids.cells_of_level(new_level)) ++parents[slot[grids.cell(id).parent]].count;
  const CellIndex index(grids);
  for (const Unit& u : units) {
    const CellId holder = index.lookup_level(u.location, parent_level);
    if (holder != kNoCell) parents[slot[holder]].units.push_back(u);
  }
  for (ParentInput& p : parents) {
    double total = 0.0;
    for (const Unit& u : p.units) total += u.weight;
    if (o.method == PartitionMethod::kUnits && o.count == 0) {
      p.min_part = *o.min_weight;
      p.max_part = *o.max_weight;
    } else if (p.count > 0) {
      p.min_part = p.max_part = total / static_cast<double>(p.count);
    }
  }
  return parents;
}

// The squares of side `side` laid from the parent's south-west corner, row by row, clipped to
// it; those that keep no area are left out.
std::vector<ClippedSquare> clipped_squares(const GeosContext& geos, const ParentInput& p,
                                           const GeosContext::Prepared& prepared, double side) {
  const Box b = envelope(p.cell->geometry);
  const auto nx = static_cast<long long>(std::ceil((b.max_x - b.min_x) / side));
  const auto ny = static_cast<long long>(std::ceil((b.max_y - b.min_y) / side));
  std::vector<ClippedSquare> squares;
  for (long long j = 0; j < std::max(ny, 1LL); ++j) {
    for (long long i = 0; i < std::max(nx, 1LL); ++i) {
      const Box s{b.min_x + static_cast<double>(i) * side, b.min_y + static_cast<double>(j) * side,
                  b.min_x + static_cast<double>(i + 1) * side,
                  b.min_y + static_cast<double>(j + 1) * side};
      const GeosContext::Geometry square = geos.to_geos(MultiPolygon{{box_polygon(s)}});
      if (!geos.intersects(*prepared, *square)) continue;
      GeosContext::Geometry piece = geos.intersection(*p.geometry, *square);
      if (geos.area(*piece) <= 0) continue;
      squares.push_back({s, std::move(piece)});
    }
  }
  return squares;
}

// The square grid: the side giving as many clipped squares as the partition has cells (found
// by bisection), each square weighing the units in it (west and south edges included).
std::vector<Piece> square_grid(const GeosContext& geos, const ParentInput& p) {
  const GeosContext::Prepared prepared = geos.prepare(*p.geometry);
  const double area = geos.area(*p.geometry);
  double lo = std::sqrt(area / static_cast<double>(p.count)) / 4;
  double hi = std::sqrt(area / static_cast<double>(p.count)) * 4;
  for (int i = 0; i < 24; ++i) {
    const std::size_t n = clipped_squares(geos, p, prepared, (lo + hi) / 2).size();
    if (n == p.count) break;
    (n > p.count ? lo : hi) = (lo + hi) / 2;
  }
  std::vector<Piece> pieces;
  for (ClippedSquare& c : clipped_squares(geos, p, prepared, (lo + hi) / 2)) {
    double w = 0.0;
    for (const Unit& u : p.units) {
      if (u.location.x >= c.square.min_x && u.location.x < c.square.max_x &&
          u.location.y >= c.square.min_y && u.location.y < c.square.max_y) {
        w += u.weight;
      }
    }
    pieces.push_back({std::move(c.piece), w});
  }
  return pieces;
}

// k-means of the units (as many centres as the partition has cells, at most one per unit),
// each centre's Voronoi cell clipped to the parent and weighing the units nearest to it.
std::vector<Piece> k_means_voronoi(const GeosContext& geos, const ParentInput& p,
                                   std::uint64_t seed) {
  const std::size_t k = std::min(p.count, p.units.size());
  if (k == 0) return {};
  const std::vector<Point> centres = k_means(p.units, k, seed);
  std::vector<double> weight(k, 0.0);
  for (const Unit& u : p.units) {
    std::size_t best = 0;
    double best_d = INFINITY;
    for (std::size_t c = 0; c < k; ++c) {
      const double d = std::hypot(u.location.x - centres[c].x, u.location.y - centres[c].y);
      if (d < best_d) {
        best_d = d;
        best = c;
      }
    }
    weight[best] += u.weight;
  }
  const GeosContext::Geometry frame =
      geos.to_geos(MultiPolygon{{box_polygon(envelope(p.cell->geometry))}});
  const std::vector<GeosContext::Geometry> regions = geos.voronoi_cells(centres, *frame);
  std::vector<Piece> pieces;
  for (std::size_t c = 0; c < k; ++c) {
    GeosContext::Geometry piece = geos.intersection(*p.geometry, *regions[c]);
    if (geos.area(*piece) <= 0) continue;
    pieces.push_back({std::move(piece), weight[c]});
  }
  return pieces;
}

// One parent's pieces measured, as cells named by the parent's code, into the baseline.
void add_pieces(const GeosContext& geos, const ParentInput& p, std::vector<Piece> pieces,
                Baseline& baseline) {
  for (Piece& piece : pieces) {
    internal::MeasuredCell m;
    m.code = p.cell->code;
    m.parent_code = p.cell->code;
    m.weight = piece.weight;
    m.min_part = p.min_part;
    m.max_part = p.max_part;
    m.geometry = piece.geometry.get();
    baseline.cells.push_back(internal::measure_cell(geos, m));
    baseline.measured.push_back(m);
    baseline.shapes.push_back(std::move(piece.geometry));
  }
}

}  // namespace

std::vector<PartitionSummary> partition_baselines(const GridSet& grids,
                                                  const std::vector<Unit>& units,
                                                  const std::vector<Barrier>&,
                                                  const PartitionOptions& o) {
  const int parent_level = grids.level_index(o.parent_level);
  const int new_level = grids.level_index(o.new_level);
  if (parent_level < 0 || new_level != parent_level + 1) {
    throw Error(ErrorKind::kInvalidInput, "baselines need the partition's result in the grid set");
  }
  const GeosContext geos;
  const std::vector<ParentInput> parents =
      parent_inputs(geos, grids, units, o, parent_level, new_level);
  Baseline squares, k_means;
  for (const ParentInput& p : parents) {
    if (p.count == 0) continue;
    add_pieces(geos, p, square_grid(geos, p), squares);
  }
  for (const ParentInput& p : parents) {
    if (p.count == 0) continue;
    add_pieces(geos, p, k_means_voronoi(geos, p, o.seed), k_means);
  }
  return {internal::summarize("square grid", squares.cells, squares.measured),
          internal::summarize("k-means + Voronoi", k_means.cells, k_means.measured)};
}

}  // namespace libgrid
