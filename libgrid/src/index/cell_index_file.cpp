// The saved index file (.lgi): a header, a table of sections, and the index's flat arrays, each
// section aligned to 64 bytes so that the arrays are used in place from the file's bytes in
// memory, copied or mapped. All integers little-endian (the byte order of the machines it is
// used on; a file of the other order is refused).
//
//   header (128 bytes): magic "LGRIDIDX" (0), format version (8, uint32), byte-order mark
//     (12), file size (16, uint64), checksum (24, uint64), the grid set's fingerprint (32),
//     level count (40), section count (44), cell count (48), zeros up to 128
//   section table: {id, element size, offset, count} per section
//   sections: text (CRS and level names, NUL-separated), the arrays, the boundary versions'
//     starts (empty for a grid set of one version), whose latest version the trees above
//     answer, then four tree sections for each earlier version, sharing the cells and edges
//
// The checksum is XXH3-64 (libxxhash, seed 0) of every byte after it, from offset 32 to the
// end of the file: `tail -c +33 FILE | xxhsum -H3` prints it. The bytes before it are each
// checked exactly (magic, version, byte order, size). Format 3 is the first with this
// checksum; files of formats 1 and 2 are refused, to be built again.
#include <xxhash.h>

#include <cstddef>
#include <cstring>
#include <exception>
#include <future>

#include "index/cell_index_impl.h"
#include "internal/file_bytes.h"
#include "io/write_all.h"
#include "libgrid/error.h"
#include "libgrid/io/atomic_output.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {
namespace {

constexpr char kMagic[8] = {'L', 'G', 'R', 'I', 'D', 'I', 'D', 'X'};
constexpr std::uint32_t kVersion = 3;
constexpr std::uint32_t kByteOrder = 0x01020304;
constexpr std::size_t kAlignment = 64;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t byte_order;
  std::uint64_t file_size;
  std::uint64_t checksum;
  std::uint64_t grid_set_fingerprint;
  std::uint32_t level_count;
  std::uint32_t section_count;
  std::uint64_t cell_count;
  unsigned char reserved[72];
};
static_assert(sizeof(Header) == 128);
// The checksum covers every byte after itself.
constexpr std::size_t kChecksummedFrom = offsetof(Header, checksum) + sizeof(Header::checksum);
static_assert(kChecksummedFrom == 32);

std::uint64_t checksum_of(const unsigned char* file, std::size_t size) {
  return XXH3_64bits(file + kChecksummedFrom, size - kChecksummedFrom);
}

struct SectionEntry {
  std::uint32_t id;
  std::uint32_t element_size;
  std::uint64_t offset;
  std::uint64_t count;
};
static_assert(sizeof(SectionEntry) == 24);

enum Section : std::uint32_t {
  kText = 1,
  kParent,
  kLevel,
  kVertices,
  kCellBands,
  kBandOffsets,
  kBandEdges,
  kTreeLevels,
  kTop,
  kNodes,
  kCandidates,
  kVersionStarts,
  kEarlierTrees,  // then kTreeSections per earlier version: levels, top, nodes, candidates
};
constexpr std::uint32_t kTreeSections = 4;

std::size_t aligned(std::size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

class FileWriter {
 public:
  template <typename T>
  void add(std::uint32_t id, const T* data, std::size_t count) {
    sections_.push_back({id, sizeof(T), 0, count});
    payloads_.emplace_back(reinterpret_cast<const unsigned char*>(data), count * sizeof(T));
  }

  std::vector<unsigned char> assemble(Header header) const {
    std::size_t at = aligned(sizeof(Header) + sections_.size() * sizeof(SectionEntry));
    std::vector<SectionEntry> table = sections_;
    for (std::size_t i = 0; i < table.size(); ++i) {
      table[i].offset = at;
      at = aligned(at + payloads_[i].second);
    }
    std::vector<unsigned char> bytes(at, 0);
    header.file_size = at;
    header.section_count = static_cast<std::uint32_t>(table.size());
    std::memcpy(bytes.data() + sizeof header, table.data(), table.size() * sizeof(SectionEntry));
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (payloads_[i].second > 0) {
        std::memcpy(bytes.data() + table[i].offset, payloads_[i].first, payloads_[i].second);
      }
    }
    std::memcpy(bytes.data(), &header, sizeof header);  // the checksum covers its later fields
    header.checksum = checksum_of(bytes.data(), bytes.size());
    std::memcpy(bytes.data(), &header, sizeof header);
    return bytes;
  }

 private:
  std::vector<SectionEntry> sections_;
  std::vector<std::pair<const unsigned char*, std::size_t>> payloads_;
};

