#include "libgrid/crs/transform.h"

#include <proj.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <optional>

#include "libgrid/crs/china_offsets.h"
#include "libgrid/error.h"

namespace libgrid {

namespace {

// Owns a PROJ context; PROJ logs nothing through it, libgrid reports failures itself.
struct Context {
  Context() : ctx(proj_context_create()) {
    if (ctx == nullptr) throw Error(ErrorKind::kInvalidInput, "PROJ could not start");
    proj_log_level(ctx, PJ_LOG_NONE);
  }
  ~Context() { proj_context_destroy(ctx); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  PJ_CONTEXT* ctx;
};

struct PjDeleter {
  void operator()(PJ* pj) const { proj_destroy(pj); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

// The CRS `definition` names, or null. A bare PROJ string ("+proj=longlat +datum=WGS84") is
// taken as a CRS, as cs2cs does.
PjPtr make_crs(PJ_CONTEXT* ctx, const std::string& definition) {
  if (definition.empty()) return nullptr;
  std::string text = definition;
  if (text.starts_with("+") && text.find("+type=crs") == std::string::npos) text += " +type=crs";
  PjPtr crs(proj_create(ctx, text.c_str()));
  if (crs == nullptr || !proj_is_crs(crs.get())) return nullptr;
  // A bare name (no WKT, PROJJSON, PROJ string or AUTH:CODE) that PROJ found only by an
  // approximate match ("foo" for Amersfoort, "bar" for Barbados 1938) is no CRS the user meant;
  // names and aliases of its database ("WGS 84", "wgs84", "CGCS2000") are.
  if (definition.find_first_of(":[{=+") == std::string::npos) {
    const PJ_TYPE crs_types[] = {PJ_TYPE_CRS};
    PJ_OBJ_LIST* exact =
        proj_create_from_name(ctx, nullptr, definition.c_str(), crs_types, 1, 0, 1, nullptr);
    const bool found = exact != nullptr && proj_list_get_count(exact) > 0;
    proj_list_destroy(exact);
    if (!found) return nullptr;
  }
  return crs;
}

PjPtr require_crs(PJ_CONTEXT* ctx, const std::string& definition) {
  PjPtr crs = make_crs(ctx, definition);
  if (crs == nullptr) throw Error(ErrorKind::kInvalidInput, "unknown CRS '" + definition + "'");
  return crs;
}

// The horizontal part of a CRS: the source of a bound CRS, the first part of a compound one.
PjPtr horizontal(PJ_CONTEXT* ctx, PjPtr crs) {
  for (;;) {
    const PJ_TYPE type = proj_get_type(crs.get());
    PJ* inner = nullptr;
    if (type == PJ_TYPE_BOUND_CRS) {
      inner = proj_get_source_crs(ctx, crs.get());
    } else if (type == PJ_TYPE_COMPOUND_CRS) {
      inner = proj_crs_get_sub_crs(ctx, crs.get(), 0);
    } else {
      return crs;
    }
    if (inner == nullptr) return crs;
    crs.reset(inner);
  }
}

// Where GCJ-02 and BD-09 meet PROJ.
constexpr const char* kWgs84 = "EPSG:4326";

}  // namespace

// A transformation in up to three steps: from the source's offset system to WGS84, PROJ's
// operation, from WGS84 to the target's offset system. When both ends are offset systems the
// formulas go from one to the other directly and there is no PROJ step.
struct Transform::Impl {
  Context context;
  std::optional<ChinaOffset> source_offset;  // the source is GCJ-02 or BD-09
  std::optional<ChinaOffset> target_offset;  // the target is GCJ-02 or BD-09
  PjPtr operation;                           // null for the identity
  std::mutex mutex;                          // a PJ object keeps state while it transforms
};

Transform::Transform(const std::string& from, const std::string& to)
    : impl_(std::make_unique<Impl>()) {
  impl_->source_offset = parse_china_offset(from);
  impl_->target_offset = parse_china_offset(to);
  if (impl_->source_offset && impl_->target_offset) return;
  PJ_CONTEXT* ctx = impl_->context.ctx;
  const PjPtr source = require_crs(ctx, impl_->source_offset ? kWgs84 : from);
  const PjPtr target = require_crs(ctx, impl_->target_offset ? kWgs84 : to);
  // x is always easting or longitude here, so CRSs that differ only in the order of their
  // geographic axes (EPSG:4326, OGC:CRS84) are the same for us.
  if (from == to || proj_is_equivalent_to_with_ctx(ctx, source.get(), target.get(),
                                                   PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS)) {
    return;
  }
  const PjPtr operation(
      proj_create_crs_to_crs_from_pj(ctx, source.get(), target.get(), nullptr, nullptr));
  if (operation == nullptr) {
    throw Error(ErrorKind::kInvalidInput, "no transformation from '" + from + "' to '" + to + "'");
  }
  impl_->operation.reset(proj_normalize_for_visualization(ctx, operation.get()));
  if (impl_->operation == nullptr) {
    throw Error(ErrorKind::kInvalidInput, "cannot put the transformation from '" + from + "' to '" +
                                              to + "' in easting/northing order");
  }
}

Transform::~Transform() = default;
Transform::Transform(Transform&&) noexcept = default;
Transform& Transform::operator=(Transform&&) noexcept = default;

bool Transform::is_identity() const {
  return impl_->operation == nullptr && impl_->source_offset == impl_->target_offset;
}

void Transform::apply(std::span<double> x, std::span<double> y) const {
  if (x.size() != y.size()) {
    throw Error(ErrorKind::kInvalidInput, "x and y hold different numbers of coordinates");
  }
  if (is_identity() || x.empty()) return;
  const auto convert_all = [&x, &y](ChinaOffset from, ChinaOffset to) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const Point p = convert({x[i], y[i]}, from, to);
      x[i] = p.x;
      y[i] = p.y;
    }
  };
  const std::optional<ChinaOffset>& source_offset = impl_->source_offset;
  const std::optional<ChinaOffset>& target_offset = impl_->target_offset;
  if (source_offset && target_offset) {
    convert_all(*source_offset, *target_offset);
    return;
  }
  if (source_offset) convert_all(*source_offset, ChinaOffset::kWgs84);
  if (impl_->operation != nullptr) {
    std::lock_guard lock(impl_->mutex);
    proj_trans_generic(impl_->operation.get(), PJ_FWD, x.data(), sizeof(double), x.size(), y.data(),
                       sizeof(double), y.size(), nullptr, 0, 0, nullptr, 0, 0);
  }
  if (target_offset) convert_all(ChinaOffset::kWgs84, *target_offset);
  // PROJ marks a point it cannot transform with HUGE_VAL.
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) x[i] = y[i] = kNaN;
  }
}

