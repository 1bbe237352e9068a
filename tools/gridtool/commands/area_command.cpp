#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "gridtool/arguments.h"
#include "gridtool/commands/boundary_versions_text.h"
#include "gridtool/commands/command_options.h"
#include "gridtool/commands/commands.h"
#include "gridtool/commands/report_text.h"
#include "gridtool/table.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/stream_names.h"
#include "libgrid/io/zone_file.h"
#include "libgrid/zone/zone_query.h"

namespace gridtool {
namespace {

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// Twelve significant digits: square metres and square degrees alike, shares exactly 0 and 1.
std::string measure_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", v);
  return buffer;
}

std::string phones_text(const std::vector<libgrid::Person>& people) {
  std::string text;
  for (const libgrid::Person& p : people) {
    if (!p.phone.empty()) text += (text.empty() ? "" : ";") + p.phone;
  }
  return text;
}

std::vector<libgrid::Person> worker_of(const libgrid::ZoneCell& z) {
  if (z.grid_worker.id.empty() && z.grid_worker.name.empty()) return {};
  return {z.grid_worker};
}

// "X,Y,RADIUS" -> the circle; UsageError for anything else.
libgrid::Circle parse_circle(const std::string& text) {
  const std::vector<std::string> parts = split_codes(text);
  double v[3] = {0, 0, 0};
  bool ok = parts.size() == 3 && text.find(",,") == std::string::npos;
  for (std::size_t i = 0; ok && i < 3; ++i) {
    char* end = nullptr;
    v[i] = std::strtod(parts[i].c_str(), &end);
    ok = *end == '\0' && std::isfinite(v[i]);
  }
  if (!ok) throw UsageError("--circle needs X,Y,RADIUS, three numbers, not '" + text + "'");
  return {{v[0], v[1]}, v[2]};
}

void write_cells_csv(const libgrid::ZoneReport& report, const libgrid::GridSet& grids,
                     const std::string& path) {
  std::ofstream csv(path, std::ios::binary);
  csv << "code,name,level,area,area_inside,share,households,population,estimated,units,"
         "grid_worker,grid_worker_phone,leader,leader_phone\n";
  for (const libgrid::ZoneCell& z : report.cells) {
    const libgrid::Cell& cell = grids.cell(z.cell);
    csv << csv_field(cell.code) << ',' << csv_field(cell.name) << ','
        << csv_field(grids.levels()[static_cast<std::size_t>(z.level)]) << ','
        << measure_text(z.area) << ',' << measure_text(z.area_inside) << ','
        << measure_text(z.share) << ',' << fixed(z.households, 2) << ',' << fixed(z.population, 2)
        << ',' << (z.estimated ? "true" : "false") << ',' << z.units << ','
        << csv_field(libgrid::names_text(worker_of(z))) << ','
        << csv_field(phones_text(worker_of(z))) << ',' << csv_field(libgrid::names_text(z.leaders))
        << ',' << csv_field(phones_text(z.leaders)) << '\n';
  }
  close_csv(csv, path, "cells");
}

void print_levels(const libgrid::ZoneReport& report, const libgrid::GridSet& grids,
                  std::ostream& out) {
  Table table({"level", "cells", "covered", "edge only", "area inside", "households", "population",
               "estimated"});
  for (const libgrid::ZoneLevelTotals& t : report.levels) {
    table.add_row({grids.levels()[static_cast<std::size_t>(t.level)],
                   format_count(static_cast<long long>(t.cells)),
                   format_count(static_cast<long long>(t.cells_covered)),
                   format_count(static_cast<long long>(t.cells_edge_only)),
                   format_measure(t.area_inside), weight_text(std::round(t.households)),
                   weight_text(std::round(t.population)),
                   format_count(static_cast<long long>(t.cells_estimated))});
  }
  table.print(out);
}

int run_area(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a(
      {{"zone"}, {"wkt"}, {"circle"}, {"crs"}, {"units"}, {"units-crs"}, {"output", 'o'}}, args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  const int zones = a.has("zone") + a.has("wkt") + a.has("circle");
  if (zones != 1) throw UsageError("give the zone once: --zone FILE, --wkt WKT or --circle X,Y,R");
  const std::string output = a.required("output");
  const bool gpkg = ends_with(output, ".gpkg");
  if (!gpkg && !ends_with(output, ".csv") && !libgrid::is_standard_output(output)) {
    throw UsageError("-o needs a name ending in .csv or .gpkg (or - for standard output), not '" +
                     output + "'");
  }
  libgrid::Circle circle;
  if (a.has("circle")) circle = parse_circle(a.value("circle"));
  const std::string crs = a.value("crs");

  // A missing folder, or an output that is an input, fails now, before any work.
  const std::string& path = a.positional()[0];
  const std::vector<std::string> inputs{path, a.value("zone"), units_option(a).first};
  { const libgrid::AtomicOutput probe(output, inputs); }
  const libgrid::GridSet grids = latest_boundaries(libgrid::read_grid_set(path), path, err);
  libgrid::MultiPolygon area;
  if (a.has("zone")) {
    area = libgrid::read_zone(a.value("zone"), grids.crs(), crs);
  } else if (a.has("wkt")) {
    area = libgrid::parse_zone_wkt(a.value("wkt"), grids.crs(), crs);
  } else {
    circle = libgrid::circle_in_grid_crs(circle, grids.crs(), crs);
  }
  std::vector<libgrid::Unit> units;
  if (a.has("units")) units = read_units_option(a, grids.crs());

  const libgrid::ZoneQuery query(grids, units);
  const libgrid::ZoneReport report =
      a.has("circle") ? query.cells_in(circle) : query.cells_in(area);
  if (gpkg) {
    libgrid::write_zone_cells(report, grids, output, inputs);
  } else {
    libgrid::AtomicOutput csv(output, inputs, libgrid::AtomicOutput::Temporary::kUnnamed);
    write_cells_csv(report, grids, csv.temporary_path());
    csv.commit(out);
  }
  // With the cells on standard output, the summary goes to standard error.
  std::ostream& summary = libgrid::is_standard_output(output) ? err : out;

  summary << "zone in " << path << ": ";
  if (a.has("circle")) {
    summary << "circle of radius " << format_measure(circle.radius) << " about ("
            << measure_text(circle.centre.x) << ' ' << measure_text(circle.centre.y) << ")";
  } else {
    summary << (a.has("zone") ? a.value("zone") : std::string("the polygon given"));
  }
  summary << ", area " << format_measure(report.zone_area) << '\n';
  if (!units.empty()) {
    summary << "units: " << format_count(static_cast<long long>(units.size()))
            << " read; cells holding none are estimated by area share\n";
  }
  summary << '\n';
  print_levels(report, grids, summary);
  summary << "\nwrote " << libgrid::output_name(output) << " ("
          << plural(report.cells.size(), "cell", "cells") << ")\n";
  if (report.cells.empty()) err << "gridtool area: warning: the zone touches no cell\n";
  return 0;
}

}  // namespace

const Command kAreaCommand{
    "area", "every cell an incident zone touches, with households, people and workers",
    R"(usage: gridtool area GRIDSET.gpkg (--zone ZONE | --wkt WKT | --circle X,Y,RADIUS)
           [--crs CRS] [--units UNITS[:FIELD]] [--units-crs CRS] -o CELLS.csv|CELLS.gpkg

Incident zones (应急: an epidemic, a gas leak, a flood): lists every cell of every level
that the zone touches, with the share of its area inside, the households and people
inside and who answers for it, and prints the totals per level.

The zone is the union of the polygons of a vector file (GeoJSON, GeoPackage, Shapefile,
...), one POLYGON or MULTIPOLYGON in well-known text, or a true circle. The zone is closed:
a cell it only touches, along an edge or at a corner, is listed once with an area share
of exactly 0; a cell it covers has a share of exactly 1. A circle's shares are those of
the true disk, not of a polygon drawn around it.

Coordinates are in the grid set's CRS. A zone file in another CRS is refused unless
--crs names the zone's CRS (GeoJSON without a "crs" member is longitude/latitude);
--crs also applies to --wkt and to the circle's centre (GCJ-02 and BD-09 included). The
radius is always in the grid set's units (metres in a projected CRS).

Households and population inside: where --units are given (address points or buildings
with their households in FIELD, 1 each without one) and a cell holds at least one unit,
the units inside the zone are counted, each in the one cell per level that holds it, and
its population is those households times the cell's people per household; elsewhere
both are the cell's figures times its area share, and the cell is marked estimated.

The output has a row per cell: code, name, level, area, area_inside, share, households,
population, estimated (true or false), units (counted inside), grid_worker and
grid_worker_phone, leader and leader_phone (several joined by ';'), coarse levels first,
then by code. A .gpkg output holds the cells with their geometry in layer "zone_cells"
and the totals per level in table "zone_levels".

Exit status: 0 done, 2 bad input or usage (nothing is written).

options:
  --zone PATH                the zone's polygons, any vector file (first layer)
  --wkt WKT                  the zone as POLYGON or MULTIPOLYGON text
  --circle X,Y,RADIUS        the zone as a circle
  --crs CRS                  the zone's CRS, when not the grid set's (EPSG:4326, GCJ-02, ...)
  --units PATH[:FIELD]       CSV (x,y or lon,lat columns; .csv.gz or - too) or any vector file
  --units-crs CRS            the units' CRS when the file does not say (CSV: lon/lat columns
                             are EPSG:4326, x/y columns the grid set's CRS)
  -o, --output CELLS         the cells touched, .csv or .gpkg (replaced if it exists), or -
                             for CSV on standard output (the summary then on stderr)
)",
    run_area};

}  // namespace gridtool
