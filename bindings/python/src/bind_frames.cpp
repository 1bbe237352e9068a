// GeoPandas both ways: the columns of GridSet.cells(level) with WKB geometry and typed extra
// fields, and GridSet.from_frames, which hands levels held in memory to the core's import. The
// GeoDataFrames themselves are made and taken apart in libgrid/frames.py.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "bindings.h"
#include "libgrid/crs/china_offsets.h"
#include "libgrid/geometry/wkb.h"
#include "libgrid/io/calendar_csv.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/io/roster_csv.h"

namespace libgrid::python {
namespace {

using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;

template <typename Number>
std::optional<Number> number_of(const std::string& text) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

const char* type_name(AttributeType type) {
  switch (type) {
    case AttributeType::kInteger:
      return "integer";
    case AttributeType::kReal:
      return "real";
    case AttributeType::kText:
      break;
  }
  return "text";
}

// One attribute column of a level: its cells' values (nullopt where a cell lacks it) and the
// type they agree on; text where they disagree or a value does not read as its type.
struct AttributeColumn {
  std::string name;
  std::optional<AttributeType> type;
  std::vector<const std::string*> values;
};

py::object typed_column(const AttributeColumn& column) {
  const std::size_t n = column.values.size();
  const AttributeType type = column.type.value_or(AttributeType::kText);
  if (type == AttributeType::kReal) {
    py::array_t<double> out(static_cast<py::ssize_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      out.mutable_at(static_cast<py::ssize_t>(i)) =
          column.values[i] ? *number_of<double>(*column.values[i]) : std::nan("");
    }
    return out;
  }
  std::vector<py::object> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (column.values[i] == nullptr) continue;
    if (type == AttributeType::kInteger) {
      out[i] = py::int_(*number_of<std::int64_t>(*column.values[i]));
    } else {
      out[i] = utf8(*column.values[i]);
    }
  }
  return object_array(out);
}

// (attribute columns, their types, WKB geometries, CRS for pyproj, the grid set's own CRS
// text) of one level; GridSet._cell_columns gives the other columns.
TypedObject<"Tuple[Dict[str, Any], Dict[str, str], numpy.typing.NDArray[numpy.object_], str, str]">
frame_columns(PyGridSet& self, const LevelArgument& level) {
  const GridSet& grids = self.grids;
  const int target = level_argument(grids.levels(), level);
  const std::vector<CellId> ids = grids.cells_of_level(target);
  const std::size_t n = ids.size();

  std::vector<AttributeColumn> attributes;
  std::unordered_map<std::string, std::size_t> column_of;
  std::vector<py::object> geometry(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Cell& cell = grids.cell(ids[i]);
    {
      const std::string wkb = to_wkb(cell.geometry);
      geometry[i] = py::bytes(wkb);
    }
    for (const Attribute& a : cell.attributes) {
      const auto [it, added] = column_of.emplace(a.name, attributes.size());
      if (added) attributes.push_back({a.name, std::nullopt, std::vector<const std::string*>(n)});
      AttributeColumn& column = attributes[it->second];
      column.values[i] = &a.value;
      if (!column.type) column.type = a.type;
      const bool reads = a.type == AttributeType::kInteger
                             ? number_of<std::int64_t>(a.value).has_value()
                         : a.type == AttributeType::kReal ? number_of<double>(a.value).has_value()
                                                          : true;
      if (*column.type != a.type || !reads) column.type = AttributeType::kText;
    }
  }
  // Named as GridSet.cells() names them: "attr_" before a name that clashes with its columns.
  static const char* const kFixed[] = {"id",          "code",       "name",       "level",
                                       "parent_code", "households", "population", "kind"};
  py::dict columns;
  py::dict types;
  for (const AttributeColumn& column : attributes) {
    std::string name = column.name;
    if (std::find(std::begin(kFixed), std::end(kFixed), name) != std::end(kFixed)) {
      name = "attr_" + name;
    }
    columns[utf8(name)] = typed_column(column);
    types[utf8(name)] = type_name(column.type.value_or(AttributeType::kText));
  }
  const std::string& crs = grids.crs();
  const std::string base_crs = parse_china_offset(crs) ? "EPSG:4326" : crs;
  return py::make_tuple(columns, types, object_array(geometry), utf8(base_crs), utf8(crs));
}

// One column of a level, as frames.py hands it over: (name, "text" | "integer" | "real",
// values, missing), values a list of str for text, else an array of int64 or float64.
LayerColumn layer_column(const py::tuple& spec) {
  LayerColumn column;
  column.name = spec[0].cast<std::string>();
  const std::string type = spec[1].cast<std::string>();
  if (type == "integer") {
    column.type = AttributeType::kInteger;
    const auto values = spec[2].cast<py::array_t<std::int64_t, py::array::c_style>>();
    column.integers.assign(values.data(), values.data() + values.size());
  } else if (type == "real") {
    column.type = AttributeType::kReal;
    const auto values = spec[2].cast<py::array_t<double, py::array::c_style>>();
    column.reals.assign(values.data(), values.data() + values.size());
  } else {
    column.text = spec[2].cast<std::vector<std::string>>();
  }
  const auto missing = spec[3].cast<py::array_t<bool, py::array::c_style>>();
  column.missing.assign(missing.data(), missing.data() + missing.size());
  return column;
}

// A CSV text (a data frame's to_csv) read as the file of that name would be.
std::optional<CsvTable> csv_argument(const py::object& text, const std::string& name) {
  if (text.is_none()) return std::nullopt;
  return CsvTable::parse(text.cast<std::string>(), name);
}

// levels: (level, WKB geometries, columns, CRS) each, a column (name, type, values, missing).
ImportTuple import_frames(
    const TypedObject<"List[Tuple[str, List[bytes], list[Tuple[str, str, Any, "
                      "numpy.typing.NDArray[numpy.bool_]]], str]]">& levels,
    const std::string& crs, const std::string& code_field, bool make_valid,
    const TypedObject<"Optional[str]">& roster, const TypedObject<"Optional[str]">& duty,
    const TypedObject<"Optional[str]">& calendar) {
  std::vector<LevelLayer> layers;
  for (const py::handle& entry : levels) {
    const auto spec = py::reinterpret_borrow<py::tuple>(entry);
    LevelLayer layer;
    layer.level = spec[0].cast<std::string>();
    layer.geometries = spec[1].cast<std::vector<std::string>>();
    for (const py::handle& column : spec[2].cast<py::list>()) {
      layer.columns.push_back(layer_column(py::reinterpret_borrow<py::tuple>(column)));
    }
    layer.crs = spec[3].cast<std::string>();
    layer.code_field = code_field;
    layers.push_back(std::move(layer));
  }
  const std::optional<CsvTable> roster_table = csv_argument(roster, "roster");
  const std::optional<CsvTable> duty_table = csv_argument(duty, "duty");
  const std::optional<CsvTable> calendar_table = csv_argument(calendar, "calendar");
  ImportOptions options;
  options.crs = crs;
  options.make_valid = make_valid;
  ImportResult result;
  {
    py::gil_scoped_release release;
    result = import_grid_set_layers(layers, options);
    // Checked against the new set, as set_roster_csv and set_duty_csv check theirs.
    if (roster_table) result.grids.roster() = read_roster_csv(*roster_table, result.grids);
    if (duty_table) result.grids.duty_table() = read_duty_csv(*duty_table, result.grids);
    if (calendar_table) result.grids.calendar() = read_calendar_csv(*calendar_table);
  }
  return import_result_tuple(std::move(result));
}

}  // namespace

void bind_frames(py::module_& m) {
  using namespace pybind11::literals;
  auto cls = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  cls.def("_frame_columns", &frame_columns, "level"_a,
          "(attribute columns, their types, WKB geometries, CRS for pyproj, the set's CRS "
          "text) of one level. Used by GridSet.cells(level).");
  m.def("_import_frames", &import_frames, "levels"_a, "crs"_a, "code_field"_a, "make_valid"_a,
        "roster"_a, "duty"_a, "calendar"_a,
        "Imports levels held in memory; returns (GridSet, warnings, repairs). Used by "
        "GridSet.from_frames.");
  m.def(
      "_china_offset_name", [](const std::string& crs) -> TypedObject<"Optional[str]"> {
        if (const auto offset = parse_china_offset(crs))
          return utf8(std::string(to_string(*offset)));
        return py::none();
      },
      "crs"_a, "\"GCJ-02\" or \"BD-09\" where `crs` names one of them, else None.");
}

}  // namespace libgrid::python
