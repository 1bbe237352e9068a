// libgrid.GridSet: the model seen from Python. The pandas frames are made in libgrid/__init__.py
// from the plain columns the underscore methods here return.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "bindings.h"
#include "libgrid/geometry/wkt.h"

namespace libgrid::python {

const PyIndex& PyGridSet::index() {
  if (!index_) {
    std::shared_ptr<const CellIndex> built;
    {
      // The geometry never changes once the set is in Python, so no lock is needed; a second
      // thread racing here builds its own and one of the two is kept.
      py::gil_scoped_release release;
      built = std::make_shared<const CellIndex>(grids);
    }
    if (!index_)
      index_ = std::make_shared<const PyIndex>(PyIndex{built, grids.levels(), grids.crs()});
  }
  return *index_;
}

std::shared_ptr<PyGridSet> PyGridSet::copy() const {
  auto copied = std::make_shared<PyGridSet>(grids);
  copied->source = source;
  copied->index_ = index_;
  return copied;
}

const ResponsibilityResolver& PyGridSet::resolver() {
  if (!resolver_) resolver_ = std::make_unique<ResponsibilityResolver>(grids);
  return *resolver_;
}

namespace {

using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;
using IdArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

void check_cell(const GridSet& grids, std::int64_t id) {
  if (id < 0 || static_cast<std::size_t>(id) >= grids.size()) {
    throw py::value_error("no cell with id " + std::to_string(id) + " (ids are 0.." +
                          std::to_string(grids.size()) + " - 1)");
  }
}

// One Python str per cell code, made on first use: many points share few cells.
class CodeCache {
 public:
  explicit CodeCache(const GridSet& grids) : grids_(grids), codes_(grids.size()) {}
  const py::object& operator()(CellId id) {
    py::object& code = codes_[static_cast<std::size_t>(id)];
    if (!code) code = utf8(grids_.cell(id).code);
    return code;
  }

 private:
  const GridSet& grids_;
  std::vector<py::object> codes_;
};

// Cell ids from any array-like of integers. Anything else raises TypeError rather than being
// converted: 2.7 would become cell 2, and None or text would not be ids at all.
IdArray id_array(const py::handle& cells) {
  const py::array array = py::array::ensure(cells);
  if (!array) {  // ensure() has cleared NumPy's error
    throw py::type_error("cell ids must be integers, not " +
                         std::string(py::str(py::type::handle_of(cells).attr("__name__"))));
  }
  const char kind = array.dtype().kind();
  if (kind != 'i' && kind != 'u' && array.size() > 0) {  // [] is float64 to NumPy
    throw py::type_error("cell ids must be integers, not " + std::string(py::str(array.dtype())) +
                         " values");
  }
  return IdArray::ensure(array);
}

// ids as a flat vector, each -1 or a cell id (ValueError otherwise).
std::vector<CellId> cell_ids(const GridSet& grids, const IdArray& cells) {
  std::vector<CellId> ids(static_cast<std::size_t>(cells.size()));
  const std::int64_t* data = cells.data();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (data[i] != kNoCell) check_cell(grids, data[i]);
    ids[i] = static_cast<CellId>(data[i]);
  }
  return ids;
}

ObjectArray codes(PyGridSet& self, const ArrayLike& cells_like, const OptionalLevel& level) {
  const GridSet& grids = self.grids;
  const IdArray cells = id_array(cells_like);
  const int target = level.is_none() ? -1 : level_argument(grids.levels(), level);
  const std::vector<CellId> ids = cell_ids(grids, cells);
  CodeCache code(grids);
  std::vector<py::object> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CellId c = ids[i];
    if (c == kNoCell) continue;
    if (target >= 0) {
      while (c != kNoCell && grids.cell(c).level > target) c = grids.cell(c).parent;
      if (c == kNoCell || grids.cell(c).level != target) continue;
    }
    out[i] = code(c);
  }
  py::array result = object_array(out);
  if (cells.ndim() != 1)
    result = result.reshape(std::vector<py::ssize_t>(cells.shape(), cells.shape() + cells.ndim()));
  return result;
}

