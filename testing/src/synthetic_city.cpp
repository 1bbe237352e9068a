#include "libgrid/testing/synthetic_city.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "libgrid/error.h"

// How the city is made:
//  1. A plan: how many children every cell has, bottom up from the micro-grid count, and a size
//     in lattice squares (4-12) for every micro-grid, summed upward.
//  2. A district outline on the lattice: a noisy disc of the planned area, repaired into one
//     4-connected piece without holes or pinch points (squares meeting only at a corner).
//  3. Top down, each cell's squares are split among its children by recursive bisection: two
//     halves grow from seeds, and a half only ever takes a "simple" square, one whose taking
//     changes neither the half's pieces nor its holes nor makes it touch itself at a corner.
//     Then simple moves between neighbours bring sizes to target. Every region is therefore a
//     valid polygon by construction, with no repair afterwards.
//  4. Every region's boundary is traced along the lattice edges into rings.

namespace libgrid::testing {
namespace {

constexpr int kLevels = 5;
constexpr const char* kLevelNames[kLevels] = {"district", "street", "community", "grid",
                                              "microgrid"};
constexpr char kLevelInitials[kLevels] = {'D', 'S', 'C', 'G', 'M'};
constexpr int kFinest = kLevels - 1;
constexpr const char* kDistrictCode = "110119";
constexpr const char* kCrs = "EPSG:4548";

// Children per cell of levels 1-3 (streets, communities, grids); the district takes all streets.
constexpr int kFewestChildren[kLevels] = {0, 8, 6, 5, 0};
constexpr int kMostChildren[kLevels] = {0, 12, 10, 10, 0};
// Lattice squares per micro-grid.
constexpr int kSmallestMicrogrid = 4;
constexpr int kLargestMicrogrid = 12;
// Micro-grids with a hole: one in this many.
constexpr int kMicrogridsPerHole = 200;

// Node jitter, as a fraction of the spacing. Below 0.25 every jittered square stays strictly
// convex, which leaves room for the points along its edges.
constexpr double kJitter = 0.2;
// Largest sideways offset of a point along an edge, as a fraction of its segment's length.
constexpr double kEdgeBend = 0.1;

// Divisions tried per cell when one comes out lopsided or stuck; the best is kept.
constexpr int kAttempts = 8;
// Frontier squares a growing half chooses among.
constexpr int kTournament = 3;
// Largest turn of a bisection's axis away from the long axis of what it cuts (tan of the angle).
constexpr double kTurn = 0.5;
// Balancing rounds after each bisection and after each division.
constexpr int kBisectRounds = 20;
constexpr int kDivisionRounds = 200;

// ---------------------------------------------------------------------------------------------
// Randomness. The standard distributions differ between standard libraries and the city must
// not, so the bounded draws are our own.

std::uint64_t mix64(std::uint64_t z) {  // splitmix64's finaliser
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256**, one independent stream per seed and keys.
class Rng {
 public:
  explicit Rng(std::uint64_t seed, std::uint64_t a = 0, std::uint64_t b = 0, std::uint64_t c = 0,
               std::uint64_t d = 0) {
    std::uint64_t x = mix64(seed);
    for (std::uint64_t key : {a, b, c, d}) x = mix64(x ^ mix64(key + 0x632be59bd9b4e019ULL));
    for (auto& word : s_) {
      x = mix64(x);
      word = x;
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }
  // In [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // In [0, n). REQUIRES: 0 < n < 2^32.
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // In [lo, hi].
  int between(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1)));
  }

