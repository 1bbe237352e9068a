#include "gridtool/commands/boundary_versions_text.h"

#include <ostream>
#include <unordered_map>

#include "gridtool/table.h"

namespace gridtool {

void print_boundary_versions(const libgrid::GridSet& grids, std::ostream& out) {
  if (!grids.has_versions()) return;
  const auto& versions = grids.versions();
  const std::size_t level_count = grids.levels().size();
  out << "\nboundary versions: " << versions.size() << " ("
      << format_count(static_cast<long long>(grids.size())) << " cells stored)\n\n";
  std::vector<std::string> header{"version", "effective"};
  for (const auto& level : grids.levels()) header.push_back(level);
  Table table(header);
  for (std::size_t v = 0; v < versions.size(); ++v) {
    std::vector<long long> count(level_count, 0);
    for (const libgrid::CellId id : versions[v].cells)
      ++count[static_cast<std::size_t>(grids.cell(id).level)];
    std::vector<std::string> row{std::to_string(v + 1), libgrid::describe_effective(versions[v])};
    for (const long long n : count) row.push_back(format_count(n));
    table.add_row(row);
  }
  table.print(out);
  for (std::size_t v = 1; v < versions.size(); ++v) {
    std::unordered_map<std::string_view, libgrid::CellId> before;
    for (const libgrid::CellId id : versions[v - 1].cells) before.emplace(grids.cell(id).code, id);
    std::vector<long long> added(level_count, 0), removed(level_count, 0), reshaped(level_count, 0);
    for (const libgrid::CellId id : versions[v].cells) {
      const auto& cell = grids.cell(id);
      const auto level = static_cast<std::size_t>(cell.level);
      const auto it = before.find(cell.code);
      if (it == before.end()) {
        ++added[level];
        continue;
      }
      if (it->second != id) ++reshaped[level];
      before.erase(it);
    }
    for (const auto& [code, id] : before) ++removed[static_cast<std::size_t>(grids.cell(id).level)];
    out << "\nchanges from " << libgrid::describe_effective(versions[v]) << ":\n\n";
    Table changes({"level", "added", "removed", "reshaped"});
    for (std::size_t l = 0; l < level_count; ++l) {
      changes.add_row({grids.levels()[l], format_count(added[l]), format_count(removed[l]),
                       format_count(reshaped[l])});
    }
    changes.print(out);
  }
}

libgrid::LocalMinutes time_option(const Arguments& a, const std::string& name) {
  const std::string text = a.required(name);
  if (const auto day = libgrid::parse_date(text)) {
    return libgrid::LocalMinutes{day->time_since_epoch().count()} * 24 * 60;
  }
  if (const auto t = libgrid::parse_local_time(text)) return *t;
  throw UsageError("--" + name + " must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM, not '" +
                   text + "'");
}

libgrid::GridSet latest_boundaries(libgrid::GridSet grids, const std::string& path,
                                   std::ostream& err) {
  if (!grids.has_versions() || grids.version_count() == 1) return grids;
  const libgrid::BoundaryVersion& latest = grids.versions().back();
  err << path << ": " << grids.version_count() << " boundary versions; the latest, in force "
      << (latest.effective ? "from " + libgrid::format_date(*latest.effective)
                           : std::string("since always"))
      << ", is used (gridtool version extract --at DATE for another)\n";
  return grids.version(grids.version_count() - 1);
}

}  // namespace gridtool
