// Coordinate transformation between CRSs, through PROJ, always in traditional GIS axis order:
// x = easting or longitude, y = northing or latitude, whatever order the CRS's definition gives
// (EPSG:4326 and the CGCS2000 Gauss-Kruger zones list latitude or northing first).
#pragma once

#include <memory>
#include <span>
#include <string>

namespace libgrid {

class Transform {
 public:
  // `from` and `to` are any CRS definitions PROJ accepts ("EPSG:4326", WKT, PROJJSON, ...).
  // Throws Error(kInvalidInput) naming the definition when PROJ does not know it.
  Transform(const std::string& from, const std::string& to);
  ~Transform();
  Transform(Transform&&) noexcept;
  Transform& operator=(Transform&&) noexcept;

  // True when both definitions name the same CRS; apply() then changes nothing.
  bool is_identity() const;

  // Transforms in place. Points that cannot be transformed become NaN.
  void apply(std::span<double> x, std::span<double> y) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when PROJ knows `definition`; for checking arguments before work starts.
bool is_known_crs(const std::string& definition);

// True when `definition` names a geographic (longitude/latitude) CRS.
bool is_geographic_crs(const std::string& definition);

}  // namespace libgrid
