#include "libgrid/validate/validate.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "internal/geos_context.h"
#include "internal/text.h"
#include "libgrid/error.h"
#include "libgrid/model/roster.h"

namespace libgrid {

namespace {

using internal::GeosContext;

constexpr std::array<std::string_view, 10> kKindNames = {"gap",
                                                         "overlap",
                                                         "outside_parent",
                                                         "invalid_geometry",
                                                         "not_contiguous",
                                                         "duplicate_code",
                                                         "malformed_code",
                                                         "code_not_extending_parent",
                                                         "grid_workers",
                                                         "no_parent"};

// A code extends its parent's by starting with it, or, in the 20-digit community grid code
// of CJ/T 349-2010, by carrying it after the 6-digit management-object code.
bool extends(const std::string& code, const std::string& parent) {
  if (code.starts_with(parent)) return true;
  return code.size() == 20 && parent.size() == 12 && code.compare(6, 12, parent) == 0;
}

// A strip no wider than a few units in the last place of its coordinates is rounding: where a
// road meets a parent's edge, the node computed on it lies within an ulp of the edge.
double rounding_width(const MultiPolygon& area) {
  const Box b = envelope(area);
  const double magnitude =
      std::max({std::abs(b.min_x), std::abs(b.max_x), std::abs(b.min_y), std::abs(b.max_y)});
  return 16 * (std::nextafter(magnitude, INFINITY) - magnitude);
}

std::size_t part_count(const MultiPolygon& area) {
  return static_cast<std::size_t>(std::count_if(area.polygons.begin(), area.polygons.end(),
                                                [](const Polygon& p) { return !p.rings.empty(); }));
}

bool all_digits(const std::string& code) {
  return std::all_of(code.begin(), code.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Why GEOS would refuse the rings outright (it needs closed rings of 4 points or more), or "".
std::string broken_rings(const MultiPolygon& area) {
  if (part_count(area) == 0) return "empty geometry";
  for (std::size_t i = 0; i < area.polygons.size(); ++i) {
    const auto& rings = area.polygons[i].rings;
    for (std::size_t r = 0; r < rings.size(); ++r) {
      const std::string name =
          "ring " + std::to_string(r + 1) + " of polygon " + std::to_string(i + 1);
      for (const Point& p : rings[r]) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
          return name + " has a coordinate not finite";
      }
      if (rings[r].size() < 4) {
        return name + " has " + plural(rings[r].size(), "point", "points") +
               " (a ring needs at least 4)";
      }
      if (rings[r].front() != rings[r].back()) return name + " is not closed";
    }
  }
  return "";
}

class Checker {
 public:
  Checker(const GridSet& grids, const ValidateOptions& options)
      : grids_(grids), options_(options) {}

  ValidationReport run() {
    const int levels = static_cast<int>(grids_.levels().size());
    check_geometry();
    for (int level = 0; level < levels; ++level) {
      const std::vector<CellId> ids = grids_.cells_of_level(level);
      check_overlaps(ids);
      check_codes(level, ids);
      for (const CellId id : ids) check_nesting(id);
      if (level > 0) check_gaps(level);
    }
    check_grid_workers();
    std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
      if (a.level != b.level) return a.level < b.level;
      if (a.kind != b.kind) return a.kind < b.kind;
      if (a.cell_code != b.cell_code) return a.cell_code < b.cell_code;
      if (a.other_code != b.other_code) return a.other_code < b.other_code;
      return a.area > b.area;
    });
    return ValidationReport{std::move(problems_)};
  }

 private:
  const Cell& cell(CellId id) const { return grids_.cell(id); }
  bool valid(CellId id) const { return geometry_[static_cast<std::size_t>(id)] != nullptr; }
  const GEOSGeometry& geometry(CellId id) const { return *geometry_[static_cast<std::size_t>(id)]; }

  const GEOSPreparedGeometry& prepared(CellId id) {
    auto& p = prepared_[static_cast<std::size_t>(id)];
    if (p == nullptr) p = geos_.prepare(geometry(id));
    return *p;
  }

  // Runs a GEOS step, naming the cells when GEOS fails.
  template <typename Step>
  auto guarded(const std::string& cells, Step step) {
    try {
      return step();
    } catch (const Error& e) {
      throw Error(e.kind(), "validating " + cells + ": " + e.detail());
    }
  }

  void add(Problem problem) { problems_.push_back(std::move(problem)); }

  // Sizes a located problem and tells slivers apart; false (and nothing added) for no area.
  bool add_area(Problem problem) {
    problem.area = area(problem.where);
    if (!(problem.area > 0.0)) return false;
    const double around = perimeter(problem.where);
    problem.thickness = around > 0.0 ? 2.0 * problem.area / around : 0.0;
    if (problem.thickness <= rounding_width(problem.where)) return false;
    problem.sliver = options_.tolerance > 0.0 && problem.thickness <= options_.tolerance;
    add(std::move(problem));
    return true;
  }

  // One problem per polygon of a GEOS result.
  void add_each_polygon(const GEOSGeometry& result, const Problem& model) {
    for (Polygon& polygon : geos_.to_multipolygon(result).polygons) {
      Problem problem = model;
      problem.where.polygons.push_back(std::move(polygon));
      add_area(std::move(problem));
    }
  }