template <typename T>
void add_array(FileWriter& w, std::uint32_t id, const internal::FlatArray<T>& a) {
  w.add(id, a.data(), a.size());
}

class FileReader {
 public:
  FileReader(std::shared_ptr<const internal::FileBytes> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path_}, what);
  }

  Header header() const {
    if (file_->size() < sizeof(Header)) fail("not a libgrid index: truncated header");
    Header h;
    std::memcpy(&h, file_->data(), sizeof h);
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) fail("not a libgrid index file");
    if (h.byte_order != kByteOrder) fail("index written on a machine of another byte order");
    if (h.version != kVersion) {
      fail("index written by " + std::string(h.version < kVersion ? "an older" : "a newer") +
           " version of libgrid (file format " + std::to_string(h.version) +
           ", this version reads format " + std::to_string(kVersion) +
           "): build the index again with this version");
    }
    if (h.file_size != file_->size()) {
      fail("truncated or extended index: " + std::to_string(file_->size()) +
           " bytes where the header says " + std::to_string(h.file_size));
    }
    const bool sections_fit = h.section_count >= kVersionStarts &&
                              (h.section_count - kVersionStarts) % kTreeSections == 0;
    if (!sections_fit ||
        sizeof(Header) + std::uint64_t{h.section_count} * sizeof(SectionEntry) > h.file_size) {
      fail("corrupted index: bad section table");
    }
    return h;
  }

  bool checksum_matches(const Header& h) const {
    return checksum_of(file_->data(), file_->size()) == h.checksum;
  }

  template <typename T>
  internal::FlatArray<T> array(std::uint32_t id) const {
    SectionEntry e;
    std::memcpy(&e, file_->data() + sizeof(Header) + (id - 1) * sizeof(SectionEntry), sizeof e);
    if (e.id != id || e.element_size != sizeof(T) || e.offset % alignof(T) != 0 ||
        e.offset > file_->size() || e.count > (file_->size() - e.offset) / sizeof(T)) {
      fail("corrupted index: bad section " + std::to_string(id));
    }
    return internal::FlatArray<T>::view(reinterpret_cast<const T*>(file_->data() + e.offset),
                                        e.count);
  }

 private:
  std::shared_ptr<const internal::FileBytes> file_;
  std::string path_;
};

// Every index a lookup follows stays inside its array: checked once at load, so that even a
// file that passed its checksum by accident cannot make a lookup read outside the file.
struct IndexArrays {
  int level_count;
  const internal::FlatArray<CellId>& parent;
  const internal::FlatArray<std::int32_t>& level;
  const internal::BandedEdges& edges;
  const internal::LevelQuadtrees& trees;
};

