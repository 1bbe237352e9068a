// One cell of a grid set: an administrative area, grid or micro-grid at one level.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/geometry/polygon.h"

namespace libgrid {

// Cells are numbered 0..n-1 in the order they were added to their GridSet.
using CellId = std::int32_t;
inline constexpr CellId kNoCell = -1;

// Basic grids are residential; dedicated grids (专属网格) cover one school, hospital, park,
// enterprise or government compound.
enum class CellKind { kBasic, kDedicated };

std::string_view to_string(CellKind kind);
// "basic" / "dedicated" (case-insensitive); nullopt for anything else.
std::optional<CellKind> parse_cell_kind(std::string_view text);

// The type of a source field libgrid does not interpret, so that a number stays a number
// through a grid set file or a data frame.
enum class AttributeType { kText, kInteger, kReal };

// A source field libgrid does not interpret, kept as text so it survives a round trip: an
// integer in decimal, a real in the shortest form that reads back to the same double.
struct Attribute {
  std::string name{};
  std::string value{};
  AttributeType type = AttributeType::kText;
};

struct Cell {
  std::string code{};  // unique in its grid set
  std::string name{};
  int level = 0;            // index into GridSet::levels(), 0 = coarsest
  CellId parent = kNoCell;  // a cell of level - 1, or kNoCell
  MultiPolygon geometry{};
  std::int64_t households = 0;
  std::int64_t population = 0;
  CellKind kind = CellKind::kBasic;
  std::vector<Attribute> attributes{};
};

}  // namespace libgrid
