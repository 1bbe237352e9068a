// Contiguity repair: a cell in several pieces within one piece of its parent keeps its main
// piece and hands the others to the neighbouring cell they share most boundary with.
#pragma once

#include <vector>

#include "partition/face_set.h"

namespace libgrid::internal {

// `part` numbers the faces' cells within each parent. A cell's main piece is its heaviest,
// then largest; a piece with no neighbour in another cell (an island of the parent) stays.
void make_parts_contiguous(const FaceSet& faces, const std::vector<double>& face_weight,
                           std::vector<int>& part);

}  // namespace libgrid::internal
