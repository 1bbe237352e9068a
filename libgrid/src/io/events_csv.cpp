#include "libgrid/io/events_csv.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"

namespace libgrid {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char p, char q) {
    return std::tolower(static_cast<unsigned char>(p)) ==
           std::tolower(static_cast<unsigned char>(q));
  });
}

// The first of `names` in the header (case-insensitive), or -1.
int find_column(const CsvTable& table, std::initializer_list<std::string_view> names) {
  for (const std::string_view name : names) {
    for (std::size_t c = 0; c < table.header().size(); ++c) {
      if (same_name(table.header()[c], name)) return static_cast<int>(c);
    }
  }
  return -1;
}

int require_column(const CsvTable& table, std::initializer_list<std::string_view> names) {
  const int c = find_column(table, names);
  if (c < 0) {
    throw Error(ErrorKind::kInvalidInput,
                Location{table.path(), "", -1, std::string(*names.begin())}, "no such column");
  }
  return c;
}

}  // namespace

EventTable read_events_csv(const std::string& path) {
  const CsvTable table = CsvTable::read(path);
  const int x_col = require_column(table, {"x", "lon", "lng", "longitude", "easting"});
  const int y_col = require_column(table, {"y", "lat", "latitude", "northing"});
  const int class_col = require_column(table, {"event_class", "class"});
  const int reported_col = require_column(table, {"reported_at", "time"});
  const int id_col = find_column(table, {"event_id", "id"});
  const int closed_col = find_column(table, {"closed_at"});
  const int reopened_col = find_column(table, {"reopened"});
  const auto& header = table.header();
  const auto name_of = [&](int c) { return header[static_cast<std::size_t>(c)]; };

  EventTable events;
  events.source = path;
  const std::size_t n = table.row_count();
  events.x.resize(n);
  events.y.resize(n);
  events.event_class.resize(n);
  events.reported_at.resize(n);
  if (id_col >= 0) events.event_id.resize(n);
  if (closed_col >= 0) events.closed_at.resize(n);
  if (reopened_col >= 0) events.reopened.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& row = table.row(i);
    const auto row_number = static_cast<std::int64_t>(i + 1);
    events.x[i] = table.number(i, x_col);
    events.y[i] = table.number(i, y_col);
    events.event_class[i] = row[static_cast<std::size_t>(class_col)];
    events.reported_at[i] = parse_reported_at(row[static_cast<std::size_t>(reported_col)], path,
                                              row_number, name_of(reported_col));
    if (id_col >= 0) events.event_id[i] = row[static_cast<std::size_t>(id_col)];
    if (closed_col >= 0) {
      events.closed_at[i] =
          parse_closed_at(row[static_cast<std::size_t>(closed_col)], events.reported_at[i], path,
                          row_number, name_of(closed_col));
    }
    if (reopened_col >= 0) {
      events.reopened[i] = parse_reopened(row[static_cast<std::size_t>(reopened_col)], path,
                                          row_number, name_of(reopened_col));
    }
  }
  return events;
}

}  // namespace libgrid
