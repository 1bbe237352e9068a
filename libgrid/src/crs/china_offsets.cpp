#include "libgrid/crs/china_offsets.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <numbers>

namespace libgrid {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Krasovsky 1940, the ellipsoid of the GCJ-02 offsets.
constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyE2 = 0.00669342162296594323;

// BD-09's angular factor.
constexpr double kBdPi = kPi * 3000.0 / 180.0;

// The inverses stop when a step moves less than this (degrees), or after kMaxSteps steps.
constexpr double kStopStep = 1e-9;
constexpr int kMaxSteps = 30;

const Point kNaNPoint{kNaN, kNaN};

bool is_lon_lat(Point p) { return std::abs(p.x) <= 180.0 && std::abs(p.y) <= 90.0; }

// The GCJ-02 offset of a WGS84 point, in degrees, wherever it is (the caller decides whether it
// applies). x and y are degrees east and north of 105°E 35°N; the two series give metres on the
// Krasovsky ellipsoid, turned into degrees by its radii of curvature at the point's latitude.
Point gcj02_offset(Point wgs84) {
  const double x = wgs84.x - 105.0;
  const double y = wgs84.y - 35.0;
  const double both = (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  const double north =
      -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x)) + both +
      (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0 +
      (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  const double east =
      300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x)) + both +
      (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0 +
      (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  const double latitude = wgs84.y / 180.0 * kPi;
  const double s = std::sin(latitude);
  const double w2 = 1.0 - kKrasovskyE2 * s * s;
  const double w = std::sqrt(w2);
  const double meridian_radius = kKrasovskyA * (1.0 - kKrasovskyE2) / (w2 * w);
  const double parallel_radius = kKrasovskyA / w * std::cos(latitude);
  return {east * 180.0 / (parallel_radius * kPi), north * 180.0 / (meridian_radius * kPi)};
}

// GCJ-02 of a WGS84 point with the offset applied everywhere.
Point offset_everywhere(Point wgs84) {
  const Point d = gcj02_offset(wgs84);
  return {wgs84.x + d.x, wgs84.y + d.y};
}

Point bd09_of(Point gcj02) {
  const double z = std::hypot(gcj02.x, gcj02.y) + 0.00002 * std::sin(gcj02.y * kBdPi);
  const double theta = std::atan2(gcj02.y, gcj02.x) + 0.000003 * std::cos(gcj02.x * kBdPi);
  return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

// The point p with forward(p) == target, from `start`: each step moves p by the forward
// formula's miss. Converges since forward is the identity plus an offset of slope below 0.01
// (but within a hair of 105°E, where the steps still shrink).
template <typename Forward>
Point invert(Forward forward, Point target, Point start) {
  Point p = start;
  for (int step = 0; step < kMaxSteps; ++step) {
    const Point image = forward(p);
    const double dx = image.x - target.x;
    const double dy = image.y - target.y;
    p.x -= dx;
    p.y -= dy;
    if (std::abs(dx) < kStopStep && std::abs(dy) < kStopStep) break;
  }
  return p;
}

}  // namespace

std::string_view to_string(ChinaOffset offset) {
  constexpr std::string_view kNames[] = {"WGS84", "GCJ-02", "BD-09"};  // in ChinaOffset's order
  return kNames[static_cast<int>(offset)];
}

std::optional<ChinaOffset> parse_china_offset(std::string_view definition) {
  std::string name;
  for (const char c : definition) {
    if (c == '-' || c == '_') continue;
    name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  constexpr std::string_view kWgs84Prefix = "EPSG:4326+";
  if (name.starts_with(kWgs84Prefix)) name.erase(0, kWgs84Prefix.size());
  if (name == "GCJ02") return ChinaOffset::kGcj02;
  if (name == "BD09" || name == "BD09LL") return ChinaOffset::kBd09;
  return std::nullopt;
}

bool in_gcj02_area(Point lon_lat) {
  return lon_lat.x >= 72.004 && lon_lat.x <= 137.8347 && lon_lat.y >= 0.8293 &&
         lon_lat.y <= 55.8271;
}

Point wgs84_to_gcj02(Point wgs84) {
  if (!is_lon_lat(wgs84)) return kNaNPoint;
  return in_gcj02_area(wgs84) ? offset_everywhere(wgs84) : wgs84;
}

Point gcj02_to_wgs84(Point gcj02) {
  if (!is_lon_lat(gcj02)) return kNaNPoint;
  if (!in_gcj02_area(gcj02)) return gcj02;
  const Point d = gcj02_offset(gcj02);
  return invert(offset_everywhere, gcj02, {gcj02.x - d.x, gcj02.y - d.y});
}

Point gcj02_to_bd09(Point gcj02) {
  if (!is_lon_lat(gcj02)) return kNaNPoint;
  return bd09_of(gcj02);
}

Point bd09_to_gcj02(Point bd09) {
  if (!is_lon_lat(bd09)) return kNaNPoint;
  // The public approximate inverse: the forward formula's corrections taken at the BD-09 point.
  const double x = bd09.x - 0.0065;
  const double y = bd09.y - 0.006;
  const double z = std::hypot(x, y) - 0.00002 * std::sin(y * kBdPi);
  const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kBdPi);
  return invert(bd09_of, bd09, {z * std::cos(theta), z * std::sin(theta)});
}

Point wgs84_to_bd09(Point wgs84) { return gcj02_to_bd09(wgs84_to_gcj02(wgs84)); }

Point bd09_to_wgs84(Point bd09) { return gcj02_to_wgs84(bd09_to_gcj02(bd09)); }

Point convert(Point p, ChinaOffset from, ChinaOffset to) {
  if (from == to) return is_lon_lat(p) ? p : kNaNPoint;
  switch (from) {
    case ChinaOffset::kWgs84:
      return to == ChinaOffset::kGcj02 ? wgs84_to_gcj02(p) : wgs84_to_bd09(p);
    case ChinaOffset::kGcj02:
      return to == ChinaOffset::kWgs84 ? gcj02_to_wgs84(p) : gcj02_to_bd09(p);
    case ChinaOffset::kBd09:
      return to == ChinaOffset::kWgs84 ? bd09_to_wgs84(p) : bd09_to_gcj02(p);
  }
  return kNaNPoint;
}

}  // namespace libgrid
