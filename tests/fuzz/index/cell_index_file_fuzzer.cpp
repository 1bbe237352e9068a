// CellIndex::load on any bytes: an index or Error; a loaded index answers lookups and paths
// without reading outside its file (the sanitizers watch).
// seeds: generated-seeds/*.lgi
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "support/fuzz_input.h"

namespace {

// The input with its checksum (at offset 24: XXH3-64, seed 0, of every byte after it) made to
// match, as save() writes it: otherwise nearly every input stops at "checksum mismatch" and the
// checks behind it are never reached. An odd first byte of the reserved header space leaves the
// input as it is, to fuzz the checksum itself.
std::vector<std::uint8_t> with_matching_checksum(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  constexpr std::size_t kChecksumAt = 24, kChecksummedFrom = 32, kHeaderSize = 128,
                        kReservedAt = 56;
  if (size < kHeaderSize || (bytes[kReservedAt] & 1) != 0) return bytes;
  const std::uint64_t checksum =
      XXH3_64bits(bytes.data() + kChecksummedFrom, bytes.size() - kChecksummedFrom);
  std::memcpy(bytes.data() + kChecksumAt, &checksum, sizeof checksum);
  return bytes;
}

void probe(const libgrid::CellIndex& index) {
  std::vector<double> x, y;
  for (int i = -2; i <= 2; ++i) {
    for (double scale : {0.0, 1.0, 1e3, 1e6, 1e300}) {
      x.push_back(i * scale);
      y.push_back(scale - i);
    }
  }
  std::vector<libgrid::CellId> cells(x.size());
  index.lookup(x, y, cells, 1);
  for (const libgrid::CellId c : cells) {
    if (c != libgrid::kNoCell) index.path(c);
  }
  for (int level = 0; level < index.level_count(); ++level) {
    index.cells_holding({x[7], y[7]}, level);
    index.lookup_level({x[8], y[8]}, level);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes = with_matching_checksum(data, size);
  const std::string path = libgrid::fuzz::write_input(bytes.data(), bytes.size(), ".lgi");
  try {
    probe(libgrid::CellIndex::load(path));
  } catch (const libgrid::Error&) {
  }
  return 0;
}
