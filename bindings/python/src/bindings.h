// Shared pieces of the libgrid Python module: the objects Python holds and the per-area
// binding functions that module.cpp calls.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "typed_object.h"

#include "libgrid/duty/responsibility.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/model/roster.h"
#include "libgrid/model/unit.h"
#include "libgrid/partition/partition.h"

namespace libgrid::python {

namespace py = pybind11;

struct PyGridSet;

// What Python's libgrid.Index holds: the immutable index, shared with the GridSet that built it
// (which caches it), plus the level names so levels can be given by name. The index copies what
// it needs from the grid set, so an Index outlives the GridSet it came from.
struct PyIndex {
  std::shared_ptr<const CellIndex> index;
  std::vector<std::string> levels;
  std::string crs;
  // The file it was loaded from ("" when built here) and how: a pickled Index carries the path
  // and the file's checksum, and each process loads the file once (see bind_pickle.cpp).
  std::string path{};
  bool map_file = false;
  // The grid set it was loaded for (Index.load(..., grid_set=...), GridSet.load_index), which
  // libgrid.assign answers from; null otherwise.
  std::shared_ptr<PyGridSet> grid_set{};
};

// What Python's libgrid.GridSet holds. The geometry never changes once a set exists in Python,
// so the index is built once and cached; the roster and the duty table can be replaced
// (set_roster_csv / set_duty_csv), which drops the cached resolver.
//
// Threads: methods that change or read the roster and duty table keep the GIL; only work on the
// immutable index (and on new objects nobody else sees yet) runs with the GIL released.
struct PyGridSet {
  explicit PyGridSet(GridSet g) : grids(std::move(g)) {}

  GridSet grids;

  // The file the set was read from, with a digest of its bytes, while the set is unchanged
  // since: a pickled GridSet then carries only these (see bind_pickle.cpp).
  struct FileSource {
    std::string path;
    std::uint64_t digest = 0;
  };
  std::optional<FileSource> source{};

  // A new set with this one's cells, roster, duty table and calendar (copied: replacing one's
  // roster leaves the other's as it was) and its index (shared: the geometry never changes).
  std::shared_ptr<PyGridSet> copy() const;
  // The cached index, built on first use (with the GIL released).
  const PyIndex& index();
  // The cached resolver over the current roster and duty table.
  const ResponsibilityResolver& resolver();
  void roster_changed() {
    resolver_.reset();
    source.reset();
  }

 private:
  std::shared_ptr<const PyIndex> index_;
  std::unique_ptr<ResponsibilityResolver> resolver_;

