// Coordinate transformation between CRSs (PROJ, GCJ-02 and BD-09; GIS axis order: x = easting
// or longitude).
#include "bindings.h"
#include "libgrid/crs/transform.h"

namespace libgrid::python {

void bind_crs(py::module_& m) {
  using namespace pybind11::literals;
  m.def(
      "transform",
      [](const DoubleArray& x, const DoubleArray& y, const std::string& from_crs,
         const std::string& to_crs)
          -> TypedObject<
              "Tuple[numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.float64]]"> {
        require_same_shape(x, y);
        // Copies: the inputs are never changed.
        py::array_t<double> tx(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()), x.data());
        py::array_t<double> ty(std::vector<py::ssize_t>(y.shape(), y.shape() + y.ndim()), y.data());
        const auto n = static_cast<std::size_t>(x.size());
        std::span<double> xs(tx.mutable_data(), n), ys(ty.mutable_data(), n);
        {
          py::gil_scoped_release release;
          const Transform transform(from_crs, to_crs);
          transform.apply(xs, ys);
        }
        return py::make_tuple(tx, ty);
      },
      "x"_a, "y"_a, "from_crs"_a, "to_crs"_a, R"doc(
Transforms coordinates from one CRS to another, e.g. event points in EPSG:4326 to a grid set's
CRS before Index.lookup.

Axis order is always the GIS one: x is easting or longitude, y northing or latitude, whatever
order the CRS's definition gives.

Besides PROJ's CRSs, "GCJ-02" (Amap, Tencent, DataV) and "BD-09" (Baidu), in any case, with or
without the hyphen: they go to and from WGS84 by their public formulas (GCJ-02 offsets apply
inside China only; the inverses are iterative, exact to better than 1e-9 degrees), and through
WGS84 to any other CRS, e.g. ``transform(x, y, "GCJ-02", "EPSG:4548")``.

Args:
    x, y: coordinates, array-likes of the same shape.
    from_crs, to_crs: CRS definitions PROJ accepts ("EPSG:4326", WKT, PROJJSON, ...), or
        "GCJ-02" or "BD-09".

Returns:
    (x, y): new float64 arrays of the input's shape; NaN where a point cannot be transformed
    (for GCJ-02 and BD-09: points that are not longitude/latitude).

Raises:
    ValueError: x and y differ in shape, or a definition is neither PROJ's nor GCJ-02/BD-09.
)doc");
  m.def(
      "is_known_crs", [](const std::string& definition) { return is_known_crs(definition); },
      "definition"_a,
      "True when PROJ knows the CRS `definition` (\"EPSG:4548\", WKT, ...), or it names GCJ-02 or "
      "BD-09.");
  m.def(
      "is_geographic_crs",
      [](const std::string& definition) { return is_geographic_crs(definition); }, "definition"_a,
      "True when `definition` names a geographic (longitude/latitude) CRS; GCJ-02 and BD-09 "
      "are.");
}

}  // namespace libgrid::python
