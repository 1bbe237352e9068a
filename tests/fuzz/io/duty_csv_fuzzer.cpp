// read_duty_csv on any bytes, against the CLI fixtures' grid set: a duty table or Error.
// seeds: tests/cli/fixtures/duty.csv data/samples/duty.csv
#include <cstddef>
#include <cstdint>

#include "libgrid/error.h"
#include "libgrid/io/roster_csv.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const libgrid::GridSet& grids = libgrid::fuzz::fixture_grid_set();
  const std::string path = libgrid::fuzz::write_input(data, size, ".csv");
  try {
    const libgrid::DutyTable table = libgrid::read_duty_csv(path, grids);
    for (const libgrid::DutyRule& rule : table.rules) {
      // Event classes are unique: each finds its own rule.
      const libgrid::DutyRule* found = table.find(rule.event_class);
      if (found == nullptr || found->event_class != rule.event_class) __builtin_trap();
    }
  } catch (const libgrid::Error&) {
  }
  return 0;
}
