#include "support/point_sets.h"

#include <algorithm>
#include <random>

namespace libgrid::bench {

PointSet uniform_in_extent(const Box& extent, std::size_t n, std::uint64_t seed) {
  PointSet s{"uniform_extent"};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(extent.min_x, extent.max_x);
  std::uniform_real_distribution<double> uy(extent.min_y, extent.max_y);
  s.x.reserve(n);
  s.y.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.x.push_back(ux(rng));
    s.y.push_back(uy(rng));
  }
  return s;
}

PointSet uniform_in_coverage(const Box& extent, const CellIndex& index, std::size_t n,
                             std::uint64_t seed) {
  PointSet s{"uniform_coverage"};
  std::uint64_t round = 0;
  while (s.size() < n) {
    // Candidates in batches, looked up on every core.
    const PointSet batch = uniform_in_extent(extent, n, seed + 1000003 * round++);
    std::vector<CellId> cells(batch.size());
    index.lookup(batch.x, batch.y, cells, 0);
    for (std::size_t i = 0; i < batch.size() && s.size() < n; ++i) {
      if (cells[i] == kNoCell) continue;
      s.x.push_back(batch.x[i]);
      s.y.push_back(batch.y[i]);
    }
  }
  return s;
}

PointSet clustered(const Box& extent, const AddressMixture& mixture, std::size_t n,
                   std::uint64_t seed) {
  PointSet s{"clustered"};
  std::mt19937_64 rng(seed);
  std::vector<double> weights;
  for (const auto& c : mixture.components) weights.push_back(c.weight);
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::normal_distribution<double> normal(0.0, 1.0);
  const double w = extent.max_x - extent.min_x, h = extent.max_y - extent.min_y;
  s.x.reserve(n);
  s.y.reserve(n);
  while (s.size() < n) {
    const auto& c = mixture.components[pick(rng)];
    const double u = c.u + c.sigma * normal(rng), v = c.v + c.sigma * normal(rng);
    if (u < 0.0 || u > 1.0 || v < 0.0 || v > 1.0) continue;
    s.x.push_back(extent.min_x + u * w);
    s.y.push_back(extent.min_y + v * h);
  }
  return s;
}

PointSet cell_vertices(const GridSet& grids, int level, std::size_t n, std::uint64_t seed) {
  std::vector<Point> all;
  for (const CellId id : grids.cells_of_level(level)) {
    for (const auto& polygon : grids.cell(id).geometry.polygons) {
      for (const auto& ring : polygon.rings) all.insert(all.end(), ring.begin(), ring.end() - 1);
    }
  }
  std::mt19937_64 rng(seed);
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(std::min(all.size(), n));
  PointSet s{"cell_vertices"};
  for (const Point& p : all) {
    s.x.push_back(p.x);
    s.y.push_back(p.y);
  }
  return s;
}

}  // namespace libgrid::bench
