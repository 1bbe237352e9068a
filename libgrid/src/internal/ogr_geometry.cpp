#include "internal/ogr_geometry.h"

#include <cpl_error.h>
#include <gdal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "libgrid/crs/china_offsets.h"

namespace libgrid::internal {

void register_gdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

namespace {

// The failures GDAL reported on this thread under a QuietGdal, with GDAL's error counter at each.
struct Failure {
  GUInt32 counter = 0;
  std::string message;
};
thread_local std::vector<Failure> failures;

void CPL_STDCALL record_failure(CPLErr kind, CPLErrorNum, const char* message) {
  const GUInt32 counter = CPLGetErrorCounter();
  // CPLErrorReset() sets the counter back to 0: a count not above the last means one came since.
  if (!failures.empty() && counter <= failures.back().counter) failures.clear();
  if (kind >= CE_Failure && message != nullptr && *message != '\0') {
    failures.push_back({counter, message});
  }
}

// A message GDAL built from its input (an SQL statement naming 5,000 columns) is cut in the
// middle, where it is least useful, at UTF-8 character boundaries.
std::string shortened(const std::string& text) {
  constexpr std::size_t kKeep = 150;
  if (text.size() <= 3 * kKeep) return text;
  auto boundary = [&text](std::size_t at) {
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    return at;
  };
  const std::size_t head = boundary(kKeep), tail = boundary(text.size() - kKeep);
  return text.substr(0, head) + " [... " + std::to_string(tail - head) + " characters ...] " +
         text.substr(tail);
}

}  // namespace

QuietGdal::QuietGdal() {
  CPLPushErrorHandler(record_failure);
  CPLErrorReset();
  failures.clear();
}

QuietGdal::~QuietGdal() { CPLPopErrorHandler(); }

std::string gdal_message() {
  std::vector<std::string> parts;
  if (!failures.empty() && CPLGetErrorCounter() >= failures.back().counter) {
    for (auto it = failures.rbegin(); it != failures.rend(); ++it) {
      if (std::find(parts.begin(), parts.end(), it->message) == parts.end()) {
        parts.push_back(it->message);
      }
    }
  } else if (const char* last = CPLGetLastErrorMsg(); last != nullptr && *last != '\0') {
    parts.emplace_back(last);
  }
  if (parts.empty()) return "unknown GDAL error";
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ": ") + shortened(part);
  return text;
}

namespace {

std::string type_name(const OGRGeometry& geometry) {
  return OGRGeometryTypeToName(geometry.getGeometryType());
}

Ring to_ring(const OGRLinearRing& ring) {
  Ring points(static_cast<std::size_t>(ring.getNumPoints()));
  for (int i = 0; i < ring.getNumPoints(); ++i) {
    points[static_cast<std::size_t>(i)] = Point{ring.getX(i), ring.getY(i)};
  }
  return points;
}

Polygon to_polygon(const OGRPolygon& polygon) {
  Polygon result;
  if (polygon.IsEmpty()) return result;
  result.rings.push_back(to_ring(*polygon.getExteriorRing()));
  for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
    result.rings.push_back(to_ring(*polygon.getInteriorRing(i)));
  }
  return result;
}

// Shortest text that reads back to the same double; integral values without ".0".
std::string number_text(double v) {
  if (v == std::trunc(v) && std::abs(v) < 9.0e15) {
    return std::to_string(static_cast<std::int64_t>(v));
  }
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

std::string point_text(Point p) { return "(" + number_text(p.x) + " " + number_text(p.y) + ")"; }

std::string ring_name(std::size_t polygon, std::size_t ring) {
  return "ring " + std::to_string(ring + 1) + " of polygon " + std::to_string(polygon + 1);
}

}  // namespace

MultiPolygon to_multipolygon(const OGRGeometry* geometry, const Location& where) {
  MultiPolygon result;
  if (geometry == nullptr || geometry->IsEmpty()) return result;
  std::unique_ptr<OGRGeometry> linear;
  if (geometry->hasCurveGeometry()) {
    linear.reset(geometry->getLinearGeometry());
    if (linear == nullptr) {
      throw Error(ErrorKind::kInvalidInput, where,
                  "cannot linearise " + type_name(*geometry) + ": " + gdal_message());
    }
    geometry = linear.get();
  }
  switch (wkbFlatten(geometry->getGeometryType())) {
    case wkbPolygon:
      result.polygons.push_back(to_polygon(*geometry->toPolygon()));
      break;
    case wkbMultiPolygon:
      for (const OGRPolygon* part : *geometry->toMultiPolygon()) {
        result.polygons.push_back(to_polygon(*part));
      }
      break;
    default:
      throw Error(ErrorKind::kInvalidInput, where,
                  "expected a Polygon or MultiPolygon, found " + type_name(*geometry));
  }
  return result;
}

std::unique_ptr<OGRMultiPolygon> to_ogr(const MultiPolygon& area) {
  auto result = std::make_unique<OGRMultiPolygon>();
  std::vector<double> xs;
  std::vector<double> ys;
  for (const Polygon& polygon : area.polygons) {
    auto part = std::make_unique<OGRPolygon>();
    for (const Ring& ring : polygon.rings) {
      xs.clear();
      ys.clear();
      for (const Point& p : ring) {
        xs.push_back(p.x);
        ys.push_back(p.y);
      }
      auto made = std::make_unique<OGRLinearRing>();
      made->setPoints(static_cast<int>(ring.size()), xs.data(), ys.data());
      part->addRingDirectly(made.release());
    }
    result->addGeometryDirectly(part.release());
  }
  return result;
}