  // Invalid cells are reported here and kept out of the overlays, which could fail on them.
  void check_geometry() {
    geometry_.resize(grids_.size());
    prepared_.resize(grids_.size());
    for (CellId id = 0; id < static_cast<CellId>(grids_.size()); ++id) {
      const Cell& c = cell(id);
      Problem problem{.kind = ProblemKind::kInvalidGeometry, .level = c.level, .cell_code = c.code};
      problem.detail = broken_rings(c.geometry);
      if (!problem.detail.empty()) {
        add(std::move(problem));
        continue;
      }
      auto made = guarded("cell " + c.code, [&] { return geos_.to_geos(c.geometry); });
      if (const auto invalid = guarded("cell " + c.code, [&] { return geos_.invalidity(*made); })) {
        problem.detail = internal::describe(*invalid);
        problem.where = c.geometry;
        add(std::move(problem));
        continue;
      }
      geometry_[static_cast<std::size_t>(id)] = std::move(made);
    }
  }

  void check_overlaps(const std::vector<CellId>& ids) {
    std::vector<CellId> cells;
    std::vector<const GEOSGeometry*> geometries;
    for (const CellId id : ids) {
      if (!valid(id)) continue;
      cells.push_back(id);
      geometries.push_back(&geometry(id));
    }
    const internal::GeosTree tree(geos_, geometries);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      for (const std::size_t j : tree.query(*geometries[i])) {
        if (j <= i) continue;  // each pair once
        const Cell& a = cell(cells[i]);
        const Cell& b = cell(cells[j]);
        const std::string what = "cells " + a.code + " and " + b.code;
        if (!guarded(what, [&] { return geos_.intersects(prepared(cells[i]), *geometries[j]); })) {
          continue;
        }
        const auto shared =
            guarded(what, [&] { return geos_.intersection(*geometries[i], *geometries[j]); });
        const bool a_first = a.code < b.code;
        add_each_polygon(*shared, Problem{.kind = ProblemKind::kOverlap,
                                          .level = a.level,
                                          .cell_code = a_first ? a.code : b.code,
                                          .other_code = a_first ? b.code : a.code,
                                          .detail = "area in both cells"});
      }
    }
  }

