#include "internal/banded_edges.h"

#include <algorithm>
#include <cmath>

#include "libgrid/error.h"
#include "libgrid/model/grid_set.h"

namespace libgrid::internal {
namespace {

std::uint32_t band_of(const CellBands& c, double y) {
  const double t = (y - c.min_y) * c.inverse_band_height;
  if (!(t > 0.0)) return 0;
  return t >= c.bands ? c.bands - 1 : static_cast<std::uint32_t>(t);
}

}  // namespace

BandedEdges BandedEdges::build(const GridSet& grids, int bands_per_cell) {
  std::vector<Point> vertices;
  std::vector<CellBands> cells;
  std::vector<std::uint32_t> band_offsets;
  std::vector<std::uint32_t> band_edges;
  std::vector<std::uint32_t> edges;  // of the current cell
  std::vector<std::uint32_t> counts;
  for (const Cell& cell : grids.cells()) {
    edges.clear();
    double min_y = std::numeric_limits<double>::infinity();
    double max_y = -min_y;
    for (const auto& polygon : cell.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        const auto first = static_cast<std::uint32_t>(vertices.size());
        vertices.insert(vertices.end(), ring.begin(), ring.end());
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          min_y = std::min(min_y, ring[i].y);
          max_y = std::max(max_y, ring[i].y);
          if (ring[i].y != ring[i + 1].y) edges.push_back(first + static_cast<std::uint32_t>(i));
        }
      }
    }
    if (vertices.size() >= UINT32_MAX / 2) {
      throw Error(ErrorKind::kInvalidInput,
                  "grid set too large for one index (over 2^31 vertices)");
    }
    CellBands c;
    c.min_y = std::isfinite(min_y) ? min_y : 0.0;
    c.bands = bands_per_cell > 0
                  ? static_cast<std::uint32_t>(bands_per_cell)
                  : static_cast<std::uint32_t>(std::clamp<std::size_t>(edges.size() / 8, 1, 4096));
    const double height = max_y - min_y;
    c.inverse_band_height = height > 0.0 && std::isfinite(height) ? c.bands / height : 0.0;
    if (c.inverse_band_height == 0.0 || !std::isfinite(c.inverse_band_height)) {
      c.bands = 1;
      c.inverse_band_height = 0.0;
    }
    c.first_band = static_cast<std::uint32_t>(band_offsets.size());
    // Counting sort of (edge, band) pairs: an edge goes into every band its y-span reaches.
    counts.assign(c.bands, 0);
    for (std::uint32_t e : edges) {
      const auto [lo, hi] = std::minmax(vertices[e].y, vertices[e + 1].y);
      for (std::uint32_t b = band_of(c, lo), last = band_of(c, hi); b <= last; ++b) ++counts[b];
    }
    std::uint32_t at = static_cast<std::uint32_t>(band_edges.size());
    for (std::uint32_t b = 0; b < c.bands; ++b) {
      band_offsets.push_back(at);
      at += counts[b];
    }
    band_offsets.push_back(at);
    band_edges.resize(at);
    for (std::uint32_t b = 0; b < c.bands; ++b) counts[b] = band_offsets[c.first_band + b];
    for (std::uint32_t e : edges) {
      const auto [lo, hi] = std::minmax(vertices[e].y, vertices[e + 1].y);
      for (std::uint32_t b = band_of(c, lo), last = band_of(c, hi); b <= last; ++b) {
        band_edges[counts[b]++] = e;
      }
    }
    cells.push_back(c);
  }
  BandedEdges result;
  result.vertices = FlatArray<Point>(std::move(vertices));
  result.cells = FlatArray<CellBands>(std::move(cells));
  result.band_offsets = FlatArray<std::uint32_t>(std::move(band_offsets));
  result.band_edges = FlatArray<std::uint32_t>(std::move(band_edges));
  return result;
}

}  // namespace libgrid::internal
