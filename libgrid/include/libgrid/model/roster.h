// Who is responsible for each cell: "one grid, one worker" (一格一员) and the helpers around them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace libgrid {

enum class Role {
  kGridWorker,  // 专职网格员: the one full-time worker of a grid
  kGridLeader,  // 网格长: heads the worker; also the leader of a community or street
  kInfoWorker,  // 网格信息员: part-time helpers (building heads, volunteers, ...)
};

std::string_view to_string(Role role);  // "grid_worker", "grid_leader", "info_worker"
std::optional<Role> parse_role(std::string_view text);

struct Person {
  std::string id{};
  std::string name{};
  std::string phone{};
};

struct RosterEntry {
  std::string cell_code{};
  Role role = Role::kGridWorker;
  Person person{};
};

struct Roster {
  std::vector<RosterEntry> entries{};

  bool empty() const { return entries.empty(); }
  // The people holding `role` in the cell with `cell_code`, in roster order.
  std::vector<Person> people(std::string_view cell_code, Role role) const;
};

}  // namespace libgrid
