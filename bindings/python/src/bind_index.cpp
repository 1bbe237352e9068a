// libgrid.Index: batches of points -> cells, NumPy in and out, the GIL released while it works.
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "bindings.h"
#include "libgrid/parallel_for.h"

namespace libgrid::python {
namespace {}  // namespace

LocalMinutes time_argument(const py::handle& value, const std::string& name) {
  if (py::isinstance<py::str>(value)) {
    const auto text = value.cast<std::string>();
    if (const auto t = parse_local_time(text)) return *t;
    if (const auto day = parse_date(text))
      return LocalMinutes{day->time_since_epoch().count()} * 1440;
    throw py::value_error(name + ": not a time YYYY-MM-DD or YYYY-MM-DDTHH:MM: '" + text + "'");
  }
  const py::module_ np = py::module_::import("numpy");
  py::object minutes;
  try {
    minutes = np.attr("datetime64")(value, "m").attr("astype")("int64");
  } catch (const py::error_already_set&) {
    throw py::type_error(name + ": not a time (str, datetime, date or numpy.datetime64): " +
                         py::repr(value).cast<std::string>());
  }
  const auto t = minutes.cast<std::int64_t>();
  if (t == std::numeric_limits<std::int64_t>::min()) throw py::value_error(name + " is NaT");
  return t;
}

std::vector<LocalMinutes> times_argument(const py::object& values, std::size_t n,
                                         const std::string& name) {
  const py::module_ np = py::module_::import("numpy");
  const auto a = np.attr("ravel")(np.attr("asarray")(values)).cast<py::array>();
  const auto count = static_cast<std::size_t>(a.size());
  if (count != n && count != 1) {
    throw py::value_error(name + " has " + std::to_string(count) + " times for " +
                          std::to_string(n) + " points");
  }
  std::vector<LocalMinutes> times(n);
  if (a.dtype().kind() == 'M') {
    const auto minutes =
        a.attr("astype")("datetime64[m]").attr("astype")("int64").cast<py::array_t<std::int64_t>>();
    for (std::size_t i = 0; i < n; ++i) {
      times[i] = minutes.at(static_cast<py::ssize_t>(count == 1 ? 0 : i));
      if (times[i] == std::numeric_limits<std::int64_t>::min()) {
        throw py::value_error(name + "[" + std::to_string(i) + "] is NaT");
      }
    }
    return times;
  }
  const auto items = a.attr("tolist")().cast<py::list>();
  for (std::size_t i = 0; i < count; ++i) {
    times[i] = time_argument(items[i], name + "[" + std::to_string(i) + "]");
  }
  if (count == 1) std::fill(times.begin(), times.end(), times[0]);
  return times;
}

namespace {

py::array_t<std::int32_t> lookup(const PyIndex& self, const ArrayLike& x_values,
                                 const ArrayLike& y_values, const ThreadsArgument& threads_value,
                                 const TimesArgument& at) {
  const DoubleArray x = coordinates_argument(x_values, "x");
  const DoubleArray y = coordinates_argument(y_values, "y");
  require_same_shape(x, y);
  const int threads = threads_argument(threads_value);
  auto out = int32_like(x);
  const auto n = static_cast<std::size_t>(x.size());
  std::span<const double> xs(x.data(), n), ys(y.data(), n);
  std::span<CellId> cells(out.mutable_data(), n);
  if (!at.is_none()) {
    const std::vector<LocalMinutes> times = times_argument(at, n, "at");
    py::gil_scoped_release release;
    self.index->lookup(xs, ys, times, cells, threads);
    return out;
  }
  {
    py::gil_scoped_release release;
    self.index->lookup(xs, ys, cells, threads);
  }
  return out;
}

// out[i] = per_point(Point{x[i], y[i]}) for every point, in parallel, without the GIL.
template <typename PerPoint>
py::array_t<std::int32_t> map_points(const py::object& x_values, const py::object& y_values,
                                     const py::object& threads_value, PerPoint per_point) {
  const DoubleArray x = coordinates_argument(x_values, "x");
  const DoubleArray y = coordinates_argument(y_values, "y");
  require_same_shape(x, y);
  const int threads = threads_argument(threads_value);
  auto out = int32_like(x);
  const auto n = static_cast<std::size_t>(x.size());
  const double* xs = x.data();
  const double* ys = y.data();
  std::int32_t* cells = out.mutable_data();
  {
    py::gil_scoped_release release;
    // Below a few thousand points a thread costs more than it saves.
    parallel_for(n, threads, 4096, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) cells[i] = per_point(Point{xs[i], ys[i]});
    });
  }
  return out;
}

