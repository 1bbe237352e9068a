// The compiled half of libgrid.assign (and GridSet.responsible): NumPy columns in, the columns of
// libgrid::Assigner out, the lookups and the answers worked out with the GIL released.
//
// Rows are taken a chunk at a time so that the text views of event classes and times stay small;
// each answer (a code, a name, a department) becomes one Python str that every row sharing it
// points to.
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "bindings.h"
#include "libgrid/assign/assign.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/parallel_for.h"
#include "libgrid/thread_count.h"

namespace libgrid::python {
namespace {

constexpr std::size_t kChunkRows = std::size_t{1} << 20;
// Points checked for a wrong CRS, as gridtool assign checks them.
constexpr std::size_t kCrsSample = 10000;

// The text of one column's rows, as views: over Python str objects (kept alive by the caller's
// array), over categories, or over times formatted here.
class TextColumn {
 public:
  // `column`: None, a 1-D object array of str / None / NaN, a datetime64 array (NaT: none), or a
  // (categories, codes) tuple from a pandas Categorical (code -1: none).
  TextColumn(const py::object& column, std::size_t n, std::string what, bool is_class)
      : what_(std::move(what)), is_class_(is_class) {
    if (column.is_none()) return;
    given_ = true;
    if (py::isinstance<py::tuple>(column)) {
      const auto pair = column.cast<py::tuple>();
      categories_ = pair[0].cast<py::array>();
      codes_ =
          py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(pair[1]);
      category_views_.resize(static_cast<std::size_t>(categories_.size()));
      const auto** items = static_cast<const PyObject**>(const_cast<void*>(categories_.data()));
      for (std::size_t c = 0; c < category_views_.size(); ++c) {
        category_views_[c] = view_of(items[c], c, true);
      }
      kind_ = Kind::kCategories;
    } else {
      array_ = column.cast<py::array>();
      const char dtype = array_.dtype().kind();
      if (dtype == 'M') {
        minutes_ =
            py::array_t<std::int64_t>(array_.attr("astype")("datetime64[m]").attr("view")("int64"));
        kind_ = Kind::kMinutes;
      } else if (dtype == 'O') {
        kind_ = Kind::kObjects;
      } else {
        throw py::type_error(what_ + " must be text (str or None), not " +
                             std::string(py::str(array_.dtype())) + " values" + hint());
      }
    }
    const auto size = kind_ == Kind::kCategories ? codes_.size()
                      : kind_ == Kind::kMinutes  ? minutes_.size()
                                                 : array_.size();
    if (static_cast<std::size_t>(size) != n) {
      throw py::value_error(what_ + " has " + std::to_string(size) + " values for " +
                            std::to_string(n) + " points");
    }
  }

  bool given() const { return given_; }

  // Whether the rows are times already parsed (datetime64): see minutes().
  bool is_minutes() const { return kind_ == Kind::kMinutes; }

  // Views of rows [begin, end) into `views`; needs the GIL for str objects.
  void rows(std::size_t begin, std::size_t end, std::vector<std::string_view>& views) const {
    views.resize(end - begin);
    if (kind_ == Kind::kObjects) {
      const auto** items = static_cast<const PyObject**>(const_cast<void*>(array_.data()));
      for (std::size_t i = begin; i < end; ++i) views[i - begin] = view_of(items[i], i, false);
    } else if (kind_ == Kind::kCategories) {
      const std::int64_t* codes = codes_.data();
      for (std::size_t i = begin; i < end; ++i) {
        views[i - begin] = codes[i] < 0 ? std::string_view() : category_views_[codes[i]];
      }
    }
  }

  // Rows [begin, end) of datetime64 times as minutes, PointColumns::kNoTime (NaT) for none.
  std::span<const LocalMinutes> minutes(std::size_t begin, std::size_t end) const {
    return {minutes_.data() + begin, end - begin};
  }

 private:
  enum class Kind { kNone, kObjects, kCategories, kMinutes };

  std::string hint() const {
    return is_class_
               ? " (read event classes as text, e.g. pandas.read_csv(..., dtype={'event_class': "
                 "str}), so that leading zeros survive)"
               : "";
  }

