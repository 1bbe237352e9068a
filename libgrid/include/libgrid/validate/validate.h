// Validation of a grid set: coverage and nesting of every level, geometry, codes and the roster.
//
// Each level is checked against the level above. A problem is either spatial, located by the
// area it concerns (a gap, an overlap, a part of a cell outside its parent, the stray parts of
// a cell in more pieces than its parent), or not (a code, a missing parent, the roster).
//
// SLIVERS. Separately digitised layers disagree along their shared boundaries by thin strips.
// A spatial problem whose thickness, 2 × area / perimeter (the width of a long thin strip), is
// no more than ValidateOptions::tolerance is a sliver, told apart from a real error; with the
// default tolerance 0 nothing is a sliver. Areas and thicknesses are in the grid set's CRS
// units (square degrees and degrees for lon/lat data).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/geometry/polygon.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {

struct ValidateOptions {
  // Spatial problems no thicker than this are slivers. REQUIRES: >= 0.
  double tolerance = 0.0;
  // The level whose cells need exactly one grid worker (一格一员); empty: the level named "grid"
  // if there is one. Skipped when the grid set has no roster at all. A level named here that the
  // grid set lacks is the unknown level error (GridSet::require_level, option "grid_level").
  std::string grid_level{};
};

enum class ProblemKind {
  kGap,                     // part of a parent covered by none of its children
  kOverlap,                 // two cells of one level share area
  kOutsideParent,           // part of a cell outside its parent
  kInvalidGeometry,         // GEOS finds the geometry invalid (as import would refuse it)
  kNotContiguous,           // a cell in more parts than its parent
  kDuplicateCode,           // never reported: a GridSet cannot hold one (add_cell refuses it)
  kMalformedCode,           // not all digits, or not the usual length, unlike most of its level
  kCodeNotExtendingParent,  // the code does not start with the parent's code (CJ/T 349's
                            // 20 digits: does not carry it after the 6-digit object code)
  kGridWorkers,             // a grid without exactly one grid worker
  kNoParent,                // a cell below the top level with no parent
};

// "gap", "overlap", "outside_parent", "invalid_geometry", "not_contiguous", "duplicate_code",
// "malformed_code", "code_not_extending_parent", "grid_workers", "no_parent".
std::string_view to_string(ProblemKind kind);
std::optional<ProblemKind> parse_problem_kind(std::string_view text);

struct Problem {
  ProblemKind kind = ProblemKind::kGap;
  int level = 0;  // the level whose cells have the problem (for a gap: the children's)
  // The cell concerned: for a gap the parent, for an overlap the cell with the smaller code.
  std::string cell_code{};
  // The other cell: the parent (outside_parent, not_contiguous, code_not_extending_parent), the
  // second cell of an overlap; empty otherwise.
  std::string other_code{};
  double area = 0.0;       // of `where`; 0 for problems that are not areas
  double thickness = 0.0;  // 2 × area / perimeter of `where`; 0 for problems that are not areas
  bool sliver = false;     // thickness <= ValidateOptions::tolerance
  std::string detail{};    // in words, e.g. "3 parts; its parent has 1"
  // The problem's area: one polygon of a gap, overlap or outside part; the stray parts of a
  // non-contiguous cell; the whole cell for invalid geometry. Empty for the others.
  MultiPolygon where{};
};

struct ValidationReport {
  // Ordered by level, kind (in the enum's order), cell code, other code, then larger area first.
  std::vector<Problem> problems{};

  std::size_t count(ProblemKind kind) const;
  std::size_t sliver_count() const;
  // Problems that are not slivers.
  std::size_t real_count() const { return problems.size() - sliver_count(); }
  // No problems but slivers.
  bool clean() const { return real_count() == 0; }
};

// Runs every check on every level:
//  - gaps: per parent with at least one child, the parent minus the union of its children, one
//    problem per polygon (level 0 has no parent, so no gaps);
//  - overlaps: per pair of cells of a level, one problem per polygon of their intersection;
//  - outside parent: per cell, one problem per polygon of the cell minus its parent;
//  - invalid geometry: rings not closed or of fewer than 4 points, and GEOS's validity check
//    (a ring touching itself to form a hole is accepted, as import does); such cells are left
//    out of the other spatial checks (and their parent out of the gap check);
//  - not contiguous: a cell with more polygons than its parent;
//  - codes: not all digits where most codes of the level are, a length other than the one most
//    codes of the level have, and not starting with the parent's code;
//  - no parent: cells below level 0 without one;
//  - grid workers: cells of options.grid_level without exactly one grid worker in the roster.
// Spatial problems of zero area are not problems, nor are strips no thicker than 16 units in the
// last place of their coordinates (rounding where lines were noded: 7e-9 m at 4e6 m). Throws
// Error(kInvalidInput) for a negative tolerance, or when GEOS fails on valid geometry (naming the
// cells).
ValidationReport validate(const GridSet& grids, const ValidateOptions& options = {});

}  // namespace libgrid