// CellIndex::load, or its check against `grid_set` when there is one, without the GIL.
PyIndex load_index(const std::filesystem::path& path, std::shared_ptr<PyGridSet> grid_set,
                   bool map_file) {
  std::shared_ptr<const CellIndex> index;
  {
    py::gil_scoped_release release;
    const CellIndex::LoadOptions options{.map_file = map_file};
    index = std::make_shared<const CellIndex>(
        grid_set ? CellIndex::load(path.string(), grid_set->grids, options)
                 : CellIndex::load(path.string(), options));
  }
  return PyIndex{index,        index->level_names(),
                 index->crs(), std::filesystem::absolute(path).lexically_normal().string(),
                 map_file,     std::move(grid_set)};
}

}  // namespace

void bind_index(py::module_& m) {
  using namespace pybind11::literals;
  py::class_<PyIndex> cls(m, "Index", R"doc(
Point -> cell lookup over every level of a grid set, exact, immutable and thread-safe.

Get one from GridSet.index(). The index copies what it needs, so it stays valid after the grid
set is deleted. Coordinates are in the grid set's CRS (see the crs property).

The boundary rule: a point belongs to the cell whose interior holds the point an infinitesimal
step north of it, nudged an even smaller step east. So a point on a vertical shared edge belongs
to the cell east of it, a point on a horizontal edge to the cell north of it, a shared vertex to
the one cell holding the points just north of it. In a level whose cells cover an area without
gaps, every point of the area is held by exactly one cell; points on the north and east rim of
the covered area belong to none.
)doc");
  // Shown as libgrid.Index in signatures and reprs: the package re-exports it.
  cls.attr("__module__") = "libgrid";
  cls.def("lookup", &lookup, "x"_a, "y"_a, "threads"_a = 0, py::kw_only(), "at"_a = py::none(),
          R"doc(
The finest cell holding each point.

Args:
    x, y: coordinates, any array-likes of numbers with the same shape (1-D arrays as a rule).
    threads: worker threads, a whole number; 0 uses every core. The GIL is released while the
        lookup runs.
    at: for a grid set of several boundary versions, each point's local time (numpy datetime64
        array, or ISO strings "YYYY-MM-DD[THH:MM]"; one time for all points, or one per point):
        each point is looked up in the version in force then. None: the latest version.

Returns:
    numpy.ndarray[int32] of x's shape: the id of the finest cell holding each point, or -1 where
    no cell holds it. Where the finest level has no cell at a point, the answer is a cell of the
    deepest level that has one. Ids are those of GridSet (GridSet.code(id) gives the code).

Raises:
    TypeError: x or y is None or not numbers (strings, booleans, objects), or threads is not an
        int.
    ValueError: x and y differ in shape, or threads < 0; a time is malformed, NaT, or before
        the first boundary version.
)doc")
      .def(
          "lookup_level",
          [](const PyIndex& self, const ArrayLike& x, const ArrayLike& y,
             const LevelArgument& level, const ThreadsArgument& threads) {
            const int l = level_argument(self.levels, level);
            const CellIndex& index = *self.index;
            return map_points(x, y, threads, [&](Point p) { return index.lookup_level(p, l); });
          },
          "x"_a, "y"_a, "level"_a, "threads"_a = 0, R"doc(
The cell of exactly `level` holding each point, ignoring the other levels.

Args:
    x, y: coordinates, array-likes of the same shape.
    level: a level name, or its index (0 = coarsest; negative counts from the finest).
    threads: worker threads; 0 uses every core. The GIL is released while it runs.

Returns:
    numpy.ndarray[int32] of x's shape: a cell id of that level, or -1.
)doc")
      .def(
          "count_holding",
          [](const PyIndex& self, const ArrayLike& x, const ArrayLike& y,
             const LevelArgument& level, const ThreadsArgument& threads) {
            const int l = level_argument(self.levels, level);
            const CellIndex& index = *self.index;
            return map_points(x, y, threads, [&](Point p) {
              return static_cast<std::int32_t>(index.cells_holding(p, l).size());
            });
          },
          "x"_a, "y"_a, "level"_a, "threads"_a = 0, R"doc(
How many cells of `level` hold each point: 0 or 1 in a level without overlaps.

Used to check coverage: a point held by no cell is in a gap (or outside), one held by two or
more lies where cells of the level overlap.

Args:
    x, y: coordinates, array-likes of the same shape.
    level: a level name, or its index (0 = coarsest; negative counts from the finest).
    threads: worker threads; 0 uses every core. The GIL is released while it runs.

Returns:
    numpy.ndarray[int32] of x's shape.
)doc")
      .def(
          "path",
          [](const PyIndex& self, CellId cell) {
            if (cell < 0 || static_cast<std::size_t>(cell) >= self.index->cell_count()) {
              throw py::value_error("no cell with id " + std::to_string(cell) + " (ids are 0.." +
                                    std::to_string(self.index->cell_count()) + " - 1)");
            }
            return self.index->path(cell);
          },
          "cell"_a, R"doc(
The ids of `cell` and its ancestors, coarsest first.
)doc")
      .def_static(
          "load",
          [](const std::filesystem::path& path, std::shared_ptr<PyGridSet> grid_set,
             bool map_file) { return load_index(path, std::move(grid_set), map_file); },
          "path"_a, "grid_set"_a = py::none(), py::kw_only(), "map_file"_a = false, R"doc(
Load an index saved by Index.save or `gridtool build-index`.

Args:
    path: the .lgi file.
    grid_set: the GridSet the index is meant for, or None. When given, an index built from
        another grid set (or another version of this one) raises ValueError: its cell ids would
        name the wrong cells. GridSet.load_index(path) is the same check.
    map_file: False (the default) reads the file into memory the index owns, so that replacing
        or truncating the file later cannot affect it. True maps the file instead, so that
        processes loading the same file share it in the page cache; then the file must never be
        written in place while the index lives (truncating it kills the process with SIGBUS):
        deploy a new index under another name and rename it over the old one.

The whole file is checksummed first; a truncated, corrupted or other-version file raises
ValueError naming the file, one that cannot be opened OSError. Lookups answer exactly as the
index that was saved; Index.path and Index.levels work without the grid set.
)doc")
      .def(
          "save",
          [](const PyIndex& self, const std::filesystem::path& path) {
            py::gil_scoped_release release;
            self.index->save(path.string());
          },
          "path"_a, R"doc(
Write the index to a versioned, checksummed file (atomically) for Index.load elsewhere.
)doc")
      .def_property_readonly(
          "version_starts",
          [](const PyIndex& self) -> TypedObject<"List[Optional[numpy.datetime64]]"> {
            py::list starts;
            const py::module_ np = py::module_::import("numpy");
            for (const LocalMinutes t : self.index->version_starts()) {
              starts.append(t == std::numeric_limits<LocalMinutes>::min()
                                ? py::object(py::none())
                                : np.attr("datetime64")(t, "m"));
            }
            return starts;
          },
          "When each boundary version comes into force (list of numpy.datetime64, None for a "
          "first version in force since always); empty for a grid set of one version.")
      .def_property_readonly(
          "memory_bytes", [](const PyIndex& self) { return self.index->memory_bytes(); },
          "Bytes of memory the index holds (int).")
      .def_property_readonly(
          "levels", [](const PyIndex& self) { return self.levels; },
          "The level names, coarse to fine (list[str]).")
      .def_property_readonly(
          "crs", [](const PyIndex& self) { return self.crs; },
          "The CRS of the coordinates lookup() takes, as the grid set gives it (str; empty if "
          "unknown).")
      .def(
          "__len__", [](const PyIndex& self) { return self.index->cell_count(); },
          "The number of cells indexed.")
      .def("__repr__", [](const PyIndex& self) {
        return "<libgrid.Index levels=" + bracket_list(self.levels) +
               " cells=" + std::to_string(self.index->cell_count()) +
               " crs=" + short_crs(self.crs) + ">";
      });
}

void bind_grid_set_load_index(py::module_& m) {
  using namespace pybind11::literals;
  // GridSet's method, bound here with the rest of the index.
  auto grid_set = py::reinterpret_borrow<py::class_<PyGridSet>>(m.attr("GridSet"));
  grid_set.def(
      "load_index",
      [](std::shared_ptr<PyGridSet> self, const std::filesystem::path& path, bool map_file) {
        return load_index(path, std::move(self), map_file);
      },
      "path"_a, py::kw_only(), "map_file"_a = false, R"doc(
The index saved in `path` (Index.save, `gridtool build-index`), refused unless it was built from
exactly this grid set: Index.load(path, grid_set=self, map_file=map_file).

Raises:
    ValueError: the file is damaged, not an index, or the index of another grid set (or of
        another version of this one).
    OSError: the file cannot be opened.
)doc");
}

}  // namespace libgrid::python
