// Who answers for events at points: the columns of GridSet.responsible.
#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "bindings.h"
#include "libgrid/duty/deadline.h"

namespace libgrid::python {
namespace {

using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;

// The names of `people` joined with ';', or None when there are none.
py::object names(const std::vector<Person>& people) {
  if (people.empty()) return py::none();
  return utf8(names_text(people));
}

py::object text_or_none(const std::string& text) {
  if (text.empty()) return py::none();
  return utf8(text);
}

// One answer, shared by every point with the same finest cell and event class.
struct Row {
  std::vector<py::object> codes;  // one per level
  py::object grid_worker, grid_worker_id, grid_worker_phone, grid_leader, info_workers;
  py::object department, handling_level, handling_cell, deadline_unit, escalation;
  double deadline = std::nan("");
  bool has_rule = false;
  DutyRule rule;
};

Row make_row(const GridSet& grids, const Responsibility& r) {
  Row row;
  row.codes.resize(grids.levels().size());
  for (const CellId id : r.path) {
    row.codes[static_cast<std::size_t>(grids.cell(id).level)] = utf8(grids.cell(id).code);
  }
  if (r.grid_worker_cell != kNoCell) {
    row.grid_worker = utf8(r.grid_worker.name);
    row.grid_worker_id = text_or_none(r.grid_worker.id);
    row.grid_worker_phone = text_or_none(r.grid_worker.phone);
  }
  row.grid_leader = names(r.grid_leaders);
  row.info_workers = names(r.info_workers);
  if (r.has_rule) {
    row.has_rule = true;
    row.rule = r.rule;
    row.department = utf8(r.rule.department);
    row.handling_level = utf8(r.rule.handling_level);
    if (r.handling_cell != kNoCell) row.handling_cell = utf8(grids.cell(r.handling_cell).code);
    row.deadline = r.rule.deadline;
    row.deadline_unit = utf8(std::string(to_string(r.rule.unit)));
  }
  if (!r.escalation.empty()) row.escalation = utf8(escalation_text(grids, r));
  return row;
}

const std::string& nth(const std::vector<std::string>& values, std::size_t i) {
  return values.size() == 1 ? values[0] : values[i];
}

py::dict responsible_columns(PyGridSet& self, const DoubleArray& x, const DoubleArray& y,
                             const std::vector<std::string>& event_class,
                             const std::optional<std::vector<std::string>>& reported_at,
                             int threads) {
  require_same_shape(x, y);
  if (threads < 0) throw py::value_error("threads must be >= 0 (0: every core)");
  const auto n = static_cast<std::size_t>(x.size());
  if (event_class.size() != 1 && event_class.size() != n) {
    throw py::value_error("event_class must be one class or one per point: got " +
                          std::to_string(event_class.size()) + " for " + std::to_string(n) +
                          " points");
  }
  if (reported_at && reported_at->size() != 1 && reported_at->size() != n) {
    throw py::value_error("reported_at must be one time or one per point: got " +
                          std::to_string(reported_at->size()) + " for " + std::to_string(n) +
                          " points");
  }
  const GridSet& grids = self.grids;
  const PyIndex& index = self.index();
  std::vector<CellId> finest(n);
  {
    py::gil_scoped_release release;
    index.index->lookup(std::span<const double>(x.data(), n), std::span<const double>(y.data(), n),
                        finest, threads);
  }

  // Resolve each distinct (cell, class) once.
  const ResponsibilityResolver& resolver = self.resolver();
  std::unordered_map<std::string, std::uint32_t> class_ids;
  std::unordered_map<std::uint64_t, std::size_t> row_of;
  std::vector<Row> rows;
  std::vector<std::size_t> row_index(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& cls = nth(event_class, i);
    const auto class_id =
        class_ids.emplace(cls, static_cast<std::uint32_t>(class_ids.size())).first->second;
    const std::uint64_t key =
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(finest[i] + 1)) << 32) | class_id;
    auto [it, added] = row_of.emplace(key, rows.size());
    if (added) rows.push_back(make_row(grids, resolver.resolve(finest[i], cls)));
    row_index[i] = it->second;
  }

  const std::size_t levels = grids.levels().size();
  std::vector<std::vector<py::object>> codes(levels, std::vector<py::object>(n));
  std::vector<py::object> worker(n), worker_id(n), worker_phone(n), leader(n), info(n),
      department(n), handling_level(n), handling_cell(n), unit(n), escalation(n), due;
  py::array_t<double> deadline(static_cast<py::ssize_t>(n));
  double* deadline_out = deadline.mutable_data();
  if (reported_at) due.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Row& row = rows[row_index[i]];
    for (std::size_t l = 0; l < levels; ++l) codes[l][i] = row.codes[l];
    worker[i] = row.grid_worker;
    worker_id[i] = row.grid_worker_id;
    worker_phone[i] = row.grid_worker_phone;
    leader[i] = row.grid_leader;
    info[i] = row.info_workers;
    department[i] = row.department;
    handling_level[i] = row.handling_level;
    handling_cell[i] = row.handling_cell;
    deadline_out[i] = row.deadline;
    unit[i] = row.deadline_unit;
    escalation[i] = row.escalation;
    if (reported_at) {
      const std::string& when = nth(*reported_at, i);
      if (when.empty()) continue;
      const auto reported = parse_local_time(when);
      if (!reported) {
        throw py::value_error("reported_at[" + std::to_string(i) +
                              "]: not a time 'YYYY-MM-DDTHH:MM': '" + when + "'");
      }
      if (row.has_rule) {
        due[i] = utf8(format_local_time(due_time(*reported, row.rule.deadline, row.rule.unit)));
      }
    }
  }

  // Column names: the levels first, renamed "<level>_code" where one clashes with a column below.
  static const char* const kColumns[] = {"grid_worker",    "grid_worker_id", "grid_worker_phone",
                                         "grid_leader",    "info_workers",   "department",
                                         "handling_level", "handling_cell",  "deadline",
                                         "deadline_unit",  "escalation",     "due"};
  py::dict out;
  for (std::size_t l = 0; l < levels; ++l) {
    std::string name = grids.levels()[l];
    if (std::find(std::begin(kColumns), std::end(kColumns), name) != std::end(kColumns)) {
      name += "_code";
    }
    out[utf8(name)] = object_array(codes[l]);
  }
  out["grid_worker"] = object_array(worker);
  out["grid_worker_id"] = object_array(worker_id);
  out["grid_worker_phone"] = object_array(worker_phone);
  out["grid_leader"] = object_array(leader);
  out["info_workers"] = object_array(info);
  out["department"] = object_array(department);
  out["handling_level"] = object_array(handling_level);
  out["handling_cell"] = object_array(handling_cell);
  out["deadline"] = deadline;
  out["deadline_unit"] = object_array(unit);
  out["escalation"] = object_array(escalation);
  if (reported_at) out["due"] = object_array(due);
  return out;
}

}  // namespace

void bind_responsibility(py::module_& m) {
  using namespace pybind11::literals;
  auto cls = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  cls.def("_responsible_columns", &responsible_columns, "x"_a, "y"_a, "event_class"_a,
          "reported_at"_a, "threads"_a,
          "The columns of GridSet.responsible as a dict of arrays. event_class and reported_at "
          "hold one str for every point or one per point (\"\" for none). Used by "
          "GridSet.responsible.");
}

}  // namespace libgrid::python
