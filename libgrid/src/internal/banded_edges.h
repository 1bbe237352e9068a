// Every cell's edges, bucketed into horizontal bands of the cell's envelope, so that the exact
// test of the boundary rule (internal/ring_crossing.h) reads only the edges whose y-span reaches
// the point's band: the crossing test ignores all others anyway.
//
// Ring vertices are stored once, rings closed and back to back; an edge is named by the index of
// its first vertex. Horizontal edges, which never cross the rule's ray, are left out of the bands.
#pragma once

#include <cstdint>

#include "internal/flat_array.h"
#include "internal/ring_crossing.h"
#include "libgrid/geometry/point.h"
#include "libgrid/model/cell.h"

namespace libgrid {
class GridSet;
}

namespace libgrid::internal {

struct CellBands {
  double min_y = 0.0;
  double inverse_band_height = 0.0;  // 0 when the cell has one band
  std::uint32_t bands = 1;
  std::uint32_t first_band = 0;  // into band_offsets; bands + 1 entries
};

struct BandedEdges {
  FlatArray<Point> vertices;
  FlatArray<CellBands> cells;
  FlatArray<std::uint32_t> band_offsets;  // into band_edges
  FlatArray<std::uint32_t> band_edges;    // first-vertex indices

  // `bands_per_cell` 0 picks about one band per eight edges.
  static BandedEdges build(const GridSet& grids, int bands_per_cell);

  // The cell holds p under the boundary rule. Exact.
  bool holds(CellId cell, Point p) const {
    return crossings_odd(band_index(cells[static_cast<std::size_t>(cell)], p), p);
  }

  // The pieces of holds(), for lookups that interleave many points and prefetch between steps:
  // the index into band_offsets of p's band of a cell, then the parity of the crossings there.
  std::uint32_t band_index(const CellBands& c, Point p) const {
    const double t = (p.y - c.min_y) * c.inverse_band_height;
    std::uint32_t band = 0;
    if (t > 0.0) band = t >= c.bands ? c.bands - 1 : static_cast<std::uint32_t>(t);
    return c.first_band + band;
  }
  bool crossings_odd(std::uint32_t band, Point p) const {
    const std::uint32_t end = band_offsets[band + 1];
    bool inside = false;
    for (std::uint32_t i = band_offsets[band]; i < end; ++i) {
      const std::uint32_t e = band_edges[i];
      if (crosses_north_ray(vertices[e], vertices[e + 1], p)) inside = !inside;
    }
    return inside;
  }

  std::size_t bytes() const {
    return vertices.bytes() + cells.bytes() + band_offsets.bytes() + band_edges.bytes();
  }
};

}  // namespace libgrid::internal