  friend void bind_grid_set(py::module_& m);
};

// The index of the level `level` names: a level name, or an int index (negative counts from
// the finest level, as in Python lists). Throws ValueError naming the known levels.
int level_argument(const std::vector<std::string>& levels, const py::handle& level);

// A local time from a str ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"), datetime, date or
// numpy.datetime64; ValueError / TypeError naming `name` otherwise. times_argument: `n` of them
// from an array-like of such (or one for all).
LocalMinutes time_argument(const py::handle& value, const std::string& name);
std::vector<LocalMinutes> times_argument(const py::object& values, std::size_t n,
                                         const std::string& name);

// A CRS definition shortened for repr(): "EPSG:4548" stays, WKT becomes its identifier or name.
std::string short_crs(const std::string& crs);

// "[a, b, c]" for repr().
std::string bracket_list(const std::vector<std::string>& names);

// The argument as a contiguous array of doubles (any array-like converts).
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

// x or y of a batch of points as doubles: an array-like of ints or floats. Throws TypeError
// naming `name` for None and for anything else (strings, booleans, objects, complex numbers),
// which a cast to double would turn into NaN, 0/1 or a silent wrong answer.
DoubleArray coordinates_argument(const py::handle& values, const char* name);

// A thread count as the CLI takes it: a whole number >= 0, 0 meaning every core. Throws
// TypeError for anything but an int (bool and float included), ValueError for a negative one.
int threads_argument(const py::handle& threads);

// Checks that x and y have the same shape; throws ValueError otherwise.
void require_same_shape(const DoubleArray& x, const DoubleArray& y);

// A new int32 array with the shape of `like`.
py::array_t<std::int32_t> int32_like(const DoubleArray& like);

// A 1-D NumPy object array of n slots, each set to a new reference of objects[i].
py::array object_array(const std::vector<py::object>& objects);

// A Python str from UTF-8 text, replacing invalid bytes rather than failing.
py::str utf8(std::string_view text);

// Points from an array-like of shape (n, 2), x and y in the grid set's CRS. Throws ValueError
// starting with `what` ("units", "each barrier") for any other shape.
std::vector<Point> points_argument(const py::handle& array_like, const std::string& what);

// Units at `xy` (see points_argument; None for none) weighing `weights` (a 1-D array-like with
// one weight per unit, or None for 1 each). Throws ValueError for a bad shape or weights
// without units; the core checks the values.
std::vector<Unit> units_argument(const py::object& xy, const py::object& weights);

// Barrier polylines, each an array-like of shape (k, 2).
std::vector<Barrier> barriers_argument(const py::list& barriers);

// The columns of an infeasibility list: parent_code, cell_code (None for a whole parent), reason.
py::dict infeasible_columns(const std::vector<Infeasibility>& infeasible);

// (the new GridSet, warnings, repaired polygons as dicts) of an import, for GridSet.import_ and
// GridSet.from_frames.
using ImportTuple = TypedObject<"Tuple[libgrid.GridSet, List[str], List[Dict[str, Any]]]">;
ImportTuple import_result_tuple(ImportResult result);

// The columns of roster entries: cell_code, role, person_id, name, phone.
py::dict roster_entry_columns(const std::vector<RosterEntry>& entries);

void bind_errors(py::module_& m);
// GridSet before Index, whose Index.load takes one; GridSet.index after both.
void bind_grid_set(py::module_& m);
void bind_index(py::module_& m);
void bind_grid_set_index(py::module_& m);
// GridSet.load_index: after bind_grid_set, which registers GridSet.
void bind_grid_set_load_index(py::module_& m);
void bind_io(py::module_& m);
void bind_responsibility(py::module_& m);
void bind_crs(py::module_& m);
void bind_validate(py::module_& m);
void bind_repair(py::module_& m);
void bind_partition(py::module_& m);
void bind_rebalance(py::module_& m);
void bind_zone(py::module_& m);
void bind_stats(py::module_& m);
// GridSet.cells(level) columns and GridSet.from_frames: after bind_grid_set.
void bind_frames(py::module_& m);
// libgrid.assign's compiled half: after bind_grid_set and bind_index.
void bind_assign(py::module_& m);
// libgrid.assign's copy of a frame's columns on every core.
void bind_copy(py::module_& m);
// _recycled_arrays, release_memory: the blocks of freed result arrays given to the next ones.
void bind_recycled_memory(py::module_& m);

// The columns libgrid::Assigner adds for the points (x, y), name -> array: str columns as object
// arrays (None for none), deadline as float64 (NaN without a rule). `grid_set_or_index` is a
// GridSet or an Index that knows its grid set; event_class and time are None, a 1-D object
// array of str / None, a datetime64 array (time), or (categories, codes) of a pandas
// Categorical. The lookups and answers run with the GIL released. Errors are the core's.
using GridSetOrIndex = TypedObject<"Union[libgrid.GridSet, libgrid.Index]">;
ColumnDict assign_columns(const GridSetOrIndex& grid_set_or_index, const ArrayLike& x,
                          const ArrayLike& y, const py::object& event_class, const py::object& time,
                          const std::string& crs, const std::vector<std::string>& input_columns,
                          const std::string& x_name, const std::string& y_name,
                          const std::string& class_name, const std::string& time_name,
                          const ThreadsArgument& threads);
// __reduce__ of Index and GridSet and the functions that unpickle them: after both classes.
void bind_pickle(py::module_& m);

// A GridSet read from `path` (the file's digest taken as it was read), for GridSet.read and the
// unpickling of a GridSet sent by path.
std::shared_ptr<PyGridSet> read_grid_set_file(const std::string& path);

}  // namespace libgrid::python