 private:
  std::array<std::uint64_t, 4> s_{};
};

// One stream of randomness per stage, so that a change to one stage leaves the others alone.
enum Stream : std::uint64_t {
  kPlanStream = 1,
  kOutlineStream,
  kNodeStream,
  kEdgeStream,
  kDivisionStream,
  kHoleStream,
  kHouseholdStream,
};

// ---------------------------------------------------------------------------------------------
// The plan.

// Sizes in [lo, hi] that sum to `total` (a smaller last one only when nothing has room).
std::vector<int> group_sizes(int total, int lo, int hi, Rng& rng) {
  std::vector<int> sizes;
  for (int left = total; left > 0;) {
    const int size = std::min(left, rng.between(lo, hi));
    sizes.push_back(size);
    left -= size;
  }
  if (sizes.size() > 1 && sizes.back() < lo) {
    int extra = sizes.back();
    sizes.pop_back();
    for (std::size_t k = sizes.size(); extra > 0 && k-- > 0;) {
      const int add = std::min(hi - sizes[k], extra);
      sizes[k] += add;
      extra -= add;
    }
    if (extra > 0) sizes.push_back(extra);
  }
  return sizes;
}

struct PlanLevel {
  std::vector<double> squares;   // planned size of each node
  std::vector<int> first_child;  // children of node n: first_child[n] .. first_child[n + 1] - 1
};
using Plan = std::array<PlanLevel, kLevels>;

Plan make_plan(const SyntheticCityOptions& options) {
  Rng rng(options.seed, kPlanStream);
  Plan plan;
  for (int m = 0; m < options.microgrids; ++m) {
    plan[kFinest].squares.push_back(rng.between(kSmallestMicrogrid, kLargestMicrogrid));
  }
  for (int level = kFinest - 1; level >= 0; --level) {
    const auto children = static_cast<int>(plan[level + 1].squares.size());
    const std::vector<int> sizes =
        level == 0 ? std::vector<int>{children}
                   : group_sizes(children, kFewestChildren[level], kMostChildren[level], rng);
    PlanLevel& here = plan[level];
    here.first_child.push_back(0);
    for (int size : sizes) {
      const int first = here.first_child.back();
      double sum = 0.0;
      for (int c = first; c < first + size; ++c) sum += plan[level + 1].squares[c];
      here.squares.push_back(sum);
      here.first_child.push_back(first + size);
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// The district outline.

double lattice_value(std::int64_t gx, std::int64_t gy, std::uint64_t seed) {
  const std::uint64_t h =
      mix64(seed ^ mix64(static_cast<std::uint64_t>(gx) * 0x9e3779b97f4a7c15ULL ^
                         static_cast<std::uint64_t>(gy)));
  return static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
}

// Smooth value noise in [-1, 1], by arithmetic only, so that it is the same everywhere.
double value_noise(double x, double y, std::uint64_t seed) {
  const double fx = std::floor(x), fy = std::floor(y);
  const auto gx = static_cast<std::int64_t>(fx), gy = static_cast<std::int64_t>(fy);
  const double tx = x - fx, ty = y - fy;
  const double sx = tx * tx * (3.0 - 2.0 * tx), sy = ty * ty * (3.0 - 2.0 * ty);
  const double v00 = lattice_value(gx, gy, seed), v10 = lattice_value(gx + 1, gy, seed);
  const double v01 = lattice_value(gx, gy + 1, seed), v11 = lattice_value(gx + 1, gy + 1, seed);
  const double south = v00 + sx * (v10 - v00), north = v01 + sx * (v11 - v01);
  return south + sy * (north - south);
}

// Squares of a w x h box, square (i, j) at j * w + i.
struct Mask {
  int w = 0, h = 0;
  std::vector<std::uint8_t> in;

  std::size_t count() const {
    return static_cast<std::size_t>(std::count(in.begin(), in.end(), 1));
  }
};

// The squares reachable from `starts` through 4-connected squares whose `in` is `value`.
std::vector<std::uint8_t> flood(const Mask& mask, const std::vector<int>& starts,
                                std::uint8_t value) {
  std::vector<std::uint8_t> seen(mask.in.size(), 0);
  std::vector<int> stack;
  const auto visit = [&](int s) {
    if (mask.in[s] == value && !seen[s]) {
      seen[s] = 1;
      stack.push_back(s);
    }
  };
  for (int s : starts) visit(s);
  while (!stack.empty()) {
    const int s = stack.back();
    stack.pop_back();
    const int i = s % mask.w, j = s / mask.w;
    if (i + 1 < mask.w) visit(s + 1);
    if (i > 0) visit(s - 1);
    if (j + 1 < mask.h) visit(s + mask.w);
    if (j > 0) visit(s - mask.w);
  }
  return seen;
}

// Makes the mask one 4-connected piece with no holes and no pinch points.
void repair_outline(Mask& mask) {
  for (bool changed = true; changed;) {
    changed = false;
    // Keep the largest piece.
    std::vector<std::uint8_t> done(mask.in.size(), 0), largest;
    std::size_t largest_size = 0;
    for (int s = 0; s < static_cast<int>(mask.in.size()); ++s) {
      if (!mask.in[s] || done[s]) continue;
      std::vector<std::uint8_t> piece = flood(mask, {s}, 1);
      std::size_t size = 0;
      for (std::size_t k = 0; k < piece.size(); ++k) {
        if (piece[k]) {
          done[k] = 1;
          ++size;
        }
      }
      if (size > largest_size) {
        largest_size = size;
        largest = std::move(piece);
      }
    }
    for (std::size_t k = 0; k < mask.in.size(); ++k) {
      if (mask.in[k] && !largest[k]) mask.in[k] = 0;
    }
    // Fill holes: outside squares not reached from the rim of the box.
    std::vector<int> rim;
    for (int i = 0; i < mask.w; ++i) {
      rim.push_back(i);
      rim.push_back((mask.h - 1) * mask.w + i);
    }
    for (int j = 0; j < mask.h; ++j) {
      rim.push_back(j * mask.w);
      rim.push_back(j * mask.w + mask.w - 1);
    }
    const std::vector<std::uint8_t> outside = flood(mask, rim, 0);
    for (std::size_t k = 0; k < mask.in.size(); ++k) {
      if (!mask.in[k] && !outside[k]) {
        mask.in[k] = 1;
        changed = true;
      }
    }
    // Fill one of the two open squares at each pinch point.
    for (int j = 1; j < mask.h; ++j) {
      for (int i = 1; i < mask.w; ++i) {
        const int sw = (j - 1) * mask.w + i - 1, se = sw + 1, nw = sw + mask.w, ne = nw + 1;
        if (mask.in[sw] && mask.in[ne] && !mask.in[se] && !mask.in[nw]) {
          mask.in[se] = 1;
          changed = true;
        } else if (mask.in[se] && mask.in[nw] && !mask.in[sw] && !mask.in[ne]) {
          mask.in[sw] = 1;
          changed = true;
        }
      }
    }
  }
}

// A disc of `radius` squares whose edge value noise pushes in and out into lobes and bays,
// repaired, and cropped with an empty margin of 2 squares (so that the 8 neighbours of every
// district square lie in the box).
Mask outline(double radius, std::uint64_t seed) {
  constexpr double kWobble = 0.6;
  constexpr int kMargin = 2;
  const int half = static_cast<int>(std::ceil(radius * std::sqrt(1.0 + kWobble))) + kMargin + 1;
  Mask mask;
  mask.w = mask.h = 2 * half;
  mask.in.assign(static_cast<std::size_t>(mask.w) * static_cast<std::size_t>(mask.h), 0);
  const std::uint64_t coarse = mix64(seed ^ 1), fine = mix64(seed ^ 2);
  int i0 = mask.w, j0 = mask.h, i1 = -1, j1 = -1;
  for (int j = 0; j < mask.h; ++j) {
    for (int i = 0; i < mask.w; ++i) {
      const double u = (i + 0.5 - half) / radius, v = (j + 0.5 - half) / radius;
      const double noise =
          0.7 * value_noise(u / 0.5, v / 0.5, coarse) + 0.3 * value_noise(u / 0.2, v / 0.2, fine);
      mask.in[j * mask.w + i] = u * u + v * v + kWobble * noise < 1.0;
    }
  }
  repair_outline(mask);
  for (int j = 0; j < mask.h; ++j) {
    for (int i = 0; i < mask.w; ++i) {
      if (!mask.in[j * mask.w + i]) continue;
      i0 = std::min(i0, i);
      j0 = std::min(j0, j);
      i1 = std::max(i1, i);
      j1 = std::max(j1, j);
    }
  }
  Mask cropped;
  cropped.w = i1 - i0 + 1 + 2 * kMargin;
  cropped.h = j1 - j0 + 1 + 2 * kMargin;
  cropped.in.assign(static_cast<std::size_t>(cropped.w) * static_cast<std::size_t>(cropped.h), 0);
  for (int j = j0; j <= j1; ++j) {
    for (int i = i0; i <= i1; ++i) {
      cropped.in[(j - j0 + kMargin) * cropped.w + (i - i0 + kMargin)] = mask.in[j * mask.w + i];
    }
  }
  return cropped;
}

// An outline of about `squares` squares. The noise scales with the radius, so the area goes
// nearly with its square and a few rescalings converge.
Mask district_outline(double squares, std::uint64_t seed) {
  double radius = std::sqrt(squares / 3.141592653589793);
  Mask mask = outline(radius, seed);
  for (int round = 0; round < 3; ++round) {
    const double ratio = squares / static_cast<double>(mask.count());
    if (std::abs(ratio - 1.0) < 0.002) break;
    radius *= std::sqrt(ratio);
    mask = outline(radius, seed);
  }
  return mask;
}

// ---------------------------------------------------------------------------------------------
// The lattice: node coordinates and the points along edges, each computed once.

struct Lattice {
  int w = 0, h = 0;  // squares
  int points_per_edge = 0;
  std::vector<Point> nodes;         // (w + 1) * (h + 1)
  std::vector<Point> east_points;   // points_per_edge per edge node(i, j) -> node(i + 1, j)
  std::vector<Point> north_points;  // points_per_edge per edge node(i, j) -> node(i, j + 1)

  int node(int i, int j) const { return j * (w + 1) + i; }
};

// Coordinates as a surveyor would write them.
double to_centimetre(double v) { return std::round(v * 100.0) / 100.0; }

Lattice make_lattice(const Mask& mask, const SyntheticCityOptions& options) {
  Lattice lattice;
  lattice.w = mask.w;
  lattice.h = mask.h;
  const int p = lattice.points_per_edge = options.points_per_edge;
  const double size = options.cell_size;
  Rng rng(options.seed, kNodeStream);
  lattice.nodes.resize(static_cast<std::size_t>(mask.w + 1) * static_cast<std::size_t>(mask.h + 1));
  for (int j = 0; j <= mask.h; ++j) {
    for (int i = 0; i <= mask.w; ++i) {
      const double x =
          options.origin.x + (i - mask.w / 2.0 + rng.uniform(-kJitter, kJitter)) * size;
      const double y =
          options.origin.y + (j - mask.h / 2.0 + rng.uniform(-kJitter, kJitter)) * size;
      lattice.nodes[lattice.node(i, j)] = {to_centimetre(x), to_centimetre(y)};
    }
  }
  // Points at k / (p + 1) of the way, each moved sideways by a little of its segment's length:
  // the edge stays a graph over its chord, close to it, so it crosses neither itself nor the
  // square's other edges.
  Rng bend(options.seed, kEdgeStream);
  const auto fill = [&](Point a, Point b, Point* out) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length = std::sqrt(dx * dx + dy * dy);
    const double nx = -dy / length, ny = dx / length;
    for (int k = 1; k <= p; ++k) {
      const double t = static_cast<double>(k) / (p + 1);
      const double off = bend.uniform(-kEdgeBend, kEdgeBend) * length / (p + 1);
      out[k - 1] = {to_centimetre(a.x + t * dx + off * nx), to_centimetre(a.y + t * dy + off * ny)};
    }
  };
  if (p == 0) return lattice;
  const auto up = static_cast<std::size_t>(p);
  lattice.east_points.resize(static_cast<std::size_t>(mask.w) * (mask.h + 1) * up);
  lattice.north_points.resize(static_cast<std::size_t>(mask.w + 1) * mask.h * up);
  for (int j = 0; j <= mask.h; ++j) {
    for (int i = 0; i < mask.w; ++i) {
      fill(lattice.nodes[lattice.node(i, j)], lattice.nodes[lattice.node(i + 1, j)],
           &lattice.east_points[static_cast<std::size_t>(j * mask.w + i) * up]);
    }
  }
  for (int j = 0; j < mask.h; ++j) {
    for (int i = 0; i <= mask.w; ++i) {
      fill(lattice.nodes[lattice.node(i, j)], lattice.nodes[lattice.node(i, j + 1)],
           &lattice.north_points[static_cast<std::size_t>(j * (mask.w + 1) + i) * up]);
    }
  }
  return lattice;
}

// ---------------------------------------------------------------------------------------------
// Division of a cell's squares among its children.

// The 8 neighbours of a square in circular order N, NE, E, SE, S, SW, W, NW; even positions
// share a side with it.
std::array<int, 8> ring_offsets(int w) { return {w, w + 1, 1, 1 - w, -w, -w - 1, -1, w - 1}; }

// kSimple[m], for the neighbours m (bit k for position k) that belong to a region: adding the
// square to the region, or taking it away, changes neither the region's pieces nor its holes,
// nor makes it touch itself at a corner. True when the members form one circular run and the
// others one run, each with a side neighbour.
constexpr std::array<bool, 256> make_simple_table() {
  std::array<bool, 256> table{};
  for (int m = 1; m < 255; ++m) {
    int runs_in = 0, runs_out = 0;
    bool side_in = false, side_out = false;
    for (int k = 0; k < 8; ++k) {
      const bool here = (m >> k) & 1, before = (m >> ((k + 7) % 8)) & 1;
      if (here && !before) ++runs_in;
      if (!here && before) ++runs_out;
      if (k % 2 == 0) (here ? side_in : side_out) = true;
    }
    table[m] = runs_in == 1 && runs_out == 1 && side_in && side_out;
  }
  return table;
}
constexpr std::array<bool, 256> kSimple = make_simple_table();

// Of the neighbours m, those that share a side with the square.
int sides(std::uint8_t m) { return std::popcount(static_cast<std::uint8_t>(m & 0x55)); }

constexpr std::int32_t kFree = -1;  // a square of the region not yet given to a child
constexpr int kUnbounded = 1 << 30;

struct Child {
  std::int32_t id = 0;  // label at this level, unique in the level
  double target = 0.0;  // squares wanted
  int size = 0;
  int min_size = 1, max_size = kUnbounded;  // bounds that balancing keeps to where it can
  bool fixed = false;                       // takes and gives nothing (the filling of a hole)
  std::vector<int> frontier{};              // free squares near the child, with repeats
};

// Splits the squares of one cell of the level above (the region) among its children, by labels
// of this level.
class Divider {
 public:
  Divider(int w, const std::vector<std::int32_t>& parent_labels, std::vector<std::int32_t>& labels)
      : w_(w),
        ring_(ring_offsets(w)),
        parent_(parent_labels.data()),
        label_(labels.data()),
        seen_(labels.size(), 0) {}

  // Gives the free squares of `region`, the squares of cell `parent` one level up, to the
  // children that have none yet, by recursive bisection; preset children keep theirs. False
  // when some bisection leaves squares that neither half can take simply.
  bool divide(const std::vector<int>& region, std::int32_t parent, std::vector<Child>& children,
              Rng& rng) {
    parent_id_ = parent;
    std::vector<int> free;
    for (int s : region) {
      if (label_[s] == kFree) free.push_back(s);
    }
    // Preset children that may grow (the rim of a hole block) take the squares that the halves
    // around them cannot: the last one, which would close a half's ring around the block.
    std::vector<std::size_t> group;
    absorbers_.clear();
    for (std::size_t k = 0; k < children.size(); ++k) {
      Child& c = children[k];
      if (c.fixed) continue;
      if (c.size == 0) {
        group.push_back(k);
        continue;
      }
      c.frontier.clear();
      for (int s : region) {
        if (label_[s] == c.id) push_near(c, s);
      }
      absorbers_.push_back(&c);
    }
    const bool done = group.empty() ? free.empty() : bisect(free, children, group, rng);
    for (Child* c : absorbers_) c->frontier = {};
    return done;
  }

  // Moves squares between neighbouring children toward their targets and into their size
  // bounds, a layer of boundary squares per round, only by simple moves.
  void balance(const std::vector<int>& region, std::int32_t parent, std::vector<Child>& children,
               int rounds) {
    parent_id_ = parent;
    std::int32_t first = children.front().id, last = first;
    for (const Child& c : children) {
      first = std::min(first, c.id);
      last = std::max(last, c.id);
    }
    std::vector<std::size_t> index(static_cast<std::size_t>(last - first) + 1, children.size());
    for (std::size_t k = 0; k < children.size(); ++k) {
      index[children[k].id - first] = k;
    }
    // The child holding square s, or null when that is none of these.
    const auto child = [&](int s) -> Child* {
      const std::int32_t id = label_[s];
      if (id < first || id > last || parent_[s] != parent_id_) return nullptr;
      const std::size_t k = index[id - first];
      return k < children.size() ? &children[k] : nullptr;
    };
    // Squared distance from the target, and far more for each square outside the bounds.
    const auto cost = [](const Child& c, int size) {
      const double off = size - c.target;
      const double below = std::max(0, c.min_size - size), above = std::max(0, size - c.max_size);
      return off * off + 100.0 * (below * below + above * above);
    };
    const auto gain = [&](const Child& from, const Child& to) {
      if (from.fixed || to.fixed) return 0.0;
      return cost(from, from.size) + cost(to, to.size) - cost(from, from.size - 1) -
             cost(to, to.size + 1);
    };
    // Only simple moves, and only of squares with at least as many sides on the child taking
    // them as on the child giving them, so that balancing grows no tendrils.
    const auto allowed = [&](int s, const Child& from, const Child& to) {
      const std::uint8_t a = pattern(s, from.id), b = pattern(s, to.id);
      return kSimple[a] && kSimple[b] && sides(b) >= sides(a);
    };
    // Moves that lower the total cost by less than this are not worth the churn.
    constexpr double kWorthwhile = 0.5;
    const auto on_edge = [&](int s) {
      const Child* here = child(s);
      if (here == nullptr) return false;
      for (int k = 0; k < 8; k += 2) {
        const Child* there = child(s + ring_[k]);
        if (there != nullptr && there != here) return true;
      }
      return false;
    };
    std::vector<int> edge, next_edge;
    for (int s : region) {
      if (on_edge(s)) edge.push_back(s);
    }
    std::vector<std::pair<int, Child*>> moves;
    for (int round = 0; round < rounds; ++round) {
      // Choose the moves from the sizes at the start of the round, so that one child does not
      // eat into another along the order of the scan.
      moves.clear();
      for (int s : edge) {
        Child* from = child(s);
        Child* best = nullptr;
        double best_gain = kWorthwhile;
        for (int k = 0; k < 8; k += 2) {
          Child* to = child(s + ring_[k]);
          if (to == nullptr || to == from || to == best) continue;
          const double g = gain(*from, *to);
          if (g > best_gain && allowed(s, *from, *to)) {
            best = to;
            best_gain = g;
          }
        }
        if (best != nullptr) moves.emplace_back(s, best);
      }
      ++stamp_;
      next_edge.clear();
      const auto consider = [&](int s) {
        if (seen_[s] == stamp_) return;
        seen_[s] = stamp_;
        if (on_edge(s)) next_edge.push_back(s);
      };
      int moved = 0;
      for (const auto& [s, to] : moves) {
        Child* from = child(s);
        if (gain(*from, *to) <= kWorthwhile || !allowed(s, *from, *to)) continue;
        label_[s] = to->id;
        --from->size;
        ++to->size;
        ++moved;
        for (int k = 0; k < 8; ++k) consider(s + ring_[k]);
      }
      if (moved == 0) break;
      for (int s : edge) consider(s);
      edge.swap(next_edge);
    }
  }

 private:
  // Splits the free `squares` between the first and the second half of `group` (indices into
  // `children`), then each half again, down to single children.
  bool bisect(const std::vector<int>& squares, std::vector<Child>& children,
              std::span<const std::size_t> group, Rng& rng) {
    if (group.size() == 1) {
      Child& c = children[group[0]];
      for (int s : squares) label_[s] = c.id;
      c.size = static_cast<int>(squares.size());
      return !squares.empty();
    }
    if (squares.size() < 2) return false;
    const std::size_t half = group.size() / 2;
    std::array<Child, 2> halves;
    double planned[2] = {0.0, 0.0};
    for (std::size_t k = 0; k < group.size(); ++k) {
      const Child& c = children[group[k]];
      const int h = k < half ? 0 : 1;
      const bool first = k == 0 || k == half;
      planned[h] += c.target;
      halves[h].min_size = first ? c.min_size : halves[h].min_size + c.min_size;
      halves[h].max_size = first ? c.max_size
                                 : static_cast<int>(std::min<std::int64_t>(
                                       std::int64_t{halves[h].max_size} + c.max_size, kUnbounded));
    }
    const auto n = static_cast<double>(squares.size());
    halves[0].id = children[group[0]].id;
    halves[1].id = children[group[half]].id;
    halves[0].target = n * planned[0] / (planned[0] + planned[1]);
    halves[1].target = n - halves[0].target;

    const auto [low, high] = seeds(squares, halves[0].target, rng);
    take(halves[0], low);
    take(halves[1], high);
    if (!grow(squares.size() - 2, halves, rng)) return false;
    pair_.assign(halves.begin(), halves.end());
    balance(squares, parent_id_, pair_, kBisectRounds);

    std::vector<int> parts[2];
    for (int s : squares) {
      if (label_[s] == halves[0].id) parts[0].push_back(s);
      if (label_[s] == halves[1].id) parts[1].push_back(s);  // the others went to absorbers
    }
    for (int h = 0; h < 2; ++h) {
      // The other part keeps its label meanwhile, so that this one cannot grow into it.
      for (int s : parts[h]) label_[s] = kFree;
      if (!bisect(parts[h], children, h == 0 ? group.first(half) : group.subspan(half), rng)) {
        return false;
      }
    }
    return true;
  }

  // Seeds for the two halves of `squares`: cut straight across their long axis (turned a little
  // at random) after `first` squares, and take the square nearest the middle of each side; so
  // seeds lie well inside, not at the tip of some lobe.
  std::pair<int, int> seeds(const std::vector<int>& squares, double first, Rng& rng) const {
    // Integer sums, so that nothing depends on the order of additions.
    std::int64_t si = 0, sj = 0;
    for (int s : squares) {
      si += s % w_;
      sj += s / w_;
    }
    const auto n = static_cast<double>(squares.size());
    const double mi = static_cast<double>(si) / n, mj = static_cast<double>(sj) / n;
    double sii = 0.0, sjj = 0.0, sij = 0.0;
    for (int s : squares) {
      const double di = s % w_ - mi, dj = s / w_ - mj;
      sii += di * di;
      sjj += dj * dj;
      sij += di * dj;
    }
    // The principal axis of the squares.
    const double spread = (sii - sjj) / 2.0;
    double ai = spread + std::sqrt(spread * spread + sij * sij), aj = sij;
    if (ai == 0.0 && aj == 0.0) (sii >= sjj ? ai : aj) = 1.0;
    const double length = std::sqrt(ai * ai + aj * aj);
    const double turn = rng.uniform(-kTurn, kTurn);
    const double ui = (ai - turn * aj) / length, uj = (aj + turn * ai) / length;
    std::vector<std::pair<double, int>> along;
    along.reserve(squares.size());
    for (int s : squares) along.emplace_back(ui * (s % w_) + uj * (s / w_), s);
    const auto cut =
        along.begin() + std::clamp<std::ptrdiff_t>(std::llround(first), 1,
                                                   static_cast<std::ptrdiff_t>(along.size()) - 1);
    std::nth_element(along.begin(), cut, along.end());
    const auto middle = [&](auto begin, auto end) {
      std::int64_t ci = 0, cj = 0;
      for (auto it = begin; it != end; ++it) {
        ci += it->second % w_;
        cj += it->second / w_;
      }
      const auto count = static_cast<double>(end - begin);
      const double mci = static_cast<double>(ci) / count, mcj = static_cast<double>(cj) / count;
      int best = begin->second;
      double nearest = std::numeric_limits<double>::infinity();
      for (auto it = begin; it != end; ++it) {
        const double di = it->second % w_ - mci, dj = it->second / w_ - mcj;
        const double d = di * di + dj * dj;
        // Ties go to the lower square, whatever the order nth_element left.
        if (d < nearest || (d == nearest && it->second < best)) {
          nearest = d;
          best = it->second;
        }
      }
      return best;
    };
    return {middle(along.begin(), cut), middle(cut, along.end())};
  }

  // Grows seeded children over `unassigned` free squares: in turn, the least filled first;
  // first up to their targets, then beyond, for the squares left. False when some squares are
  // left that no child can take simply.
  bool grow(std::size_t unassigned, std::span<Child> children, Rng& rng) {
    using Entry = std::tuple<double, std::uint64_t, std::size_t>;
    for (int phase = 0; phase < 2 && unassigned > 0; ++phase) {
      std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
      const auto wants = [&](const Child& c) {
        return !c.frontier.empty() && (phase == 1 || c.size < c.target);
      };
      for (std::size_t k = 0; k < children.size(); ++k) {
        if (wants(children[k])) queue.emplace(children[k].size / children[k].target, rng.next(), k);
      }
      while (!queue.empty() && unassigned > 0) {
        const std::size_t k = std::get<2>(queue.top());
        queue.pop();
        Child& c = children[k];
        // Of a few frontier squares the child can take, the one with most sides on the child:
        // a little surface tension keeps children compact.
        int chosen = -1, chosen_sides = 0;
        for (int looked = 0; looked < kTournament && !c.frontier.empty();) {
          const std::size_t pick = rng.below(c.frontier.size());
          const int s = c.frontier[pick];
          const std::uint8_t m = label_[s] == kFree ? pattern(s, c.id) : 0;
          if (!kSimple[m]) {
            c.frontier[pick] = c.frontier.back();
            c.frontier.pop_back();
            continue;
          }
          ++looked;
          if (sides(m) > chosen_sides) {
            chosen = s;
            chosen_sides = sides(m);
          }
        }
        if (chosen >= 0) {
          take(c, chosen);
          --unassigned;
          if (wants(c)) queue.emplace(c.size / c.target, rng.next(), k);
        }
      }
    }
    for (Child* c : absorbers_) {
      while (unassigned > 0 && !c->frontier.empty()) {
        const int s = c->frontier.back();
        c->frontier.pop_back();
        if (label_[s] != kFree || !kSimple[pattern(s, c->id)]) continue;
        take(*c, s);
        --unassigned;
      }
    }
    for (Child& c : children) c.frontier = {};
    return unassigned == 0;
  }

  std::uint8_t pattern(int s, std::int32_t id) const {
    std::uint8_t m = 0;
    for (int k = 0; k < 8; ++k) {
      if (label_[s + ring_[k]] == id) m |= static_cast<std::uint8_t>(1u << k);
    }
    return m;
  }
  // A square's frontier is its 8 neighbours: whether a free square is simple for a child
  // changes when the child takes a diagonal neighbour too.
  void push_near(Child& c, int s) {
    for (int k = 0; k < 8; ++k) {
      const int n = s + ring_[k];
      if (label_[n] == kFree && parent_[n] == parent_id_) c.frontier.push_back(n);
    }
  }
  void take(Child& c, int s) {
    label_[s] = c.id;
    ++c.size;
    push_near(c, s);
  }

  int w_;
  std::array<int, 8> ring_;
  const std::int32_t* parent_;
  std::int32_t* label_;
  std::int32_t parent_id_ = 0;
  std::vector<Child*> absorbers_;
  std::vector<Child> pair_;
  // Marks of the squares seen in a balancing round.
  std::vector<std::uint32_t> seen_;
  std::uint32_t stamp_ = 0;
};

// Scales `targets` to sum to `total`, keeping each in [lo, hi] where the total allows.
void fit_targets(std::vector<double>& targets, double total, double lo, double hi) {
  std::vector<std::uint8_t> pinned(targets.size(), 0);
  for (std::size_t round = 0; round <= targets.size(); ++round) {
    double free_sum = 0.0, pinned_sum = 0.0;
    for (std::size_t c = 0; c < targets.size(); ++c) {
      (pinned[c] ? pinned_sum : free_sum) += targets[c];
    }
    if (free_sum <= 0.0) return;
    const double scale = (total - pinned_sum) / free_sum;
    bool changed = false;
    for (std::size_t c = 0; c < targets.size(); ++c) {
      if (pinned[c]) continue;
      targets[c] *= scale;
      if (targets[c] < lo || targets[c] > hi) {
        targets[c] = std::clamp(targets[c], lo, hi);
        pinned[c] = 1;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

// How far a division is from its targets: the largest relative miss, plus 1 for every child
// outside its size bounds.
double lopsidedness(const std::vector<Child>& children) {
  double worst = 0.0;
  int outside = 0;
  for (const Child& c : children) {
    if (c.fixed) continue;
    if (c.size < c.min_size || c.size > c.max_size) ++outside;
    if (c.target > 0.0) worst = std::max(worst, std::abs(c.size - c.target) / c.target);
  }
  return outside + worst;
}

// The squares of each label in increasing order: label l has squares[first[l] .. first[l + 1]).
struct Buckets {
  std::vector<int> first;
  std::vector<int> squares;

  std::vector<int> of(std::size_t label) const {
    return {squares.begin() + first[label], squares.begin() + first[label + 1]};
  }
};

Buckets bucket(const std::vector<std::int32_t>& labels, std::size_t count,
               const std::vector<int>& district) {
  Buckets b;
  b.first.assign(count + 1, 0);
  for (int s : district) ++b.first[labels[s] + 1];
  for (std::size_t l = 0; l < count; ++l) b.first[l + 1] += b.first[l];
  b.squares.resize(district.size());
  std::vector<int> next(b.first.begin(), b.first.end() - 1);
  for (int s : district) b.squares[next[labels[s]]++] = s;
  return b;
}

// A 4 x 4 block of `grid`'s squares whose removal leaves the rest of the grid in one piece; its
// rim becomes a micro-grid with a hole, its middle 2 x 2 the micro-grid filling the hole.
// Returns the block's south-west square, or -1. `mark` is all 0, and is left so.
int find_hole_block(const std::vector<int>& squares, std::int32_t grid, int w,
                    const std::vector<std::int32_t>& grid_labels, std::vector<std::uint8_t>& mark,
                    Rng& rng) {
  const auto in_grid = [&](int s) { return grid_labels[s] == grid; };
  const auto mark_block = [&](int corner, std::uint8_t value) {
    for (int dj = 0; dj < 4; ++dj) {
      for (int di = 0; di < 4; ++di) mark[corner + dj * w + di] = value;
    }
  };
  const std::size_t start = rng.below(squares.size());
  std::vector<int> stack, seen;
  for (std::size_t t = 0; t < squares.size(); ++t) {
    const int corner = squares[(start + t) % squares.size()];
    bool fits = true;
    for (int dj = 0; dj < 4 && fits; ++dj) {
      for (int di = 0; di < 4 && fits; ++di) fits = in_grid(corner + dj * w + di);
    }
    if (!fits) continue;
    // Flood the rest of the grid from one square outside the block.
    mark_block(corner, 1);
    seen.clear();
    const auto visit = [&](int s) {
      if (in_grid(s) && !mark[s]) {
        mark[s] = 1;
        seen.push_back(s);
        stack.push_back(s);
      }
    };
    for (int s : squares) {
      if (!mark[s]) {
        visit(s);
        break;
      }
    }
    while (!stack.empty()) {
      const int s = stack.back();
      stack.pop_back();
      for (int n : {s + 1, s - 1, s + w, s - w}) visit(n);
    }
    for (int s : seen) mark[s] = 0;
    mark_block(corner, 0);
    if (seen.size() + 16 == squares.size()) return corner;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Tracing.

// Traces the boundary of a cell with the cell on the left, so that shells run counter-clockwise
// and holes clockwise.
class Tracer {
 public:
  explicit Tracer(const Lattice& lattice)
      : lattice_(lattice),
        out_(static_cast<std::size_t>(lattice.w + 1) * static_cast<std::size_t>(lattice.h + 1),
             kNone) {}

  MultiPolygon trace(const std::vector<std::int32_t>& labels, std::int32_t id,
                     std::span<const int> squares) {
    const int w = lattice_.w;
    touched_.clear();
    for (int s : squares) {
      const int i = s % w, j = s / w;
      // Side d of square (i, j), d = south, east, north, west: the square across it, and the
      // node the side starts from when the square is on its left.
      const int across[4] = {s - w, s + 1, s + w, s - 1};
      const int from[4] = {lattice_.node(i, j), lattice_.node(i + 1, j),
                           lattice_.node(i + 1, j + 1), lattice_.node(i, j + 1)};
      for (int d = 0; d < 4; ++d) {
        if (labels[across[d]] == id) continue;
        std::int8_t& out = out_[from[d]];
        // Two boundary edges leaving one node: a pinch point, which division never makes.
        if (out != kNone) throw std::logic_error("synthetic city: a cell touches itself");
        out = static_cast<std::int8_t>(d);
        touched_.push_back(from[d]);
      }
    }
    Polygon polygon;
    std::vector<Ring> holes;
    for (int start : touched_) {
      if (out_[start] == kNone) continue;
      Ring ring;
      std::int64_t twice_area = 0;  // in lattice units, exact
      int n = start;
      do {
        const int d = out_[n];
        out_[n] = kNone;
        const int m = emit(n, d, ring);
        const std::int64_t xn = n % (w + 1), yn = n / (w + 1), xm = m % (w + 1), ym = m / (w + 1);
        twice_area += xn * ym - xm * yn;
        n = m;
      } while (n != start);
      ring.push_back(ring.front());
      if (twice_area < 0) {
        holes.push_back(std::move(ring));
      } else if (polygon.rings.empty()) {
        polygon.rings.push_back(std::move(ring));
      } else {
        throw std::logic_error("synthetic city: a cell in more than one piece");
      }
    }
    for (Ring& hole : holes) polygon.rings.push_back(std::move(hole));
    MultiPolygon area;
    area.polygons.push_back(std::move(polygon));
    return area;
  }

 private:
  static constexpr std::int8_t kNone = -1;

  // Appends node n and the points along its edge in direction d (east, north, west, south);
  // returns the node at the other end.
  int emit(int n, int d, Ring& ring) const {
    const int w = lattice_.w;
    const auto p = static_cast<std::size_t>(lattice_.points_per_edge);
    const int i = n % (w + 1), j = n / (w + 1);
    ring.push_back(lattice_.nodes[n]);
    if (p == 0) return n + std::array<int, 4>{1, w + 1, -1, -w - 1}[d];
    const Point* points = nullptr;
    int to = n;
    switch (d) {
      case 0:
        points = &lattice_.east_points[static_cast<std::size_t>(j * w + i) * p];
        to = n + 1;
        break;
      case 1:
        points = &lattice_.north_points[static_cast<std::size_t>(j * (w + 1) + i) * p];
        to = n + w + 1;
        break;
      case 2:
        points = &lattice_.east_points[static_cast<std::size_t>(j * w + i - 1) * p];
        to = n - 1;
        break;
      default:
        points = &lattice_.north_points[static_cast<std::size_t>((j - 1) * (w + 1) + i) * p];
        to = n - w - 1;
        break;
    }
    if (d < 2) {
      ring.insert(ring.end(), points, points + p);
    } else {
      for (std::size_t k = p; k-- > 0;) ring.push_back(points[k]);
    }
    return to;
  }

  const Lattice& lattice_;
  std::vector<std::int8_t> out_;  // per node: the direction of the boundary edge leaving it
  std::vector<int> touched_;
};

// ---------------------------------------------------------------------------------------------
// The city, level by level.

// The cells of one level, in their final order (the order of their codes).
struct Level {
  std::vector<int> parent;             // index of the parent in the level above
  std::vector<int> plan;               // plan node, or -1 for a child the plan did not have
  std::vector<std::uint8_t> has_hole;  // a micro-grid around a hole block
};

class CityBuilder {
 public:
  explicit CityBuilder(const SyntheticCityOptions& options)
      : options_(options),
        plan_(make_plan(options)),
        mask_(district_outline(plan_[0].squares[0], mix64(options.seed ^ kOutlineStream))),
        w_(mask_.w) {
    for (int s = 0; s < static_cast<int>(mask_.in.size()); ++s) {
      if (mask_.in[s]) district_.push_back(s);
    }
    for (auto& l : labels_) l.assign(mask_.in.size(), kFree);
    for (int s : district_) labels_[0][s] = 0;
    levels_[0] = {{-1}, {0}, {0}};
  }

  SyntheticCity build() {
    for (int level = 1; level < kLevels; ++level) divide_level(level);
    const Lattice lattice = make_lattice(mask_, options_);
    SyntheticCity city;
    fill_grid_set(lattice, city.grids);
    city.lattice.columns = lattice.w;
    city.lattice.rows = lattice.h;
    city.lattice.nodes = lattice.nodes;
    city.lattice.in_district = mask_.in;
    return city;
  }

 private:
  // Splits every cell of level - 1 among its children.
  void divide_level(int level) {
    const Level& above = levels_[level - 1];
    const std::size_t parents = above.parent.size();
    const Buckets regions = bucket(labels_[level - 1], parents, district_);
    std::vector<std::int32_t>& label = labels_[level];
    Divider divider(w_, labels_[level - 1], label);
    const bool finest = level == kFinest;
    const std::vector<int> hole_corner =
        finest ? place_hole_blocks(regions) : std::vector<int>(parents, -1);

    // Children as they are made; numbered geographically at the end.
    Level made;
    std::vector<Child> children;
    std::vector<std::int32_t> best_labels;
    for (std::size_t p = 0; p < parents; ++p) {
      const std::vector<int> region = regions.of(p);
      const int node = above.plan[p];
      const int first_plan = plan_[level - 1].first_child[node];
      const int planned = plan_[level - 1].first_child[node + 1] - first_plan;
      const int corner = hole_corner[p];
      const int preset = corner >= 0 ? 2 : 0;  // the rim of the hole block, and its middle
      const double available = static_cast<double>(region.size()) - (corner >= 0 ? 16.0 : 0.0);

      // Targets of the growing children: planned, rescaled to the squares the cell got, and
      // for micro-grids kept within their size bounds, with a child more or fewer if need be.
      std::vector<double> targets;
      for (int c = preset; c < planned; ++c) {
        targets.push_back(plan_[level].squares[first_plan + c]);
      }
      const double lo = finest ? kSmallestMicrogrid : 1.0;
      const double hi = finest ? kLargestMicrogrid : available;
      const int most = std::max(1, static_cast<int>(available / lo));
      const int fewest = std::min(most, static_cast<int>(std::ceil(available / hi)));
      const int count = std::clamp(static_cast<int>(targets.size()), fewest, most);
      const double mean = std::accumulate(targets.begin(), targets.end(), 0.0) /
                          static_cast<double>(targets.size());
      targets.resize(static_cast<std::size_t>(count), mean);
      fit_targets(targets, available, lo, hi);
      const int k = preset + count;

      const auto first_id = static_cast<std::int32_t>(made.parent.size());
      const auto setup = [&] {
        for (int s : region) label[s] = kFree;
        children.assign(static_cast<std::size_t>(k), Child{});
        for (int c = 0; c < k; ++c) {
          Child& child = children[c];
          child.id = first_id + c;
          if (c >= preset) child.target = targets[c - preset];
          if (finest) {
            child.min_size = kSmallestMicrogrid;
            child.max_size = kLargestMicrogrid;
          }
        }
        if (corner < 0) return;
        for (int dj = 0; dj < 4; ++dj) {
          for (int di = 0; di < 4; ++di) {
            const bool middle = di >= 1 && di <= 2 && dj >= 1 && dj <= 2;
            label[corner + dj * w_ + di] = first_id + (middle ? 1 : 0);
          }
        }
        children[0].size = 12;
        children[0].target = 12.0;
        children[0].max_size = 16;
        children[1].size = 4;
        children[1].target = 4.0;
        children[1].fixed = true;
      };
      // Growth is random: where a division comes out stuck or lopsided, try again; keep the
      // best.
      double best = std::numeric_limits<double>::infinity();
      best_labels.clear();
      for (int attempt = 0; attempt < kAttempts; ++attempt) {
        setup();
        Rng rng(options_.seed, kDivisionStream, static_cast<std::uint64_t>(level), p,
                static_cast<std::uint64_t>(attempt));
        if (!divider.divide(region, static_cast<std::int32_t>(p), children, rng)) continue;
        divider.balance(region, static_cast<std::int32_t>(p), children, kDivisionRounds);
        const double badness = lopsidedness(children);
        if (badness < best) {
          best = badness;
          best_labels.clear();
          for (int s : region) best_labels.push_back(label[s]);
        }
        if (badness <= (finest ? 0.5 : 0.1)) break;
      }
      if (best_labels.empty()) {
        throw std::logic_error(std::string("synthetic city: could not divide a ") +
                               kLevelNames[level - 1]);
      }
      for (std::size_t t = 0; t < region.size(); ++t) {
        label[region[t]] = best_labels[t];
      }
      for (int c = 0; c < k; ++c) {
        made.parent.push_back(static_cast<int>(p));
        made.plan.push_back(c < planned ? first_plan + c : -1);
        made.has_hole.push_back(corner >= 0 && c == 0);
      }
    }
    number(level, regions, made);
  }

  // Chooses the grids that get a micro-grid with a hole, about one micro-grid in
  // kMicrogridsPerHole, and their blocks: per grid, the block's south-west square or -1.
  std::vector<int> place_hole_blocks(const Buckets& grids) {
    const std::size_t count = grids.first.size() - 1;
    std::vector<int> corner(count, -1);
    if (options_.microgrids < 20) return corner;
    Rng rng(options_.seed, kHoleStream);
    std::vector<std::uint8_t> mark(mask_.in.size(), 0);
    const int wanted = std::max(1, options_.microgrids / kMicrogridsPerHole);
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t g = count; g > 1; --g) std::swap(order[g - 1], order[rng.below(g)]);
    const Level& level = levels_[kFinest - 1];
    const PlanLevel& plan = plan_[kFinest - 1];
    int placed = 0;
    for (std::size_t t = 0; t < count && placed < wanted; ++t) {
      const std::size_t g = order[t];
      const auto node = static_cast<std::size_t>(level.plan[g]);
      const int k = plan.first_child[node + 1] - plan.first_child[node];
      const std::vector<int> squares = grids.of(g);
      // Room for the two and at least one more micro-grid of the smallest size.
      if (k < 3 || static_cast<int>(squares.size()) < 16 + kSmallestMicrogrid * (k - 2)) continue;
      corner[g] = find_hole_block(squares, static_cast<std::int32_t>(g), w_, labels_[kFinest - 1],
                                  mark, rng);
      if (corner[g] >= 0) ++placed;
    }
    return corner;
  }

  // Renumbers the children of each cell north to south, then west to east: in rows about as
  // tall as a child, by easting within a row.
  void number(int level, const Buckets& regions, const Level& made) {
    std::vector<std::int32_t>& label = labels_[level];
    const std::vector<std::int32_t>& parent_label = labels_[level - 1];
    const std::size_t count = made.parent.size(), parents = regions.first.size() - 1;
    std::vector<std::int64_t> sum_i(count, 0), sum_j(count, 0), squares(count, 0);
    std::vector<int> top(parents, 0), kids(parents, 0);
    for (int s : district_) {
      const auto c = static_cast<std::size_t>(label[s]);
      sum_i[c] += s % w_;
      sum_j[c] += s / w_;
      ++squares[c];
      int& t = top[parent_label[s]];
      t = std::max(t, s / w_);
    }
    for (int p : made.parent) ++kids[p];
    std::vector<std::tuple<int, std::int64_t, double, std::size_t>> keys;
    for (std::size_t c = 0; c < count; ++c) {
      const auto p = static_cast<std::size_t>(made.parent[c]);
      const double size = static_cast<double>(regions.first[p + 1] - regions.first[p]);
      const double row_height = std::max(1.0, std::sqrt(size / kids[p]));
      const double i = static_cast<double>(sum_i[c]) / static_cast<double>(squares[c]);
      const double j = static_cast<double>(sum_j[c]) / static_cast<double>(squares[c]);
      keys.emplace_back(made.parent[c], static_cast<std::int64_t>((top[p] - j) / row_height), i, c);
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::int32_t> final_index(count);
    Level& out = levels_[level];
    out = {};
    for (std::size_t f = 0; f < count; ++f) {
      const std::size_t c = std::get<3>(keys[f]);
      final_index[c] = static_cast<std::int32_t>(f);
      out.parent.push_back(made.parent[c]);
      out.plan.push_back(made.plan[c]);
      out.has_hole.push_back(made.has_hole[c]);
    }
    for (int s : district_) {
      std::int32_t& l = label[s];
      l = final_index[l];
    }
  }

  void fill_grid_set(const Lattice& lattice, GridSet& grids) const {
    // Households per micro-grid, summed upward; about 2.6 people per household.
    std::array<std::vector<std::int64_t>, kLevels> households, population;
    Rng rng(options_.seed, kHouseholdStream);
    for (std::size_t m = 0; m < levels_[kFinest].parent.size(); ++m) {
      const int h = rng.between(30, 60);
      households[kFinest].push_back(h);
      population[kFinest].push_back(std::llround(h * rng.uniform(2.3, 2.9)));
    }
    for (int level = kFinest; level > 0; --level) {
      const Level& here = levels_[level];
      const std::size_t parents = levels_[level - 1].parent.size();
      households[level - 1].assign(parents, 0);
      population[level - 1].assign(parents, 0);
      for (std::size_t c = 0; c < here.parent.size(); ++c) {
        const auto p = static_cast<std::size_t>(here.parent[c]);
        households[level - 1][p] += households[level][c];
        population[level - 1][p] += population[level][c];
      }
    }

    grids.set_crs(kCrs);
    for (const char* name : kLevelNames) grids.add_level(name);
    Tracer tracer(lattice);
    std::vector<CellId> parent_ids;
    std::vector<std::string> parent_codes;
    for (int level = 0; level < kLevels; ++level) {
      const Level& here = levels_[level];
      const std::size_t count = here.parent.size();
      // Sequence numbers within the parent, 3 digits, or more where a cell has more than 999
      // children.
      std::vector<int> sequence(count, 0), next(std::max<std::size_t>(parent_ids.size(), 1), 0);
      int widest = 0;
      for (std::size_t c = 0; c < count && level > 0; ++c) {
        sequence[c] = ++next[here.parent[c]];
        widest = std::max(widest, sequence[c]);
      }
      const int width = std::max(3, static_cast<int>(std::to_string(widest).size()));
      const Buckets cells = bucket(labels_[level], count, district_);
      std::vector<CellId> ids(count);
      std::vector<std::string> codes(count);
      for (std::size_t c = 0; c < count; ++c) {
        Cell cell;
        const auto parent = static_cast<std::size_t>(here.parent[c]);
        cell.code = level == 0 ? kDistrictCode : parent_codes[parent] + padded(sequence[c], width);
        cell.name = kLevelInitials[level] + padded(static_cast<int>(c) + 1, 6);
        cell.level = level;
        cell.parent = level == 0 ? kNoCell : parent_ids[parent];
        cell.geometry = tracer.trace(
            labels_[level], static_cast<std::int32_t>(c),
            std::span<const int>(cells.squares)
                .subspan(static_cast<std::size_t>(cells.first[c]),
                         static_cast<std::size_t>(cells.first[c + 1] - cells.first[c])));
        if ((cell.geometry.polygons[0].rings.size() > 1) != (here.has_hole[c] != 0)) {
          throw std::logic_error(
              "synthetic city: a hole where none was made, or none where one was");
        }
        cell.households = households[level][c];
        cell.population = population[level][c];
        codes[c] = cell.code;
        ids[c] = grids.add_cell(std::move(cell));
      }
      parent_ids = std::move(ids);
      parent_codes = std::move(codes);
    }
  }

  static std::string padded(int value, int width) {
    std::string digits = std::to_string(value);
    if (static_cast<int>(digits.size()) < width) {
      digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
    }
    return digits;
  }

  const SyntheticCityOptions& options_;
  const Plan plan_;
  const Mask mask_;
  const int w_;
  std::vector<int> district_;  // the district's squares, in increasing order
  // labels_[level][square]: the cell of that level holding the square, by its final index.
  std::array<std::vector<std::int32_t>, kLevels> labels_;
  std::array<Level, kLevels> levels_;
};

void check_options(const SyntheticCityOptions& options) {
  const auto refuse = [](const std::string& what) {
    throw Error(ErrorKind::kInvalidInput, "synthetic city: " + what);
  };
  if (options.microgrids < 1) refuse("microgrids must be at least 1");
  if (!(options.cell_size > 0.0) || !std::isfinite(options.cell_size)) {
    refuse("cell_size must be a positive number of metres");
  }
  if (!std::isfinite(options.origin.x) || !std::isfinite(options.origin.y)) {
    refuse("origin must be finite");
  }
  if (options.points_per_edge < 0 || options.points_per_edge > 8) {
    refuse("points_per_edge must be in 0..8");
  }
}

}  // namespace

SyntheticCity generate_synthetic_city(const SyntheticCityOptions& options) {
  check_options(options);
  return CityBuilder(options).build();
}

GridSet make_synthetic_city(const SyntheticCityOptions& options) {
  return std::move(generate_synthetic_city(options).grids);
}

}  // namespace libgrid::testing
