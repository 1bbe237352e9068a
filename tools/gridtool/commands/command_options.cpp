#include "gridtool/commands/command_options.h"

#include <cmath>
#include <cstdlib>

#include "libgrid/io/partition_inputs.h"

namespace gridtool {

std::pair<double, double> parse_band(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw UsageError("--target needs MIN:MAX, e.g. 300:500");
  auto number = [&](const std::string& part) {
    char* end = nullptr;
    const double v = std::strtod(part.c_str(), &end);
    if (part.empty() || *end != '\0' || !std::isfinite(v)) {
      throw UsageError("--target needs two numbers MIN:MAX, not '" + text + "'");
    }
    return v;
  };
  const double lo = number(text.substr(0, colon)), hi = number(text.substr(colon + 1));
  if (lo < 0) throw UsageError("--target MIN must not be negative");
  if (lo > hi) throw UsageError("--target " + text + " is an empty band: MIN is above MAX");
  if (hi <= 0) throw UsageError("--target MAX must be above 0");
  return {lo, hi};
}

std::vector<std::string> split_codes(const std::string& text) {
  std::vector<std::string> codes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string code =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!code.empty()) codes.push_back(code);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return codes;
}

std::vector<std::string> code_list(const Arguments& a, const std::string& name) {
  std::vector<std::string> codes;
  for (const std::string& value : a.values(name)) {
    const std::vector<std::string> some = split_codes(value);
    codes.insert(codes.end(), some.begin(), some.end());
  }
  return codes;
}

std::uint64_t seed_option(const Arguments& a) {
  return static_cast<std::uint64_t>(a.integer("seed", 1, 0, 9007199254740991));
}

std::size_t limit_option(const Arguments& a, std::size_t fallback) {
  return static_cast<std::size_t>(
      a.integer("limit", static_cast<long long>(fallback), 0, 1000000000));
}

std::pair<std::string, std::string> units_option(const Arguments& a) {
  std::string path = a.value("units"), weight_field;
  // PATH[:FIELD]; a colon in a Windows drive letter or URL-like path is kept ("-:FIELD" is
  // standard input's).
  const auto colon = path.rfind(':');
  if (colon != std::string::npos && (colon > 1 || path.starts_with("-:")) &&
      path.find('/', colon) == std::string::npos) {
    weight_field = path.substr(colon + 1);
    path = path.substr(0, colon);
  }
  return {path, weight_field};
}

std::vector<libgrid::Unit> read_units_option(const Arguments& a, const std::string& grid_crs) {
  const auto [path, weight_field] = units_option(a);
  return libgrid::read_units(path, weight_field, grid_crs, a.value("units-crs"));
}

std::string sibling_path(const std::string& output, const std::string& suffix) {
  const std::string ext = ".gpkg";
  if (output.size() > ext.size() &&
      output.compare(output.size() - ext.size(), ext.size(), ext) == 0) {
    return output.substr(0, output.size() - ext.size()) + "." + suffix;
  }
  return output + "." + suffix;
}

}  // namespace gridtool
