// Events for the evaluation from a CSV file with a header row: x and y (or lon/lng/longitude/
// easting and lat/latitude/northing) in the grid set's CRS, event_class (or class), reported_at
// (or time), and optionally event_id, closed_at (empty while open) and reopened (returns for
// rework). Names are matched case-insensitively.
// A missing column, a coordinate that is not a number, or a bad time or count throws
// Error(kInvalidInput) naming the file, row and field (see stats/event_table.h).
#pragma once

#include <string>

#include "libgrid/stats/event_table.h"

namespace libgrid {

EventTable read_events_csv(const std::string& path);

}  // namespace libgrid