namespace {
constexpr double kMaxCoordinate = 1e12;
}  // namespace

void check_finite_and_closed(const MultiPolygon& area, const Location& where) {
  for (std::size_t i = 0; i < area.polygons.size(); ++i) {
    const auto& rings = area.polygons[i].rings;
    for (std::size_t r = 0; r < rings.size(); ++r) {
      for (const Point& p : rings[r]) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
          throw Error(ErrorKind::kInvalidInput, where,
                      "coordinate " + point_text(p) + " in " + ring_name(i, r) + " is not finite");
        }
        // No CRS has coordinates near this; past it, products in the exact predicates could
        // overflow. Such values are broken data (a wrong unit, a sentinel like 1e38).
        if (std::abs(p.x) > kMaxCoordinate || std::abs(p.y) > kMaxCoordinate) {
          throw Error(ErrorKind::kInvalidInput, where,
                      "coordinate " + point_text(p) + " in " + ring_name(i, r) +
                          " is out of range (|x|, |y| <= 1e12)");
        }
      }
    }
  }
  for (std::size_t i = 0; i < area.polygons.size(); ++i) {
    const auto& rings = area.polygons[i].rings;
    for (std::size_t r = 0; r < rings.size(); ++r) {
      if (rings[r].empty() || rings[r].front() != rings[r].back()) {
        throw Error(ErrorKind::kInvalidInput, where,
                    ring_name(i, r) + " is not closed" +
                        (rings[r].empty() ? std::string(" (it has no points)")
                                          : ": it starts at " + point_text(rings[r].front()) +
                                                " and ends at " + point_text(rings[r].back())));
      }
    }
  }
}

std::string field_text(const OGRFeature& feature, int index) {
  switch (feature.GetFieldDefnRef(index)->GetType()) {
    case OFTInteger:
    case OFTInteger64:
      return std::to_string(feature.GetFieldAsInteger64(index));
    case OFTReal:
      return number_text(feature.GetFieldAsDouble(index));
    default:
      return feature.GetFieldAsString(index);
  }
}

AttributeType attribute_type(const OGRFieldDefn& field) {
  switch (field.GetType()) {
    case OFTInteger:
    case OFTInteger64:
      return AttributeType::kInteger;
    case OFTReal:
      return AttributeType::kReal;
    default:
      return AttributeType::kText;
  }
}

OGRFieldType field_type(AttributeType type) {
  switch (type) {
    case AttributeType::kInteger:
      return OFTInteger64;
    case AttributeType::kReal:
      return OFTReal;
    case AttributeType::kText:
      break;
  }
  return OFTString;
}

std::string crs_text(const OGRSpatialReference& srs) {
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr && *authority != '\0' && *code != '\0') {
    return std::string(authority) + ":" + code;
  }
  char* wkt = nullptr;
  const char* const options[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
  std::string text;
  if (srs.exportToWkt(&wkt, options) == OGRERR_NONE && wkt != nullptr) text = wkt;
  CPLFree(wkt);
  return text;
}

namespace {

// Why a local source cannot be read, in the system's words ("file name too long", "permission
// denied"), or "" when the system has nothing to say (it is there and readable, or on GDAL's
// virtual file systems).
std::string system_reason(const std::string& path) {
  if (path.rfind("/vsi", 0) == 0) return "";
  struct stat status {};
  const bool looked_at = ::stat(path.c_str(), &status) == 0;
  if (looked_at && (!S_ISREG(status.st_mode) || access(path.c_str(), R_OK) == 0)) return "";
  if (!looked_at && (errno == ENOENT || errno == ENOTDIR)) return "no such file";
  std::string reason = std::strerror(errno);
  if (!reason.empty())
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return reason;
}

}  // namespace

GDALDatasetUniquePtr open_vector(const std::string& path, bool geopackage_only) {
  const QuietGdal quiet;
  const char* const geopackage[] = {"GPKG", nullptr};
  GDALDatasetUniquePtr dataset(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                 geopackage_only ? geopackage : nullptr, nullptr, nullptr)));
  if (dataset != nullptr) {
    // PROJ's complaints while a source opens are about the CRS it declares.
    const auto proj = std::find_if(failures.begin(), failures.end(), [](const Failure& f) {
      return f.message.rfind("PROJ: ", 0) == 0;
    });
    if (proj != failures.end()) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                  "cannot make out the CRS it declares: " + shortened(proj->message));
    }
    return dataset;
  }
  if (const std::string reason = system_reason(path); !reason.empty()) {
    throw Error(ErrorKind::kIo, Location{.file = path}, reason);
  }
  VSIStatBufL stat;
  if (VSIStatL(path.c_str(), &stat) != 0) {
    throw Error(ErrorKind::kIo, Location{.file = path}, "no such file");
  }
  if (VSI_ISREG(stat.st_mode) && stat.st_size == 0) {
    throw Error(ErrorKind::kIo, Location{.file = path}, "empty file");
  }
  throw Error(ErrorKind::kIo, Location{.file = path},
              std::string(geopackage_only ? "cannot open as a GeoPackage: "
                                          : "cannot open as a vector source: ") +
                  gdal_message());
}

std::unique_ptr<OGRSpatialReference> spatial_reference(const std::string& crs,
                                                       const std::string& path) {
  if (crs.empty()) return nullptr;
  auto srs = std::make_unique<OGRSpatialReference>();
  const char* definition = parse_china_offset(crs) ? "EPSG:4326" : crs.c_str();
  if (srs->SetFromUserInput(definition) != OGRERR_NONE) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path}, "unknown CRS '" + crs + "'");
  }
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

}  // namespace libgrid::internal
