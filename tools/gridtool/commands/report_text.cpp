#include "gridtool/commands/report_text.h"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "gridtool/table.h"
#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"

namespace gridtool {

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

std::string weight_text(double v) {
  if (std::isnan(v)) return "";
  return v == std::round(v) && std::abs(v) < 1e15 ? format_count(std::llround(v)) : fixed(v, 2);
}

std::string csv_field(const std::string& s) {
  std::string field;
  libgrid::append_csv_field(field, s);
  return field;
}

void close_csv(std::ofstream& csv, const std::string& path, const std::string& what) {
  csv.close();
  if (!csv) {
    throw libgrid::Error(libgrid::ErrorKind::kIo, libgrid::Location{.file = path},
                         "cannot write the " + what);
  }
}

void print_rest_note(std::size_t shown, std::size_t total, std::ostream& out) {
  if (shown >= total) return;
  out << "... and " << format_count(static_cast<long long>(total - shown))
      << " more in the report CSV (--limit 0 lists them all)\n";
}

void print_unit_counts(const UnitCounts& units, const std::string& command,
                       const std::string& level, const std::string& elsewhere, std::ostream& out,
                       std::ostream& err) {
  out << "units: " << format_count(static_cast<long long>(units.read)) << " read, weight "
      << weight_text(units.weight_inside) << " inside";
  if (units.elsewhere > 0) {
    out << ", " << format_count(static_cast<long long>(units.elsewhere)) << ' ' << elsewhere;
  }
  out << "\n";
  if (units.outside > 0) {
    err << "gridtool " << command
        << ": warning: " << format_count(static_cast<long long>(units.outside)) << " of "
        << format_count(static_cast<long long>(units.read))
        << " units lie outside every cell of level '" << level << "' and are not counted\n";
  }
}

void print_out_of_band(const std::vector<libgrid::Infeasibility>& infeasible, std::ostream& out) {
  if (infeasible.empty()) return;
  out << "\nout of band (" << format_count(static_cast<long long>(infeasible.size())) << "):\n";
  Table problems({"parent", "cell", "reason"});
  for (const auto& p : infeasible) problems.add_row({p.parent_code, p.cell_code, p.reason});
  problems.print(out);
}

}  // namespace gridtool
