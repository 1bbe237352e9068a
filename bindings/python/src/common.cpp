// Helpers shared by the binding files.
#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <string_view>

#include "bindings.h"
#include "columns.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/thread_count.h"

namespace libgrid::python {

int level_argument(const std::vector<std::string>& levels, const py::handle& level) {
  const int count = static_cast<int>(levels.size());
  if (py::isinstance<py::str>(level)) {
    const auto name = level.cast<std::string>();
    for (int i = 0; i < count; ++i) {
      if (levels[static_cast<std::size_t>(i)] == name) return i;
    }
    throw_unknown_level(name, levels, "level");
  }
  if (py::isinstance<py::int_>(level) && !py::isinstance<py::bool_>(level)) {
    const long long i = level.cast<long long>();
    const long long resolved = i < 0 ? i + count : i;
    if (resolved < 0 || resolved >= count) {
      throw py::value_error("level " + std::to_string(i) + " out of range: the grid set has " +
                            std::to_string(count) + " levels");
    }
    return static_cast<int>(resolved);
  }
  throw py::type_error("a level is given by name (str) or index (int), not " +
                       std::string(py::str(py::type::handle_of(level).attr("__name__"))));
}

namespace {

// Skips a quoted WKT string starting at text[i] == '"'; returns the index after it ("" escapes).
std::size_t skip_quoted(std::string_view text, std::size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '"') {
      if (i + 1 < text.size() && text[i + 1] == '"') {
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return text.size();
}

// The comma-separated values inside the brackets opening at text[open], unquoted, top level only.
std::vector<std::string> bracket_values(std::string_view text, std::size_t open) {
  std::vector<std::string> values(1);
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t end = skip_quoted(text, i);
      if (depth == 1) values.back() += std::string(text.substr(i + 1, end - i - 2));
      i = end - 1;
    } else if (c == '[' || c == '(') {
      if (depth++ >= 1) values.back() += c;
    } else if (c == ']' || c == ')') {
      if (--depth == 0) break;
      values.back() += c;
    } else if (c == ',' && depth == 1) {
      values.emplace_back();
    } else if (depth >= 1 && !std::isspace(static_cast<unsigned char>(c))) {
      values.back() += c;
    }
  }
  return values;
}

}  // namespace

std::string short_crs(const std::string& crs) {
  if (crs.empty()) return "unknown";
  const std::string_view text(crs);
  const std::size_t first = text.find_first_of("[(");
  if (first == std::string_view::npos) return crs;  // already short: "EPSG:4548", "+proj=..."
  // An identifier of the outermost object: ID["EPSG",4548] (WKT2) or AUTHORITY["EPSG","4548"].
  int depth = 0;
  std::size_t word_start = std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = skip_quoted(text, i) - 1;
    } else if (c == '[' || c == '(') {
      if (depth == 1 && word_start != std::string_view::npos) {
        const std::string_view word = text.substr(word_start, i - word_start);
        if (word == "ID" || word == "AUTHORITY") {
          const auto values = bracket_values(text, i);
          if (values.size() >= 2 && !values[0].empty() && !values[1].empty()) {
            return values[0] + ":" + values[1];
          }
        }
      }
      ++depth;
      word_start = std::string_view::npos;
    } else if (c == ']' || c == ')') {
      --depth;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      if (word_start == std::string_view::npos) word_start = i;
    } else {
      word_start = std::string_view::npos;
    }
  }
  // No identifier: the CRS's name, the first value of the outermost object.
  const auto values = bracket_values(text, first);
  if (!values.empty() && !values[0].empty()) return "'" + values[0] + "'";
  return "custom";
}

std::string bracket_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out + "]";
}

DoubleArray coordinates_argument(const py::handle& values, const char* name) {
  if (values.is_none()) {
    throw py::type_error(std::string(name) + " must be an array of numbers, not None");
  }
  const py::array a = py::module_::import("numpy").attr("asarray")(values);
  const auto kind = a.dtype().attr("kind").cast<std::string>();
  if (kind != "i" && kind != "u" && kind != "f") {
    throw py::type_error(std::string(name) + " must be an array of numbers, not of dtype " +
                         py::str(a.dtype()).cast<std::string>());
  }
  return DoubleArray::ensure(a);
}

int threads_argument(const py::handle& threads) {
  const std::string rule = "threads must be a whole number from 0 to " +
                           std::to_string(kMaxThreads) + " (0: every core), not ";
  if (py::isinstance<py::bool_>(threads) || !py::hasattr(threads, "__index__")) {
    throw py::type_error(rule + py::repr(threads).cast<std::string>());
  }
  const auto n = py::reinterpret_steal<py::int_>(PyNumber_Index(threads.ptr()));
  if (!n) throw py::error_already_set();
  int overflow = 0;
  const long count = PyLong_AsLongAndOverflow(n.ptr(), &overflow);
  if (overflow != 0 || count < std::numeric_limits<int>::min() ||
      count > std::numeric_limits<int>::max()) {
    throw py::value_error(rule + py::repr(threads).cast<std::string>());
  }
  // Below 0 or above the most: the core's own error, as C++ and gridtool see it.
  worker_count(static_cast<int>(count));
  return static_cast<int>(count);
}

