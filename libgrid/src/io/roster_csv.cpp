#include "libgrid/io/roster_csv.h"

#include <unordered_map>

#include "io/csv_row_reader.h"
#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"

namespace libgrid {

using internal::CsvRowReader;

Roster read_roster_csv(const std::string& path, const GridSet& grids) {
  return read_roster_csv(CsvTable::read(path), grids);
}

DutyTable read_duty_csv(const std::string& path, const GridSet& grids) {
  return read_duty_csv(CsvTable::read(path), grids);
}

Roster read_roster_csv(const CsvTable& table, const GridSet& grids) {
  const int cell_code = table.require_column("cell_code");
  const int role = table.require_column("role");
  const int person_id = table.require_column("person_id");
  const int name = table.require_column("name");
  const int phone = table.require_column("phone");

  Roster roster;
  for (std::size_t i = 0; i < table.row_count(); ++i) {
    const CsvRowReader row(table, i);
    RosterEntry entry;
    entry.cell_code = row.required(cell_code);
    if (grids.find(entry.cell_code) == kNoCell) {
      row.fail(cell_code, "no cell has the code '" + entry.cell_code + "'");
    }
    const std::string role_text = row.required(role);
    const auto parsed = parse_role(role_text);
    if (!parsed) {
      row.fail(role, "unknown role '" + role_text +
                         "' (expected grid_worker, grid_leader or info_worker)");
    }
    entry.role = *parsed;
    entry.person.id = row.required(person_id);
    entry.person.name = row.text(name);
    entry.person.phone = row.text(phone);
    roster.entries.push_back(std::move(entry));
  }
  return roster;
}

DutyTable read_duty_csv(const CsvTable& table, const GridSet& grids) {
  const int event_class = table.require_column("event_class");
  const int class_name = table.column("class_name");
  const int department = table.require_column("department");
  const int handling_level = table.require_column("handling_level");
  const int deadline = table.require_column("deadline");
  const int deadline_unit = table.require_column("deadline_unit");

  DutyTable duty;
  std::unordered_map<std::string, std::size_t> first_row;  // event class -> 1-based row
  for (std::size_t i = 0; i < table.row_count(); ++i) {
    const CsvRowReader row(table, i);
    DutyRule rule;
    rule.event_class = row.required(event_class);
    const auto [seen, added] = first_row.emplace(rule.event_class, i + 1);
    if (!added) {
      row.fail(event_class, "event class '" + rule.event_class + "' is already given in row " +
                                std::to_string(seen->second));
    }
    if (class_name >= 0) rule.class_name = row.text(class_name);
    rule.department = row.required(department);
    rule.handling_level = row.required(handling_level);
    if (grids.level_index(rule.handling_level) < 0) {
      row.fail(handling_level, "'" + rule.handling_level + "' is not a level of the grid set");
    }
    rule.deadline = table.number(i, deadline);
    if (rule.deadline < 0.0) row.fail(deadline, "negative deadline " + row.text(deadline));
    const std::string unit_text = row.required(deadline_unit);
    const auto unit = parse_deadline_unit(unit_text);
    if (!unit) {
      row.fail(deadline_unit,
               "unknown deadline unit '" + unit_text +
                   "' (expected urgent_hours, working_hours, working_days or calendar_days)");
    }
    rule.unit = *unit;
    duty.rules.push_back(std::move(rule));
  }
  return duty;
}

}  // namespace libgrid
