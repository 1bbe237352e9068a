// Who answers for events at points: the columns of GridSet.responsible, from libgrid::Assigner.
#include <cmath>
#include <optional>
#include <unordered_map>

#include "bindings.h"
#include "libgrid/assign/assign.h"
#include "libgrid/thread_count.h"

namespace libgrid::python {
namespace {

using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;

// One value per point: a single value stands for every point.
std::vector<std::string_view> per_point(const std::vector<std::string>& values, std::size_t n,
                                        const char* what) {
  if (values.size() != 1 && values.size() != n) {
    throw py::value_error(std::string(what) + " must be one value or one per point: got " +
                          std::to_string(values.size()) + " for " + std::to_string(n) + " points");
  }
  std::vector<std::string_view> views(n);
  for (std::size_t i = 0; i < n; ++i) views[i] = values.size() == 1 ? values[0] : values[i];
  return views;
}

py::dict responsible_columns(PyGridSet& self, const DoubleArray& x, const DoubleArray& y,
                             const std::optional<std::vector<std::string>>& event_class,
                             const std::optional<std::vector<std::string>>& reported_at,
                             int threads) {
  require_same_shape(x, y);
  worker_count(threads);  // the core's refusal of a negative count
  const auto n = static_cast<std::size_t>(x.size());
  std::vector<std::string_view> classes, times;
  if (event_class) classes = per_point(*event_class, n, "event_class");
  if (event_class && reported_at) times = per_point(*reported_at, n, "reported_at");

  AssignOptions options;
  options.has_class = event_class.has_value();
  options.has_time = event_class && reported_at;
  options.class_name = "event_class";
  options.time_name = "reported_at";
  const PyIndex& index = self.index();
  const Assigner assigner(self.grids, *index.index, options);
  AssignedPoints assigned;
  {
    py::gil_scoped_release release;
    assigner.assign({std::span<const double>(x.data(), n), std::span<const double>(y.data(), n),
                     classes, times},
                    0, assigned, threads);
  }

  // The Python objects of each distinct (cell, event class), made once.
  const auto& columns = assigner.columns();
  std::unordered_map<std::uint64_t, std::size_t> answer_of;
  std::vector<std::vector<py::object>> answers;
  std::vector<std::vector<py::object>> out(columns.size(), std::vector<py::object>(n));
  std::vector<double> deadlines;
  std::string due_text;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t rule = assigned.rule.empty() ? 0 : assigned.rule[i];
    const std::uint64_t key =
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(assigned.finest[i] + 1)) << 32) |
        rule;
    auto [it, added] = answer_of.emplace(key, answers.size());
    if (added) {
      std::vector<py::object> values(columns.size());
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].kind == AssignColumn::kDue) continue;
        const std::string_view text = assigner.value(columns[c], assigned, i, due_text);
        if (columns[c].kind == AssignColumn::kDeadline) {
          values[c] = py::float_(text.empty() ? std::nan("") : assigned.rules[rule].rule.deadline);
        } else if (!text.empty()) {
          values[c] = utf8(std::string(text));
        }
      }
      answers.push_back(std::move(values));
    }
    const auto& values = answers[it->second];
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].kind == AssignColumn::kDue) {
        const std::string_view text = assigner.value(columns[c], assigned, i, due_text);
        if (!text.empty()) out[c][i] = utf8(std::string(text));
      } else {
        out[c][i] = values[c];
      }
    }
  }

  py::dict result;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].kind == AssignColumn::kDeadline) {
      py::array_t<double> deadline(static_cast<py::ssize_t>(n));
      double* d = deadline.mutable_data();
      for (std::size_t i = 0; i < n; ++i) d[i] = out[c][i].cast<double>();
      result[utf8(columns[c].name)] = deadline;
    } else {
      result[utf8(columns[c].name)] = object_array(out[c]);
    }
  }
  return result;
}

}  // namespace

void bind_responsibility(py::module_& m) {
  using namespace pybind11::literals;
  auto cls = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  cls.def("_responsible_columns", &responsible_columns, "x"_a, "y"_a, "event_class"_a,
          "reported_at"_a, "threads"_a,
          "The columns of GridSet.responsible (libgrid::Assigner's) as a dict of arrays. "
          "event_class (None: no duty columns) and reported_at hold one str for every point or "
          "one per point (\"\" for none). Used by GridSet.responsible.");
}

}  // namespace libgrid::python
