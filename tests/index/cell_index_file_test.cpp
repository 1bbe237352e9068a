#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/io/grid_set_import.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using testing::error_of;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class CellIndexFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::vector<LevelSource> sources = testing::sample_city_sources();
    grids_ = new GridSet(import_grid_set(sources).grids);
    folder_ = new std::string(testing::temporary_folder());
    CellIndex(*grids_).save(*folder_ + "/city.lgi");
  }
  static void TearDownTestSuite() {
    delete grids_;
    delete folder_;
  }
  static std::string saved() { return *folder_ + "/city.lgi"; }

  static GridSet* grids_;
  static std::string* folder_;
};
GridSet* CellIndexFile::grids_ = nullptr;
std::string* CellIndexFile::folder_ = nullptr;

TEST_F(CellIndexFile, LoadedIndexAnswersExactlyAsTheBuiltOne) {
  const CellIndex built(*grids_);
  const CellIndex loaded = CellIndex::load(saved());
  EXPECT_EQ(loaded.level_names(), grids_->levels());
  EXPECT_EQ(loaded.crs(), grids_->crs());
  EXPECT_EQ(loaded.grid_set_fingerprint(), grids_->fingerprint());
  EXPECT_EQ(loaded.cell_count(), grids_->size());
  const Box box = grids_->extent();
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> ux(box.min_x - 100, box.max_x + 100),
      uy(box.min_y - 100, box.max_y + 100);
  std::vector<Point> points;
  for (int i = 0; i < 200000; ++i) points.push_back({ux(rng), uy(rng)});
  for (const Cell& c : grids_->cells()) {
    for (const auto& ring : c.geometry.polygons[0].rings)
      points.insert(points.end(), ring.begin(), ring.end());
  }
  for (const Point p : points) {
    const CellId id = built.lookup(p);
    ASSERT_EQ(loaded.lookup(p), id) << to_wkt(p);
    ASSERT_EQ(loaded.path(id), built.path(id));
  }
}

// Points over the sample city and the cells the built index gives them.
struct Probe {
  std::vector<double> x, y;
  std::vector<CellId> cells;
};

Probe probe(const GridSet& grids) {
  const CellIndex built(grids);
  const Box box = grids.extent();
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> ux(box.min_x, box.max_x), uy(box.min_y, box.max_y);
  Probe p;
  for (int i = 0; i < 20000; ++i) {
    p.x.push_back(ux(rng));
    p.y.push_back(uy(rng));
  }
  p.cells.resize(p.x.size());
  built.lookup(p.x, p.y, p.cells);
  return p;
}

std::vector<CellId> lookup_all(const CellIndex& index, const Probe& p) {
  std::vector<CellId> cells(p.x.size());
  index.lookup(p.x, p.y, cells);
  return cells;
}

TEST_F(CellIndexFile, MappedIndexAnswersAsTheCopiedOne) {
  const Probe p = probe(*grids_);
  const CellIndex mapped = CellIndex::load(saved(), CellIndex::LoadOptions{.map_file = true});
  EXPECT_EQ(lookup_all(mapped, p), p.cells);
  EXPECT_EQ(lookup_all(CellIndex::load(saved()), p), p.cells);
}

// As `cp other.lgi city.lgi` does to a deployed index: the same file, truncated and rewritten.
// A mapped index would die with SIGBUS on its next lookup; a loaded one owns its bytes.
TEST_F(CellIndexFile, LoadedIndexOutlivesItsFileRewrittenInPlace) {
  const std::string live = *folder_ + "/live.lgi";
  std::filesystem::copy_file(saved(), live, std::filesystem::copy_options::overwrite_existing);
  const Probe p = probe(*grids_);
  const CellIndex loaded = CellIndex::load(live);
  write_bytes(live, read_bytes(testing::source_path("data/samples/district.geojson")));
  EXPECT_EQ(lookup_all(loaded, p), p.cells);
  std::filesystem::resize_file(live, 0);
  EXPECT_EQ(lookup_all(loaded, p), p.cells);
  std::filesystem::remove(live);
  EXPECT_EQ(lookup_all(loaded, p), p.cells);
}

