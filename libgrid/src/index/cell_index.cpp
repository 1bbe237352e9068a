#include "libgrid/index/cell_index.h"

#include <algorithm>

#include "index/cell_index_impl.h"
#include "libgrid/error.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/parallel_for.h"

namespace libgrid {
void CellIndex::Impl::build_search(const GridSet& grids, const std::vector<char>& in_force,
                                   const Options& options) {
  auto wanted = [&in_force](std::size_t i) { return in_force.empty() || in_force[i] != 0; };
  std::vector<std::vector<RValue>> boxes(static_cast<std::size_t>(level_count));
  std::vector<Box> extent(static_cast<std::size_t>(level_count));
  std::vector<std::size_t> count(static_cast<std::size_t>(level_count), 0);
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const Cell& cell = grids.cells()[i];
    const Box b = envelope(cell.geometry);
    if (b.empty() || !wanted(i)) continue;
    const auto l = static_cast<std::size_t>(cell.level);
    boxes[l].emplace_back(RBox(RPoint(b.min_x, b.min_y), RPoint(b.max_x, b.max_y)),
                          static_cast<CellId>(i));
    extent[l].expand(b);
    ++count[l];
  }
  for (auto& level_boxes : boxes) rtrees.emplace_back(level_boxes.begin(), level_boxes.end());
  if (!options.accelerated) return;

  std::vector<std::vector<internal::QuadtreeEdge>> level_edges(
      static_cast<std::size_t>(level_count));
  for (std::size_t i = 0; i < grids.size(); ++i) {
    if (!wanted(i)) continue;
    const Cell& cell = grids.cells()[i];
    auto& out = level_edges[static_cast<std::size_t>(cell.level)];
    for (const auto& polygon : cell.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
          out.push_back({ring[k], ring[k + 1], static_cast<CellId>(i)});
        }
      }
    }
  }
  internal::QuadtreeOptions tree_options;
  if (options.compact) tree_options.boundary_depth_bits = 1;
  trees = internal::build_level_quadtrees(
      level_edges, extent, count, [this](int lvl, Point p) { return holders(lvl, p); },
      [this](CellId cell, Point p) { return edges.holds(cell, p); }, tree_options);
  accelerated = true;
  rtrees.clear();  // the trees answer everything from here on
}

CellIndex::CellIndex(const GridSet& grids, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.level_count = static_cast<int>(grids.levels().size());
  m.level_names = grids.levels();
  m.crs = grids.crs();
  m.grid_set_fingerprint = grids.fingerprint();
  m.sort_batches_from_bytes = options.sort_batches_from_bytes;
  std::vector<CellId> parent;
  std::vector<std::int32_t> level;
  for (const Cell& cell : grids.cells()) {
    parent.push_back(cell.parent);
    level.push_back(cell.level);
  }
  m.parent = internal::FlatArray<CellId>(std::move(parent));
  m.level = internal::FlatArray<std::int32_t>(std::move(level));
  m.edges = internal::BandedEdges::build(grids, options.bands_per_cell);
  if (!grids.has_versions()) {
    m.build_search(grids, {}, options);
    return;
  }
  // One cell table and one set of edges for every version; trees per version.
  const auto& versions = grids.versions();
  for (std::size_t v = 0; v < versions.size(); ++v) {
    std::vector<char> in_force(grids.size(), 0);
    for (const CellId id : versions[v].cells) in_force[static_cast<std::size_t>(id)] = 1;
    m.version_starts.push_back(versions[v].effective_minutes());
    if (v + 1 == versions.size()) {
      m.build_search(grids, in_force, options);
    } else {
      m.earlier.push_back(Impl::viewing(m));
      m.earlier.back()->build_search(grids, in_force, options);
    }
  }
}

