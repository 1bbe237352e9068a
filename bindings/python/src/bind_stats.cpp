// libgrid.stats: gridtool stats's evaluation (考核) of an events frame, its columns passed as
// NumPy arrays and the groups returned as columns for pandas.
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

#include "bindings.h"
#include "libgrid/error.h"
#include "libgrid/io/calendar_csv.h"
#include "libgrid/model/working_calendar.h"
#include "libgrid/stats/evaluation.h"
#include "libgrid/stats/evaluation_file.h"

namespace libgrid::python {

namespace {

const std::string kSource = "events";

bool is_missing(const py::handle& item) {
  if (item.is_none()) return true;
  if (py::isinstance<py::float_>(item)) return std::isnan(item.cast<double>());
  return false;
}

// One time column: datetime64 values (NaT is missing) or strings "YYYY-MM-DDTHH:MM" (None and
// NaN are missing), each read by `read(row, text_or_minutes)`.
template <typename Read>
void for_each_time(const py::array& column, Read read) {
  const std::size_t n = static_cast<std::size_t>(column.size());
  if (column.dtype().kind() == 'M') {
    const auto minutes =
        py::array_t<std::int64_t>(column.attr("astype")("datetime64[m]").attr("view")("int64"));
    const auto values = minutes.unchecked<1>();
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t t = values(static_cast<py::ssize_t>(i));
      read(i,
           std::optional<LocalMinutes>(t == std::numeric_limits<std::int64_t>::min()
                                           ? std::nullopt
                                           : std::optional<LocalMinutes>(t)),
           std::string());
    }
    return;
  }
  const py::list items = column.attr("tolist")();
  for (std::size_t i = 0; i < n; ++i) {
    const py::handle item = items[i];
    read(i, std::nullopt, is_missing(item) ? std::string() : py::str(item).cast<std::string>());
  }
}

EventTable events_argument(const DoubleArray& x, const DoubleArray& y, const py::array& classes,
                           const py::array& reported, const py::object& closed,
                           const py::object& reopened, const py::object& ids) {
  require_same_shape(x, y);
  const std::size_t n = static_cast<std::size_t>(x.size());
  const auto same_length = [n](const py::array& a, const char* name) {
    if (static_cast<std::size_t>(a.size()) != n) {
      throw py::value_error(std::string("events: column ") + name + " has " +
                            std::to_string(a.size()) + " values, x has " + std::to_string(n));
    }
  };
  EventTable events;
  events.source = kSource;
  events.x.assign(x.data(), x.data() + n);
  events.y.assign(y.data(), y.data() + n);
  same_length(classes, "event_class");
  same_length(reported, "reported_at");
  const py::list class_items = classes.attr("tolist")();
  events.event_class.reserve(n);
  for (const py::handle item : class_items) {
    events.event_class.push_back(is_missing(item) ? std::string()
                                                  : py::str(item).cast<std::string>());
  }
  events.reported_at.resize(n);
  for_each_time(reported, [&](std::size_t i, std::optional<LocalMinutes> t, const std::string& s) {
    const auto row = static_cast<std::int64_t>(i + 1);
    events.reported_at[i] = t ? *t : parse_reported_at(s, kSource, row, "reported_at");
  });
  if (!closed.is_none()) {
    const py::array column = py::array::ensure(closed);
    same_length(column, "closed_at");
    events.closed_at.resize(n);
    for_each_time(column, [&](std::size_t i, std::optional<LocalMinutes> t, const std::string& s) {
      const auto row = static_cast<std::int64_t>(i + 1);
      if (t) {
        check_closed_after_reported(events.reported_at[i], *t, kSource, row, "closed_at");
        events.closed_at[i] = *t;
      } else {
        events.closed_at[i] = parse_closed_at(s, events.reported_at[i], kSource, row, "closed_at");
      }
    });
  }
  if (!reopened.is_none()) {
    const py::array column = py::array::ensure(reopened);
    same_length(column, "reopened");
    const py::list items = column.attr("tolist")();
    events.reopened.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const py::handle item = items[i];
      std::string text;
      if (py::isinstance<py::float_>(item) && !std::isnan(item.cast<double>())) {
        // 2.0 from a column with missing values is 2; 1.5 stays "1.5" and is refused.
        const double v = item.cast<double>();
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.15g", v);
        text = buffer;
      } else if (!is_missing(item)) {
        text = py::str(item).cast<std::string>();
      }
      events.reopened[i] =
          parse_reopened(text, kSource, static_cast<std::int64_t>(i + 1), "reopened");
    }
  }
  if (!ids.is_none()) {
    for (const py::handle item : py::list(py::array::ensure(ids).attr("tolist")())) {
      events.event_id.push_back(py::str(item).cast<std::string>());
    }
  }
  return events;
}

