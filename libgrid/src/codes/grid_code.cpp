#include "libgrid/codes/grid_code.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "libgrid/error.h"
#include "libgrid/geometry/polygon.h"

namespace libgrid {

namespace {

constexpr std::array<std::string_view, 3> kFormatNames = {"unit15", "unit14", "cjt349"};

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return c >= '0' && c <= '9'; });
}

bool all_zeros(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

// Where the 12-digit community code starts inside a code of the format.
std::size_t community_offset(CodeFormat format) {
  return format == CodeFormat::kCjt349 ? kObjectCodeLength : 0;
}

std::size_t sequence_digits(CodeFormat format) { return format == CodeFormat::kUnit15 ? 3 : 2; }

int min_sequence(CodeFormat format) { return format == CodeFormat::kCjt349 ? 0 : 1; }

std::string padded(int value, std::size_t digits) {
  std::string text = std::to_string(value);
  if (text.size() < digits) text.insert(0, digits - text.size(), '0');
  return text;
}

std::string sequence_range(CodeFormat format) {
  const std::size_t digits = sequence_digits(format);
  return padded(min_sequence(format), digits) + "-" + padded(max_sequence(format), digits);
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// The object code argument of assign_codes and check_codes.
void check_object_code(CodeFormat format, std::string_view object_code, bool required) {
  if (format != CodeFormat::kCjt349) {
    if (!object_code.empty()) {
      throw Error(ErrorKind::kInvalidInput, "an object code applies to cjt349 codes only, not to " +
                                                std::string(to_string(format)));
    }
    return;
  }
  if (object_code.empty() && !required) return;
  if (object_code.size() != kObjectCodeLength || !all_digits(object_code)) {
    throw Error(
        ErrorKind::kInvalidInput,
        "the management-object code of a cjt349 code needs 6 digits, not " + quoted(object_code));
  }
}

// Centroid of the area, or the centre of the bounding box when there is no area.
Point representative_point(const MultiPolygon& area) {
  double twice_area = 0.0, cx = 0.0, cy = 0.0;
  const Box box = envelope(area);
  // Relative to a corner of the box, so that large projected coordinates keep their precision.
  const double ox = box.empty() ? 0.0 : box.min_x;
  const double oy = box.empty() ? 0.0 : box.min_y;
  for (const Polygon& polygon : area.polygons) {
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      const Ring& ring = polygon.rings[r];
      double ring_area = 0.0, rx = 0.0, ry = 0.0;
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const double x0 = ring[i].x - ox, y0 = ring[i].y - oy;
        const double x1 = ring[i + 1].x - ox, y1 = ring[i + 1].y - oy;
        const double cross = x0 * y1 - x1 * y0;
        ring_area += cross;
        rx += (x0 + x1) * cross;
        ry += (y0 + y1) * cross;
      }
      // Shells add, holes subtract, whatever the rings' orientation.
      const double sign = ((ring_area >= 0) == (r == 0)) ? 1.0 : -1.0;
      twice_area += sign * ring_area;
      cx += sign * rx;
      cy += sign * ry;
    }
  }
  if (box.empty()) return Point{};
  if (!(std::fabs(twice_area) > 0.0)) {
    return Point{(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};
  }
  return Point{ox + cx / (3.0 * twice_area), oy + cy / (3.0 * twice_area)};
}

struct Placed {
  CellId id = kNoCell;
  Point at{};
  const std::string* code = nullptr;
};

}  // namespace

