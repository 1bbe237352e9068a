// A balanced, connected partition of a block graph by recursive bisection on random spanning
// trees (the recursive tree partition of redistricting tools, with cut quality scored).
//
// Each bisection of a connected set S into k parts draws spanning trees of S with random edge
// keys, barrier edges drawn last, so that a tree crosses barriers seldom and its subtrees end on
// them. Cutting one tree edge leaves two connected sides. Over all trees and edges the cut kept
// is the one whose sides are closest to their share of the band (0 when within), then the most
// compact (Polsby-Popper of both sides), the shortest off the barriers, and the nearest to an
// even split.
#pragma once

#include <cstdint>
#include <vector>

#include "libgrid/geometry/point.h"
#include "partition/face_set.h"

namespace libgrid::internal {

struct BlockGraph {
  std::vector<double> weight;
  std::vector<double> area;
  std::vector<double> perimeter;
  std::vector<Point> inside;         // joins separate components (islands) by nearest blocks
  std::vector<FaceAdjacency> edges;  // indices into the vectors above
};

// part[i] for every block, parts numbered from 0; fewer than k parts only when the graph has
// fewer than k blocks. Every part's weight lies in [min_part, max_part] when the recursion
// finds such cuts; with min_part == max_part the parts are as even as it can make them.
// Deterministic for a seed.
std::vector<int> bisect_into_parts(const BlockGraph& graph, int k, double min_part, double max_part,
                                   std::uint64_t seed);

}  // namespace libgrid::internal