  // A str's UTF-8 text (cached in the object by Python), "" for None and NaN; TypeError naming
  // the row for anything else.
  std::string_view view_of(const PyObject* item, std::size_t i, bool category) const {
    auto* object = const_cast<PyObject*>(item);
    if (object == nullptr || object == Py_None) return {};
    if (PyUnicode_Check(object)) {
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(object, &size);
      if (text == nullptr) throw py::error_already_set();
      return {text, static_cast<std::size_t>(size)};
    }
    if (PyFloat_Check(object) && std::isnan(PyFloat_AS_DOUBLE(object))) return {};
    const py::handle value(object);
    if (std::string(py::str(py::type::handle_of(value).attr("__name__"))) == "NAType") return {};
    throw py::type_error(what_ + (category ? " category " : "[") + std::to_string(i) +
                         (category ? "" : "]") + " must be a str or None, not " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))) + " " +
                         std::string(py::repr(value)) + hint());
  }

  std::string what_;
  bool is_class_;
  bool given_ = false;
  Kind kind_ = Kind::kNone;
  py::array array_;
  py::array categories_;
  py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> codes_;
  py::array_t<std::int64_t> minutes_;
  std::vector<std::string_view> category_views_;
};

// A 1-D object array of n slots, all None, to be filled with set().
class ObjectColumn {
 public:
  explicit ObjectColumn(std::size_t n)
      : array_(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)}),
        slots_(static_cast<PyObject**>(array_.mutable_data())) {}
  // Slot i (still NULL) gets a new reference to value (None for a null handle).
  void set(std::size_t i, PyObject* value) {
    if (value == nullptr) value = Py_None;
    Py_INCREF(value);
    slots_[i] = value;
  }
  // The slots, for filling many rows at once: each slot written this way still needs its
  // reference (see add_references).
  PyObject** slots() { return slots_; }
  py::array take() {
    // Slots never set (none: every row is set) would read as None anyway.
    return std::move(array_);
  }

 private:
  py::array array_;
  PyObject** slots_;
};

// Gives `object` `count` more references at once, as many slots now point to it (None for a
// null pointer): one addition where an increment per row made a chain of dependent writes.
void add_references(PyObject* object, std::int64_t count) {
  if (object == nullptr) object = Py_None;
  Py_SET_REFCNT(object, Py_REFCNT(object) + static_cast<Py_ssize_t>(count));
}

// A str for non-empty text, a null handle for "" (None in the column).
py::object text_object(std::string_view text) {
  return text.empty() ? py::object() : py::object(utf8(std::string(text)));
}

// "YYYY-MM-DDTHH:MM" as a str, as format_local_time writes it, without printf: due times come
// in any order, one a row.
py::object due_object(LocalMinutes t) {
  constexpr LocalMinutes kDay = 24 * 60;
  const LocalMinutes day = (t >= 0 ? t : t - kDay + 1) / kDay;
  const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(day))};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) return utf8(format_local_time(t));
  const auto minute = static_cast<int>(t - day * kDay);
  const auto month = static_cast<unsigned>(date.month());
  const auto dom = static_cast<unsigned>(date.day());
  const auto digit = [](int v) { return static_cast<char>('0' + v); };
  const char text[16] = {digit(year / 1000),
                         digit(year / 100 % 10),
                         digit(year / 10 % 10),
                         digit(year % 10),
                         '-',
                         digit(month / 10),
                         digit(month % 10),
                         '-',
                         digit(dom / 10),
                         digit(dom % 10),
                         'T',
                         digit(minute / 600),
                         digit(minute / 60 % 10),
                         ':',
                         digit(minute % 60 / 10),
                         digit(minute % 10)};
  PyObject* object = PyUnicode_New(16, 127);
  if (object == nullptr) throw py::error_already_set();
  std::memcpy(PyUnicode_DATA(object), text, sizeof text);
  return py::reinterpret_steal<py::object>(object);
}

// datetime64[ns]: NaT, and the nanoseconds of a minute.
constexpr std::int64_t kNotATime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNanosecondsPerMinute = std::int64_t{60} * 1000 * 1000 * 1000;