void check_structure(const IndexArrays& m, const FileReader& r) {
  const std::size_t cells = m.parent.size();
  if (m.level.size() != cells || m.edges.cells.size() != cells ||
      m.trees.levels.size() != static_cast<std::size_t>(m.level_count)) {
    r.fail("corrupted index: inconsistent counts");
  }
  for (std::size_t i = 0; i < cells; ++i) {
    if (m.level[i] < 0 || m.level[i] >= m.level_count || m.parent[i] < -1 ||
        m.parent[i] >= static_cast<CellId>(i)) {
      r.fail("corrupted index: bad cell " + std::to_string(i));
    }
    const internal::CellBands& c = m.edges.cells[i];
    if (c.bands == 0 || std::uint64_t{c.first_band} + c.bands + 1 > m.edges.band_offsets.size()) {
      r.fail("corrupted index: bad bands of cell " + std::to_string(i));
    }
  }
  const auto& offsets = m.edges.band_offsets;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    if (offsets[i] > m.edges.band_edges.size() || (i > 0 && offsets[i] < offsets[i - 1])) {
      r.fail("corrupted index: bad band offsets");
    }
  }
  for (std::size_t i = 0; i < m.edges.band_edges.size(); ++i) {
    if (std::uint64_t{m.edges.band_edges[i]} + 1 >= m.edges.vertices.size()) {
      r.fail("corrupted index: bad edge");
    }
  }
  // Candidate lists lie back to back, each its length and then its cells: read once, so that
  // entries need only name the start of one.
  const auto& lists = m.trees.candidates;
  std::vector<std::uint64_t> list_starts(lists.size() / 64 + 1, 0);  // a bit per position
  for (std::size_t at = 0; at < lists.size();) {
    const std::uint64_t n = lists[at];
    if (at + n >= lists.size()) r.fail("corrupted index: bad candidate list");
    for (std::uint64_t k = 1; k <= n; ++k) {
      if (lists[at + k] >= cells) r.fail("corrupted index: bad candidate list");
    }
    list_starts[at / 64] |= std::uint64_t{1} << (at % 64);
    at += n + 1;
  }
  // Tens of millions of entries in a large index, of kinds in no order: checked without a
  // branch on the kind (a payload below its kind's limit; a candidate list's start marked), a
  // block at a time.
  const std::uint64_t limit[4] = {m.trees.nodes.size() >= 4 ? m.trees.nodes.size() - 3 : 0, cells,
                                  lists.size(), ~std::uint64_t{0}};
  auto entries_valid = [&](const internal::FlatArray<std::uint32_t>& entries, std::size_t begin,
                           std::size_t end) {
    constexpr std::size_t kBlock = 4096;
    for (std::size_t first = begin; first < end; first += kBlock) {
      const std::size_t last = std::min(end, first + kBlock);
      std::uint64_t valid = 1;
      for (std::size_t i = first; i < last; ++i) {
        const std::uint32_t e = entries[i];
        const std::uint32_t kind = e >> 30;
        const std::uint64_t payload = internal::leaf_payload(e);
        // Other kinds read position 0's bit and ignore it.
        const std::uint64_t at = kind == 2 && payload < lists.size() ? payload : 0;
        valid &= static_cast<std::uint64_t>(payload < limit[kind]) &
                 ((list_starts[at / 64] >> (at % 64)) | static_cast<std::uint64_t>(kind != 2));
      }
      if ((valid & 1u) == 0) return false;
    }
    return true;
  };
  for (std::size_t l = 0; l < m.trees.levels.size(); ++l) {
    const internal::QuadtreeLevel& q = m.trees.levels[l];
    if (q.span == 0.0) continue;  // an empty level: every point reads as outside
    const std::uint64_t side = std::uint64_t{1} << std::min<std::uint32_t>(q.top_bits, 31);
    if (q.top_bits > 15 || q.top_bits + q.depth_bits > 30 ||
        q.span != std::ldexp(1.0, static_cast<int>(q.top_bits + q.depth_bits)) ||
        !(q.scale > 0.0) || q.first_top + side * side > m.trees.top.size()) {
      r.fail("corrupted index: bad quadtree of level " + std::to_string(l));
    }
  }
  // The nodes are most of the work: half of them on another thread.
  const auto& nodes = m.trees.nodes;
  const std::size_t half = nodes.size() / 2;
  std::future<bool> second_half =
      std::async(std::launch::async, [&] { return entries_valid(nodes, half, nodes.size()); });
  const bool top_valid = entries_valid(m.trees.top, 0, m.trees.top.size());
  const bool first_half_valid = entries_valid(nodes, 0, half);
  const bool second_half_valid = second_half.get();
  if (!top_valid) r.fail("corrupted index: bad quadtree entry");
  if (!first_half_valid || !second_half_valid) r.fail("corrupted index: bad quadtree node");
}

}  // namespace

void CellIndex::save(const std::string& path) const {
  const Impl& m = *impl_;
  if (!m.accelerated) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "only an accelerated index can be saved");
  }
  std::string text = m.crs;
  for (const auto& name : m.level_names) text += '\0' + name;
  FileWriter w;
  w.add(kText, text.data(), text.size());
  add_array(w, kParent, m.parent);
  add_array(w, kLevel, m.level);
  add_array(w, kVertices, m.edges.vertices);
  add_array(w, kCellBands, m.edges.cells);
  add_array(w, kBandOffsets, m.edges.band_offsets);
  add_array(w, kBandEdges, m.edges.band_edges);
  add_array(w, kTreeLevels, m.trees.levels);
  add_array(w, kTop, m.trees.top);
  add_array(w, kNodes, m.trees.nodes);
  add_array(w, kCandidates, m.trees.candidates);
  add_array(
      w, kVersionStarts,
      internal::FlatArray<LocalMinutes>::view(m.version_starts.data(), m.version_starts.size()));
  std::uint32_t id = kEarlierTrees;
  for (const auto& version : m.earlier) {
    add_array(w, id++, version->trees.levels);
    add_array(w, id++, version->trees.top);
    add_array(w, id++, version->trees.nodes);
    add_array(w, id++, version->trees.candidates);
  }
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kVersion;
  header.byte_order = kByteOrder;
  header.grid_set_fingerprint = m.grid_set_fingerprint;
  header.level_count = static_cast<std::uint32_t>(m.level_count);
  header.cell_count = m.parent.size();
  const std::vector<unsigned char> bytes = w.assemble(header);

  AtomicOutput output(path, {}, AtomicOutput::Temporary::kUnnamed);
  if (const int error = internal::write_file(output.temporary_path(), bytes.data(), bytes.size())) {
    throw Error(ErrorKind::kIo, Location{.file = path},
                std::string("cannot write the index: ") + std::strerror(error));
  }
  output.commit();
}

