#include "libgrid/model/cell.h"

#include "internal/text.h"

namespace libgrid {

std::string_view to_string(CellKind kind) {
  return kind == CellKind::kDedicated ? "dedicated" : "basic";
}

std::optional<CellKind> parse_cell_kind(std::string_view text) {
  if (internal::iequals(text, "basic")) return CellKind::kBasic;
  if (internal::iequals(text, "dedicated")) return CellKind::kDedicated;
  return std::nullopt;
}

}  // namespace libgrid
