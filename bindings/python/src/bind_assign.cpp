// The compiled half of libgrid.assign (and GridSet.responsible): NumPy columns in, the columns of
// libgrid::Assigner out, the lookups and the answers worked out with the GIL released.
//
// Rows are taken a chunk at a time so that the text views of event classes and times stay small;
// each answer (a code, a name, a department, a due time) becomes one Python str that every row
// sharing it points to. Only making those str and adding their references needs the GIL: the
// text is read, the rows assigned and counted, and the slots filled on every core without it.
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

  // Views of rows [begin, end) into `views`, without the GIL: rows whose text needs it (a str
  // that is not plain ASCII, anything but str, None and NaN) are left to finish_rows, in `slow`.
  void rows(std::size_t begin, std::size_t end, std::vector<std::string_view>& views,
            std::vector<std::size_t>& slow) const {
    views.resize(end - begin);
    slow.clear();
    if (kind_ == Kind::kObjects) {
      PyObject* const* items = objects();
      for (std::size_t i = begin; i < end; ++i) {
        if (!plain_view(items[i], views[i - begin])) slow.push_back(i);
      }
    } else if (kind_ == Kind::kCategories) {
      const std::int64_t* codes = codes_.data();
      for (std::size_t i = begin; i < end; ++i) {
        views[i - begin] = codes[i] < 0 ? std::string_view() : category_views_[codes[i]];
      }
    }
  }

  // With the GIL: the views of the rows that rows() left (views[0] is row `begin`'s), or the
  // error naming the first of them that is not text.
  void finish_rows(std::size_t begin, std::vector<std::string_view>& views,
                   const std::vector<std::size_t>& slow) const {
    for (const std::size_t i : slow) views[i - begin] = view_of(objects()[i], i, false);
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

  PyObject* const* objects() const { return static_cast<PyObject* const*>(array_.data()); }

  // The text of None, NaN and a compact ASCII str, which is its own UTF-8: fields read without
  // the GIL, nothing made. False for anything else.
  static bool plain_view(PyObject* item, std::string_view& view) {
    if (item == nullptr || item == Py_None) {
      view = {};
      return true;
    }
    if (PyUnicode_Check(item) && PyUnicode_IS_COMPACT_ASCII(item)) {
      view = {static_cast<const char*>(PyUnicode_DATA(item)),
              static_cast<std::size_t>(PyUnicode_GET_LENGTH(item))};
      return true;
    }
    if (PyFloat_CheckExact(item) && std::isnan(PyFloat_AS_DOUBLE(item))) {
      view = {};
      return true;
    }
    return false;
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

// How many rows of a chunk point at each answer, counted beside the lookups without the GIL,
// with the first row of each (whose answer makes the str they all share).
struct AnswerTally {
  std::vector<std::int64_t> of_cell;           // rows of each finest cell + 1
  std::vector<std::size_t> cells;              // the finest cells + 1 met, in order
  std::vector<std::size_t> first_row_of_cell;  // of each of `cells`
  std::vector<std::int64_t> of_rule;           // rows of each of the batch's rules
  std::vector<std::size_t> first_row_of_rule;
  std::vector<std::int64_t> of_handling;  // rows of each handling cell
  std::vector<std::size_t> handlings;     // the handling cells met
  std::int64_t without_handling = 0;      // rows with a rule and no handling cell

  // Counts `batch` (`handling`: its rows' handling cells, or empty) in a grid set of `cells`.
  void count(const AssignedPoints& batch, const std::vector<CellId>& handling,
             std::size_t grid_cells) {
    for (const std::size_t k : cells) of_cell[k] = 0;
    for (const std::size_t h : handlings) of_handling[h] = 0;
    cells.clear();
    first_row_of_cell.clear();
    handlings.clear();
    without_handling = 0;
    of_cell.resize(grid_cells + 1, 0);
    of_handling.resize(grid_cells, 0);
    of_rule.assign(batch.rules.size(), 0);
    first_row_of_rule.resize(batch.rules.size());
    for (std::size_t i = 0; i < batch.finest.size(); ++i) {
      const auto k = static_cast<std::size_t>(batch.finest[i]) + 1;
      if (of_cell[k]++ == 0) {
        cells.push_back(k);
        first_row_of_cell.push_back(i);
      }
      if (batch.rule.empty()) continue;
      if (of_rule[batch.rule[i]]++ == 0) first_row_of_rule[batch.rule[i]] = i;
      if (handling.empty()) continue;
      if (handling[i] == kNoCell) {
        ++without_handling;
        continue;
      }
      const auto h = static_cast<std::size_t>(handling[i]);
      if (of_handling[h]++ == 0) handlings.push_back(h);
    }
  }
};

// The str of each due time, one per distinct minute, that every row due then points to: text
// times' due column held a str a row (1.4 GB at 20 M rows) where a year has 525,600 minutes.
// The minutes are kept in a window that grows to at most kMaxSpan; a due time outside it gets a
// str of its own.
class DueTexts {
 public:
  static constexpr LocalMinutes kMaxSpan = LocalMinutes{1} << 21;  // about four years

  py::object text(LocalMinutes t) {
    if (!covers(t) && !widen(t)) return due_object(t);
    py::object& text = texts_[after_base(t)];
    if (!text) text = due_object(t);
    return text;
  }

 private:
  // Minutes from base_ to t as an unsigned count, free of overflow for any two times.
  std::uint64_t after_base(LocalMinutes t) const {
    return static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(base_);
  }
  bool covers(LocalMinutes t) const { return t >= base_ && after_base(t) < texts_.size(); }
  // Grows the window to hold t (by half its size again, at least), unless that passes kMaxSpan.
  bool widen(LocalMinutes t) {
    if (texts_.empty()) {
      base_ = t;
      texts_.resize(1);
      return true;
    }
    constexpr auto kMax = static_cast<std::uint64_t>(kMaxSpan);
    if (t < base_ ? static_cast<std::uint64_t>(base_) - static_cast<std::uint64_t>(t) >= kMax
                  : after_base(t) >= kMax) {
      return false;
    }
    const auto size = static_cast<LocalMinutes>(texts_.size());
    const LocalMinutes low = std::min(t, base_), high = std::max(t, base_ + size - 1);
    if (high - low >= kMaxSpan) return false;
    const LocalMinutes room =
        std::min(kMaxSpan - (high - low + 1), std::max<LocalMinutes>(size / 2, 1));
    const LocalMinutes new_base = t < base_ ? low - room / 2 : low;
    std::vector<py::object> texts(static_cast<std::size_t>(high - low + 1 + room));
    std::move(texts_.begin(), texts_.end(), texts.begin() + (base_ - new_base));
    texts_ = std::move(texts);
    base_ = new_base;
    return true;
  }

  LocalMinutes base_ = 0;
  std::vector<py::object> texts_;  // of minute base_ + k, made when first met
};

// The due minutes of a chunk's rows, counted without the GIL over the span they cover, so that
// the str of each is taken and given its rows' references once, and the slots filled on every
// core. A chunk whose due times span more than DueTexts::kMaxSpan is not counted: its rows get
// their str one by one.
struct DueTally {
  bool counted = false;
  LocalMinutes first = 0;
  std::vector<std::int64_t> of_minute;  // rows due at first + k
  std::int64_t without_due = 0;
  std::vector<py::object> texts;  // of first + k, where rows are due then (taken with the GIL)

  void count(const AssignedPoints& batch) {
    const std::vector<LocalMinutes>& due = batch.due;
    without_due = due.empty() ? static_cast<std::int64_t>(batch.finest.size()) : 0;
    LocalMinutes low = std::numeric_limits<LocalMinutes>::max();
    LocalMinutes high = std::numeric_limits<LocalMinutes>::min();
    for (const LocalMinutes t : due) {
      if (t == AssignedPoints::kNoDue) {
        ++without_due;
        continue;
      }
      low = std::min(low, t);
      high = std::max(high, t);
    }
    of_minute.clear();
    counted = low > high || static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) <
                                static_cast<std::uint64_t>(DueTexts::kMaxSpan);
    if (!counted || low > high) return;
    first = low;
    of_minute.resize(static_cast<std::size_t>(high - low) + 1, 0);
    for (const LocalMinutes t : due) {
      if (t != AssignedPoints::kNoDue) ++of_minute[static_cast<std::size_t>(t - first)];
    }
  }
};

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
  // Rows go in chunks, a group of `workers` chunks at a time: the chunks of a group are read,
  // assigned and counted on their own threads without the GIL; the str of each answer they met
  // is then made with it, their slots filled on every core without it, and the references
  // added with it.
  const std::size_t workers = worker_count(threads);
  const std::size_t chunk_rows =
      std::clamp<std::size_t>((n + workers - 1) / workers, 4096, kChunkRows);
  struct Chunk {
    std::size_t begin = 0, end = 0;
    std::vector<std::string_view> classes, times;
    std::vector<std::size_t> slow_classes, slow_times;  // rows whose text needs the GIL
    AssignedPoints batch;
    std::vector<CellId> handling;  // of each row, with a handling_cell column
    AnswerTally tally;
    DueTally due;  // with text times
    std::exception_ptr error;
  };
  std::vector<Chunk> group(workers);
  std::vector<double> sample_x, sample_y;
  std::size_t sample_covered = 0;
  bool crs_checked = false;
  std::string due_text;
  DueTexts due_texts;
  const bool text_due = due_column != kNone && !typed_due;
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
  // Runs `work` on each chunk of the group without the GIL, keeping each chunk's error.
  const auto on_every_chunk = [&](std::size_t chunks, const auto& work) {
    py::gil_scoped_release release;
    parallel_for(chunks, threads, 1, [&](std::size_t begin, std::size_t end) {
      for (std::size_t c = begin; c < end; ++c) {
        try {
          work(group[c]);
        } catch (...) {
          group[c].error = std::current_exception();
        }
      }
    });
  };
  const auto rethrow_error_of = [&](std::size_t c) {
    if (group[c].error) std::rethrow_exception(group[c].error);
  };
  // A chunk ends where the CRS sample does (after its kCrsSample-th point with coordinates), so
  // that a wrong CRS is reported before any bad row after the sample, as gridtool reports it.
  std::size_t sample_end = n;
  for (std::size_t i = 0, points = 0; i < n; ++i) {
    if (std::isnan(xs[i]) || std::isnan(ys[i]) || ++points < kCrsSample) continue;
    sample_end = i + 1;
    break;
  }
  for (std::size_t group_begin = 0; group_begin < n || group_begin == 0;) {
    std::size_t chunks = 0;
    std::size_t begin = group_begin;
    while (chunks < workers && (begin < n || (n == 0 && chunks == 0))) {
      Chunk& chunk = group[chunks++];
      chunk.begin = begin;
      chunk.end = std::min(n, begin + chunk_rows);
      if (begin < sample_end && chunk.end > sample_end) chunk.end = sample_end;
      begin = chunk.end;
    }
    group_begin = begin;
    // The text of the event classes and times: the views of plain str made without the GIL,
    // the rest (str Python has no UTF-8 of yet, and what is not text) with it.
    on_every_chunk(chunks, [&](Chunk& chunk) {
      if (options.has_class) {
        classes.rows(chunk.begin, chunk.end, chunk.classes, chunk.slow_classes);
      }
      if (options.has_time && !times_typed) {
        times.rows(chunk.begin, chunk.end, chunk.times, chunk.slow_times);
      }
    });
    for (std::size_t c = 0; c < chunks; ++c) {
      rethrow_error_of(c);
      Chunk& chunk = group[c];
      classes.finish_rows(chunk.begin, chunk.classes, chunk.slow_classes);
      times.finish_rows(chunk.begin, chunk.times, chunk.slow_times);
    }
    on_every_chunk(chunks, [&](Chunk& chunk) {
      assigner.assign(points_of(chunk), static_cast<std::int64_t>(chunk.begin) + 1, chunk.batch, 1);
      const AssignedPoints& batch = chunk.batch;
      if (handling_column != kNone && !batch.rule.empty()) {
        chunk.handling.resize(batch.finest.size());
        for (std::size_t i = 0; i < batch.finest.size(); ++i) {
          chunk.handling[i] = assigner.handling_cell(batch, i);
        }
      }
      chunk.tally.count(batch, chunk.handling, grids.size());
      // Every cell answer met (people, escalation) worked out here too, without the GIL.
      for (const std::size_t k : chunk.tally.cells) {
        (void)assigner.cell_answer(static_cast<CellId>(k) - 1);
      }
      if (typed_due) check_due_range(batch, chunk.begin, time_name);
      if (text_due) chunk.due.count(batch);
    });
    // A chunk's error, then the CRS check once its points complete the sample: a wrong CRS is
    // reported before a bad row of a later chunk.
    for (std::size_t c = 0; c < chunks; ++c) {
      rethrow_error_of(c);
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

    for (std::size_t g = 0; g < chunks; ++g) {
      const std::size_t begin = group[g].begin;
      const std::size_t end = group[g].end;
      const AssignedPoints& batch = group[g].batch;
      const std::vector<CellId>& handling = group[g].handling;
      const AnswerTally& tally = group[g].tally;
      // Every str the chunk's rows point to is made here, with the GIL, once: per finest cell
      // for the columns of the cell, per rule for those of the event class, per handling cell.
      for (std::size_t j = 0; j < tally.cells.size(); ++j) {
        const std::size_t k = tally.cells[j];
        if (by_cell_made[k]) continue;
        for (const std::size_t c : cell_columns) {
          by_cell[c][k] =
              text_object(assigner.value(columns[c], batch, tally.first_row_of_cell[j], due_text));
        }
        by_cell_made[k] = 1;
      }
      std::vector<std::vector<py::object>> by_rule(columns.size());
      for (const std::size_t c : rule_columns) {
        by_rule[c].resize(batch.rules.size());
        // Every rule of a batch is some row's (the core adds them as it meets their classes).
        for (std::size_t r = 0; r < batch.rules.size(); ++r) {
          by_rule[c][r] =
              text_object(assigner.value(columns[c], batch, tally.first_row_of_rule[r], due_text));
        }
      }
      for (const std::size_t h : tally.handlings) {
        if (!handling_code[h]) handling_code[h] = utf8(grids.cell(static_cast<CellId>(h)).code);
      }
      DueTally& due_tally = group[g].due;
      PyObject** const due_slots =
          text_due ? objects[object_of[due_column]].slots() + begin : nullptr;
      if (text_due && due_tally.counted) {
        due_tally.texts.resize(due_tally.of_minute.size());
        for (std::size_t k = 0; k < due_tally.of_minute.size(); ++k) {
          if (due_tally.of_minute[k] != 0)
            due_tally.texts[k] = due_texts.text(due_tally.first + static_cast<LocalMinutes>(k));
        }
      } else if (text_due) {
        for (std::size_t i = 0; i < end - begin; ++i) {
          const bool given = !batch.due.empty() && batch.due[i] != AssignedPoints::kNoDue;
          due_slots[i] = given ? due_texts.text(batch.due[i]).release().ptr() : Py_NewRef(Py_None);
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
              return texts[static_cast<std::size_t>(batch.finest[i]) + 1].ptr();
            });
          }
          if (has_deadline) {
            double* deadlines = deadline_data + begin;
            for (std::size_t i = from; i < to; ++i) {
              const RuleAnswer* rule = batch.rule.empty() ? nullptr : &batch.rules[batch.rule[i]];
              deadlines[i] = rule && rule->has_rule ? rule->rule.deadline : std::nan("");
            }
          }
          if (text_due && due_tally.counted) {
            for (std::size_t i = from; i < to; ++i) {
              due_slots[i] =
                  batch.due.empty() || batch.due[i] == AssignedPoints::kNoDue
                      ? Py_None
                      : due_tally.texts[static_cast<std::size_t>(batch.due[i] - due_tally.first)]
                            .ptr();
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
      // Each str gets its rows' references in one addition.
      for (const std::size_t k : tally.cells) {
        for (const std::size_t c : cell_columns)
          add_references(by_cell[c][k].ptr(), tally.of_cell[k]);
      }
      for (const std::size_t c : rule_columns) {
        for (std::size_t r = 0; r < batch.rules.size(); ++r) {
          add_references(by_rule[c][r].ptr(), tally.of_rule[r]);
        }
      }
      if (handling_column != kNone && !batch.rule.empty()) {
        for (const std::size_t h : tally.handlings) {
          add_references(handling_code[h].ptr(), tally.of_handling[h]);
        }
        add_references(nullptr, tally.without_handling);
      }
      if (text_due && due_tally.counted) {
        for (std::size_t k = 0; k < due_tally.texts.size(); ++k) {
          if (due_tally.texts[k]) add_references(due_tally.texts[k].ptr(), due_tally.of_minute[k]);
        }
        due_tally.texts.clear();
        add_references(nullptr, due_tally.without_due);
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