void require_same_shape(const DoubleArray& x, const DoubleArray& y) {
  const bool same = x.ndim() == y.ndim() && std::equal(x.shape(), x.shape() + x.ndim(), y.shape());
  if (same) return;
  if (x.ndim() == 1 && y.ndim() == 1) {
    throw py::value_error("x and y must have the same length: " + std::to_string(x.shape(0)) +
                          " != " + std::to_string(y.shape(0)));
  }
  auto shape = [](const DoubleArray& a) {
    std::string s = "(";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
    return s + (a.ndim() == 1 ? ",)" : ")");
  };
  throw py::value_error("x and y must have the same shape: " + shape(x) + " != " + shape(y));
}

py::array_t<std::int32_t> int32_like(const DoubleArray& like) {
  return py::array_t<std::int32_t>(
      std::vector<py::ssize_t>(like.shape(), like.shape() + like.ndim()));
}

py::array object_array(const std::vector<py::object>& objects) {
  // NumPy zero-fills object arrays it allocates (NULL slots); every slot is set below.
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(objects.size())});
  auto** slots = static_cast<PyObject**>(out.mutable_data());
  for (std::size_t i = 0; i < objects.size(); ++i) {
    PyObject* value = objects[i] ? objects[i].ptr() : Py_None;
    Py_INCREF(value);
    Py_XDECREF(slots[i]);
    slots[i] = value;
  }
  return out;
}

py::str utf8(std::string_view text) {
  PyObject* s = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

std::vector<Point> points_argument(const py::handle& array_like, const std::string& what) {
  const DoubleArray a = DoubleArray::ensure(array_like);
  if (!a || a.ndim() != 2 || a.shape(1) != 2) {
    throw py::value_error(what +
                          " must be an array of shape (n, 2): x and y in the grid set's CRS");
  }
  std::vector<Point> points(static_cast<std::size_t>(a.shape(0)));
  const double* data = a.data();
  for (std::size_t i = 0; i < points.size(); ++i) points[i] = {data[2 * i], data[2 * i + 1]};
  return points;
}

std::vector<Unit> units_argument(const py::object& xy, const py::object& weights) {
  std::vector<Unit> units;
  if (xy.is_none()) {
    if (!weights.is_none()) throw py::value_error("weights need units");
    return units;
  }
  const std::vector<Point> at = points_argument(xy, "units");
  units.resize(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) units[i].location = at[i];
  if (weights.is_none()) return units;
  const DoubleArray w = DoubleArray::ensure(weights);
  if (!w || w.ndim() != 1 || static_cast<std::size_t>(w.shape(0)) != units.size()) {
    throw py::value_error("weights must be a 1-D array with one weight per unit");
  }
  for (std::size_t i = 0; i < units.size(); ++i) units[i].weight = w.data()[i];
  return units;
}

std::vector<Barrier> barriers_argument(const py::list& barriers) {
  std::vector<Barrier> lines;
  lines.reserve(barriers.size());
  for (const py::handle& b : barriers) lines.push_back(points_argument(b, "each barrier"));
  return lines;
}

py::dict infeasible_columns(const std::vector<Infeasibility>& infeasible) {
  return ColumnTable(infeasible)
      .text("parent_code", &Infeasibility::parent_code)
      .text_or_none("cell_code", &Infeasibility::cell_code)
      .text("reason", &Infeasibility::reason)
      .dict();
}

ImportTuple import_result_tuple(ImportResult result) {
  py::list warnings;
  for (const auto& w : result.warnings) warnings.append(utf8(w));
  using namespace pybind11::literals;
  py::list repairs;
  for (const ImportRepair& r : result.repairs) {
    repairs.append(py::dict("message"_a = utf8(describe(r)), "file"_a = utf8(r.where.file),
                            "layer"_a = utf8(r.where.layer), "feature"_a = r.where.feature,
                            "code"_a = utf8(r.code), "problem"_a = utf8(r.problem),
                            "area_before"_a = r.area_before, "area_after"_a = r.area_after,
                            "share_changed"_a = r.share_changed()));
  }
  return py::make_tuple(std::make_shared<PyGridSet>(std::move(result.grids)), warnings, repairs);
}

py::dict roster_entry_columns(const std::vector<RosterEntry>& entries) {
  return ColumnTable(entries)
      .text("cell_code", &RosterEntry::cell_code)
      .text("role", [](const RosterEntry& e) { return to_string(e.role); })
      .text("person_id", [](const RosterEntry& e) -> const std::string& { return e.person.id; })
      .text("name", [](const RosterEntry& e) -> const std::string& { return e.person.name; })
      .text("phone", [](const RosterEntry& e) -> const std::string& { return e.person.phone; })
      .dict();
}

}  // namespace libgrid::python