std::vector<CellId> sequence_order(const GridSet& grids, const std::vector<CellId>& children) {
  std::vector<Placed> placed;
  std::vector<double> heights;
  for (const CellId id : children) {
    const Cell& c = grids.cell(id);
    placed.push_back(Placed{id, representative_point(c.geometry), &c.code});
    const Box box = envelope(c.geometry);
    heights.push_back(box.empty() ? 0.0 : box.max_y - box.min_y);
  }
  std::sort(heights.begin(), heights.end());
  const double row_height = heights.empty() ? 0.0 : heights[heights.size() / 2] / 2;

  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    if (a.at.y != b.at.y) return a.at.y > b.at.y;
    if (a.at.x != b.at.x) return a.at.x < b.at.x;
    return *a.code < *b.code;
  });
  std::vector<CellId> order;
  for (std::size_t first = 0; first < placed.size();) {
    std::size_t end = first + 1;
    while (end < placed.size() && placed[first].at.y - placed[end].at.y <= row_height) ++end;
    std::stable_sort(placed.begin() + static_cast<long>(first),
                     placed.begin() + static_cast<long>(end), [](const Placed& a, const Placed& b) {
                       if (a.at.x != b.at.x) return a.at.x < b.at.x;
                       if (a.at.y != b.at.y) return a.at.y > b.at.y;
                       return *a.code < *b.code;
                     });
    for (std::size_t i = first; i < end; ++i) order.push_back(placed[i].id);
    first = end;
  }
  return order;
}

void require_level(const GridSet& grids, int level) {
  if (level < 0 || level >= static_cast<int>(grids.levels().size())) {
    throw Error(ErrorKind::kInvalidInput, "level " + std::to_string(level) + " does not exist");
  }
}

std::string_view to_string(CodeFormat format) {
  return kFormatNames[static_cast<std::size_t>(format)];
}

std::optional<CodeFormat> parse_code_format(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kFormatNames.size(); ++i) {
    if (lower == kFormatNames[i]) return static_cast<CodeFormat>(i);
  }
  return std::nullopt;
}

std::size_t code_length(CodeFormat format) {
  switch (format) {
    case CodeFormat::kUnit15:
      return 15;
    case CodeFormat::kUnit14:
      return 14;
    case CodeFormat::kCjt349:
      return 20;
  }
  return 0;
}

int max_sequence(CodeFormat format) { return format == CodeFormat::kUnit15 ? 999 : 99; }

std::optional<std::string> parent_code_problem(std::string_view parent_code) {
  if (parent_code.size() != kCommunityCodeLength || !all_digits(parent_code)) {
    return "parent code " + quoted(parent_code) + " is not a 12-digit community code";
  }
  return std::nullopt;
}

std::optional<std::string> code_problem(std::string_view code, CodeFormat format,
                                        std::string_view parent_code,
                                        std::string_view object_code) {
  const std::string name(to_string(format));
  const std::size_t length = code_length(format);
  if (code.size() != length) {
    return "has " + std::to_string(code.size()) + " characters; a " + name + " code has " +
           std::to_string(length) + " digits";
  }
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] < '0' || code[i] > '9') {
      return "character " + std::to_string(i + 1) + " (" + quoted(code.substr(i, 1)) +
             ") is not a digit";
    }
  }
  const std::size_t at = community_offset(format);
  if (all_zeros(code.substr(at, 6))) return "county code 000000 codes no county";
  if (all_zeros(code.substr(at + 6, 3))) return "street code 000 codes no street or town";
  if (all_zeros(code.substr(at + 9, 3))) return "community code 000 codes no community";
  const std::size_t digits = sequence_digits(format);
  const int sequence = std::stoi(std::string(code.substr(length - digits)));
  if (sequence < min_sequence(format) || sequence > max_sequence(format)) {
    std::string why = "sequence " + std::string(code.substr(length - digits)) +
                      " is out of range " + sequence_range(format);
    if (format == CodeFormat::kUnit14) why += " (00 codes the community itself, not a grid)";
    return why;
  }
  if (!object_code.empty() && code.substr(0, kObjectCodeLength) != object_code) {
    return "object code " + std::string(code.substr(0, kObjectCodeLength)) + " is not " +
           std::string(object_code);
  }
  if (!parent_code.empty()) {
    if (auto problem = parent_code_problem(parent_code)) return problem;
    if (code.substr(at, kCommunityCodeLength) != parent_code) {
      if (format == CodeFormat::kCjt349) {
        return "does not carry its parent's code " + std::string(parent_code) +
               " after the object code";
      }
      return "does not extend its parent's code " + std::string(parent_code);
    }
  }
  return std::nullopt;
}

