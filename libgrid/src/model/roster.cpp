#include "libgrid/model/roster.h"

#include "internal/text.h"

namespace libgrid {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kGridWorker:
      return "grid_worker";
    case Role::kGridLeader:
      return "grid_leader";
    case Role::kInfoWorker:
      return "info_worker";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role r : {Role::kGridWorker, Role::kGridLeader, Role::kInfoWorker}) {
    if (internal::iequals(text, to_string(r))) return r;
  }
  return std::nullopt;
}

std::vector<Person> Roster::people(std::string_view cell_code, Role role) const {
  std::vector<Person> found;
  for (const auto& e : entries) {
    if (e.role == role && e.cell_code == cell_code) found.push_back(e.person);
  }
  return found;
}

}  // namespace libgrid
