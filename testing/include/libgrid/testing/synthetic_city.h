// A seeded generator of realistic city grid sets for scale tests and benchmarks.
//
// The city is made at test or benchmark time (never committed as data): one irregular district
// outline divided into streets, communities, grids and micro-grids, nested exactly, with no gaps
// or overlaps at any level. Everything is a union of squares of ONE jittered lattice whose nodes
// are computed once, so neighbouring cells share their boundaries vertex for vertex with
// bit-identical coordinates, at every level. Every lattice node on a boundary is a ring vertex
// (nothing is simplified), and every lattice edge carries `points_per_edge` further shared
// vertices: with the default 1, micro-grid rings have 16-60 vertices (28 on average), grids
// about 85, communities about 250.
//
// Cells are valid polygons: regions of squares are 4-connected and never touch themselves at a
// corner, shells run counter-clockwise and holes clockwise, rings are closed. About one
// micro-grid in 200 has a hole, filled by another micro-grid of the same grid.
//
// The same options give the same grid set, coordinate for coordinate.
#pragma once

#include <cstdint>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/model/grid_set.h"

namespace libgrid::testing {

struct SyntheticCityOptions {
  std::uint64_t seed = 1;
  // Number of finest cells wanted; the city has this many, give or take a few per thousand.
  // REQUIRES: >= 1.
  int microgrids = 100000;
  // Lattice spacing in metres (coordinates are in a projected CRS). REQUIRES: > 0.
  double cell_size = 60.0;
  // Near the middle of the district.
  Point origin{500000.0, 4400000.0};
  // Vertices added along every lattice edge, slightly off the straight line; 0 keeps edges
  // straight. REQUIRES: 0 <= points_per_edge <= 8.
  int points_per_edge = 1;
};

// The lattice a synthetic city is drawn on, for tests that probe it.
struct SyntheticLattice {
  int columns = 0;  // squares west to east
  int rows = 0;     // squares south to north
  // Node (i, j), 0 <= i <= columns, 0 <= j <= rows, at nodes[j * (columns + 1) + i].
  std::vector<Point> nodes{};
  // Square (i, j), with corners node(i, j) and node(i + 1, j + 1), belongs to the district
  // when in_district[j * columns + i] is 1.
  std::vector<std::uint8_t> in_district{};

  Point node(int i, int j) const {
    return nodes[static_cast<std::size_t>(j) * static_cast<std::size_t>(columns + 1) +
                 static_cast<std::size_t>(i)];
  }
  // False outside the lattice.
  bool district_square(int i, int j) const {
    return i >= 0 && j >= 0 && i < columns && j < rows &&
           in_district[static_cast<std::size_t>(j) * static_cast<std::size_t>(columns) +
                       static_cast<std::size_t>(i)] != 0;
  }
};

struct SyntheticCity {
  GridSet grids{};
  SyntheticLattice lattice{};
};

// Five levels "district", "street", "community", "grid", "microgrid": one district (code
// "110119"), streets of 8-12 communities, communities of 6-10 grids, grids of 5-10 micro-grids,
// micro-grids of 4-12 lattice squares (one around a hole up to 16). Each level's codes extend
// their parent's by 3 digits (more where a cell has over 999 children), numbered north to
// south, then west to east; names are the level's initial and a running number ("G000123").
// Every micro-grid has 30-60 households and about 2.6 people per household; coarser cells hold
// the sums of their children. CRS "EPSG:4548".
// Throws Error(kInvalidInput) for options outside their REQUIRES.
SyntheticCity generate_synthetic_city(const SyntheticCityOptions& options = {});

// generate_synthetic_city(options).grids.
GridSet make_synthetic_city(const SyntheticCityOptions& options = {});

}  // namespace libgrid::testing