// One object array of codes per level, coarse to fine.
TypedObject<"List[numpy.typing.NDArray[numpy.object_]]"> path_columns(PyGridSet& self,
                                                                      const ArrayLike& cells_like) {
  const GridSet& grids = self.grids;
  const IdArray cells = id_array(cells_like);
  const std::vector<CellId> ids = cell_ids(grids, cells);
  const std::size_t levels = grids.levels().size();
  CodeCache code(grids);
  std::vector<std::vector<py::object>> columns(levels, std::vector<py::object>(ids.size()));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (CellId c = ids[i]; c != kNoCell; c = grids.cell(c).parent) {
      columns[static_cast<std::size_t>(grids.cell(c).level)][i] = code(c);
    }
  }
  py::list out;
  for (const auto& column : columns) out.append(object_array(column));
  return out;
}

// Columns of the cells of one level (or all), as a dict in column order.
ColumnDict cell_columns(PyGridSet& self, const OptionalLevel& level) {
  const GridSet& grids = self.grids;
  std::vector<CellId> ids;
  if (level.is_none()) {
    ids.resize(grids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<CellId>(i);
  } else {
    ids = grids.cells_of_level(level_argument(grids.levels(), level));
  }
  const std::size_t n = ids.size();
  py::array_t<std::int32_t> id(static_cast<py::ssize_t>(n));
  py::array_t<std::int64_t> households(static_cast<py::ssize_t>(n));
  py::array_t<std::int64_t> population(static_cast<py::ssize_t>(n));
  std::vector<py::object> code(n), name(n), level_name(n), parent_code(n), kind(n);
  std::vector<py::object> level_names;
  for (const auto& l : grids.levels()) level_names.push_back(utf8(l));
  const py::str kinds[] = {utf8(std::string(to_string(CellKind::kBasic))),
                           utf8(std::string(to_string(CellKind::kDedicated)))};
  CodeCache codes(grids);
  // Attribute columns in the order first seen; names that clash with a fixed column get
  // "attr_" in front.
  static const char* const kFixed[] = {"id",          "code",       "name",       "level",
                                       "parent_code", "households", "population", "kind"};
  std::vector<std::string> attribute_names;
  std::unordered_map<std::string, std::size_t> attribute_column;
  std::vector<std::vector<py::object>> attributes;
  for (std::size_t i = 0; i < n; ++i) {
    const CellId c = ids[i];
    const Cell& cell = grids.cell(c);
    id.mutable_at(static_cast<py::ssize_t>(i)) = c;
    households.mutable_at(static_cast<py::ssize_t>(i)) = cell.households;
    population.mutable_at(static_cast<py::ssize_t>(i)) = cell.population;
    code[i] = codes(c);
    name[i] = utf8(cell.name);
    level_name[i] = level_names[static_cast<std::size_t>(cell.level)];
    if (cell.parent != kNoCell) parent_code[i] = codes(cell.parent);
    kind[i] = kinds[cell.kind == CellKind::kBasic ? 0 : 1];
    for (const Attribute& a : cell.attributes) {
      auto [it, added] = attribute_column.emplace(a.name, attribute_names.size());
      if (added) {
        attribute_names.push_back(a.name);
        attributes.emplace_back(n);
      }
      attributes[it->second][i] = utf8(a.value);
    }
  }
  py::dict out;
  out["id"] = id;
  out["code"] = object_array(code);
  out["name"] = object_array(name);
  out["level"] = object_array(level_name);
  out["parent_code"] = object_array(parent_code);
  out["households"] = households;
  out["population"] = population;
  out["kind"] = object_array(kind);
  for (std::size_t a = 0; a < attribute_names.size(); ++a) {
    std::string column = attribute_names[a];
    if (std::find(std::begin(kFixed), std::end(kFixed), column) != std::end(kFixed)) {
      column = "attr_" + column;
    }
    out[utf8(column)] = object_array(attributes[a]);
  }
  return out;
}

TypedObject<"Dict[str, List[str]]"> roster_columns(const PyGridSet& self) {
  return roster_entry_columns(self.grids.roster().entries);
}

ListColumns duty_columns(const PyGridSet& self) {
  const auto& rules = self.grids.duty_table().rules;
  py::list event_class, class_name, department, handling_level, deadline, unit;
  for (const DutyRule& r : rules) {
    event_class.append(utf8(r.event_class));
    class_name.append(utf8(r.class_name));
    department.append(utf8(r.department));
    handling_level.append(utf8(r.handling_level));
    deadline.append(r.deadline);
    unit.append(utf8(std::string(to_string(r.unit))));
  }
  py::dict out;
  out["event_class"] = event_class;
  out["class_name"] = class_name;
  out["department"] = department;
  out["handling_level"] = handling_level;
  out["deadline"] = deadline;
  out["deadline_unit"] = unit;
  return out;
}

}  // namespace

