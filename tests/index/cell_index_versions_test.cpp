// An index of several boundary versions answers every point, at every time, as an index of the
// version in force then alone does: on three random cities of the same levels, and saved and
// loaded.
#include <gtest/gtest.h>

#include <random>

#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"
#include "libgrid/testing/synthetic_city.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

using std::chrono::sys_days;

LocalMinutes minutes_of(sys_days d) { return LocalMinutes{d.time_since_epoch().count()} * 1440; }

// The codes of the path of the finest cell holding each point, "" where none does.
std::vector<std::string> paths(const GridSet& g, std::span<const CellId> found) {
  std::vector<std::string> out;
  for (const CellId id : found) {
    std::string text;
    for (CellId c = id; c != kNoCell; c = g.cell(c).parent) text = g.cell(c).code + "/" + text;
    out.push_back(text);
  }
  return out;
}

TEST(CellIndexVersions, AnswersEachVersionAsItsOwnIndexDoes) {
  const sys_days first{std::chrono::year{2025} / 1 / 1};
  const sys_days second{std::chrono::year{2026} / 7 / 1};
  std::vector<GridSet> cities;
  for (std::uint64_t seed : {1, 2, 3}) {
    cities.push_back(testing::make_synthetic_city({.seed = seed, .microgrids = 600}));
  }
  GridSet history = cities[0];
  history.add_version(first, cities[1]);
  history.add_version(second, cities[2]);
  ASSERT_EQ(history.versions().size(), 3u);
  EXPECT_GT(history.size(), cities[0].size() + cities[1].size() / 2);  // mostly reshaped
  const CellIndex index(history);
  const std::string path = testing::temporary_folder() + "/history.lgi";
  index.save(path);
  const CellIndex loaded = CellIndex::load(path, history);
  EXPECT_EQ(loaded.version_starts(), index.version_starts());

  Box extent;
  for (const GridSet& c : cities) {
    const Box b = c.extent();
    extent.expand(b);
  }
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> ux(extent.min_x - 50, extent.max_x + 50);
  std::uniform_real_distribution<double> uy(extent.min_y - 50, extent.max_y + 50);
  const std::vector<LocalMinutes> times{std::numeric_limits<LocalMinutes>::min() + 1,
                                        minutes_of(first) - 1,
                                        minutes_of(first),
                                        minutes_of(second) - 1,
                                        minutes_of(second),
                                        minutes_of(second) + 525600};
  const std::vector<std::size_t> version_of_time{0, 0, 1, 1, 2, 2};
  constexpr std::size_t kPoints = 20000;
  std::vector<double> x(kPoints), y(kPoints);
  std::vector<LocalMinutes> t(kPoints);
  std::uniform_int_distribution<std::size_t> pick(0, times.size() - 1);
  std::vector<std::size_t> which(kPoints);
  for (std::size_t i = 0; i < kPoints; ++i) {
    x[i] = ux(rng);
    y[i] = uy(rng);
    which[i] = pick(rng);
    t[i] = times[which[i]];
  }
  std::vector<CellId> batch(kPoints), batch_loaded(kPoints);
  index.lookup(x, y, t, batch, 2);
  loaded.lookup(x, y, t, batch_loaded, 1);
  std::vector<std::vector<CellId>> alone(cities.size(), std::vector<CellId>(kPoints));
  for (std::size_t v = 0; v < cities.size(); ++v) {
    CellIndex(cities[v]).lookup(x, y, alone[v]);
  }
  const auto history_paths = paths(history, batch);
  const auto loaded_paths = paths(history, batch_loaded);
  std::vector<std::vector<std::string>> alone_paths;
  for (std::size_t v = 0; v < cities.size(); ++v) alone_paths.push_back(paths(cities[v], alone[v]));
  std::size_t covered = 0;
  for (std::size_t i = 0; i < kPoints; ++i) {
    const std::size_t v = version_of_time[which[i]];
    ASSERT_EQ(history_paths[i], alone_paths[v][i]) << i;
    ASSERT_EQ(loaded_paths[i], alone_paths[v][i]) << i;
    ASSERT_EQ(index.lookup({x[i], y[i]}, t[i]), batch[i]) << i;
    covered += batch[i] != kNoCell;
  }
  EXPECT_GT(covered, kPoints / 2);  // the points test cells, not empty land
  // Without a time: the latest version.
  std::vector<CellId> latest(kPoints);
  index.lookup(x, y, latest);
  EXPECT_EQ(paths(history, latest), alone_paths[2]);
}

TEST(CellIndexVersions, AnIndexOfOneVersionHasNoVersionsAndIgnoresTimes) {
  const GridSet city = testing::make_synthetic_city({.seed = 4, .microgrids = 200});
  const CellIndex index(city);
  EXPECT_TRUE(index.version_starts().empty());
  const Point p = city.cell(static_cast<CellId>(city.size() - 1)).geometry.polygons[0].rings[0][0];
  EXPECT_EQ(index.lookup(p, 0), index.lookup(p));
  const std::string path = testing::temporary_folder() + "/one.lgi";
  index.save(path);
  EXPECT_TRUE(CellIndex::load(path, city).version_starts().empty());
}

}  // namespace
}  // namespace libgrid
