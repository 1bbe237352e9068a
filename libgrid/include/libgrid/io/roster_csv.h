// Roster and duty tables from CSV files.
//
// Roster columns: cell_code, role (grid_worker | grid_leader | info_worker), person_id, name,
// phone. Duty columns: event_class, department, handling_level, deadline, deadline_unit
// (urgent_hours | working_hours | working_days | calendar_days), and optionally class_name.
// A missing column or a bad value throws Error(kInvalidInput) naming the file, row and field.
#pragma once

#include <string>

#include "libgrid/io/csv_table.h"
#include "libgrid/model/duty_table.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/roster.h"

namespace libgrid {

// Each row's cell_code must be a cell of `grids`.
Roster read_roster_csv(const std::string& path, const GridSet& grids);
// Each row's handling_level must be a level of `grids`; event classes must be unique.
DutyTable read_duty_csv(const std::string& path, const GridSet& grids);

// The same from a table already read (CsvTable::parse of a data frame's CSV text, say).
Roster read_roster_csv(const CsvTable& table, const GridSet& grids);
DutyTable read_duty_csv(const CsvTable& table, const GridSet& grids);

}  // namespace libgrid
