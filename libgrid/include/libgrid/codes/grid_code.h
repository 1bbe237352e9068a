// Standard grid codes: their formats, a full check of one code, and renumbering a level.
//
// FORMATS. Every format below codes a grid (网格) inside a community or village (社区/村) whose own
// code has 12 digits: 6 county (GB/T 2260) + 3 street/town (GB/T 10114) + 3 community/village.
//
//   unit15  Beijing unit grid, DB11/T 2157-2023: 15 digits = the 12-digit community code + a
//           3-digit sequence 001–999.
//   unit14  CJ/T 213-2005: 14 digits = the 12-digit community code + a 2-digit sequence 01–99
//           (00 codes the community itself, never one of its grids).
//   cjt349  CJ/T 349-2010: 20 digits = a 6-digit management-object code + the 12-digit
//           community code (community part 601 and above: a grid formed by merging communities)
//           + a 2-digit sequence, 00 when the community is not subdivided (its one grid), else
//           01–99. The parent's code is embedded after the object code, not at the start.
//
// SEQUENCE ORDER. Grid sequence numbers run west→east, north→south within their community.
// assign_codes makes that precise:
//   1. Each cell is represented by the centroid of its area (shells minus holes); a cell of no
//      area by the centre of its bounding box.
//   2. The row height h is half the median bounding-box height of the parent's children.
//   3. Children are taken from north to south by representative point (larger y first; ties by
//      smaller x, then by old code). The first one not yet in a row opens a row at its y; every
//      later child whose y is no more than h below that opening y joins the row.
//   4. Rows are numbered north to south; within a row, children run west to east by x (ties: the
//      larger y, then the old code).
// The order depends only on the geometry and, for exact ties, the old codes: renumbering twice
// changes nothing the second time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/model/grid_set.h"

namespace libgrid {

enum class CodeFormat { kUnit15, kUnit14, kCjt349 };

// The children of one parent in sequence order, west→east, north→south (see above); partition
// numbers its new cells the same way.
std::vector<CellId> sequence_order(const GridSet& grids, const std::vector<CellId>& children);

// "unit15", "unit14", "cjt349".
std::string_view to_string(CodeFormat format);
// The names above (case-insensitive); nullopt for anything else.
std::optional<CodeFormat> parse_code_format(std::string_view text);

// Digits in a code of the format: 15, 14 or 20.
std::size_t code_length(CodeFormat format);
// The largest sequence number: 999, 99 or 99.
int max_sequence(CodeFormat format);
// Digits of the parent (community) code every format builds on: 12.
inline constexpr std::size_t kCommunityCodeLength = 12;
// Digits of a CJ/T 349 management-object code: 6.
inline constexpr std::size_t kObjectCodeLength = 6;

// Why `code` is not a well-formed code of `format`, or nullopt when it is. Checked, first
// failure reported: the length; every character a digit; county 000000, street 000 or community
// 000 (codes no area); the sequence in its range (unit15 001–999, unit14 01–99, cjt349 00–99).
// When `parent_code` is not empty it must be a 12-digit community code, and the code must
// extend it (unit15, unit14) or carry it after the object code (cjt349). When `object_code` is
// not empty (cjt349 only), the code must start with it.
std::optional<std::string> code_problem(std::string_view code, CodeFormat format,
                                        std::string_view parent_code = {},
                                        std::string_view object_code = {});

// Why `code` cannot be the parent of grids coded in `format`, or nullopt: it must be a
// 12-digit community code.
std::optional<std::string> parent_code_problem(std::string_view parent_code);

// The code of the `sequence`-th grid of a community. REQUIRES: `community_code` has 12 digits,
// 0 <= sequence <= max_sequence(format), `object_code` has 6 digits for cjt349.
std::string make_code(CodeFormat format, std::string_view community_code, int sequence,
                      std::string_view object_code = {});

// One code that changed.
struct CodeChange {
  CellId cell = kNoCell;
  int level = 0;
  std::string old_code{};
  std::string new_code{};
};

// The children of one parent as numbered.
struct ParentNumbering {
  CellId parent = kNoCell;
  std::string parent_code{};
  std::vector<CellId> cells{};  // in sequence order
  std::size_t renamed = 0;      // how many of them got a new code
};

struct CodeAssignment {
  std::vector<ParentNumbering> parents{};  // by parent code
  // Every code that changed: first the level's cells (in parents' order, then sequence order),
  // then descendants whose codes spelled out an old code, coarse to fine.
  std::vector<CodeChange> changes{};
  std::size_t roster_entries = 0;  // roster entries moved to a new code

  std::size_t cells() const;
  std::size_t renamed_cells() const;        // changes at the numbered level
  std::size_t renamed_descendants() const;  // changes below it
};

// Renumbers every cell of `level` under its parent in the order described at the top of this
// file, and gives each the code `format` builds from its parent's code and its sequence number.
// For cjt349, `object_code` (6 digits) leads every code, and a parent with a single child gives it
// sequence 00 (not subdivided); its other children are numbered from 01.
//
// Nothing dangles afterwards: a descendant whose code started with its ancestor's old code gets
// that prefix rewritten to the new code, and roster entries naming any renamed cell follow it.
// Renaming is done in two phases, so codes may trade places (A→B while B→C).
//
// Throws Error(kInvalidInput), with the grid set unchanged, when the level does not exist or is
// level 0, a cell of the level has no parent, a parent's code is not a 12-digit community code, a
// parent has more children than the format's sequence numbers allow, `object_code` is not 6 digits
// for cjt349 (or given for another format), or a new code is already taken by a cell not being
// renamed.
CodeAssignment assign_codes(GridSet& grids, int level, CodeFormat format,
                            std::string_view object_code = {});

// One cell of a level whose code does not suit the format or its parent.
struct CodeIssue {
  CellId cell = kNoCell;
  std::string code{};
  std::string parent_code{};  // empty when the cell has no parent
  std::string problem{};
};

// Checks every code of `level` with code_problem against its parent's code (and `object_code`
// when not empty); a cell without a parent is an issue too. In the level's cell order.
// Throws Error(kInvalidInput) when the level does not exist.
std::vector<CodeIssue> check_codes(const GridSet& grids, int level, CodeFormat format,
                                   std::string_view object_code = {});

}  // namespace libgrid
