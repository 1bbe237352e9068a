#include "libgrid/duty/responsibility.h"

#include <string_view>
#include <unordered_map>

#include "libgrid/model/grid_set.h"

namespace libgrid {

ResponsibilityResolver::ResponsibilityResolver(const GridSet& grids)
    : grids_(&grids), roster_of_cell_(grids.size()) {
  const auto& entries = grids.roster().entries;
  if (!grids.has_versions()) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const CellId cell = grids.find(entries[i].cell_code);
      if (cell != kNoCell) roster_of_cell_[static_cast<std::size_t>(cell)].push_back(i);
    }
    return;
  }
  // A roster entry names a code: it stands for the cell of that code in every boundary version.
  std::unordered_map<std::string_view, std::vector<std::size_t>> entries_of_code;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries_of_code[entries[i].cell_code].push_back(i);
  }
  for (std::size_t id = 0; id < grids.size(); ++id) {
    const auto it = entries_of_code.find(grids.cells()[id].code);
    if (it != entries_of_code.end()) roster_of_cell_[id] = it->second;
  }
}

std::vector<Person> ResponsibilityResolver::people_of(CellId cell, Role role) const {
  std::vector<Person> found;
  for (std::size_t i : roster_of_cell_[static_cast<std::size_t>(cell)]) {
    const RosterEntry& e = grids_->roster().entries[i];
    if (e.role == role) found.push_back(e.person);
  }
  return found;
}

Responsibility ResponsibilityResolver::resolve(CellId finest, std::string_view event_class) const {
  Responsibility r;
  if (!event_class.empty()) {
    if (const DutyRule* rule = grids_->duty_table().find(event_class)) {
      r.has_rule = true;
      r.rule = *rule;
    }
  }
  if (finest == kNoCell) return r;
  r.path = grids_->path(finest);
  const int handling_level = r.has_rule ? grids_->level_index(r.rule.handling_level) : -1;
  // Deepest first: the most local body answers (属地管理).
  for (auto it = r.path.rbegin(); it != r.path.rend(); ++it) {
    const CellId cell = *it;
    if (r.grid_worker_cell == kNoCell) {
      const auto workers = people_of(cell, Role::kGridWorker);
      if (!workers.empty()) {
        r.grid_worker = workers.front();
        r.grid_worker_cell = cell;
        r.grid_worker_count = static_cast<int>(workers.size());
      }
    }
    auto leaders = people_of(cell, Role::kGridLeader);
    if (r.grid_leaders.empty()) r.grid_leaders = leaders;
    if (r.info_workers.empty()) r.info_workers = people_of(cell, Role::kInfoWorker);
    if (grids_->cell(cell).level == handling_level) r.handling_cell = cell;
    r.escalation.push_back({cell, std::move(leaders)});
  }
  return r;
}

std::string names_text(const std::vector<Person>& people) {
  std::string text;
  for (const Person& p : people) {
    if (!text.empty()) text += ';';
    text += p.name.empty() ? p.id : p.name;
  }
  return text;
}

std::string escalation_text(const GridSet& grids, const Responsibility& r) {
  std::string text;
  for (const EscalationStep& step : r.escalation) {
    if (!text.empty()) text += " > ";
    text += grids.cell(step.cell).code;
    if (!step.leaders.empty()) text += ' ' + names_text(step.leaders);
  }
  return text;
}

Responsibility responsibility(const GridSet& grids, CellId finest, std::string_view event_class) {
  return ResponsibilityResolver(grids).resolve(finest, event_class);
}

}  // namespace libgrid