void bind_grid_set(py::module_& m) {
  using namespace pybind11::literals;
  GridSetClass cls(m, "GridSet", R"doc(
A grid set: named levels coarse to fine (district, street, community, grid, microgrid, ...), the
cells of every level with their parents, the roster (who answers for each cell) and the duty table
(which department handles each class of event).

Make one with GridSet.read(path) or libgrid.import_grid_set(...). Cells are numbered 0..len-1;
an id of -1 means "no cell". The geometry cannot change once the set exists in Python; the roster
and duty table can be replaced with set_roster_csv() and set_duty_csv().
)doc");
  // Shown as libgrid.GridSet in signatures and reprs: the package re-exports it.
  cls.attr("__module__") = "libgrid";
  cls.def_property_readonly(
         "levels", [](const PyGridSet& self) { return self.grids.levels(); },
         "The level names, coarse to fine (list[str]).")
      .def_property_readonly(
          "crs", [](const PyGridSet& self) { return self.grids.crs(); },
          "The CRS of the cells' coordinates: \"EPSG:4548\" where it has an identifier, else "
          "WKT; empty when unknown (str).")
      .def_property_readonly(
          "extent", [](const PyGridSet& self) -> TypedObject<"Tuple[float, float, float, float]"> {
            const Box b = self.grids.extent();
            if (b.empty()) {
              const double nan = std::nan("");
              return py::make_tuple(nan, nan, nan, nan);
            }
            return py::make_tuple(b.min_x, b.min_y, b.max_x, b.max_y);
          },
          "The bounding box of every cell, (min_x, min_y, max_x, max_y); NaNs when the set is "
          "empty.")
      .def_property_readonly(
          "versions",
          [](const PyGridSet& self) -> TypedObject<"List[Tuple[Optional[datetime.date], int]]"> {
            py::list out;
            const py::module_ datetime = py::module_::import("datetime");
            for (const BoundaryVersion& v : self.grids.versions()) {
              py::object when = py::none();
              if (v.effective)
                when = datetime.attr("date").attr("fromisoformat")(format_date(*v.effective));
              out.append(py::make_tuple(when, v.cells.size()));
            }
            return out;
          },
          "The boundary versions, earliest first: (effective datetime.date, or None for a first "
          "version in force since always; number of cells) each. Empty for a grid set of one "
          "version.")
      .def(
          "with_version",
          [](const PyGridSet& self, const PyGridSet& next, const TimeArgument& effective,
             const TypedObject<"Optional[Union[str, datetime.date, numpy.datetime64]]">&
                 first_effective) {
            auto day_of = [](const py::object& when, const char* name) {
              const LocalMinutes t = time_argument(when, name);
              if (t % 1440 != 0) throw py::value_error(std::string(name) + " must be a date");
              return std::chrono::sys_days{std::chrono::days{t / 1440}};
            };
            GridSet history = self.grids;
            std::optional<std::chrono::sys_days> first;
            if (!first_effective.is_none()) first = day_of(first_effective, "first_effective");
            history.add_version(day_of(effective, "effective"), next.grids, first);
            return std::make_shared<PyGridSet>(std::move(history));
          },
          "next"_a, "effective"_a, py::kw_only(), "first_effective"_a = py::none(), R"doc(
A new GridSet: this one's boundary versions, then `next` in force from the date `effective`
(`gridtool version add`). A grid set of one version becomes the first, in force since always or
from `first_effective`. Cells whose boundary `next` leaves unchanged are stored once.

Raises:
    ValueError: `next` has other levels or another CRS, or `effective` is not after the latest
        version's date.
)doc")
      .def(
          "at",
          [](const PyGridSet& self, const TimeArgument& when) {
            const LocalMinutes t = time_argument(when, "at");
            GridSet one = self.grids.at(t);
            return std::make_shared<PyGridSet>(std::move(one));
          },
          "when"_a, R"doc(
The boundary version in force at `when` (str "YYYY-MM-DD[THH:MM]", datetime, date or
numpy.datetime64, local time) as a GridSet of its own, cells renumbered. A grid set of one
version gives a copy of itself.

Raises:
    ValueError: `when` is malformed, or before the first version.
)doc")
      .def(
          "__len__", [](const PyGridSet& self) { return self.grids.size(); },
          "The number of cells, all levels together (of every boundary version).")
      .def("__repr__",
           [](const PyGridSet& self) {
             return "<libgrid.GridSet levels=" + bracket_list(self.grids.levels()) +
                    " cells=" + std::to_string(self.grids.size()) +
                    " crs=" + short_crs(self.grids.crs()) + ">";
           })
      .def(
          "code",
          [](const PyGridSet& self, std::int64_t id) {
            check_cell(self.grids, id);
            return utf8(self.grids.cell(static_cast<CellId>(id)).code);
          },
          "cell"_a, R"doc(
The code of the cell with id `cell`.

Raises:
    ValueError: `cell` is not an id of this set (0..len-1).
)doc")
      .def(
          "find",
          [](const PyGridSet& self, const std::string& code) { return self.grids.find(code); },
          "code"_a, "The id of the cell with this code, or -1 when there is none.")
      .def(
          "wkt",
          [](const PyGridSet& self, std::int64_t id) {
            check_cell(self.grids, id);
            return to_wkt(self.grids.cell(static_cast<CellId>(id)).geometry);
          },
          "cell"_a, R"doc(
The geometry of the cell with id `cell` as MULTIPOLYGON well-known text, with every coordinate
written so that it reads back to the same double (shapely.wkt.loads takes it).
)doc")
      .def("codes", &codes, "cells"_a, "level"_a = py::none(), R"doc(
The code of each cell, or of its ancestor at `level`.

Args:
    cells: cell ids (any array-like of ints), e.g. the result of Index.lookup; -1 means none.
    level: a level name or index; None (the default) gives each cell's own code.

Returns:
    numpy.ndarray[object] of cells' shape holding str codes, and None where the id is -1 or
    the cell's path does not reach `level` (a cell coarser than `level`, or one without a
    parent there).

Raises:
    TypeError: the ids are not integers (floats, booleans, text, None).
    ValueError: an id is not -1 or a cell of this set; `level` is not a level.
)doc")
      .def("_path_columns", &path_columns, "cells"_a,
           "Codes of each cell's path, one object array per level (coarse to fine). Used by "
           "GridSet.path.")
      .def("_cell_columns", &cell_columns, "level"_a = py::none(),
           "The columns of GridSet.cells as a dict of arrays. Used by GridSet.cells.")
      .def("_roster_columns", &roster_columns,
           "The columns of GridSet.roster as a dict of lists. Used by GridSet.roster.")
      .def("_duty_columns", &duty_columns,
           "The columns of GridSet.duty_table as a dict of lists. Used by GridSet.duty_table.");
}

void bind_grid_set_index(py::module_& m) {
  auto cls = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  cls.def(
      "index", [](PyGridSet& self) { return self.index(); }, R"doc(
The point -> cell index of this set (libgrid.Index), built on first use and then cached.

The index stays valid after the grid set is deleted.
)doc");
}

}  // namespace libgrid::python
