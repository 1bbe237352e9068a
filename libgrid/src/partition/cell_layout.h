// How a partition method lays the cells of each parent over its faces: by units (a plan per
// parent, partition/parent_plan.h) or as a regular lattice (partition/regular_lattice.h). The
// steps of a partition are the same for every method; what differs is asked of a CellLayout.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "libgrid/geometry/point.h"
#include "libgrid/model/cell.h"
#include "libgrid/partition/partition.h"
#include "partition/face_set.h"
#include "partition/parent_plan.h"
#include "partition/regular_lattice.h"

namespace libgrid::internal {

// The weight a cell of a parent is measured against; min_part == max_part for "as even as
// possible" (see in_band).
struct CellBand {
  double min_part = 0.0;
  double max_part = 0.0;
};

class CellLayout {
 public:
  virtual ~CellLayout() = default;

  // Adds the lines the parents are cut along, besides their boundaries and the barriers.
  virtual void add_cut_lines(std::vector<std::vector<Point>>& lines) const = 0;

  // The cell, numbered from 0 within parent p, of each face of p (faces.first_of_parent[p]
  // on). Called once per parent, in order.
  virtual std::vector<int> cells_of_faces(std::size_t p, const FaceSet& faces) = 0;

  // Cells made whole where rounding left a sliver of a face astray; `part` is per face.
  virtual void make_contiguous(const FaceSet& faces, const std::vector<double>& face_weight,
                               std::vector<int>& part) const = 0;

  // The band of parent p's cells, whose weights are `weight`.
  virtual CellBand band(std::size_t p, const std::vector<double>& weight) const = 0;

  // Names the method gives cell k of parent p (the Beidou code), if any.
  virtual void name_cell(std::size_t p, std::size_t k, Cell& cell) const = 0;

  // Why parent p cannot have all its `formed` cells in band, as far as the layout knows.
  virtual std::vector<std::string> parent_shortfalls(std::size_t p, std::size_t formed) const = 0;

  // Whether a cell's weight outside its band is to be explained in the report.
  virtual bool explains_out_of_band() const = 0;

  // The method's name in the report's summary.
  virtual std::string summary_name() const = 0;
};

// By units: the plans of the parents, in the parents' order.
std::unique_ptr<CellLayout> units_layout(std::vector<ParentPlan> plans);

// Regular cells: the lattice laid over all the parents, for `method` (kSquare, kHex, kBeidou).
std::unique_ptr<CellLayout> lattice_layout(Lattice lattice, PartitionMethod method);

}  // namespace libgrid::internal
