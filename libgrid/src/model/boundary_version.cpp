#include "libgrid/model/boundary_version.h"

#include <limits>

namespace libgrid {

LocalMinutes BoundaryVersion::effective_minutes() const {
  if (!effective) return std::numeric_limits<LocalMinutes>::min();
  return LocalMinutes{effective->time_since_epoch().count()} * 24 * 60;
}

std::string describe_effective(const BoundaryVersion& version) {
  return version.effective ? format_date(*version.effective) : std::string("(always)");
}

}  // namespace libgrid
