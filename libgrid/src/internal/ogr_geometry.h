// The GDAL/OGR side of libgrid's io: polygons between OGRGeometry and libgrid::MultiPolygon, the
// checks every polygon read from a file must pass, and the few GDAL chores around them.
#pragma once

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

#include "libgrid/error.h"
#include "libgrid/geometry/polygon.h"
#include "libgrid/model/cell.h"

namespace libgrid::internal {

// Registers GDAL's drivers once per process.
void register_gdal();

// While alive, GDAL messages on this thread go nowhere instead of stderr: libgrid reports
// problems as Errors, using gdal_message() for GDAL's reason. The failures GDAL reports are kept
// until the next CPLErrorReset(), since GDAL often gives the cause first and a summary last.
class QuietGdal {
 public:
  QuietGdal();
  ~QuietGdal();
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

// GDAL's reason for the last failure on this thread: the failures since the last
// CPLErrorReset() (under a QuietGdal; else the last message), the summary first and the cause
// after ("Failed to read GeoJSON data: At line 2, character 1: Unterminated object"), each
// shortened in the middle when it is very long; "unknown GDAL error" when there is none.
std::string gdal_message();

// Opens a vector source read-only; `geopackage_only` refuses other formats. Error(kIo) naming the
// file: "no such file", "empty file", or "cannot open as a GeoPackage / vector source: <GDAL's
// reason>"; Error(kInvalidInput) when GDAL opens it but cannot make out the CRS it declares
// (GeoJSON then falls back to EPSG:4326 without a word).
GDALDatasetUniquePtr open_vector(const std::string& path, bool geopackage_only);

// The spatial reference of a CRS definition (traditional GIS axis order), or nullptr for an
// empty one. GCJ-02 and BD-09, which GDAL cannot know, are stored as WGS84 longitude/latitude
// (EPSG:4326), the closest it knows. Error(kInvalidInput) naming `path` for a definition GDAL
// does not know.
std::unique_ptr<OGRSpatialReference> spatial_reference(const std::string& crs,
                                                       const std::string& path);

// The rings of a Polygon or MultiPolygon as stored (curved types are linearised first); rings
// are not checked or closed here. Null or empty geometry gives an empty MultiPolygon. Throws
// Error(kInvalidInput) at `where` for any other geometry type.
MultiPolygon to_multipolygon(const OGRGeometry* geometry, const Location& where);
std::unique_ptr<OGRMultiPolygon> to_ogr(const MultiPolygon& area);

// Every coordinate finite and within 1e12, every ring closed; Error(kInvalidInput) otherwise.
void check_finite_and_closed(const MultiPolygon& area, const Location& where);

// A field's value as text: integers as integers, reals in the shortest form that reads back to
// the same double (so a code 110101.0 is "110101"), anything else as GDAL writes it.
// REQUIRES: the field is set and not null.
std::string field_text(const OGRFeature& feature, int index);

// What an attribute read from a field of this type is: integers (booleans among them) and
// reals are numbers, anything else (dates too) is text.
AttributeType attribute_type(const OGRFieldDefn& field);

// The field type that holds attributes of this type.
OGRFieldType field_type(AttributeType type);

// The CRS as "AUTH:CODE" when it carries an authority identifier, else as one-line WKT2.
std::string crs_text(const OGRSpatialReference& srs);

// Reads every feature of a layer, turning GDAL's silent failures into Errors.
template <typename Visit>
void for_each_feature(OGRLayer& layer, const std::string& path, Visit visit) {
  const Location layer_where{path, layer.GetName()};
  layer.ResetReading();
  for (;;) {
    CPLErrorReset();
    OGRFeatureUniquePtr feature(layer.GetNextFeature());
    if (feature == nullptr) {
      if (CPLGetLastErrorType() == CE_Failure) {
        throw Error(ErrorKind::kIo, layer_where, "cannot read: " + gdal_message());
      }
      return;
    }
    Location where = layer_where;
    where.feature = feature->GetFID();
    if (CPLGetLastErrorType() == CE_Failure) {
      throw Error(ErrorKind::kInvalidInput, where, "broken feature: " + gdal_message());
    }
    visit(*feature, where);
  }
}

}  // namespace libgrid::internal
