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

struct ParentInput {
  const Cell* cell;
  GeosContext::Geometry geometry;
  std::vector<Unit> units;
  std::size_t count = 0;  // cells of the partition under it
  double min_part = 0.0, max_part = 0.0;
};

Polygon box_polygon(const Box& b) {
  return Polygon{{{{b.min_x, b.min_y},
                   {b.max_x, b.min_y},
                   {b.max_x, b.max_y},
                   {b.min_x, b.max_y},
                   {b.min_x, b.min_y}}}};
}

std::vector<Point> k_means(const std::vector<Unit>& units, std::size_t k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<Point> centres;
  // k-means++ seeding, weighted by households.
  std::vector<double> d2(units.size(), INFINITY);
  auto pick = [&](const std::vector<double>& mass) {
    double total = 0.0;
    for (double m : mass) total += m;
    double r = uniform() * total;
    for (std::size_t i = 0; i < mass.size(); ++i) {
      r -= mass[i];
      if (r <= 0) return i;
    }
    return mass.size() - 1;
  };
  std::vector<double> mass(units.size());
  for (std::size_t i = 0; i < units.size(); ++i) mass[i] = std::max(units[i].weight, 1e-9);
  centres.push_back(units[pick(mass)].location);
  while (centres.size() < k) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      const Point c = centres.back();
      d2[i] = std::min(
          d2[i], std::pow(units[i].location.x - c.x, 2) + std::pow(units[i].location.y - c.y, 2));
      mass[i] = std::max(units[i].weight, 1e-9) * d2[i];
    }
    centres.push_back(units[pick(mass)].location);
  }
  std::vector<std::size_t> owner(units.size());
  for (int iteration = 0; iteration < 50; ++iteration) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      double best = INFINITY;
      for (std::size_t c = 0; c < k; ++c) {
        const double d = std::pow(units[i].location.x - centres[c].x, 2) +
                         std::pow(units[i].location.y - centres[c].y, 2);
        if (d < best) {
          best = d;
          owner[i] = c;
        }
      }
    }
    std::vector<double> sx(k, 0), sy(k, 0), sw(k, 0);
    for (std::size_t i = 0; i < units.size(); ++i) {
      const double w = std::max(units[i].weight, 1e-9);
      sx[owner[i]] += w * units[i].location.x;
      sy[owner[i]] += w * units[i].location.y;
      sw[owner[i]] += w;
    }
    for (std::size_t c = 0; c < k; ++c) {
      if (sw[c] > 0) centres[c] = {sx[c] / sw[c], sy[c] / sw[c]};
    }
  }
  return centres;
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
  GeosContext geos;
  std::vector<ParentInput> parents;
  std::unordered_map<CellId, std::size_t> slot;
  for (CellId id : grids.cells_of_level(parent_level)) {
    slot[id] = parents.size();
    parents.push_back({&grids.cell(id), geos.to_geos(grids.cell(id).geometry), {}, 0, 0, 0});
  }
  for (CellId id : grids.cells_of_level(new_level)) ++parents[slot[grids.cell(id).parent]].count;
  {
    const CellIndex index(grids);
    for (const Unit& u : units) {
      const CellId holder = index.lookup_level(u.location, parent_level);
      if (holder != kNoCell) parents[slot[holder]].units.push_back(u);
    }
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

  std::vector<PartitionSummary> summaries;
  for (const bool squares : {true, false}) {
    std::vector<GeosContext::Geometry> shapes;
    std::vector<internal::MeasuredCell> measured;
    std::vector<PartitionCellReport> cells;
    for (const ParentInput& p : parents) {
      if (p.count == 0) continue;
      const Box b = envelope(p.cell->geometry);
      const GeosContext::Prepared prepared = geos.prepare(*p.geometry);
      std::vector<GeosContext::Geometry> pieces;
      std::vector<double> weight;
      if (squares) {
        // The side giving as many clipped squares as the partition has cells (bisection).
        const double area = geos.area(*p.geometry);
        double lo = std::sqrt(area / static_cast<double>(p.count)) / 4;
        double hi = std::sqrt(area / static_cast<double>(p.count)) * 4;
        auto squares_of = [&](double side, bool keep) {
          std::size_t n = 0;
          const auto nx = static_cast<long long>(std::ceil((b.max_x - b.min_x) / side));
          const auto ny = static_cast<long long>(std::ceil((b.max_y - b.min_y) / side));
          for (long long j = 0; j < std::max(ny, 1LL); ++j) {
            for (long long i = 0; i < std::max(nx, 1LL); ++i) {
              const Box s{b.min_x + static_cast<double>(i) * side,
                          b.min_y + static_cast<double>(j) * side,
                          b.min_x + static_cast<double>(i + 1) * side,
                          b.min_y + static_cast<double>(j + 1) * side};
              const GeosContext::Geometry square = geos.to_geos(MultiPolygon{{box_polygon(s)}});
              if (!geos.intersects(*prepared, *square)) continue;
              GeosContext::Geometry piece = geos.intersection(*p.geometry, *square);
              if (geos.area(*piece) <= 0) continue;
              ++n;
              if (keep) {
                pieces.push_back(std::move(piece));
                double w = 0.0;
                for (const Unit& u : p.units) {
                  if (u.location.x >= s.min_x && u.location.x < s.max_x &&
                      u.location.y >= s.min_y && u.location.y < s.max_y) {
                    w += u.weight;
                  }
                }
                weight.push_back(w);
              }
            }
          }
          return n;
        };
        for (int i = 0; i < 24 && squares_of((lo + hi) / 2, false) != p.count; ++i) {
          (squares_of((lo + hi) / 2, false) > p.count ? lo : hi) = (lo + hi) / 2;
        }
        squares_of((lo + hi) / 2, true);
      } else {
        const std::size_t k = std::min(p.count, p.units.size());
        if (k == 0) continue;
        const std::vector<Point> centres = k_means(p.units, k, o.seed);
        weight.assign(k, 0.0);
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
        // Each centre's Voronoi cell, clipped to the parent.
        const GeosContext::Geometry frame = geos.to_geos(MultiPolygon{{box_polygon(b)}});
        const std::vector<GeosContext::Geometry> regions = geos.voronoi_cells(centres, *frame);
        std::vector<double> kept;
        for (std::size_t c = 0; c < k; ++c) {
          GeosContext::Geometry piece = geos.intersection(*p.geometry, *regions[c]);
          if (geos.area(*piece) <= 0) continue;
          pieces.push_back(std::move(piece));
          kept.push_back(weight[c]);
        }
        weight = kept;
      }
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        internal::MeasuredCell m;
        m.code = p.cell->code;
        m.parent_code = p.cell->code;
        m.weight = weight[i];
        m.min_part = p.min_part;
        m.max_part = p.max_part;
        m.geometry = pieces[i].get();
        cells.push_back(internal::measure_cell(geos, m));
        measured.push_back(m);
      }
      for (auto& piece : pieces) shapes.push_back(std::move(piece));
    }
    summaries.push_back(
        internal::summarize(squares ? "square grid" : "k-means + Voronoi", cells, measured));
  }
  return summaries;
}

}  // namespace libgrid
