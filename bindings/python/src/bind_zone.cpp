// GridSet.cells_in: gridtool area's incident zones, as columns for a GeoDataFrame.
#include "bindings.h"
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
  py::list code, name, level, area, area_inside, share, households, population, estimated, units,
      worker, worker_phone, leader, leader_phone, geometry;
  for (const ZoneCell& z : report.cells) {
    const Cell& cell = grids.cell(z.cell);
    code.append(utf8(cell.code));
    name.append(utf8(cell.name));
    level.append(utf8(grids.levels()[static_cast<std::size_t>(z.level)]));
    area.append(z.area);
    area_inside.append(z.area_inside);
    share.append(z.share);
    households.append(z.households);
    population.append(z.population);
    estimated.append(z.estimated);
    units.append(z.units);
    const bool has_worker = !z.grid_worker.id.empty() || !z.grid_worker.name.empty();
    const std::vector<Person> workers =
        has_worker ? std::vector<Person>{z.grid_worker} : std::vector<Person>{};
    worker.append(utf8(names_text(workers)));
    worker_phone.append(utf8(phones_text(workers)));
    leader.append(utf8(names_text(z.leaders)));
    leader_phone.append(utf8(phones_text(z.leaders)));
    geometry.append(to_wkt(cell.geometry));
  }
  py::dict out;
  out["code"] = code;
  out["name"] = name;
  out["level"] = level;
  out["area"] = area;
  out["area_inside"] = area_inside;
  out["share"] = share;
  out["households"] = households;
  out["population"] = population;
  out["estimated"] = estimated;
  out["units"] = units;
  out["grid_worker"] = worker;
  out["grid_worker_phone"] = worker_phone;
  out["leader"] = leader;
  out["leader_phone"] = leader_phone;
  out["geometry"] = geometry;
  return out;
}

py::dict level_columns(const ZoneReport& report, const GridSet& grids) {
  py::list level, cells, covered, edge_only, estimated, area_inside, households, population;
  for (const ZoneLevelTotals& t : report.levels) {
    level.append(utf8(grids.levels()[static_cast<std::size_t>(t.level)]));
    cells.append(t.cells);
    covered.append(t.cells_covered);
    edge_only.append(t.cells_edge_only);
    estimated.append(t.cells_estimated);
    area_inside.append(t.area_inside);
    households.append(t.households);
    population.append(t.population);
  }
  py::dict out;
  out["level"] = level;
  out["cells"] = cells;
  out["cells_covered"] = covered;
  out["cells_edge_only"] = edge_only;
  out["cells_estimated"] = estimated;
  out["area_inside"] = area_inside;
  out["households"] = households;
  out["population"] = population;
  return out;
}

// (cell columns with WKT geometry, level totals, the zone's area). `zone_wkt` or `circle`
// (x, y, radius) gives the zone, in `crs` (the grid set's when empty).
py::tuple cells_in_columns(const PyGridSet& self, const py::object& zone_wkt,
                           const py::object& circle, const std::string& crs,
                           const py::object& units_xy, const py::object& weights) {
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
