#include "libgrid/model/unit.h"

#include <cmath>
#include <string>

#include "internal/text.h"
#include "libgrid/error.h"

namespace libgrid {

void check_workload(const std::vector<Unit>& units, const std::vector<Barrier>& barriers) {
  auto bad = [](const std::string& what) { throw Error(ErrorKind::kInvalidInput, what); };
  double total = 0.0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!std::isfinite(u.location.x) || !std::isfinite(u.location.y)) {
      bad("unit " + std::to_string(i + 1) + " has no finite location");
    }
    if (!std::isfinite(u.weight) || u.weight < 0) {
      bad("unit " + std::to_string(i + 1) + " has weight " + internal::short_number_text(u.weight) +
          ": weights must be finite and not negative");
    }
    total += u.weight;
    if (!std::isfinite(total)) {
      bad("unit " + std::to_string(i + 1) +
          " takes the total weight past the largest number "
          "a double holds");
    }
  }
  for (std::size_t i = 0; i < barriers.size(); ++i) {
    if (barriers[i].size() < 2) {
      bad("barrier " + std::to_string(i + 1) + " is not a line (fewer than 2 points)");
    }
    for (const Point& p : barriers[i]) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        bad("barrier " + std::to_string(i + 1) + " has a coordinate that is not finite");
      }
    }
  }
}

}  // namespace libgrid