std::string make_code(CodeFormat format, std::string_view community_code, int sequence,
                      std::string_view object_code) {
  std::string code;
  if (format == CodeFormat::kCjt349) code = std::string(object_code);
  code += community_code;
  code += padded(sequence, sequence_digits(format));
  return code;
}

std::size_t CodeAssignment::cells() const {
  std::size_t n = 0;
  for (const ParentNumbering& p : parents) n += p.cells.size();
  return n;
}

std::size_t CodeAssignment::renamed_cells() const {
  std::size_t n = 0;
  for (const ParentNumbering& p : parents) n += p.renamed;
  return n;
}

std::size_t CodeAssignment::renamed_descendants() const { return changes.size() - renamed_cells(); }

CodeAssignment assign_codes(GridSet& grids, int level, CodeFormat format,
                            std::string_view object_code) {
  grids.require_one_version("renumbering");
  require_level(grids, level);
  const std::string& level_name = grids.levels()[static_cast<std::size_t>(level)];
  if (level == 0) {
    throw Error(ErrorKind::kInvalidInput,
                "level " + level_name +
                    " is the top level: its cells have no parent to number "
                    "them under");
  }
  check_object_code(format, object_code, true);

  // Children of every cell, in cell order.
  std::vector<std::vector<CellId>> children(grids.size());
  for (CellId id = 0; id < static_cast<CellId>(grids.size()); ++id) {
    const CellId parent = grids.cell(id).parent;
    if (parent != kNoCell) children[static_cast<std::size_t>(parent)].push_back(id);
  }

  // The level's cells under each parent, parents by code.
  std::map<std::string, CellId> parents;
  for (const CellId id : grids.cells_of_level(level)) {
    const Cell& c = grids.cell(id);
    if (c.parent == kNoCell) {
      throw Error(ErrorKind::kInvalidInput, "cell " + c.code + " of level " + level_name +
                                                " has no parent: it cannot be numbered");
    }
    const Cell& parent = grids.cell(c.parent);
    parents.emplace(parent.code, c.parent);
  }

  CodeAssignment result;
  for (const auto& [parent_code, parent] : parents) {
    if (const auto problem = parent_code_problem(parent_code)) {
      throw Error(ErrorKind::kInvalidInput, "parent " + parent_code + " of level " + level_name +
                                                ": " + *problem + ", which " +
                                                std::string(to_string(format)) + " codes need");
    }
    const std::vector<CellId>& kids = children[static_cast<std::size_t>(parent)];
    const auto limit = static_cast<std::size_t>(max_sequence(format));
    if (kids.size() > limit) {
      throw Error(ErrorKind::kInvalidInput, "parent " + parent_code + " has " +
                                                std::to_string(kids.size()) + " cells of level " +
                                                level_name + "; " + std::string(to_string(format)) +
                                                " codes number at most " + std::to_string(limit));
    }
    ParentNumbering numbering{parent, parent_code, sequence_order(grids, kids), 0};
    const bool single = format == CodeFormat::kCjt349 && numbering.cells.size() == 1;
    for (std::size_t i = 0; i < numbering.cells.size(); ++i) {
      const CellId id = numbering.cells[i];
      const int sequence = single ? 0 : static_cast<int>(i) + 1;
      std::string code = make_code(format, parent_code, sequence, object_code);
      const Cell& c = grids.cell(id);
      if (code != c.code) {
        ++numbering.renamed;
        result.changes.push_back(CodeChange{id, level, c.code, std::move(code)});
      }
    }
    result.parents.push_back(std::move(numbering));
  }

  // Descendants whose codes spell out a renamed ancestor's old code, coarse to fine: a cell's
  // new code is its ancestor's new code followed by what came after the old one.
  std::vector<CodeChange> below;
  std::vector<std::pair<CellId, std::pair<std::string, std::string>>> pending;
  for (const CodeChange& change : result.changes) {
    pending.push_back({change.cell, {change.old_code, change.new_code}});
  }
  while (!pending.empty()) {
    std::vector<std::pair<CellId, std::pair<std::string, std::string>>> next;
    for (const auto& [id, codes] : pending) {
      const auto& [old_prefix, new_prefix] = codes;
      for (const CellId child : children[static_cast<std::size_t>(id)]) {
        const Cell& c = grids.cell(child);
        if (c.code.compare(0, old_prefix.size(), old_prefix) != 0) continue;
        std::string code = new_prefix + c.code.substr(old_prefix.size());
        below.push_back(CodeChange{child, c.level, c.code, code});
        next.push_back({child, {c.code, std::move(code)}});
      }
    }
    pending = std::move(next);
  }
  std::stable_sort(below.begin(), below.end(),
                   [](const CodeChange& a, const CodeChange& b) { return a.level < b.level; });
  for (CodeChange& change : below) result.changes.push_back(std::move(change));

  // Every new code must be free once the renamed cells have let go of their old ones.
  std::unordered_set<CellId> renamed;
  for (const CodeChange& change : result.changes) renamed.insert(change.cell);
  std::unordered_set<std::string> taken;
  for (const CodeChange& change : result.changes) {
    if (!taken.insert(change.new_code).second) {
      throw Error(ErrorKind::kInvalidInput, "renumbering would give two cells the code " +
                                                change.new_code + " (one of them was " +
                                                change.old_code + ")");
    }
    const CellId holder = grids.find(change.new_code);
    if (holder != kNoCell && renamed.count(holder) == 0) {
      throw Error(ErrorKind::kInvalidInput,
                  "cannot rename " + change.old_code + " to " + change.new_code +
                      ": that code belongs to another cell, which keeps it");
    }
  }

  // Two phases: first every renamed cell lets go of its old code, then takes its new one.
  std::size_t serial = 0;
  for (const CodeChange& change : result.changes) {
    std::string parked;
    do {
      parked = "\x01renumbering " + std::to_string(serial++);
    } while (grids.find(parked) != kNoCell);
    grids.set_code(change.cell, parked);
  }
  for (const CodeChange& change : result.changes) grids.set_code(change.cell, change.new_code);

  std::unordered_map<std::string, const std::string*> new_code_of;
  for (const CodeChange& change : result.changes) {
    new_code_of.emplace(change.old_code, &change.new_code);
  }
  for (RosterEntry& entry : grids.roster().entries) {
    const auto it = new_code_of.find(entry.cell_code);
    if (it == new_code_of.end()) continue;
    entry.cell_code = *it->second;
    ++result.roster_entries;
  }
  return result;
}

std::vector<CodeIssue> check_codes(const GridSet& grids, int level, CodeFormat format,
                                   std::string_view object_code) {
  grids.require_one_version("checking codes");
  require_level(grids, level);
  check_object_code(format, object_code, false);
  std::vector<CodeIssue> issues;
  for (const CellId id : grids.cells_of_level(level)) {
    const Cell& c = grids.cell(id);
    CodeIssue issue{id, c.code, "", ""};
    if (c.parent == kNoCell) {
      if (const auto problem = code_problem(c.code, format, {}, object_code)) {
        issue.problem = *problem;
      } else {
        issue.problem = "has no parent";
      }
    } else {
      issue.parent_code = grids.cell(c.parent).code;
      if (const auto problem = code_problem(c.code, format, issue.parent_code, object_code)) {
        issue.problem = *problem;
      }
    }
    if (!issue.problem.empty()) issues.push_back(std::move(issue));
  }
  return issues;
}

}  // namespace libgrid
