#include "libgrid/model/grid_set.h"

#include <algorithm>

#include "internal/digest.h"
#include "libgrid/error.h"

namespace libgrid {

int GridSet::add_level(std::string name) {
  if (name.empty()) throw Error(ErrorKind::kInvalidInput, "a level name must not be empty");
  if (level_index(name) >= 0) {
    throw Error(ErrorKind::kInvalidInput, "level '" + name + "' is given twice");
  }
  levels_.push_back(std::move(name));
  totals_.emplace_back();
  return static_cast<int>(levels_.size()) - 1;
}

int GridSet::level_index(std::string_view name) const {
  const auto it = std::find(levels_.begin(), levels_.end(), name);
  return it == levels_.end() ? -1 : static_cast<int>(it - levels_.begin());
}

int GridSet::require_level(std::string_view name, std::string_view option) const {
  const int level = level_index(name);
  if (level < 0) throw_unknown_level(name, levels_, option);
  return level;
}

void throw_unknown_level(std::string_view name, const std::vector<std::string>& levels,
                         std::string_view option) {
  std::string known;
  for (const std::string& level : levels) known += (known.empty() ? "" : ", ") + level;
  throw Error(ErrorKind::kInvalidInput, Location{.option = std::string(option)},
              "no level named '" + std::string(name) + "' (levels: " + known + ")");
}

CellId GridSet::add_cell(Cell cell) {
  if (cell.code.empty()) throw Error(ErrorKind::kInvalidInput, "a cell code must not be empty");
  if (cell.level < 0 || cell.level >= static_cast<int>(levels_.size())) {
    throw Error(ErrorKind::kInvalidInput,
                "cell " + cell.code + ": level " + std::to_string(cell.level) + " does not exist");
  }
  if (cell.parent != kNoCell) {
    if (cell.parent < 0 || static_cast<std::size_t>(cell.parent) >= cells_.size() ||
        cells_[static_cast<std::size_t>(cell.parent)].level != cell.level - 1) {
      throw Error(ErrorKind::kInvalidInput,
                  "cell " + cell.code + ": its parent is not a cell of the level above");
    }
  }
  Totals totals = totals_[static_cast<std::size_t>(cell.level)];
  ++totals.cells;
  const bool overflow =
      __builtin_add_overflow(totals.households, cell.households, &totals.households) ||
      __builtin_add_overflow(totals.population, cell.population, &totals.population);
  if (overflow) {
    throw Error(ErrorKind::kInvalidInput, "cell " + cell.code + ": households " +
                                              std::to_string(cell.households) + ", population " +
                                              std::to_string(cell.population) + " take level '" +
                                              levels_[static_cast<std::size_t>(cell.level)] +
                                              "' past the largest total a 64-bit count holds");
  }
  const auto id = static_cast<CellId>(cells_.size());
  if (!by_code_.emplace(cell.code, id).second) {
    throw Error(ErrorKind::kInvalidInput, "duplicate cell code " + cell.code);
  }
  totals_[static_cast<std::size_t>(cell.level)] = totals;
  cells_.push_back(std::move(cell));
  return id;
}

CellId GridSet::find(std::string_view code) const {
  const auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? kNoCell : it->second;
}

void GridSet::set_code(CellId id, std::string code) {
  if (id < 0 || static_cast<std::size_t>(id) >= cells_.size()) {
    throw Error(ErrorKind::kInvalidInput, "cell id " + std::to_string(id) + " does not exist");
  }
  Cell& c = cells_[static_cast<std::size_t>(id)];
  if (code.empty()) {
    throw Error(ErrorKind::kInvalidInput, "cell " + c.code + ": a cell code must not be empty");
  }
  if (code == c.code) return;
  if (!by_code_.emplace(code, id).second) {
    throw Error(ErrorKind::kInvalidInput,
                "cell " + c.code + ": code " + code + " is already the code of another cell");
  }
  by_code_.erase(c.code);
  c.code = std::move(code);
}

std::vector<CellId> GridSet::cells_of_level(int level) const {
  std::vector<CellId> ids;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (cells_[i].level == level) ids.push_back(static_cast<CellId>(i));
  }
  return ids;
}

std::vector<CellId> GridSet::path(CellId id) const {
  std::vector<CellId> ids;
  for (CellId c = id; c != kNoCell; c = cell(c).parent) ids.push_back(c);
  std::reverse(ids.begin(), ids.end());
  return ids;
}

std::uint64_t GridSet::fingerprint() const {
  internal::Digest digest;
  for (const auto& level : levels_) digest.add_text(level);
  for (const auto& c : cells_) {
    digest.add_text(c.code);
    digest.add_value(c.level);
    digest.add_value(c.parent);
    for (const auto& polygon : c.geometry.polygons) {
      digest.add_value(polygon.rings.size());
      for (const auto& ring : polygon.rings)
        digest.add_bytes(ring.data(), ring.size() * sizeof(Point));
    }
  }
  return digest.value();
}

Box GridSet::extent() const {
  Box box;
  for (const auto& c : cells_) box.expand(envelope(c.geometry));
  return box;
}

}  // namespace libgrid