namespace {

// The points' indices in the row-major order of the finest level's top-grid cells, in which
// the trees are laid out. A radix sort of (cell, index) words: every pass reads in sequence.
std::vector<std::uint32_t> top_cell_order(std::span<const double> x, std::span<const double> y,
                                          const internal::QuadtreeLevel& q) {
  const std::size_t n = x.size();
  std::vector<std::uint64_t> words(n), sorted(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double fx = (x[i] - q.origin_x) * q.scale;
    const double fy = (y[i] - q.origin_y) * q.scale;
    const bool inside = fx >= 0.0 && fy >= 0.0 && fx < q.span && fy < q.span;
    const std::uint64_t cell =
        inside ? ((static_cast<std::uint32_t>(fy) >> q.depth_bits) << q.top_bits) |
                     (static_cast<std::uint32_t>(fx) >> q.depth_bits)
               : 0;
    words[i] = (cell << 32) | i;
  }
  std::vector<std::size_t> counts(2048 + 1);
  for (int shift = 32; shift < 54; shift += 11) {  // 2^11 x 2^11 is the largest top grid
    std::fill(counts.begin(), counts.end(), 0);
    for (const std::uint64_t w : words) ++counts[((w >> shift) & 2047) + 1];
    for (std::size_t k = 1; k < counts.size(); ++k) counts[k] += counts[k - 1];
    for (const std::uint64_t w : words) sorted[counts[(w >> shift) & 2047]++] = w;
    words.swap(sorted);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(words[i]);
  return order;
}

}  // namespace

CellIndex::CellIndex() : impl_(std::make_unique<Impl>()) {}
CellIndex::~CellIndex() = default;
CellIndex::CellIndex(CellIndex&&) noexcept = default;
CellIndex& CellIndex::operator=(CellIndex&&) noexcept = default;

CellId CellIndex::lookup(Point p) const { return impl_->lookup(p); }

void CellIndex::Impl::lookup_batch(std::span<const double> x, std::span<const double> y,
                                   std::span<CellId> out, std::size_t index_bytes,
                                   int threads) const {
  // Below a few thousand points a thread costs more than it saves.
  parallel_for(x.size(), threads, 4096, [&](std::size_t begin, std::size_t end) {
    // Visited in the order of their top-grid cell, points read the trees (laid out in that
    // order) almost sequentially, and neighbours share edges while they are in cache. A small
    // index gains nothing from the sort and pays for it.
    if (!accelerated || level_count == 0) {
      for (std::size_t i = begin; i < end; ++i) out[i] = lookup({x[i], y[i]});
      return;
    }
    if (end - begin < 4096 || index_bytes < sort_batches_from_bytes) {
      lookup_interleaved(x.data() + begin, y.data() + begin, nullptr, end - begin,
                         out.data() + begin);
      return;
    }
    const std::size_t n = end - begin;
    const std::vector<std::uint32_t> order =
        top_cell_order(x.subspan(begin, n), y.subspan(begin, n),
                       trees.levels[static_cast<std::size_t>(level_count - 1)]);
    lookup_interleaved(x.data() + begin, y.data() + begin, order.data(), n, out.data() + begin);
  });
}

void CellIndex::lookup(std::span<const double> x, std::span<const double> y, std::span<CellId> out,
                       int threads) const {
  if (x.size() != y.size() || x.size() != out.size()) {
    throw Error(ErrorKind::kInvalidInput, "lookup: x, y and out must have the same length");
  }
  impl_->lookup_batch(x, y, out, memory_bytes(), threads);
}

CellId CellIndex::lookup(Point p, LocalMinutes at) const {
  const int v = impl_->version_at(at);
  if (v < 0) throw before_first_version(at, -1);
  return impl_->of_version(v).lookup(p);
}

Error CellIndex::before_first_version(LocalMinutes at, std::int64_t point) const {
  std::string first = format_local_time(impl_->version_starts.front());
  first = first.substr(0, first.find('T'));
  return Error(ErrorKind::kInvalidInput,
               (point >= 0 ? "point " + std::to_string(point) + ": " : std::string()) + "time " +
                   format_local_time(at) + " is before the first boundary version (" + first + ")");
}

void CellIndex::lookup(std::span<const double> x, std::span<const double> y,
                       std::span<const LocalMinutes> at, std::span<CellId> out, int threads) const {
  if (x.size() != y.size() || x.size() != out.size() || x.size() != at.size()) {
    throw Error(ErrorKind::kInvalidInput, "lookup: x, y, at and out must have the same length");
  }
  const Impl& m = *impl_;
  if (m.version_starts.empty()) {
    m.lookup_batch(x, y, out, memory_bytes(), threads);
    return;
  }
  // Points by version: each version's run is a batch of its own, its points gathered when the
  // batch mixes versions.
  const std::size_t n = x.size();
  std::vector<std::int32_t> version(n);
  std::vector<std::size_t> per_version(m.version_starts.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    version[i] = m.version_at(at[i]);
    if (version[i] < 0) throw before_first_version(at[i], static_cast<std::int64_t>(i));
    ++per_version[static_cast<std::size_t>(version[i])];
  }
  for (std::size_t v = 0; v < per_version.size(); ++v) {
    if (per_version[v] == 0) continue;
    const Impl* version_impl = &m.of_version(static_cast<int>(v));
    if (per_version[v] == n) {
      version_impl->lookup_batch(x, y, out, memory_bytes(), threads);
      return;
    }
    std::vector<double> vx, vy;
    std::vector<std::size_t> where;
    vx.reserve(per_version[v]);
    vy.reserve(per_version[v]);
    where.reserve(per_version[v]);
    for (std::size_t i = 0; i < n; ++i) {
      if (version[i] != static_cast<std::int32_t>(v)) continue;
      vx.push_back(x[i]);
      vy.push_back(y[i]);
      where.push_back(i);
    }
    std::vector<CellId> found(where.size());
    version_impl->lookup_batch(vx, vy, found, memory_bytes(), threads);
    for (std::size_t k = 0; k < where.size(); ++k) out[where[k]] = found[k];
  }
}

int CellIndex::version_at(LocalMinutes at) const { return impl_->version_at(at); }
const std::vector<LocalMinutes>& CellIndex::version_starts() const { return impl_->version_starts; }

CellId CellIndex::lookup_level(Point p, int level) const {
  if (level < 0 || level >= impl_->level_count) return kNoCell;
  return impl_->find_in_level(level, p);
}

std::vector<CellId> CellIndex::cells_holding(Point p, int level) const {
  if (level < 0 || level >= impl_->level_count) return {};
  return impl_->holders(level, p);
}

std::vector<CellId> CellIndex::path(CellId finest) const {
  std::vector<CellId> ids;
  for (CellId c = finest; c != kNoCell; c = impl_->parent[static_cast<std::size_t>(c)]) {
    ids.push_back(c);
  }
  std::reverse(ids.begin(), ids.end());
  return ids;
}

int CellIndex::level_count() const { return impl_->level_count; }
std::size_t CellIndex::cell_count() const { return impl_->parent.size(); }

const std::vector<std::string>& CellIndex::level_names() const { return impl_->level_names; }
const std::string& CellIndex::crs() const { return impl_->crs; }
std::uint64_t CellIndex::grid_set_fingerprint() const { return impl_->grid_set_fingerprint; }
std::uint64_t CellIndex::checksum() const { return impl_->file_checksum; }

std::size_t CellIndex::memory_bytes() const {
  const Impl& m = *impl_;
  std::size_t bytes = m.parent.bytes() + m.level.bytes() + m.edges.bytes() + m.trees.bytes();
  // An R-star tree node holds up to 16 boxes; about 1.5 nodes' worth of space per entry.
  for (const auto& tree : m.rtrees) bytes += tree.size() * (sizeof(RValue) * 3 / 2);
  for (const auto& version : m.earlier) {
    bytes += version->trees.bytes();
    for (const auto& tree : version->rtrees) bytes += tree.size() * (sizeof(RValue) * 3 / 2);
  }
  return bytes;
}

}  // namespace libgrid