// Error naming the row when a due time falls outside what datetime64[ns] holds (1677 to 2262).
void check_due_range(const AssignedPoints& batch, std::size_t first, const std::string& column) {
  constexpr LocalMinutes kLast = std::numeric_limits<std::int64_t>::max() / kNanosecondsPerMinute;
  for (std::size_t i = 0; i < batch.due.size(); ++i) {
    const LocalMinutes due = batch.due[i];
    if (due == AssignedPoints::kNoDue || (due > -kLast && due < kLast)) continue;
    throw Error(ErrorKind::kInvalidInput,
                Location{"points", "", static_cast<std::int64_t>(first + i) + 1, column},
                "due " + format_local_time(due) +
                    " is outside the datetime64[ns] range (1677 to 2262): pass the times as text");
  }
}

bool depends_on_cell_only(AssignColumn kind) {
  return kind == AssignColumn::kLevelCode || kind == AssignColumn::kGridWorker ||
         kind == AssignColumn::kGridWorkerId || kind == AssignColumn::kGridWorkerPhone ||
         kind == AssignColumn::kGridLeader || kind == AssignColumn::kInfoWorkers ||
         kind == AssignColumn::kEscalation;
}

bool depends_on_rule_only(AssignColumn kind) {
  return kind == AssignColumn::kDepartment || kind == AssignColumn::kHandlingLevel ||
         kind == AssignColumn::kDeadlineUnit;
}

// The grid set and index an assign answers from: a GridSet (its cached index) or an Index that
// knows its grid set.
std::pair<std::shared_ptr<PyGridSet>, std::shared_ptr<const CellIndex>> source_of(
    const py::object& grid_set_or_index) {
  if (py::isinstance<PyGridSet>(grid_set_or_index)) {
    auto grid_set = grid_set_or_index.cast<std::shared_ptr<PyGridSet>>();
    return {grid_set, grid_set->index().index};
  }
  if (py::isinstance<PyIndex>(grid_set_or_index)) {
    const auto& index = grid_set_or_index.cast<const PyIndex&>();
    if (!index.grid_set) {
      throw py::value_error(
          "this Index does not know its grid set: pass the GridSet, or load the index with "
          "GridSet.load_index(path) or Index.load(path, grid_set=...)");
    }
    return {index.grid_set, index.index};
  }
  throw py::type_error(
      "expected a libgrid.GridSet or libgrid.Index, not " +
      std::string(py::str(py::type::handle_of(grid_set_or_index).attr("__name__"))));
}

}  // namespace

