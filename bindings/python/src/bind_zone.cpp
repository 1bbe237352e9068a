// GridSet.cells_in: gridtool area's incident zones, as columns for a GeoDataFrame.
#include "bindings.h"
#include "columns.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/io/zone_file.h"
#include "libgrid/zone/zone_query.h"

namespace libgrid::python {

namespace {

std::string phones_text(const std::vector<Person>& people) {
  std::string text;
  for (const Person& p : people) {
    if (!p.phone.empty()) text += (text.empty() ? "" : ";") + p.phone;
  }
  return text;
}

py::dict cell_columns(const ZoneReport& report, const GridSet& grids) {
  const auto cell = [&grids](const ZoneCell& z) -> const Cell& { return grids.cell(z.cell); };
  const auto workers = [](const ZoneCell& z) {
    const bool has_worker = !z.grid_worker.id.empty() || !z.grid_worker.name.empty();
    return has_worker ? std::vector<Person>{z.grid_worker} : std::vector<Person>{};
  };
  return ColumnTable(report.cells)
      .text("code", [&](const ZoneCell& z) -> const std::string& { return cell(z).code; })
      .text("name", [&](const ZoneCell& z) -> const std::string& { return cell(z).name; })
      .text("level",
            [&](const ZoneCell& z) { return grids.levels()[static_cast<std::size_t>(z.level)]; })
      .number("area", &ZoneCell::area)
      .number("area_inside", &ZoneCell::area_inside)
      .number("share", &ZoneCell::share)
      .number("households", &ZoneCell::households)
      .number("population", &ZoneCell::population)
      .number("estimated", &ZoneCell::estimated)
      .number("units", &ZoneCell::units)
      .text("grid_worker", [&](const ZoneCell& z) { return names_text(workers(z)); })
      .text("grid_worker_phone", [&](const ZoneCell& z) { return phones_text(workers(z)); })
      .text("leader", [](const ZoneCell& z) { return names_text(z.leaders); })
      .text("leader_phone", [](const ZoneCell& z) { return phones_text(z.leaders); })
      .text("geometry", [&](const ZoneCell& z) { return to_wkt(cell(z).geometry); })
      .dict();
}

py::dict level_columns(const ZoneReport& report, const GridSet& grids) {
  return ColumnTable(report.levels)
      .text("level",
            [&](const ZoneLevelTotals& t) {
              return grids.levels()[static_cast<std::size_t>(t.level)];
            })
      .number("cells", &ZoneLevelTotals::cells)
      .number("cells_covered", &ZoneLevelTotals::cells_covered)
      .number("cells_edge_only", &ZoneLevelTotals::cells_edge_only)
      .number("cells_estimated", &ZoneLevelTotals::cells_estimated)
      .number("area_inside", &ZoneLevelTotals::area_inside)
      .number("households", &ZoneLevelTotals::households)
      .number("population", &ZoneLevelTotals::population)
      .dict();
}

// (cell columns with WKT geometry, level totals, the zone's area). `zone_wkt` or `circle`
// (x, y, radius) gives the zone, in `crs` (the grid set's when empty).
TypedObject<"Tuple[Dict[str, List[Any]], Dict[str, List[Any]], float]"> cells_in_columns(
    const PyGridSet& self, const TypedObject<"Optional[str]">& zone_wkt,
    const TypedObject<"Optional[Tuple[float, float, float]]">& circle, const std::string& crs,
    const OptionalArrayLike& units_xy, const OptionalArrayLike& weights) {
  const std::vector<Unit> units = units_argument(units_xy, weights);
  const GridSet& grids = self.grids;
  ZoneReport report;
  if (!zone_wkt.is_none()) {
    const std::string wkt = zone_wkt.cast<std::string>();
    py::gil_scoped_release release;
    const MultiPolygon zone = parse_zone_wkt(wkt, grids.crs(), crs);
    report = ZoneQuery(grids, units).cells_in(zone);
  } else {
    const auto [x, y, r] = circle.cast<std::tuple<double, double, double>>();
    py::gil_scoped_release release;
    const Circle c = circle_in_grid_crs(Circle{{x, y}, r}, grids.crs(), crs);
    report = ZoneQuery(grids, units).cells_in(c);
  }
  return py::make_tuple(cell_columns(report, grids), level_columns(report, grids),
                        report.zone_area);
}

}  // namespace

void bind_zone(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_cells_in_columns", &cells_in_columns, "grid_set"_a, "zone_wkt"_a, "circle"_a, "crs"_a,
        "units"_a, "weights"_a, "The parts of GridSet.cells_in's result; use GridSet.cells_in.");
}

}  // namespace libgrid::python