bool is_known_crs(const std::string& definition) {
  if (parse_china_offset(definition)) return true;
  const Context context;
  return make_crs(context.ctx, definition) != nullptr;
}

bool is_geographic_crs(const std::string& definition) {
  if (parse_china_offset(definition)) return true;
  const Context context;
  PjPtr crs = make_crs(context.ctx, definition);
  if (crs == nullptr) return false;
  crs = horizontal(context.ctx, std::move(crs));
  const PJ_TYPE type = proj_get_type(crs.get());
  return type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
         type == PJ_TYPE_GEOGRAPHIC_CRS;
}

bool AreaOfUse::contains(double longitude, double latitude) const {
  if (!(latitude >= south && latitude <= north)) return false;
  return west <= east ? longitude >= west && longitude <= east
                      : longitude >= west || longitude <= east;
}

std::optional<AreaOfUse> area_of_use(const std::string& definition) {
  if (parse_china_offset(definition)) return std::nullopt;
  const Context context;
  const PjPtr crs = make_crs(context.ctx, definition);
  if (crs == nullptr) return std::nullopt;
  AreaOfUse area;
  if (!proj_get_area_of_use(context.ctx, crs.get(), &area.west, &area.south, &area.east,
                            &area.north, nullptr) ||
      area.west == -1000) {  // PROJ's "unknown"
    return std::nullopt;
  }
  return area;
}

}  // namespace libgrid