// A calendar from a CSV path, or from (dates, kinds) columns checked like the file's rows.
WorkingCalendar calendar_argument(const py::object& path, const py::object& rows) {
  if (!path.is_none()) return read_calendar_csv(py::str(path).cast<std::string>());
  WorkingCalendar calendar;
  const auto [dates, kinds] =
      rows.cast<std::pair<std::vector<std::string>, std::vector<std::string>>>();
  for (std::size_t i = 0; i < dates.size() && i < kinds.size(); ++i) {
    const auto row = static_cast<std::int64_t>(i + 1);
    const auto day = parse_date(dates[i]);
    if (!day) {
      throw Error(ErrorKind::kInvalidInput, Location{"calendar", "", row, "date"},
                  "not a date YYYY-MM-DD: '" + dates[i] + "'");
    }
    const auto kind = parse_day_kind(kinds[i]);
    if (!kind) {
      throw Error(ErrorKind::kInvalidInput, Location{"calendar", "", row, "kind"},
                  "unknown kind '" + kinds[i] + "' (expected holiday or workday)");
    }
    calendar.set(*day, *kind);
  }
  return calendar;
}

py::object real_or_none(double v) { return std::isnan(v) ? py::object(py::none()) : py::float_(v); }

// (columns, summary) of an evaluation.
TypedObject<"Tuple[Dict[str, List[Any]], Dict[str, Any]]"> stats_columns(
    PyGridSet& self, const DoubleArray& x, const DoubleArray& y, const py::array& classes,
    const py::array& reported, const py::object& closed, const py::object& reopened,
    const py::object& ids, const std::string& by, const std::optional<std::string>& from,
    const std::optional<std::string>& to, const std::optional<std::string>& as_of,
    const TypedObject<"Optional[str]">& calendar_path,
    const TypedObject<"Optional[Tuple[List[str], List[str]]]">& calendar_rows, int threads) {
  const EventTable events = events_argument(x, y, classes, reported, closed, reopened, ids);
  EvaluationOptions options;
  options.by = by;
  options.threads = threads;
  const auto date_of = [](const std::string& text, const char* name) {
    const auto day = parse_date(text);
    if (!day) {
      throw py::value_error(std::string("not a date YYYY-MM-DD: '") + text + "' (" + name + ")");
    }
    return *day;
  };
  if (from) options.from = date_of(*from, "from_date");
  if (to) options.to = date_of(*to, "to_date");
  if (as_of) {
    options.as_of = parse_local_time(*as_of);
    if (!options.as_of) {
      throw py::value_error("not a time YYYY-MM-DDTHH:MM: '" + *as_of + "' (as_of)");
    }
  }
  std::optional<WorkingCalendar> calendar;
  if (!calendar_path.is_none() || !calendar_rows.is_none()) {
    calendar = calendar_argument(calendar_path, calendar_rows);
    options.calendar = &*calendar;
  }
  const PyIndex& index = self.index();
  Evaluation e;
  {
    py::gil_scoped_release release;
    e = evaluate(self.grids, *index.index, events, options);
  }
  const std::vector<std::string> names = evaluation_columns(e);
  std::vector<py::list> columns(names.size());
  for (const GroupEvaluation& g : e.groups) {
    std::size_t c = 0;
    columns[c++].append(utf8(g.key));
    if (e.by != "department") columns[c++].append(utf8(g.name));
    columns[c++].append(real_or_none(g.households));
    columns[c++].append(g.events);
    columns[c++].append(real_or_none(g.events_per_100_households));
    columns[c++].append(g.closed);
    columns[c++].append(real_or_none(g.closure_rate));
    columns[c++].append(g.closed_on_time);
    columns[c++].append(g.settle_by_as_of);
    columns[c++].append(real_or_none(g.on_time_rate));
    columns[c++].append(g.open);
    columns[c++].append(g.overdue);
    columns[c++].append(g.reworked);
    columns[c++].append(real_or_none(g.rework_rate));
    columns[c++].append(g.handling_unit
                            ? py::object(py::str(std::string(to_string(*g.handling_unit))))
                            : py::object(py::none()));
    columns[c++].append(real_or_none(g.median_handling));
  }
  py::dict out;
  for (std::size_t c = 0; c < names.size(); ++c) out[py::str(names[c])] = columns[c];
  py::dict summary;
  summary["by"] = e.by;
  summary["as_of"] = format_local_time(e.as_of);
  summary["events_read"] = e.events_read;
  summary["evaluated"] = e.total.events;
  summary["outside_period"] = e.outside_period;
  summary["after_as_of"] = e.after_as_of;
  summary["not_covered"] = e.not_covered.count;
  summary["unknown_class"] = e.unknown_class.count;
  summary["first_unknown_class_row"] = e.unknown_class.first_row;
  summary["outside_group"] = e.outside_group.count;
  summary["closure_rate"] = real_or_none(e.total.closure_rate);
  summary["on_time_rate"] = real_or_none(e.total.on_time_rate);
  summary["rework_rate"] = real_or_none(e.total.rework_rate);
  return py::make_tuple(out, summary);
}

}  // namespace

void bind_stats(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_stats_columns", &stats_columns, "grid_set"_a, "x"_a, "y"_a, "event_class"_a,
        "reported_at"_a, "closed_at"_a, "reopened"_a, "event_id"_a, "by"_a, "from_date"_a,
        "to_date"_a, "as_of"_a, "calendar_path"_a, "calendar_rows"_a, "threads"_a,
        "The parts of libgrid.stats's result; use libgrid.stats.");
}

}  // namespace libgrid::python