CellIndex CellIndex::load(const std::string& path, const LoadOptions& options) {
  auto file = options.map_file ? internal::FileBytes::map(path) : internal::FileBytes::copy(path);
  const FileReader r(file, path);
  const Header h = r.header();
  if (options.expected_checksum != 0 && h.checksum != options.expected_checksum) {
    r.fail(
        "the index file has changed since it was first loaded: copy the same file to every "
        "machine, or start again with the new one");
  }
  // The checksum and the structure check each read the whole file: on two cores at once. A
  // checksum mismatch is the error reported, whatever else was found wrong.
  std::future<bool> checksum =
      std::async(std::launch::async, [&r, &h] { return r.checksum_matches(h); });
  auto read_arrays = [&r, &h](Impl& m) {
    m.level_count = static_cast<int>(h.level_count);
    m.grid_set_fingerprint = h.grid_set_fingerprint;
    m.file_checksum = h.checksum;
    const auto text = r.array<char>(kText);
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\0') {
        parts.emplace_back();
      } else {
        parts.back() += text[i];
      }
    }
    if (parts.size() != h.level_count + 1) r.fail("corrupted index: bad level names");
    m.crs = parts[0];
    m.level_names.assign(parts.begin() + 1, parts.end());
    m.parent = r.array<CellId>(kParent);
    m.level = r.array<std::int32_t>(kLevel);
    m.edges.vertices = r.array<Point>(kVertices);
    m.edges.cells = r.array<internal::CellBands>(kCellBands);
    m.edges.band_offsets = r.array<std::uint32_t>(kBandOffsets);
    m.edges.band_edges = r.array<std::uint32_t>(kBandEdges);
    m.trees.levels = r.array<internal::QuadtreeLevel>(kTreeLevels);
    m.trees.top = r.array<std::uint32_t>(kTop);
    m.trees.nodes = r.array<std::uint32_t>(kNodes);
    m.trees.candidates = r.array<std::uint32_t>(kCandidates);
    if (m.parent.size() != h.cell_count) r.fail("corrupted index: bad cell count");
    m.accelerated = true;
    check_structure({m.level_count, m.parent, m.level, m.edges, m.trees}, r);
    const auto starts = r.array<LocalMinutes>(kVersionStarts);
    const std::size_t earlier = (h.section_count - kVersionStarts) / kTreeSections;
    if (starts.size() != (starts.size() == 0 ? 0 : earlier + 1)) {
      r.fail("corrupted index: bad boundary versions");
    }
    for (std::size_t v = 0; v < starts.size(); ++v) {
      if (v > 0 && starts[v] <= starts[v - 1]) r.fail("corrupted index: bad boundary versions");
      m.version_starts.push_back(starts[v]);
    }
    for (std::size_t v = 0; v < earlier; ++v) {
      auto version = Impl::viewing(m);
      const auto first = static_cast<std::uint32_t>(kEarlierTrees + v * kTreeSections);
      version->trees.levels = r.array<internal::QuadtreeLevel>(first);
      version->trees.top = r.array<std::uint32_t>(first + 1);
      version->trees.nodes = r.array<std::uint32_t>(first + 2);
      version->trees.candidates = r.array<std::uint32_t>(first + 3);
      version->accelerated = true;
      check_structure({m.level_count, m.parent, m.level, m.edges, version->trees}, r);
      m.earlier.push_back(std::move(version));
    }
  };
  CellIndex index;
  std::exception_ptr error;
  try {
    read_arrays(*index.impl_);
    index.impl_->file_bytes = file;
  } catch (...) {
    error = std::current_exception();
  }
  if (!checksum.get()) r.fail("corrupted index: checksum mismatch");
  if (error) std::rethrow_exception(error);
  return index;
}

CellIndex CellIndex::load(const std::string& path, const GridSet& grids,
                          const LoadOptions& options) {
  CellIndex index = load(path, options);
  if (index.grid_set_fingerprint() != grids.fingerprint()) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "index built from another grid set (or another version of this one): "
                "build the index again");
  }
  return index;
}

}  // namespace libgrid