TEST_F(CellIndexFile, LoadForAGridSetRefusesAnotherGridSetsIndex) {
  EXPECT_EQ(CellIndex::load(saved(), *grids_).cell_count(), grids_->size());
  GridSet changed;
  for (const auto& level : grids_->levels()) changed.add_level(level);
  for (Cell c : grids_->cells()) {
    if (c.code == grids_->cells().back().code) c.geometry.polygons[0].rings[0][1].x += 1e-9;
    changed.add_cell(std::move(c));
  }
  const Error e = error_of([&] { CellIndex::load(saved(), changed); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            saved() + ": index built from another grid set (or another version of this one): " +
                "build the index again");
}

TEST_F(CellIndexFile, ExpectedChecksumRefusesAFileChangedSinceFirstLoaded) {
  const std::string live = *folder_ + "/expected.lgi";
  std::filesystem::copy_file(saved(), live, std::filesystem::copy_options::overwrite_existing);
  const CellIndex first = CellIndex::load(live);
  EXPECT_NE(first.checksum(), 0u);
  EXPECT_EQ(CellIndex(*grids_).checksum(), 0u);
  CellIndex::LoadOptions same;
  same.expected_checksum = first.checksum();
  EXPECT_EQ(CellIndex::load(live, *grids_, same).checksum(), first.checksum());
  same.map_file = true;
  EXPECT_EQ(CellIndex::load(live, same).checksum(), first.checksum());

  CellIndex::Options finer;
  finer.bands_per_cell = 3;  // the same grid set, saved with other bands: other bytes
  CellIndex(*grids_, finer).save(live);
  EXPECT_NE(CellIndex::load(live).checksum(), first.checksum());
  const Error e = error_of([&] { CellIndex::load(live, *grids_, same); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()),
            live + ": the index file has changed since it was first loaded: copy the same file " +
                "to every machine, or start again with the new one");
  std::filesystem::remove(live);
}

TEST_F(CellIndexFile, FingerprintTellsAnotherGridSet) {
  GridSet other = *grids_;
  EXPECT_EQ(other.fingerprint(), grids_->fingerprint());
  GridSet changed;
  for (const auto& level : grids_->levels()) changed.add_level(level);
  for (Cell c : grids_->cells()) {
    if (c.code == grids_->cells().back().code) c.geometry.polygons[0].rings[0][1].x += 1e-9;
    changed.add_cell(std::move(c));
  }
  EXPECT_NE(changed.fingerprint(), grids_->fingerprint());
}

TEST_F(CellIndexFile, TruncatedAnywhereIsRefusedWithTheFileName) {
  const std::string bytes = read_bytes(saved());
  const std::string cut = *folder_ + "/cut.lgi";
  std::vector<std::size_t> lengths = {0, 1, 7, 8, 64, 127, 128, 129, 300, bytes.size() - 1};
  for (std::size_t k = 1; k < 97; ++k) lengths.push_back(bytes.size() * k / 97);
  for (std::size_t length : lengths) {
    write_bytes(cut, bytes.substr(0, length));
    const Error e = error_of([&] { CellIndex::load(cut); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << length;
    EXPECT_NE(std::string(e.what()).find(cut), std::string::npos) << e.what();
  }
}

TEST_F(CellIndexFile, AnyFlippedByteIsRefused) {
  const std::string bytes = read_bytes(saved());
  const std::string bad = *folder_ + "/flipped.lgi";
  std::mt19937_64 rng(9);
  std::uniform_int_distribution<std::size_t> where(0, bytes.size() - 1);
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < 128; ++i) offsets.push_back(i);  // every header byte
  for (int i = 0; i < 300; ++i) offsets.push_back(where(rng));
  for (std::size_t offset : offsets) {
    std::string copy = bytes;
    copy[offset] = static_cast<char>(copy[offset] ^ (1 << (offset % 8)));
    write_bytes(bad, copy);
    const Error e = error_of([&] { CellIndex::load(bad); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << offset;
  }
}

// The file format as documented: the checksum is the little-endian 64-bit word at offset 24, and
// it is XXH3-64 (seed 0) of every byte from offset 32 to the end of the file.
TEST_F(CellIndexFile, ChecksumIsXxh3OfEveryByteAfterIt) {
  const std::string bytes = read_bytes(saved());
  ASSERT_GT(bytes.size(), 128u);
  std::uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = stored << 8 | static_cast<unsigned char>(bytes[24 + i]);
  EXPECT_EQ(stored, XXH3_64bits(bytes.data() + 32, bytes.size() - 32));
  EXPECT_EQ(CellIndex::load(saved()).checksum(), stored);
}

std::string with_format_version(std::string bytes, std::uint32_t version) {
  for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<char>(version >> (8 * i) & 0xff);
  return bytes;
}

TEST_F(CellIndexFile, IndexOfAnOlderFormatIsRefusedToBeBuiltAgain) {
  const std::string bytes = read_bytes(saved());
  EXPECT_EQ(bytes[8], 3);  // this libgrid writes format 3, the first checksummed with XXH3
  for (const std::uint32_t version : {1u, 2u}) {
    const std::string old = *folder_ + "/format" + std::to_string(version) + ".lgi";
    write_bytes(old, with_format_version(bytes, version));
    const Error e = error_of([&] { CellIndex::load(old); });
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              old + ": index written by an older version of libgrid (file format " +
                  std::to_string(version) +
                  ", this version reads format 3): build the index again with this version");
  }
}

TEST_F(CellIndexFile, OtherVersionForeignAndMissingFiles) {
  const std::string future = *folder_ + "/future.lgi";
  write_bytes(future, with_format_version(read_bytes(saved()), 4));
  EXPECT_STREQ(error_of([&] { CellIndex::load(future); }).what(),
               (future + ": index written by a newer version of libgrid (file format 4, this " +
                "version reads format 3): build the index again with this version")
                   .c_str());
  const std::string geojson = testing::source_path("data/samples/district.geojson");
  EXPECT_STREQ(error_of([&] { CellIndex::load(geojson); }).what(),
               (geojson + ": not a libgrid index file").c_str());
  const Error missing = error_of([&] { CellIndex::load(*folder_ + "/none.lgi"); });
  EXPECT_EQ(missing.kind(), ErrorKind::kIo);
}

TEST_F(CellIndexFile, OnlyTheAcceleratedIndexIsSaved) {
  const CellIndex plain(*grids_, CellIndex::Options{.accelerated = false});
  EXPECT_THROW(plain.save(*folder_ + "/plain.lgi"), Error);
  EXPECT_FALSE(std::filesystem::exists(*folder_ + "/plain.lgi"));
}

// The trees are built a run of rows per core and put together in order: the bytes saved are
// those of one pass, whatever the cores.
TEST_F(CellIndexFile, TheSameGridSetSavesTheSameBytesOnOneCoreOrMore) {
  {
    const tbb::global_control one_core(tbb::global_control::max_allowed_parallelism, 1);
    CellIndex(*grids_).save(*folder_ + "/one_core.lgi");
  }
  const std::string one_core = read_bytes(*folder_ + "/one_core.lgi");
  ASSERT_FALSE(one_core.empty());
  EXPECT_EQ(one_core, read_bytes(saved()));
  const CellIndex compact(*grids_, CellIndex::Options{.compact = true});
  compact.save(*folder_ + "/compact.lgi");
  {
    const tbb::global_control one_core(tbb::global_control::max_allowed_parallelism, 1);
    CellIndex(*grids_, CellIndex::Options{.compact = true}).save(*folder_ + "/compact_one.lgi");
  }
  EXPECT_EQ(read_bytes(*folder_ + "/compact_one.lgi"), read_bytes(*folder_ + "/compact.lgi"));
}

}  // namespace
}  // namespace libgrid
