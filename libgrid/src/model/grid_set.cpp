#include "libgrid/model/grid_set.h"

#include <algorithm>
#include <unordered_set>

#include "internal/digest.h"
#include "libgrid/error.h"
#include "libgrid/geometry/predicates.h"

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

void GridSet::require_one_version(std::string_view task) const {
  if (versions_.size() <= 1) return;
  std::string dates;
  for (const BoundaryVersion& v : versions_) {
    dates += (dates.empty() ? "" : ", ") +
             (v.effective ? "from " + format_date(*v.effective) : std::string("since always"));
  }
  throw Error(ErrorKind::kInvalidInput,
              "the grid set holds " + std::to_string(versions_.size()) + " boundary versions (" +
                  dates + "): " + std::string(task) +
                  " works on one; take the version in force at a date first");
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

namespace {

// A ring as the region it bounds: without its closing point and without the vertices lying
// on the straight line through their neighbours (which split an edge where a neighbour's edge
// was cut, and change no point's cell), counter-clockwise, starting at its least vertex.
Ring canonical_ring(const Ring& ring) {
  Ring r(ring.begin(), ring.end());
  if (r.size() > 1 && r.front() == r.back()) r.pop_back();
  for (bool removed = true; removed && r.size() > 3;) {
    removed = false;
    for (std::size_t i = 0; i < r.size() && r.size() > 3; ++i) {
      const Point prev = r[(i + r.size() - 1) % r.size()];
      const Point next = r[(i + 1) % r.size()];
      if (orientation(prev, r[i], next) == 0) {
        r.erase(r.begin() + static_cast<std::ptrdiff_t>(i));
        removed = true;
      }
    }
  }
  double twice_area = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const Point a = r[i], b = r[(i + 1) % r.size()];
    twice_area += a.x * b.y - b.x * a.y;
  }
  if (twice_area < 0.0) std::reverse(r.begin(), r.end());
  const auto least = std::min_element(
      r.begin(), r.end(), [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  std::rotate(r.begin(), least, r.end());
  return r;
}

// The same region: polygon by polygon and ring by ring, vertices on straight edges aside.
bool same_rings(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.polygons.size() != b.polygons.size()) return false;
  for (std::size_t i = 0; i < a.polygons.size(); ++i) {
    const auto& ra = a.polygons[i].rings;
    const auto& rb = b.polygons[i].rings;
    if (ra.size() != rb.size()) return false;
    for (std::size_t k = 0; k < ra.size(); ++k) {
      if (ra[k] != rb[k] && canonical_ring(ra[k]) != canonical_ring(rb[k])) return false;
    }
  }
  return true;
}

// Whether `a` has `b`'s boundary: the same level, code, parent and region, `a`'s parent
// already mapped into `b`'s cell table.
bool same_boundary(const Cell& a, const Cell& b) {
  return a.level == b.level && a.code == b.code && a.parent == b.parent &&
         same_rings(a.geometry, b.geometry);
}

}  // namespace

CellId GridSet::add_version_cell(Cell cell) {
  if (cell.code.empty()) throw Error(ErrorKind::kInvalidInput, "a cell code must not be empty");
  if (cell.level < 0 || cell.level >= static_cast<int>(levels_.size())) {
    throw Error(ErrorKind::kInvalidInput,
                "cell " + cell.code + ": level " + std::to_string(cell.level) + " does not exist");
  }
  if (cell.parent != kNoCell &&
      (cell.parent < 0 || static_cast<std::size_t>(cell.parent) >= cells_.size() ||
       cells_[static_cast<std::size_t>(cell.parent)].level != cell.level - 1)) {
    throw Error(ErrorKind::kInvalidInput,
                "cell " + cell.code + ": its parent is not a cell of the level above");
  }
  const auto id = static_cast<CellId>(cells_.size());
  by_code_[cell.code] = id;
  cells_.push_back(std::move(cell));
  return id;
}

void GridSet::set_versions(std::vector<BoundaryVersion> versions) {
  std::vector<int> last_in(cells_.size(), -1);  // the latest version listing each cell
  for (std::size_t v = 0; v < versions.size(); ++v) {
    const BoundaryVersion& version = versions[v];
    const std::string when = describe_effective(version);
    if (v > 0 && (!version.effective ||
                  version.effective_minutes() <= versions[v - 1].effective_minutes())) {
      throw Error(ErrorKind::kInvalidInput, "boundary version " + when +
                                                " is not after the version before it (" +
                                                describe_effective(versions[v - 1]) + ")");
    }
    std::unordered_set<std::string_view> codes;
    for (std::size_t k = 0; k < version.cells.size(); ++k) {
      const CellId id = version.cells[k];
      if (id < 0 || static_cast<std::size_t>(id) >= cells_.size() ||
          (k > 0 && id <= version.cells[k - 1])) {
        throw Error(ErrorKind::kInvalidInput,
                    "boundary version " + when + ": bad cell id " + std::to_string(id));
      }
      const Cell& c = cells_[static_cast<std::size_t>(id)];
      if (!codes.insert(c.code).second) {
        throw Error(ErrorKind::kInvalidInput,
                    "boundary version " + when + ": duplicate cell code " + c.code);
      }
      if (c.parent != kNoCell &&
          last_in[static_cast<std::size_t>(c.parent)] != static_cast<int>(v)) {
        throw Error(ErrorKind::kInvalidInput, "boundary version " + when + ": cell " + c.code +
                                                  ": its parent is not in force in this version");
      }
      last_in[static_cast<std::size_t>(id)] = static_cast<int>(v);
    }
  }
  versions_ = std::move(versions);
  // Totals and find() answer the latest version.
  for (Totals& t : totals_) t = Totals{};
  const std::vector<CellId>* in_force = nullptr;
  if (!versions_.empty()) in_force = &versions_.back().cells;
  auto count = [this](CellId id) {
    const Cell& c = cells_[static_cast<std::size_t>(id)];
    Totals& t = totals_[static_cast<std::size_t>(c.level)];
    ++t.cells;
    t.households += c.households;
    t.population += c.population;
    by_code_[c.code] = id;
  };
  if (in_force != nullptr) {
    for (const CellId id : *in_force) count(id);
  } else {
    for (std::size_t i = 0; i < cells_.size(); ++i) count(static_cast<CellId>(i));
  }
}

void GridSet::add_version(std::chrono::sys_days effective, const GridSet& next,
                          std::optional<std::chrono::sys_days> first_effective) {
  if (next.levels_ != levels_) {
    auto join = [](const std::vector<std::string>& names) {
      std::string text;
      for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
      return text;
    };
    throw Error(ErrorKind::kInvalidInput, "the new version's levels (" + join(next.levels_) +
                                              ") are not the grid set's (" + join(levels_) + ")");
  }
  if (next.crs_ != crs_) {
    throw Error(ErrorKind::kInvalidInput, "the new version's CRS is not the grid set's");
  }
  if (next.has_versions()) {
    throw Error(ErrorKind::kInvalidInput, "the new version holds boundary versions of its own");
  }
  std::vector<BoundaryVersion> versions = versions_;
  if (versions.empty()) {
    BoundaryVersion first{first_effective, {}};
    for (std::size_t i = 0; i < cells_.size(); ++i) first.cells.push_back(static_cast<CellId>(i));
    versions.push_back(std::move(first));
  }
  BoundaryVersion added{effective, {}};
  if (added.effective_minutes() <= versions.back().effective_minutes()) {
    throw Error(ErrorKind::kInvalidInput, "the new version's date " + format_date(effective) +
                                              " is not after the latest version's (" +
                                              describe_effective(versions.back()) + ")");
  }
  std::unordered_map<std::string_view, CellId> latest;  // code -> cell of the latest version
  for (const CellId id : versions.back().cells) latest.emplace(cells_[id].code, id);
  GridSet merged = *this;
  std::vector<CellId> mapped(next.cells_.size(), kNoCell);
  for (std::size_t i = 0; i < next.cells_.size(); ++i) {
    Cell c = next.cells_[i];
    if (c.parent != kNoCell) c.parent = mapped[static_cast<std::size_t>(c.parent)];
    const auto same = latest.find(c.code);
    if (same != latest.end() && same_boundary(c, cells_[static_cast<std::size_t>(same->second)])) {
      // Kept once, as the new version has it: its fields, and its vertices, which may split an
      // edge where a new neighbour's boundary meets it.
      mapped[i] = same->second;
      merged.cells_[static_cast<std::size_t>(same->second)] = std::move(c);
    } else {
      mapped[i] = merged.add_version_cell(std::move(c));
    }
    added.cells.push_back(mapped[i]);
  }
  std::sort(added.cells.begin(), added.cells.end());
  versions.push_back(std::move(added));
  merged.set_versions(std::move(versions));
  merged.roster_ = next.roster_;
  merged.duty_table_ = next.duty_table_;
  merged.calendar_ = next.calendar_;
  *this = std::move(merged);
}

int GridSet::version_at(LocalMinutes t) const {
  if (versions_.empty()) return 0;
  const auto after = std::upper_bound(
      versions_.begin(), versions_.end(), t,
      [](LocalMinutes when, const BoundaryVersion& v) { return when < v.effective_minutes(); });
  return static_cast<int>(after - versions_.begin()) - 1;
}

GridSet GridSet::version(std::size_t v) const {
  if (versions_.empty()) return *this;
  GridSet one;
  one.levels_ = levels_;
  one.totals_.assign(levels_.size(), Totals{});
  one.crs_ = crs_;
  one.roster_ = roster_;
  one.duty_table_ = duty_table_;
  one.calendar_ = calendar_;
  std::unordered_map<CellId, CellId> renumbered;
  for (const CellId id : versions_.at(v).cells) {
    Cell c = cells_[static_cast<std::size_t>(id)];
    if (c.parent != kNoCell) c.parent = renumbered.at(c.parent);
    renumbered.emplace(id, one.add_cell(std::move(c)));
  }
  return one;
}

GridSet GridSet::at(LocalMinutes t) const {
  const int v = version_at(t);
  if (v < 0) {
    throw Error(ErrorKind::kInvalidInput, "time " + format_local_time(t) +
                                              " is before the first boundary version (" +
                                              describe_effective(versions_.front()) + ")");
  }
  return version(static_cast<std::size_t>(v));
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
  for (const BoundaryVersion& v : versions_) {
    digest.add_value(v.effective_minutes());
    digest.add_bytes(v.cells.data(), v.cells.size() * sizeof(CellId));
  }
  return digest.value();
}

Box GridSet::extent() const {
  Box box;
  for (const auto& c : cells_) box.expand(envelope(c.geometry));
  return box;
}

}  // namespace libgrid