  // Outside its parent, and in more parts than its parent; or no parent at all.
  void check_nesting(CellId id) {
    const Cell& c = cell(id);
    if (c.level == 0) return;
    if (c.parent == kNoCell) {
      add(Problem{.kind = ProblemKind::kNoParent,
                  .level = c.level,
                  .cell_code = c.code,
                  .detail = "no parent on level " +
                            grids_.levels()[static_cast<std::size_t>(c.level - 1)]});
      return;
    }
    const Cell& parent = cell(c.parent);
    if (valid(id) && valid(c.parent)) {
      const std::string what = "cell " + c.code + " in its parent " + parent.code;
      if (!guarded(what, [&] { return geos_.covers(prepared(c.parent), geometry(id)); })) {
        const auto outside =
            guarded(what, [&] { return geos_.difference(geometry(id), geometry(c.parent)); });
        add_each_polygon(*outside, Problem{.kind = ProblemKind::kOutsideParent,
                                           .level = c.level,
                                           .cell_code = c.code,
                                           .other_code = parent.code,
                                           .detail = "outside its parent"});
      }
    }
    const std::size_t parts = part_count(c.geometry);
    const std::size_t parent_parts = part_count(parent.geometry);
    if (parts > parent_parts && parent_parts > 0) {
      // The stray parts: all but as many of the largest as the parent has.
      std::vector<std::pair<double, const Polygon*>> polygons;
      for (const Polygon& p : c.geometry.polygons) {
        if (!p.rings.empty()) polygons.emplace_back(area(MultiPolygon{{p}}), &p);
      }
      std::stable_sort(polygons.begin(), polygons.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      Problem problem{.kind = ProblemKind::kNotContiguous,
                      .level = c.level,
                      .cell_code = c.code,
                      .other_code = parent.code,
                      .detail = plural(parts, "part", "parts") + "; its parent has " +
                                std::to_string(parent_parts)};
      for (std::size_t k = parent_parts; k < polygons.size(); ++k) {
        problem.where.polygons.push_back(*polygons[k].second);
      }
      if (!add_area(problem)) {  // stray parts of no area are still stray parts
        problem.where = {};
        add(std::move(problem));
      }
    }
  }

  // Per parent with children: the parent minus the union of its children.
  void check_gaps(int level) {
    std::map<CellId, std::vector<CellId>> children;
    for (const CellId id : grids_.cells_of_level(level)) {
      if (cell(id).parent != kNoCell) children[cell(id).parent].push_back(id);
    }
    for (const auto& entry : children) {
      // Not a structured binding: the lambda below uses the parent (clang 14 cannot capture one).
      const CellId parent = entry.first;
      const std::vector<CellId>& kids = entry.second;
      if (!valid(parent)) continue;
      // An invalid child left out would show as a false gap.
      if (!std::all_of(kids.begin(), kids.end(), [&](CellId k) { return valid(k); })) continue;
      std::vector<const GEOSGeometry*> parts;
      parts.reserve(kids.size());
      for (const CellId k : kids) parts.push_back(&geometry(k));
      const std::string what = "the children of " + cell(parent).code;
      const auto covered = guarded(what, [&] { return geos_.union_all(parts); });
      const auto uncovered =
          guarded(what, [&] { return geos_.difference(geometry(parent), *covered); });
      add_each_polygon(
          *uncovered,
          Problem{.kind = ProblemKind::kGap,
                  .level = level,
                  .cell_code = cell(parent).code,
                  .detail = "covered by none of its " + plural(kids.size(), "child", "children") +
                            " on level " + grids_.levels()[static_cast<std::size_t>(level)]});
    }
  }

  void check_codes(int level, const std::vector<CellId>& ids) {
    if (ids.empty()) return;
    const std::string& name = grids_.levels()[static_cast<std::size_t>(level)];
    std::size_t digit_codes = 0;
    std::map<std::size_t, std::size_t> lengths;
    for (const CellId id : ids) {
      digit_codes += all_digits(cell(id).code);
      ++lengths[cell(id).code.size()];
    }
    // A convention is what more than half the level follows.
    const bool digits_usual = 2 * digit_codes > ids.size();
    std::size_t usual_length = 0;
    for (const auto& [length, n] : lengths) {
      if (2 * n > ids.size()) usual_length = length;
    }
    for (const CellId id : ids) {
      const Cell& c = cell(id);
      std::string why;
      if (digits_usual && !all_digits(c.code)) {
        why = "not all digits, unlike most codes of level " + name;
      }
      if (usual_length > 0 && c.code.size() != usual_length) {
        if (!why.empty()) why += "; ";
        why += plural(c.code.size(), "character", "characters") + " where most codes of level " +
               name + " have " + std::to_string(usual_length);
      }
      if (!why.empty()) {
        add(Problem{.kind = ProblemKind::kMalformedCode,
                    .level = level,
                    .cell_code = c.code,
                    .detail = why});
      }
      if (c.parent != kNoCell && !extends(c.code, cell(c.parent).code)) {
        add(Problem{.kind = ProblemKind::kCodeNotExtendingParent,
                    .level = level,
                    .cell_code = c.code,
                    .other_code = cell(c.parent).code,
                    .detail = "does not start with its parent's code " + cell(c.parent).code});
      }
    }
  }

  // 一格一员: exactly one grid worker per grid.
  void check_grid_workers() {
    const int level = grids_.level_index(options_.grid_level.empty() ? std::string_view("grid")
                                                                     : options_.grid_level);
    if (level < 0 || grids_.roster().empty()) return;
    std::unordered_map<std::string, std::vector<std::string>> workers;
    for (const RosterEntry& e : grids_.roster().entries) {
      if (e.role == Role::kGridWorker) workers[e.cell_code].push_back(e.person.name);
    }
    for (const CellId id : grids_.cells_of_level(level)) {
      const Cell& c = cell(id);
      const auto found = workers.find(c.code);
      const std::size_t n = found == workers.end() ? 0 : found->second.size();
      if (n == 1) continue;
      std::string detail = n == 0 ? "no grid worker" : std::to_string(n) + " grid workers: ";
      for (std::size_t k = 0; k < n; ++k) {
        detail += (k ? ", " : "") + found->second[k];
      }
      add(Problem{.kind = ProblemKind::kGridWorkers,
                  .level = level,
                  .cell_code = c.code,
                  .detail = detail + "; one grid, one worker"});
    }
  }

  const GridSet& grids_;
  const ValidateOptions& options_;
  GeosContext geos_;  // declared before every GEOS object it must outlive
  std::vector<GeosContext::Geometry> geometry_;  // per cell; null when invalid
  std::vector<GeosContext::Prepared> prepared_;  // per cell, made when first needed
  std::vector<Problem> problems_;
};

}  // namespace

std::string_view to_string(ProblemKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<ProblemKind> parse_problem_kind(std::string_view text) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == text) return static_cast<ProblemKind>(i);
  }
  return std::nullopt;
}

std::size_t ValidationReport::count(ProblemKind kind) const {
  return static_cast<std::size_t>(std::count_if(
      problems.begin(), problems.end(), [kind](const Problem& p) { return p.kind == kind; }));
}

std::size_t ValidationReport::sliver_count() const {
  return static_cast<std::size_t>(
      std::count_if(problems.begin(), problems.end(), [](const Problem& p) { return p.sliver; }));
}

ValidationReport validate(const GridSet& grids, const ValidateOptions& options) {
  grids.require_one_version("validation");
  if (!(options.tolerance >= 0.0) || !std::isfinite(options.tolerance)) {
    throw Error(
        ErrorKind::kInvalidInput, Location{.option = "tolerance"},
        "must be a finite number >= 0, not " + internal::short_number_text(options.tolerance));
  }
  if (!options.grid_level.empty()) grids.require_level(options.grid_level, "grid_level");
  return Checker(grids, options).run();
}

}  // namespace libgrid
