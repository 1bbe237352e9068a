// An evaluation written as a table, one row per group: a CSV file, or a GeoPackage (a name ending
// in ".gpkg") whose layer "evaluation" carries each cell's geometry when grouped by a level.
//
// Columns: the group (code and name for a level, worker_id and worker for a worker, department),
// households, events, events_per_100_households, closed, closure_rate, closed_on_time,
// settle_by_as_of, on_time_rate, open, overdue, reworked, rework_rate, handling_unit and
// median_handling (see stats/evaluation.h). A figure that does not apply is empty (NULL).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "libgrid/stats/evaluation.h"

namespace libgrid {

class GridSet;

// Written atomically; refuses to write over any of `inputs` (see io/atomic_output.h). Throws
// Error(kIo) when it cannot be written.
void write_evaluation(const Evaluation& evaluation, const GridSet& grids, const std::string& path,
                      const std::vector<std::string>& inputs = {});

// The CSV text of an evaluation, as write_evaluation writes a .csv file: for a stream that needs
// no temporary file (standard output, once the evaluation is complete).
void write_evaluation_csv(const Evaluation& evaluation, std::ostream& out);

// The names of the columns, in order.
std::vector<std::string> evaluation_columns(const Evaluation& evaluation);

}  // namespace libgrid
