#include "libgrid/codes/beidou_grid.h"

#include <array>
#include <cmath>

#include "libgrid/error.h"

namespace libgrid {

namespace {

// Everything is counted in units of 1/2048″, the level-10 cell.
constexpr std::int64_t kUnitsPerSecond = 2048;
constexpr std::int64_t kUnitsPerDegree = 3600 * kUnitsPerSecond;

struct Level {
  std::int64_t lon_units;  // cell width
  std::int64_t lat_units;  // cell height
  int columns;             // split of the parent's cell (level 1: of a hemisphere)
  int rows;
  std::size_t code_length;  // of a whole code down to this level
};

constexpr std::array<Level, 11> kLevels = {{
    {0, 0, 0, 0, 1},  // level 0: the hemisphere letter
    {6 * kUnitsPerDegree, 4 * kUnitsPerDegree, 60, 22, 4},
    {1800 * kUnitsPerSecond, 1800 * kUnitsPerSecond, 12, 8, 6},
    {900 * kUnitsPerSecond, 600 * kUnitsPerSecond, 2, 3, 7},
    {60 * kUnitsPerSecond, 60 * kUnitsPerSecond, 15, 10, 9},
    {4 * kUnitsPerSecond, 4 * kUnitsPerSecond, 15, 15, 11},
    {2 * kUnitsPerSecond, 2 * kUnitsPerSecond, 2, 2, 12},
    {512, 512, 8, 8, 14},
    {64, 64, 8, 8, 16},
    {8, 8, 8, 8, 18},
    {1, 1, 8, 8, 20},
}};

constexpr std::string_view kDigits = "0123456789ABCDEF";

void require_level(int level) {
  if (level < kBeidouMinLevel || level > kBeidouMaxLevel) {
    throw Error(ErrorKind::kInvalidInput,
                "Beidou grid level " + std::to_string(level) + " is not one of 1 to 10");
  }
}

const Level& level_of(int level) { return kLevels[static_cast<std::size_t>(level)]; }

// ⌊a × kUnitsPerDegree⌋ exactly, for 0 <= a <= 180.
std::int64_t exact_units(double a) {
  constexpr double k = static_cast<double>(kUnitsPerDegree);
  auto n = static_cast<std::int64_t>(std::floor(a * k));
  // The product was rounded; fma gives the sign of a × k − n exactly.
  if (std::fma(a, k, -static_cast<double>(n)) < 0) {
    --n;
  } else if (std::fma(a, k, -static_cast<double>(n + 1)) >= 0) {
    ++n;
  }
  return n;
}

double to_degrees(std::int64_t units) {
  return static_cast<double>(units) / static_cast<double>(kUnitsPerDegree);
}

// A cell as whole units from the equator and the prime meridian, away from them.
struct Offsets {
  bool north = true;
  bool east = true;
  std::int64_t lon = 0;  // of the corner nearest to the prime meridian
  std::int64_t lat = 0;  // of the corner nearest to the equator
};

// The range text of a level's column or row characters, e.g. "0-B".
std::string range_text(int count) {
  return std::string("0-") + kDigits[static_cast<std::size_t>(count - 1)];
}

int digit_value(char c) {
  const auto at = kDigits.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::string quoted_char(std::string_view code, std::size_t i) {
  return "character " + std::to_string(i + 1) + " ('" + std::string(code.substr(i, 1)) + "')";
}

// Parses a code into offsets and its level; returns the problem instead when malformed.
std::optional<std::string> parse(std::string_view code, Offsets& out, int& level_out) {
  int level = 0;
  for (int n = kBeidouMinLevel; n <= kBeidouMaxLevel; ++n) {
    if (level_of(n).code_length == code.size()) level = n;
  }
  if (level == 0) {
    return "has " + std::to_string(code.size()) +
           " characters; a Beidou grid code has 4, 6, 7, 9, 11, 12, 14, 16, 18 or 20";
  }
  if (code[0] != 'N' && code[0] != 'S') return quoted_char(code, 0) + " is not N or S";
  out.north = code[0] == 'N';
  for (std::size_t i = 1; i <= 2; ++i) {
    if (code[i] < '0' || code[i] > '9') return quoted_char(code, i) + " is not a digit";
  }
  const int column = (code[1] - '0') * 10 + (code[2] - '0');
  if (column < 1 || column > 60) {
    return "level-1 column " + std::string(code.substr(1, 2)) + " is not one of 01 to 60";
  }
  if (code[3] < 'A' || code[3] > 'V') return quoted_char(code, 3) + " is not a row letter A to V";
  out.east = column >= 31;
  const Level& first = level_of(1);
  out.lon = (out.east ? column - 31 : 30 - column) * first.lon_units;
  out.lat = (code[3] - 'A') * first.lat_units;

  std::size_t at = first.code_length;
  for (int n = 2; n <= level; ++n) {
    const Level& l = level_of(n);
    int column_index = 0, row_index = 0;
    if (n == 3 || n == 6) {
      const int v = digit_value(code[at]);
      if (v < 0 || v >= l.columns * l.rows) {
        return quoted_char(code, at) + " is not a level-" + std::to_string(n) + " cell " +
               range_text(l.columns * l.rows);
      }
      column_index = v % l.columns;
      row_index = v / l.columns;
      at += 1;
    } else {
      column_index = digit_value(code[at]);
      if (column_index < 0 || column_index >= l.columns) {
        return quoted_char(code, at) + " is not a level-" + std::to_string(n) + " column " +
               range_text(l.columns);
      }
      row_index = digit_value(code[at + 1]);
      if (row_index < 0 || row_index >= l.rows) {
        return quoted_char(code, at + 1) + " is not a level-" + std::to_string(n) + " row " +
               range_text(l.rows);
      }
      at += 2;
    }
    out.lon += column_index * l.lon_units;
    out.lat += row_index * l.lat_units;
  }
  level_out = level;
  return std::nullopt;
}

}  // namespace

BeidouStep beidou_step(int level) {
  require_level(level);
  const Level& l = level_of(level);
  return BeidouStep{to_degrees(l.lon_units), to_degrees(l.lat_units)};
}

std::size_t beidou_code_length(int level) {
  require_level(level);
  return level_of(level).code_length;
}

std::string beidou_code(Point lon_lat, int level) {
  require_level(level);
  const double lon = lon_lat.x, lat = lon_lat.y;
  if (!std::isfinite(lon) || !std::isfinite(lat)) {
    throw Error(ErrorKind::kInvalidInput, "a Beidou grid code needs finite coordinates");
  }
  if (lon < -180.0 || lon > 180.0) {
    throw Error(ErrorKind::kInvalidInput,
                "longitude " + std::to_string(lon) + " is outside -180 to 180");
  }
  if (!(std::fabs(lat) < kBeidouMaxLatitude)) {
    throw Error(ErrorKind::kInvalidInput,
                "latitude " + std::to_string(lat) +
                    " is in a polar cap (|latitude| >= 88), which the Beidou grid codes apart");
  }
  const bool north = lat >= 0.0;
  const bool east = lon >= 0.0 && lon < 180.0;
  const std::int64_t half_turn = 180 * kUnitsPerDegree;
  std::int64_t u = exact_units(std::fabs(lon));
  if (u >= half_turn) u = half_turn - 1;  // 180°W and 180°E: the outer edge of column 01
  const std::int64_t v = exact_units(std::fabs(lat));

  const Level& first = level_of(1);
  const auto strip = static_cast<int>(u / first.lon_units);
  const int column = east ? 31 + strip : 30 - strip;
  std::string code;
  code += north ? 'N' : 'S';
  code += static_cast<char>('0' + column / 10);
  code += static_cast<char>('0' + column % 10);
  code += static_cast<char>('A' + v / first.lat_units);
  for (int n = 2; n <= level; ++n) {
    const Level& parent = level_of(n - 1);
    const Level& l = level_of(n);
    const auto column_index = static_cast<int>(u % parent.lon_units / l.lon_units);
    const auto row_index = static_cast<int>(v % parent.lat_units / l.lat_units);
    if (n == 3 || n == 6) {
      const int digit = row_index * l.columns + column_index;
      code += kDigits[static_cast<std::size_t>(digit)];
    } else {
      code += kDigits[static_cast<std::size_t>(column_index)];
      code += kDigits[static_cast<std::size_t>(row_index)];
    }
  }
  return code;
}

std::optional<std::string> beidou_code_problem(std::string_view code) {
  Offsets offsets;
  int level = 0;
  return parse(code, offsets, level);
}

int beidou_level(std::string_view code) {
  Offsets offsets;
  int level = 0;
  if (const auto problem = parse(code, offsets, level)) {
    throw Error(ErrorKind::kInvalidInput,
                "Beidou grid code '" + std::string(code) + "' " + *problem);
  }
  return level;
}

Box beidou_bounds(std::string_view code) {
  Offsets offsets;
  int level = 0;
  if (const auto problem = parse(code, offsets, level)) {
    throw Error(ErrorKind::kInvalidInput,
                "Beidou grid code '" + std::string(code) + "' " + *problem);
  }
  const Level& l = level_of(level);
  const std::int64_t lon_near = offsets.lon, lon_far = offsets.lon + l.lon_units;
  const std::int64_t lat_near = offsets.lat, lat_far = offsets.lat + l.lat_units;
  Box box;
  box.min_x = offsets.east ? to_degrees(lon_near) : -to_degrees(lon_far);
  box.max_x = offsets.east ? to_degrees(lon_far) : -to_degrees(lon_near);
  box.min_y = offsets.north ? to_degrees(lat_near) : -to_degrees(lat_far);
  box.max_y = offsets.north ? to_degrees(lat_far) : -to_degrees(lat_near);
  return box;
}

double beidou_lon_line(int level, std::int64_t n) {
  require_level(level);
  return to_degrees(n * level_of(level).lon_units - 180 * kUnitsPerDegree);
}

double beidou_lat_line(int level, std::int64_t n) {
  require_level(level);
  return to_degrees(n * level_of(level).lat_units);
}

}  // namespace libgrid
