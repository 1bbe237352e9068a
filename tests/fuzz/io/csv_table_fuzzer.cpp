// CsvTable::read on any bytes: a table or Error, and every cell read as a number or Error.
// seeds: data/samples/*.csv data/samples/*.csv.gz tests/cli/fixtures/*.csv
#include <cstddef>
#include <cstdint>

#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Gzip'd input is read as a .gz file, the way the reader tells them apart.
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  const std::string path = libgrid::fuzz::write_input(data, size, gzip ? ".csv.gz" : ".csv");
  try {
    const libgrid::CsvTable table = libgrid::CsvTable::read(path);
    for (std::size_t i = 0; i < table.row_count(); ++i) {
      for (std::size_t c = 0; c < table.header().size(); ++c) {
        if (table.column(table.header()[c]) < 0) __builtin_trap();  // a header it cannot find
        try {
          table.number(i, static_cast<int>(c));
        } catch (const libgrid::Error&) {
        }
      }
    }
  } catch (const libgrid::Error&) {
  }
  return 0;
}
