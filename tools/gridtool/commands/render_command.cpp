#include <cmath>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "gridtool/arguments.h"
#include "gridtool/commands/boundary_versions_text.h"
#include "gridtool/commands/commands.h"
#include "gridtool/table.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/io/csv_table.h"
#include "libgrid/io/grid_set_file.h"
#include "libgrid/render/map_render.h"

namespace gridtool {
namespace {

std::string value_text(const std::optional<double>& v) {
  if (!v) return "";
  if (std::abs(*v) < 1e15 && (std::abs(*v) >= 100 || *v == std::floor(*v))) {
    return format_count(std::llround(*v));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", *v);
  return buffer;
}

// The grid set again, each cell named in VALUES.csv's code column carrying that row's `field`
// as an attribute (replacing one of the same name), so the map colours it like any other
// attribute: gridtool stats's on_time_rate, say. Rows naming no cell are counted on `err`.
libgrid::GridSet with_values(const libgrid::GridSet& grids, const std::string& path,
                             const std::string& field, std::ostream& err) {
  const libgrid::CsvTable table = libgrid::CsvTable::read(path);
  const int code_column = table.require_column("code");
  const int value_column = table.require_column(field);
  std::vector<std::optional<std::string>> values(grids.size());
  std::size_t unknown = 0;
  for (std::size_t i = 0; i < table.row_count(); ++i) {
    const auto& row = table.row(i);
    const libgrid::CellId id = grids.find(row[static_cast<std::size_t>(code_column)]);
    if (id == libgrid::kNoCell) {
      ++unknown;
      continue;
    }
    values[static_cast<std::size_t>(id)] = row[static_cast<std::size_t>(value_column)];
  }
  if (unknown > 0) {
    err << "warning: " << format_count(static_cast<long long>(unknown)) << " rows of " << path
        << " name no cell of the grid set\n";
  }
  libgrid::GridSet copy;
  for (const std::string& level : grids.levels()) copy.add_level(level);
  copy.set_crs(grids.crs());
  for (std::size_t id = 0; id < grids.size(); ++id) {
    libgrid::Cell cell = grids.cells()[id];
    if (values[id]) {
      std::erase_if(cell.attributes, [&](const libgrid::Attribute& a) { return a.name == field; });
      cell.attributes.push_back({field, *values[id]});
    }
    copy.add_cell(std::move(cell));
  }
  copy.roster() = grids.roster();
  copy.duty_table() = grids.duty_table();
  copy.calendar() = grids.calendar();
  return copy;
}

int run_render(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Arguments a({{"level"},
                     {"color"},
                     {"width"},
                     {"outline"},
                     {"labels", '\0', false},
                     {"label"},
                     {"lang"},
                     {"title"},
                     {"page"},
                     {"font"},
                     {"compare"},
                     {"values"},
                     {"output", 'o'}},
                    args);
  if (a.positional().size() != 1) throw UsageError("give one GRIDSET.gpkg");
  libgrid::RenderOptions options;
  options.level = a.required("level");
  const std::string output = a.required("output");
  const std::optional<libgrid::MapFormat> format = libgrid::map_format_of(output);
  if (!format) {
    throw UsageError("the map is written as .png, .svg or .pdf, not '" + output + "' (-o)");
  }
  if (a.has("page")) {
    options.page = libgrid::page_size_of(a.value("page"));
    if (!options.page) {
      throw UsageError("no page size '" + a.value("page") +
                       "' (--page: A4 or A3, optionally -portrait or -landscape, e.g. "
                       "A3-landscape)");
    }
    if (*format != libgrid::MapFormat::kPdf) {
      throw UsageError("--page is for PDF maps, not '" + output + "' (-o)");
    }
  }
  const std::string label = a.value("label", "name");
  if (label != "name" && label != "code") {
    throw UsageError("a label is the cell's name or code, not '" + label + "' (--label)");
  }
  options.label_text = label == "code" ? libgrid::LabelText::kCode : libgrid::LabelText::kName;
  options.lang = a.value("lang");
  if (!options.lang.empty() && options.lang != "zh" && options.lang != "en") {
    throw UsageError("the legend's language is zh or en, not '" + options.lang + "' (--lang)");
  }
  options.title = a.value("title");
  options.font = a.value("font", options.font);
  options.width = static_cast<int>(
      a.integer("width", options.width, libgrid::kMinMapWidth, libgrid::kMaxMapWidth));
  options.color_field = a.value("color", options.color_field);
  options.outline_level = a.value("outline");
  options.labels = a.has("labels") || a.has("label");
  {
    // A missing folder, or an output that is an input, fails before the work.
    const libgrid::AtomicOutput probe(output,
                                      {a.positional()[0], a.value("compare"), a.value("values")});
  }

  libgrid::GridSet grids =
      latest_boundaries(libgrid::read_grid_set(a.positional()[0]), a.positional()[0], err);
  if (a.has("values")) grids = with_values(grids, a.value("values"), options.color_field, err);

  std::optional<libgrid::GridSet> before;
  const std::string compare_path = a.value("compare");
  if (a.has("compare")) {
    before = latest_boundaries(libgrid::read_grid_set(compare_path), compare_path, err);
    options.compare = &*before;
  }

  const libgrid::RenderSummary summary = libgrid::render_map(grids, options, output);
  for (const std::string& warning : summary.warnings) err << "warning: " << warning << '\n';
  if (summary.cells_without_value > 0) {
    err << "warning: " << format_count(static_cast<long long>(summary.cells_without_value))
        << " of " << format_count(static_cast<long long>(summary.cells)) << ' ' << options.level
        << " cells have no number for '" << options.color_field << "': drawn grey\n";
  }
  const int level = grids.level_index(options.level);
  std::string outline = options.outline_level;
  if (outline.empty()) outline = level > 0 ? grids.levels()[level - 1] : "none";

  out << "wrote " << output << " (" << summary.width << " x " << summary.height
      << (*format == libgrid::MapFormat::kPdf ? " pt)" : " px)");
  if (before) out << ", compared with " << compare_path;
  out << "\n\n";
  std::vector<std::string> header = {"level", "cells", "color", "min", "max", "outline"};
  std::vector<std::string> row = {options.level,
                                  format_count(static_cast<long long>(summary.cells)),
                                  options.color_field,
                                  value_text(summary.min_value),
                                  value_text(summary.max_value),
                                  outline};
  if (before) {
    header.insert(header.end(), {"changed", "codes gone", "moved area"});
    row.insert(row.end(), {format_count(static_cast<long long>(summary.cells_changed)),
                           format_count(static_cast<long long>(summary.cells_removed)),
                           format_measure(summary.moved_area)});
  }
  Table table(std::move(header));
  table.add_row(std::move(row));
  table.print(out);
  if (options.labels && summary.labels_drawn < summary.cells) {
    out << "\nlabels: " << format_count(static_cast<long long>(summary.labels_drawn)) << " of "
        << format_count(static_cast<long long>(summary.cells))
        << " (the others do not fit in their cells at this size)\n";
  }
  return 0;
}

}  // namespace

const Command kRenderCommand{
    "render", "draw one level of a grid set as a PNG, SVG or PDF map",
    R"(usage: gridtool render GRIDSET.gpkg --level LEVEL -o MAP.png|MAP.svg|MAP.pdf [options]

Draws the cells of one level, each filled with a colour by a numeric field on the viridis ramp
(dark purple for the smallest value, yellow for the largest; its lightness rises steadily, so
it reads in greyscale and for colour-blind readers too), so that a partition and its balance
show at a glance. Cell boundaries are drawn thin and white, those of the level above (or of
--outline) thick and dark, so the nesting shows. A title names the level and counts its cells
(or --title); a legend shows the ramp with its smallest and largest values and the field's
name, a scale bar a round length (m or km; for longitude/latitude at the map's middle
latitude), and an arrow points north. The legend is in Chinese when the cells' names are
(--lang). Text is set in Noto Sans CJK SC, or what fontconfig offers instead (with a warning).

With --compare, the map shows what changed since an earlier version of the grid set (before a
rebalance, say), cells matched by code at the level of the same name: the land of each cell
that lay outside the earlier cell of its code (or in none) is hatched red, the earlier
boundaries that are gone are drawn dashed, and the legend counts the cells changed. The
summary adds the cells changed (gained or lost land, or a new code), the earlier codes that
are gone and the area of land that changed cell (square CRS units).

The map is in the grid set's CRS, north up; its height follows from the extent. The format is
the output's extension: PNG (RGB, anti-aliased), SVG (text as outlines, with a searchable text
layer) or PDF (one page, A4 turned the way the map is unless --page; text searchable).

options:
  --level LEVEL          the level to draw (required)
  --color FIELD          the number a cell's colour shows: households (default), population,
                         area (square CRS units) or any attribute of the level's cells, read
                         as a number (cells without one are drawn grey, with a warning);
                         none for one plain colour and no legend
  --width PX             image width in pixels, 16 to 16384 (default 1200)
  --outline LEVEL        the level whose boundaries are drawn thick (default: the level above
                         LEVEL, none for the top level); none for no thick boundaries
  --labels               write each cell's name (its code when it has none) inside it, at the
                         point farthest from its boundary, smaller where needed; left out
                         where it does not fit
  --label name|code      what the labels say (implies --labels; default name)
  --lang zh|en           the legend's language (default: zh when the cells' names are Chinese)
  --title TEXT           the title (default: the level and its number of cells)
  --page SIZE            PDF page: A4 or A3, -portrait (default) or -landscape, e.g.
                         A3-landscape
  --font FAMILY          the font family (default Noto Sans CJK SC)
  --values VALUES.csv    numbers per cell from a CSV with a code column, e.g. gridtool stats's
                         output: --color names its column (on_time_rate, closure_rate, ...)
  --compare BEFORE.gpkg  an earlier version of the grid set to compare with, in the same CRS
                         and with a level named LEVEL
  -o, --output MAP       the map to write, .png, .svg or .pdf (replaced if it exists)
)",
    run_render};

}  // namespace gridtool
