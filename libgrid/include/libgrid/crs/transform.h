// Coordinate transformation between CRSs, through PROJ, always in traditional GIS axis order:
// x = easting or longitude, y = northing or latitude, whatever order the CRS's definition gives
// (EPSG:4326 and the CGCS2000 Gauss-Kruger zones list latitude or northing first).
//
// Besides PROJ's CRSs, "GCJ-02" and "BD-09" (see china_offsets.h for the names accepted): they
// convert to and from WGS84 (EPSG:4326) by their formulas, and through WGS84 and PROJ to and
// from any other CRS (GCJ-02 to EPSG:4548 is GCJ-02 to WGS84, then WGS84 to EPSG:4548).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace libgrid {

class Transform {
 public:
  // `from` and `to` are any CRS definitions PROJ accepts ("EPSG:4326", WKT, PROJJSON, ...), or
  // GCJ-02 or BD-09. Throws Error(kInvalidInput) naming the definition when it is neither.
  Transform(const std::string& from, const std::string& to);
  ~Transform();
  Transform(Transform&&) noexcept;
  Transform& operator=(Transform&&) noexcept;

  // True when both definitions name the same CRS; apply() then changes nothing.
  bool is_identity() const;

  // Transforms in place. Points that cannot be transformed become NaN, among them points in
  // GCJ-02 or BD-09, or on their way through WGS84 to them, that are not longitude/latitude
  // (NaN, |x| > 180 or |y| > 90).
  void apply(std::span<double> x, std::span<double> y) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when PROJ knows `definition`, or it names GCJ-02 or BD-09; for checking arguments before
// work starts.
bool is_known_crs(const std::string& definition);

// True when `definition` names a geographic (longitude/latitude) CRS; GCJ-02 and BD-09 are.
bool is_geographic_crs(const std::string& definition);

// Where on the Earth a CRS is meant to be used, as PROJ's database records it: longitudes west
// to east (west > east when the area crosses the antimeridian) and latitudes south to north, in
// degrees. None when PROJ does not know the CRS or records no area (GCJ-02 and BD-09 included).
struct AreaOfUse {
  double west = -180, south = -90, east = 180, north = 90;
  bool contains(double longitude, double latitude) const;
};
std::optional<AreaOfUse> area_of_use(const std::string& definition);

}  // namespace libgrid