ColumnDict assign_columns(const GridSetOrIndex& grid_set_or_index, const ArrayLike& x_values,
                          const ArrayLike& y_values, const py::object& event_class,
                          const py::object& time, const std::string& crs,
                          const std::vector<std::string>& input_columns, const std::string& x_name,
                          const std::string& y_name, const std::string& class_name,
                          const std::string& time_name, const ThreadsArgument& threads_value) {
  const auto [grid_set, index] = source_of(grid_set_or_index);
  const DoubleArray x = coordinates_argument(x_values, x_name.c_str());
  const DoubleArray y = coordinates_argument(y_values, y_name.c_str());
  require_same_shape(x, y);
  if (x.ndim() != 1) throw py::value_error(x_name + " and " + y_name + " must be 1-D");
  const int threads = threads_argument(threads_value);
  const auto n = static_cast<std::size_t>(x.size());
  TextColumn classes(event_class, n, class_name, true);
  TextColumn times(time, n, time_name, false);

  AssignOptions options;
  options.crs = crs;
  options.input_columns = input_columns;
  options.source = "points";
  options.x_name = x_name;
  options.y_name = y_name;
  options.class_name = class_name;
  options.time_name = time_name;
  options.has_class = classes.given();
  options.has_time = classes.given() && times.given();
  const GridSet& grids = grid_set->grids;
  const Assigner assigner(grids, *index, options);
  const auto& columns = assigner.columns();

  // Times given as datetime64 get a datetime64[ns] due column; text times a column of str.
  const bool times_typed = options.has_time && times.is_minutes();
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<ObjectColumn> objects;
  std::vector<std::size_t> object_of(columns.size(), 0);
  py::array_t<double> deadline;         // when has_deadline
  py::array_t<std::int64_t> due_times;  // when typed_due
  bool has_deadline = false, typed_due = false;
  std::size_t handling_column = kNone, due_column = kNone;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].kind == AssignColumn::kDeadline) {
      deadline = py::array_t<double>(static_cast<py::ssize_t>(n));
      has_deadline = true;
      continue;
    }
    if (columns[c].kind == AssignColumn::kDue) {
      due_column = c;
      if (times_typed) {
        due_times = py::array_t<std::int64_t>(static_cast<py::ssize_t>(n));
        typed_due = true;
        continue;
      }
    }
    if (columns[c].kind == AssignColumn::kHandlingCell) handling_column = c;
    object_of[c] = objects.size();
    objects.emplace_back(n);
  }
  // Their data, taken with the GIL, written without it.
  double* const deadline_data = has_deadline ? deadline.mutable_data() : nullptr;
  std::int64_t* const due_data = typed_due ? due_times.mutable_data() : nullptr;
  // The str of each answer, made once: per finest cell (index finest + 1) for the columns of the
  // cell, per handling cell for handling_cell.
  std::vector<std::vector<py::object>> by_cell(columns.size());
  std::vector<char> by_cell_made(grids.size() + 1, 0);
  std::vector<py::object> handling_code(grids.size());
  std::vector<std::size_t> cell_columns, rule_columns;  // that depend on the cell, the rule only
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (depends_on_rule_only(columns[c].kind)) rule_columns.push_back(c);
    if (!depends_on_cell_only(columns[c].kind)) continue;
    cell_columns.push_back(c);
    by_cell[c].resize(grids.size() + 1);
  }
  // Rows of each answer in the chunk being filled, and the cells (+ 1) and handling cells met.
  std::vector<std::int64_t> rows_of_cell(grids.size() + 1, 0), rows_of_handling(grids.size(), 0);
  std::vector<std::int64_t> rows_of_rule;
  std::vector<std::size_t> first_row_of_rule, touched, touched_handling;

  // Rows go in chunks, a group of `workers` chunks at a time: the chunks of a group are assigned
  // on their own threads without the GIL, then their columns filled in order with it.
  const std::size_t workers = worker_count(threads);
  const std::size_t chunk_rows =
      std::clamp<std::size_t>((n + workers - 1) / workers, 4096, kChunkRows);
  struct Chunk {
    std::size_t begin = 0, end = 0;
    std::vector<std::string_view> classes, times;
    AssignedPoints batch;
    std::vector<CellId> handling;  // of each row, with a handling_cell column
    std::exception_ptr error;
  };
  std::vector<Chunk> group(workers);
  std::vector<double> sample_x, sample_y;
  std::size_t sample_covered = 0;
  bool crs_checked = false;
  std::string due_text;
  const double* xs = x.data();
  const double* ys = y.data();
  const auto points_of = [&](const Chunk& chunk) {
    const std::size_t rows = chunk.end - chunk.begin;
    PointColumns points{std::span<const double>(xs + chunk.begin, rows),
                        std::span<const double>(ys + chunk.begin, rows), chunk.classes,
                        chunk.times};
    if (times_typed) points.time_minutes = times.minutes(chunk.begin, chunk.end);
    return points;
  };
  for (std::size_t group_begin = 0; group_begin < n || group_begin == 0;
       group_begin += workers * chunk_rows) {
    std::size_t chunks = 0;
    for (std::size_t begin = group_begin; chunks < workers && (begin < n || begin == 0);
         begin += chunk_rows) {
      Chunk& chunk = group[chunks++];
      chunk.begin = begin;
      chunk.end = std::min(n, begin + chunk_rows);
      if (options.has_class) classes.rows(chunk.begin, chunk.end, chunk.classes);
      if (options.has_time && !times_typed) times.rows(chunk.begin, chunk.end, chunk.times);
      if (n == 0) break;
    }
    {
      py::gil_scoped_release release;
      const auto work = [&](Chunk& chunk) {
        try {
          assigner.assign(points_of(chunk), static_cast<std::int64_t>(chunk.begin) + 1, chunk.batch,
                          1);
          // Every cell answer (people, escalation) and handling cell worked out here, without
          // the GIL.
          const AssignedPoints& batch = chunk.batch;
          for (const CellId f : batch.finest) (void)assigner.cell_answer(f);
          if (handling_column != kNone && !batch.rule.empty()) {
            chunk.handling.resize(batch.finest.size());
            for (std::size_t i = 0; i < batch.finest.size(); ++i) {
              chunk.handling[i] = assigner.handling_cell(batch, i);
            }
          }
          if (typed_due) check_due_range(batch, chunk.begin, time_name);
        } catch (...) {
          chunk.error = std::current_exception();
        }
      };
      parallel_for(chunks, threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t c = begin; c < end; ++c) work(group[c]);
      });
      for (std::size_t c = 0; c < chunks; ++c) {
        if (group[c].error) std::rethrow_exception(group[c].error);  // the first row's first
        const PointColumns points = points_of(group[c]);
        const AssignedPoints& batch = group[c].batch;
        for (std::size_t i = 0; i < batch.finest.size() && !crs_checked; ++i) {
          if (std::isnan(points.x[i]) || std::isnan(points.y[i])) continue;
          sample_x.push_back(points.x[i]);
          sample_y.push_back(points.y[i]);
          sample_covered += batch.finest[i] != kNoCell;
          crs_checked = sample_x.size() >= kCrsSample;
        }
        if (crs_checked || group[c].end == n) {
          if (!sample_x.empty()) assigner.check_crs(sample_x, sample_y, sample_covered);
          crs_checked = true;
          sample_x.clear();
          sample_y.clear();
        }
      }
    }

    for (std::size_t g = 0; g < chunks; ++g) {
      const std::size_t begin = group[g].begin;
      const std::size_t end = group[g].end;
      const AssignedPoints& batch = group[g].batch;
      const std::vector<CellId>& handling = group[g].handling;
      // Every str the chunk's rows point to is made here, with the GIL, once: per finest cell
      // for the columns of the cell, per rule for those of the event class, per handling cell.
      // The rows' slots are then filled on every core without it, and each str gets its rows'
      // references in one addition.
      touched.clear();
      touched_handling.clear();
      rows_of_rule.assign(batch.rules.size(), 0);
      first_row_of_rule.resize(batch.rules.size());
      std::int64_t without_handling = 0;
      for (std::size_t i = 0; i < end - begin; ++i) {
        const auto k = static_cast<std::size_t>(batch.finest[i] + 1);
        if (!by_cell_made[k]) {
          for (const std::size_t c : cell_columns) {
            by_cell[c][k] = text_object(assigner.value(columns[c], batch, i, due_text));
          }
          by_cell_made[k] = 1;
        }
        if (rows_of_cell[k]++ == 0) touched.push_back(k);
        if (batch.rule.empty()) continue;
        if (rows_of_rule[batch.rule[i]]++ == 0) first_row_of_rule[batch.rule[i]] = i;
        if (handling.empty()) continue;
        const CellId id = handling[i];
        if (id == kNoCell) {
          ++without_handling;
          continue;
        }
        const auto h = static_cast<std::size_t>(id);
        if (!handling_code[h]) handling_code[h] = utf8(grids.cell(id).code);
        if (rows_of_handling[h]++ == 0) touched_handling.push_back(h);
      }
      std::vector<std::vector<py::object>> by_rule(columns.size());
      for (const std::size_t c : rule_columns) {
        by_rule[c].resize(batch.rules.size());
        // Every rule of a batch is some row's (the core adds them as it meets their classes).
        for (std::size_t r = 0; r < batch.rules.size(); ++r) {
          by_rule[c][r] =
              text_object(assigner.value(columns[c], batch, first_row_of_rule[r], due_text));
        }
      }
      {
        py::gil_scoped_release release;
        parallel_for(end - begin, threads, 1 << 16, [&](std::size_t from, std::size_t to) {
          const auto fill = [&](std::size_t c, const auto& object_of_row) {
            PyObject** slots = objects[object_of[c]].slots() + begin;
            for (std::size_t i = from; i < to; ++i) {
              PyObject* text = object_of_row(i);
              slots[i] = text != nullptr ? text : Py_None;
            }
          };
          for (const std::size_t c : cell_columns) {
            const std::vector<py::object>& texts = by_cell[c];
            fill(c, [&](std::size_t i) {
              return texts[static_cast<std::size_t>(batch.finest[i] + 1)].ptr();
            });
          }
          if (has_deadline) {
            double* deadlines = deadline_data + begin;
            for (std::size_t i = from; i < to; ++i) {
              const RuleAnswer* rule = batch.rule.empty() ? nullptr : &batch.rules[batch.rule[i]];
              deadlines[i] = rule && rule->has_rule ? rule->rule.deadline : std::nan("");
            }
          }
          if (typed_due) {
            std::int64_t* due = due_data + begin;
            for (std::size_t i = from; i < to; ++i) {
              due[i] = batch.due.empty() || batch.due[i] == AssignedPoints::kNoDue
                           ? kNotATime
                           : batch.due[i] * kNanosecondsPerMinute;
            }
          }
          // Without rules (no rows), the slots of the event class's columns stay empty: None.
          if (batch.rule.empty()) return;
          for (const std::size_t c : rule_columns) {
            const std::vector<py::object>& texts = by_rule[c];
            fill(c, [&](std::size_t i) { return texts[batch.rule[i]].ptr(); });
          }
          if (handling_column != kNone) {
            fill(handling_column, [&](std::size_t i) {
              return handling[i] == kNoCell
                         ? nullptr
                         : handling_code[static_cast<std::size_t>(handling[i])].ptr();
            });
          }
        });
      }
      for (const std::size_t k : touched) {
        for (const std::size_t c : cell_columns)
          add_references(by_cell[c][k].ptr(), rows_of_cell[k]);
        rows_of_cell[k] = 0;
      }
      for (const std::size_t c : rule_columns) {
        for (std::size_t r = 0; r < rows_of_rule.size(); ++r) {
          add_references(by_rule[c][r].ptr(), rows_of_rule[r]);
        }
      }
      if (handling_column != kNone && !batch.rule.empty()) {
        for (const std::size_t h : touched_handling) {
          add_references(handling_code[h].ptr(), rows_of_handling[h]);
          rows_of_handling[h] = 0;
        }
        add_references(nullptr, without_handling);
      }
      if (due_column != kNone && !typed_due) {
        // Text times: one str a row, due times being nearly all different.
        ObjectColumn& due = objects[object_of[due_column]];
        for (std::size_t i = 0; i < end - begin; ++i) {
          const bool given = !batch.due.empty() && batch.due[i] != AssignedPoints::kNoDue;
          due.set(begin + i, given ? due_object(batch.due[i]).ptr() : nullptr);
        }
      }
    }
    if (n == 0) break;
  }

  py::dict result;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].kind == AssignColumn::kDeadline) {
      result[utf8(columns[c].name)] = deadline;
    } else if (c == due_column && typed_due) {
      result[utf8(columns[c].name)] = due_times.attr("view")("datetime64[ns]");
    } else {
      result[utf8(columns[c].name)] = objects[object_of[c]].take();
    }
  }
  return result;
}

void bind_assign(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_assign_columns", &assign_columns, "grid_set_or_index"_a, "x"_a, "y"_a, "event_class"_a,
        "time"_a, "crs"_a, "input_columns"_a, "x_name"_a, "y_name"_a, "class_name"_a, "time_name"_a,
        "threads"_a,
        "The columns libgrid::Assigner adds, as a dict of arrays. event_class and time: None, an "
        "object array of str / None, a datetime64 array (time), or (categories, codes) of a "
        "pandas Categorical. Used by libgrid.assign and GridSet.responsible.");
  m.def(
      "_point_column",
      [](const std::vector<std::string>& header, const std::string& name) {
        return find_point_column(header, "points", name, name, {}, true);
      },
      "header"_a, "name"_a,
      "The position of the column `name` in `header`; ValueError (the core's) when none has it.");
}

}  // namespace libgrid::python
