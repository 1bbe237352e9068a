#include <cmath>
#include <fstream>
#include <ostream>

#include "gridtool/arguments.h"
#include "gridtool/commands/command_options.h"
#include "gridtool/commands/commands.h"
#include "gridtool/commands/report_text.h"
#include "gridtool/table.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/io/partition_inputs.h"
#include "libgrid/partition/partition.h"

namespace gridtool {
namespace {

std::string signed_weight(double v) {
  if (v == 0) return "0";
  std::string text = v > 0 ? "+" : "-";
  return text.append(weight_text(std::abs(v)));
}

void write_report_csv(const libgrid::PartitionReport& report, const std::string& path) {
  std::ofstream csv(path, std::ios::binary);
  csv << "code,parent_code,weight,deviation,area,polsby_popper,barrier_share\n";
  for (const auto& c : report.cells) {
    csv << csv_field(c.code) << ',' << csv_field(c.parent_code) << ',' << fixed(c.weight, 3) << ','
        << fixed(c.deviation, 3) << ',' << fixed(c.area, 3) << ',' << fixed(c.polsby_popper, 4)
        << ',' << fixed(c.barrier_share, 4) << '\n';
  }
  csv << "\nmethod,cells,cells_in_band,min_weight,max_weight,max_deviation,mean_polsby_popper,"
         "mean_barrier_share\n";
  std::vector<libgrid::PartitionSummary> all{report.summary};
  all.insert(all.end(), report.baselines.begin(), report.baselines.end());
  for (const auto& s : all) {
    csv << csv_field(s.method) << ',' << s.cells << ',' << s.cells_in_band << ','
        << fixed(s.min_weight, 3) << ',' << fixed(s.max_weight, 3) << ','
        << fixed(s.max_deviation, 3) << ',' << fixed(s.mean_polsby_popper, 4) << ','
        << fixed(s.mean_barrier_share, 4) << '\n';
  }
  close_csv(csv, path, "report");
}

void print_report(const libgrid::PartitionReport& report, std::size_t limit, std::ostream& out) {
  Table cells({"code", "weight", "deviation", "area", "polsby-popper", "on barriers"});
  std::size_t shown = 0;
  for (const auto& c : report.cells) {
    if (limit > 0 && shown == limit) break;
    ++shown;
    cells.add_row({c.code, weight_text(c.weight), signed_weight(c.deviation), fixed(c.area, 0),
                   fixed(c.polsby_popper, 3),
                   std::isnan(c.barrier_share) ? "" : format_percent(c.barrier_share)});
  }
  cells.print(out);
  print_rest_note(shown, report.cells.size(), out);
  out << '\n';
  Table summary({"method", "cells", "in band", "min weight", "max weight", "max deviation",
                 "mean polsby-popper", "mean on barriers"});
  std::vector<libgrid::PartitionSummary> all{report.summary};
  all.insert(all.end(), report.baselines.begin(), report.baselines.end());
  for (const auto& s : all) {
    summary.add_row({s.method, format_count(static_cast<long long>(s.cells)),
                     format_count(static_cast<long long>(s.cells_in_band)),
                     weight_text(s.min_weight), weight_text(s.max_weight),
                     weight_text(s.max_deviation), fixed(s.mean_polsby_popper, 3),
                     std::isnan(s.mean_barrier_share) ? "" : format_percent(s.mean_barrier_share)});
  }
  summary.print(out);
  print_out_of_band(report.infeasible, out);
}

int run_partition(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"parent-level"},
                     {"new-level"},
                     {"parents"},
                     {"units"},
                     {"units-crs"},
                     {"barriers"},
                     {"target"},
                     {"count"},
                     {"seed"},
                     {"method"},
                     {"size"},
                     {"beidou-level"},
                     {"code-digits"},
                     {"limit"},
                     {"no-baselines", '\0', false},
                     {"output", 'o'}},
                    args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  libgrid::PartitionOptions o;
  o.parent_level = a.required("parent-level");
  o.new_level = a.required("new-level");
  libgrid::check_level_name(o.new_level);  // not only when writing, after the work
  const std::string output = a.required("output");
  const auto method = libgrid::parse_partition_method(a.value("method", "units"));
  if (!method) throw UsageError("--method must be units, square, hex or beidou");
  o.method = *method;
  o.parents = code_list(a, "parents");
  o.seed = seed_option(a);
  o.code_digits = static_cast<int>(a.integer("code-digits", 3, 1, 9));
  const std::size_t limit = limit_option(a, 50);
  if (o.method == libgrid::PartitionMethod::kUnits) {
    if (!a.has("units")) throw UsageError("--method units needs --units");
    if (a.has("target") == a.has("count"))
      throw UsageError("give either --target MIN:MAX or --count K");
    if (a.has("target")) {
      const auto [lo, hi] = parse_band(a.value("target"));
      o.min_weight = lo;
      o.max_weight = hi;
    } else {
      o.count = static_cast<int>(a.integer("count", 0, 1, 100000));
    }
  } else if (a.has("target") || a.has("count")) {
    throw UsageError("--target and --count are for --method units");
  }
  if (o.method == libgrid::PartitionMethod::kSquare || o.method == libgrid::PartitionMethod::kHex) {
    if (!a.has("size"))
      throw UsageError(std::string("--method ") + a.value("method") + " needs --size");
    o.size = a.number("size", 0);
    if (!(o.size > 0)) throw UsageError("--size must be a positive length");
  }
  if (o.method == libgrid::PartitionMethod::kBeidou) {
    if (!a.has("beidou-level")) throw UsageError("--method beidou needs --beidou-level");
    o.beidou_level = static_cast<int>(a.integer("beidou-level", 0, 1, 10));
  }

