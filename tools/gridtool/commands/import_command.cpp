#include <cstdio>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "gridtool/arguments.h"
#include "gridtool/commands/commands.h"
#include "gridtool/commands/grid_set_summary.h"
#include "gridtool/table.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/calendar_csv.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/grid_set_import.h"
#include "libgrid/io/roster_csv.h"

namespace gridtool {
namespace {

// NAME=PATH[:CODE_FIELD]. The field suffix is taken only when PATH itself is not an existing
// file, so paths containing ':' still work. A path that cannot be looked at (no permission, a
// name too long) counts as not existing here; opening it later says why.
libgrid::LevelSource parse_level(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw UsageError("--level needs NAME=PATH[:CODE_FIELD], not '" + text + "'");
  }
  libgrid::LevelSource source;
  source.level = text.substr(0, eq);
  source.path = text.substr(eq + 1);
  const auto colon = source.path.rfind(':');
  std::error_code unknown;
  if (colon != std::string::npos && !std::filesystem::exists(source.path, unknown) &&
      source.path.find('/', colon) == std::string::npos) {
    source.code_field = source.path.substr(colon + 1);
    source.path = source.path.substr(0, colon);
  }
  return source;
}

// "100%", "0.0164%", "0%", and "<0.0001%" for rounding noise: small changes stay visible.
std::string share_text(double share) {
  const double percent = 100.0 * share;
  if (percent > 0.0 && percent < 1e-4) return "<0.0001%";
  char text[32];
  std::snprintf(text, sizeof text, "%.3g%%", percent);
  return text;
}

// A table per source, under its file and layer, in reading order.
void print_repairs(const std::vector<libgrid::ImportRepair>& repairs, std::ostream& out) {
  out << "\nrepaired " << plural(repairs.size(), "invalid polygon", "invalid polygons")
      << " (GEOS MakeValid; areas kept, lines and points dropped):\n";
  for (auto from = repairs.begin(); from != repairs.end();) {
    const libgrid::Location source{from->where.file, from->where.layer};
    out << '\n' << libgrid::describe(source) << '\n';
    Table table({"feature", "code", "area before", "area after", "changed", "problem"});
    for (; from != repairs.end() && from->where.file == source.file &&
           from->where.layer == source.layer;
         ++from) {
      table.add_row({std::to_string(from->where.feature), from->code,
                     format_measure(from->area_before), format_measure(from->area_after),
                     share_text(from->share_changed()), from->problem});
    }
    table.print(out);
  }
}

int run_import(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"level", 'l', true, true},
                     {"output", 'o'},
                     {"roster"},
                     {"duty"},
                     {"calendar"},
                     {"crs"},
                     {"name-field"},
                     {"parent-field"},
                     {"households-field"},
                     {"population-field"},
                     {"kind-field"},
                     {"grid-level"},
                     {"make-valid", '\0', false}},
                    args);
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  if (a.values("level").empty()) throw UsageError("give at least one --level NAME=PATH");
  const std::string output = a.required("output");
  a.one_standard_input({"roster", "duty", "calendar"});
  std::vector<libgrid::LevelSource> sources;
  for (const auto& text : a.values("level")) {
    sources.push_back(parse_level(text));
    libgrid::check_level_name(sources.back().level);  // not only when writing, after the work
  }
  std::vector<std::string> inputs{a.value("roster"), a.value("duty"), a.value("calendar")};
  for (const auto& source : sources) inputs.push_back(source.path);
  { const libgrid::AtomicOutput probe(output, inputs); }  // refused before the work
  libgrid::ImportOptions options;
  options.name_field = a.value("name-field", options.name_field);
  options.parent_code_field = a.value("parent-field", options.parent_code_field);
  options.households_field = a.value("households-field", options.households_field);
  options.population_field = a.value("population-field", options.population_field);
  options.kind_field = a.value("kind-field", options.kind_field);
  options.crs = a.value("crs");
  options.make_valid = a.has("make-valid");

  libgrid::ImportResult result = libgrid::import_grid_set(sources, options);
  for (const auto& w : result.warnings) err << "warning: " << w << '\n';
  libgrid::GridSet& grids = result.grids;
  if (a.has("roster")) grids.roster() = libgrid::read_roster_csv(a.value("roster"), grids);
  if (a.has("duty")) grids.duty_table() = libgrid::read_duty_csv(a.value("duty"), grids);
  if (a.has("calendar")) grids.calendar() = libgrid::read_calendar_csv(a.value("calendar"));
  libgrid::write_grid_set(grids, output);

  out << "imported " << grids.size() << " cells into " << output << "\n\n";
  print_grid_set_summary(grids, out);
  if (!result.repairs.empty()) print_repairs(result.repairs, out);
  check_grid_workers(grids, a.value("grid-level", "grid"), err);
  return 0;
}

}  // namespace

const Command kImportCommand{
    "import", "build a grid set file from one vector source per level",
    R"(usage: gridtool import --level NAME=PATH[:CODE_FIELD] [--level ...] -o GRIDSET.gpkg [options]

Builds a grid set from GDAL vector sources (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, ...),
one source per level, given coarse to fine (district, street, community, grid, microgrid, or
any level names). Each cell's parent comes from the parent-code field when the source has one,
else from the code of the level above that prefixes its code, else spatially (the parent cell
holding most of its area). Gaps, overlaps and slivers are kept for validation to report.
The CSV tables may be gzip'd (told by their bytes, whatever the name); one of them may be -
(standard input).

options:
  -l, --level NAME=PATH[:CODE_FIELD]   a level and its source; CODE_FIELD defaults to "code"
  -o, --output GRIDSET.gpkg            the grid set file to write (replaced if it exists)
  --roster ROSTER.csv                  cell_code,role,person_id,name,phone
                                       (role: grid_worker | grid_leader | info_worker)
  --duty DUTY.csv                      event_class,department,handling_level,deadline,
                                       deadline_unit[,class_name] (deadline_unit: urgent_hours |
                                       working_hours | working_days | calendar_days)
  --calendar CALENDAR.csv              date,kind: public holidays (kind holiday) and make-up
                                       working days (kind workday) for deadlines in working
                                       time; without it Monday to Friday are working days
  --crs CRS                            the sources' CRS where they carry none (e.g. EPSG:4548);
                                       GCJ-02 or BD-09 for lon/lat from Chinese map providers
                                       (coordinates kept as they are, the CRS recorded)
  --name-field F                       cell name field (default: name)
  --parent-field F                     parent code field (default: parent_code)
  --households-field F                 (default: households)
  --population-field F                 (default: population)
  --kind-field F                       basic | dedicated (default: kind)
  --make-valid                         repair invalid polygons (self-intersections, rings
                                       crossing themselves, ...) with GEOS MakeValid, keeping
                                       their areas, and list each with its area before and
                                       after; without it they are refused
  --grid-level NAME                    level checked for one grid worker per cell (default: grid)

example:
  gridtool import --level district=district.geojson --level street=street.geojson \
      --level community=community.geojson --roster roster.csv --duty duty.csv \
      --calendar calendar.csv -o city.gpkg
)",
    run_import};

}  // namespace gridtool
