// Point -> cell at every level of a grid set, exactly.
//
// A CellIndex answers "which cell holds this point" under the boundary rule of
// libgrid/geometry/predicates.h: in a level whose cells cover an area without gaps or overlaps,
// every point of that area, on shared edges, shared vertices and hole rings included, is held by
// exactly one cell; points outside are held by none.
//
// One lookup answers all levels: it finds the finest cell holding the point and reads the
// coarser levels from the cells' parents. Where the finest level has no cell at the point, the
// answer is the deepest level that has one.
//
// Where cells of one level overlap (which validation reports), a point held by several of them
// is answered with the lowest cell id, on every path, so answers never depend on the structure.
//
// A grid set of several boundary versions (libgrid/model/boundary_version.h) gives an index of
// all of them: one cell table (the grid set's cell ids) and, per version, trees over the cells
// in force. Lookups given a time answer the version in force then; lookups without one answer the
// latest version.
//
// The index copies what it needs from the GridSet, is immutable once built, and may be used by
// any number of threads at once without locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "libgrid/duty/deadline.h"
#include "libgrid/geometry/point.h"
#include "libgrid/model/cell.h"

namespace libgrid {

class Error;
class GridSet;

class CellIndex {
 public:
  struct Options {
    // Horizontal bands per cell for the edge lists; 0 picks a size from the vertex count.
    int bands_per_cell = 0;
    // An adaptive quadtree per level whose leaves either lie inside one cell (answered with no
    // geometry test) or list the few cells whose edges reach them. Off: an R-tree over cell
    // envelopes chooses the candidates. The answers are identical either way.
    bool accelerated = true;
    // A smaller accelerated index for memory-bound deployments: leaves on a boundary are split
    // one step less. On the 100,000-micro-grid city: 30 instead of 37 bytes per polygon vertex,
    // built in half the time, looked up about 20% slower.
    bool compact = false;
    // Batches are looked up in the order of the points' places in the trees, rather than as
    // given, once the index holds at least this many bytes: far larger than the caches, an index
    // costs a memory round trip per tree step unless neighbouring points come together.
    std::size_t sort_batches_from_bytes = std::size_t{64} << 20;
  };

  explicit CellIndex(const GridSet& grids) : CellIndex(grids, Options{}) {}
  CellIndex(const GridSet& grids, const Options& options);
  ~CellIndex();
  CellIndex(CellIndex&&) noexcept;
  CellIndex& operator=(CellIndex&&) noexcept;

  // How load() holds the file's bytes.
  struct LoadOptions {
    // Off (the default): the file is read into memory the index owns, so nothing done to the
    // file afterwards (rewritten in place, truncated, removed) changes or endangers the index.
    // On: the file is mapped, so that processes loading the same file share one copy of it in
    // the page cache. REQUIRES that nobody writes to the file while the index lives: a read of
    // a mapped page past the end of a truncated file kills the process with SIGBUS, and bytes
    // rewritten in place are read as they are, unchecked. Replace a mapped index by writing the
    // new one under another name and renaming it over the old (save() does), never in place.
    bool map_file = false;
    // When not 0: the checksum the file had when it was first loaded (checksum()); a file that
    // has changed since throws Error(kInvalidInput) naming it, so that every process of a
    // cluster answers with the same index.
    std::uint64_t expected_checksum = 0;
  };

  // Writes the index to a versioned, checksummed file that load() reads in another process or
  // on another machine of the same byte order. Written atomically (temporary file, then rename).
  // REQUIRES: built with Options::accelerated. Throws Error(kIo) on write failure.
  void save(const std::string& path) const;

  // Reads a file written by save(). The whole file is checksummed first: a truncated,
  // corrupted, foreign or other-version file throws Error(kInvalidInput) naming the file and
  // what is wrong; a file that cannot be opened throws Error(kIo). Never reads outside the file.
  static CellIndex load(const std::string& path) { return load(path, LoadOptions{}); }
  static CellIndex load(const std::string& path, const LoadOptions& options);
  // load(), and throws Error(kInvalidInput) naming the file unless the index was built from
  // exactly `grids` (GridSet::fingerprint()): another grid set's index gives wrong cells.
  static CellIndex load(const std::string& path, const GridSet& grids) {
    return load(path, grids, LoadOptions{});
  }
  static CellIndex load(const std::string& path, const GridSet& grids, const LoadOptions& options);

  // The finest cell holding p, or kNoCell when no level holds it.
  CellId lookup(Point p) const;

  // lookup() for many points: out[i] = lookup({x[i], y[i]}). `threads` = 0 uses every core.
  // REQUIRES: x, y and out have the same size.
  void lookup(std::span<const double> x, std::span<const double> y, std::span<CellId> out,
              int threads = 1) const;

  // The finest cell holding p in the boundary version in force at `at` (local time). Throws
  // Error(kInvalidInput) when `at` is before the first version. Without versions: lookup(p).
  CellId lookup(Point p, LocalMinutes at) const;
  // The same for many points, each at its own time; Error names the first point (0-based) whose
  // time is before the first version. REQUIRES: x, y, at and out have the same size.
  void lookup(std::span<const double> x, std::span<const double> y,
              std::span<const LocalMinutes> at, std::span<CellId> out, int threads = 1) const;
  // The boundary versions' starts, earliest first (the smallest LocalMinutes for a first version
  // in force since always); empty for a grid set of one version.
  const std::vector<LocalMinutes>& version_starts() const;
  // The version in force at `at`: -1 before the first, 0 without versions.
  int version_at(LocalMinutes at) const;

  // The cell of exactly `level` holding p, or kNoCell; ignores the other levels.
  CellId lookup_level(Point p, int level) const;

  // Every cell of `level` holding p. More than one only where cells of a level overlap, which
  // validation reports; used to check coverage.
  std::vector<CellId> cells_holding(Point p, int level) const;

  // `finest` and its ancestors, coarsest first, as stored in the grid set.
  std::vector<CellId> path(CellId finest) const;

  int level_count() const;
  std::size_t cell_count() const;
  // The level names and the CRS of the grid set the index was built from.
  const std::vector<std::string>& level_names() const;
  const std::string& crs() const;
  // GridSet::fingerprint() of that grid set.
  std::uint64_t grid_set_fingerprint() const;
  // The checksum recorded in the file the index was loaded from; 0 for an index built here.
  std::uint64_t checksum() const;
  // Bytes of memory the index holds (vertices, edge bands, quadtrees, R-trees).
  std::size_t memory_bytes() const;

 private:
  CellIndex();  // for load()
  Error before_first_version(LocalMinutes at, std::int64_t point) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace libgrid
