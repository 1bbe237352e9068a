// The compiled half of libgrid.assign (and GridSet.responsible): NumPy columns in, the columns of
// libgrid::Assigner out, the lookups and the answers worked out with the GIL released.
//
// Rows are taken a chunk at a time so that the text views of event classes and times stay small;
// each answer (a code, a name, a department, a due time) becomes one Python str that every row
// sharing it points to. Only making those str and adding their references needs the GIL: the
// text is read, the rows assigned and counted, and the slots filled on every core without it.
#include <algorithm>
#include <cmath>
#include <limits>

#include "answer_tally.h"
#include "bindings.h"
#include "due_texts.h"
#include "libgrid/assign/assign.h"
#include "libgrid/duty/deadline.h"
#include "libgrid/parallel_for.h"
#include "libgrid/thread_count.h"
#include "object_column.h"
#include "text_column.h"

namespace libgrid::python {
namespace {

constexpr std::size_t kChunkRows = std::size_t{1} << 20;
// Points checked for a wrong CRS, as gridtool assign checks them.
constexpr std::size_t kCrsSample = 10000;

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
    std::vector<LocalMinutes> minutes;                  // with datetime64 times
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
    if (times_typed) points.time_minutes = chunk.minutes;
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
      if (times_typed) times.minutes(chunk.begin, chunk.end, chunk.minutes);
    });
    // A row that is not text ends the group: the rows before it are assigned (their errors, and
    // the CRS check when the sample ends before it, come first) and its error is raised after
    // them, so that the first row's error is the one raised whatever the chunks.
    const TextColumn* not_text = nullptr;
    std::size_t not_text_row = 0;
    for (std::size_t c = 0; c < chunks; ++c) {
      rethrow_error_of(c);
      Chunk& chunk = group[c];
      const std::size_t bad_class =
          classes.finish_rows(chunk.begin, chunk.classes, chunk.slow_classes);
      const std::size_t bad_time = times.finish_rows(chunk.begin, chunk.times, chunk.slow_times);
      const std::size_t bad = std::min(bad_class, bad_time);
      if (bad == TextColumn::kAllText) continue;
      not_text = bad == bad_class ? &classes : &times;
      not_text_row = bad;
      chunk.end = bad;
      if (!chunk.classes.empty()) chunk.classes.resize(bad - chunk.begin);
      if (!chunk.times.empty()) chunk.times.resize(bad - chunk.begin);
      if (!chunk.minutes.empty()) chunk.minutes.resize(bad - chunk.begin);
      chunks = c + 1;
      break;
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
    if (not_text != nullptr) not_text->raise_not_text(not_text_row);
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