  // A missing folder, or an output that is an input, fails now.
  if (libgrid::is_standard_output(output)) {
    throw UsageError(
        "-o needs a file, not standard output: the report goes beside it, in "
        "NAME.report.csv");
  }
  const std::string& path = a.positional()[0];
  const std::vector<std::string> inputs{path, units_option(a).first, a.value("barriers")};
  { const libgrid::AtomicOutput probe(output, inputs); }
  libgrid::AtomicOutput csv_output(sibling_path(output, "report.csv"), inputs,
                                   libgrid::AtomicOutput::Temporary::kUnnamed);
  libgrid::GridSet grids = libgrid::read_grid_set(path);
  std::vector<libgrid::Unit> units;
  if (a.has("units")) units = read_units_option(a, grids.crs());
  std::vector<libgrid::Barrier> barriers;
  if (a.has("barriers")) barriers = libgrid::read_barriers(a.value("barriers"), grids.crs());

  libgrid::PartitionReport report = libgrid::partition(grids, units, barriers, o);
  if (!a.has("no-baselines") && o.method == libgrid::PartitionMethod::kUnits) {
    report.baselines = libgrid::partition_baselines(grids, units, barriers, o);
  }
  write_report_csv(report, csv_output.temporary_path());
  libgrid::write_grid_set(grids, output);
  csv_output.commit();

  out << "partitioned " << path << ": level '" << o.new_level << "' under '" << o.parent_level
      << "', " << format_count(static_cast<long long>(report.cells.size())) << " cells, method "
      << libgrid::to_string(o.method);
  if (o.min_weight)
    out << ", band " << weight_text(*o.min_weight) << " to " << weight_text(*o.max_weight);
  if (o.count > 0) out << ", " << o.count << " per parent";
  out << ", seed " << o.seed << "\n";
  if (!units.empty()) {
    print_unit_counts({.read = report.units,
                       .outside = report.units_outside,
                       .elsewhere = report.units_elsewhere,
                       .weight_inside = report.total_weight},
                      "partition", o.parent_level, "in parents not partitioned", out, err);
  }
  out << '\n';
  print_report(report, limit, out);
  out << "\nwrote " << output << " and " << sibling_path(output, "report.csv") << '\n';
  return 0;
}

}  // namespace

const Command kPartitionCommand{
    "partition", "add a finer level of balanced, contiguous cells under a level",
    R"(usage: gridtool partition GRIDSET.gpkg --parent-level LEVEL --new-level NAME
           --units UNITS[:WEIGHT_FIELD] [--barriers LINES] (--target MIN:MAX | --count K)
           [--seed N] -o OUT.gpkg
       gridtool partition GRIDSET.gpkg --parent-level LEVEL --new-level NAME
           --method square|hex --size LENGTH | --method beidou --beidou-level N  -o OUT.gpkg

Adds a level NAME under every cell of LEVEL (the finest level), or under --parents only,
and writes the grid set with it to OUT.gpkg and the report to OUT.report.csv.

By units (the default method): units are points, or polygons counted at a point inside
them (address points, buildings), each carrying the households in WEIGHT_FIELD (1 each
without one). Each parent is cut into blocks along its barriers (roads, rivers, walls);
blocks too heavy for the band are split between their units by straight cuts; the blocks
are then grouped into cells that are contiguous, within the band, compact and bounded by
barriers where the blocks allow. The result is the same for the same seed. Each parent
gets the number of cells nearest its weight / the band's middle that the band allows;
where no number of cells or no grouping fits the band, the report says which parent or
cell and why. With --count K each parent gets K cells of weight as even as possible.

Regular cells for land without units: --method square|hex --size LENGTH (the side of a
square, or the distance between opposite edges of a hexagon, in CRS units), or --method
beidou --beidou-level N (1-10: cells of the Beidou grid of GB/T 39409-2020; each cell
keeps its Beidou code in the field beidou_code and as its name). Cells are clipped to
their parent; a lattice cell cut into pieces by the parent's outline stays one cell.
--units, if given, weighs them.

New cells nest exactly: per parent they cover it without gaps or overlaps and share their
edges vertex for vertex. Codes are the parent's code plus a sequence (--code-digits, 3),
numbered west to east, north to south. Weights are stored as households.

The report: per cell code, weight, deviation from the band (0 inside it), area,
Polsby-Popper compactness (1 for a disc) and the share of its inner boundary on barriers;
and overall: cells in band, min/max weight, max deviation, mean compactness, beside two
baselines with the same number of cells per parent: a square grid clipped to each parent
and k-means of the units with Voronoi cells.

Exit status: 0 done (cells out of band are reported, not an error), 2 bad input or usage.

options:
  --parent-level LEVEL       the level to subdivide (must be the finest)
  --new-level NAME           the new level's name
  --parents CODE,...         only these cells of LEVEL
  --units PATH[:FIELD]       CSV (x,y or lon,lat columns; .csv.gz or - too) or any vector file
  --units-crs CRS            the units' CRS when the file does not say (CSV: lon/lat columns
                             are EPSG:4326, x/y columns the grid set's CRS)
  --barriers PATH            lines (roads, rivers, walls), any vector file
  --target MIN:MAX           the band of weight per cell, e.g. 300:500
  --count K                  K cells per parent instead of a band
  --seed N                   random seed (default 1)
  --method M                 units (default), square, hex or beidou
  --size LENGTH              square side or hexagon width, in CRS units
  --beidou-level N           Beidou grid level, 1 to 10
  --code-digits N            digits of sequence in new codes (default 3)
  --limit N                  cells listed in the table (default 50; 0 lists them all)
  --no-baselines             skip the square-grid and k-means baselines
  -o, --output OUT.gpkg      the grid set with the new level (replaced if it exists)
)",
    run_partition};

}  // namespace gridtool
