#include "libgrid/model/grid_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"

namespace libgrid {
namespace {

TEST(GridSet, LevelsAreDataAndPathsRunCoarseToFine) {
  GridSet grids;
  EXPECT_EQ(grids.add_level("大网格"), 0);
  EXPECT_EQ(grids.add_level("微网格"), 1);
  EXPECT_EQ(grids.level_index("微网格"), 1);
  EXPECT_EQ(grids.level_index("grid"), -1);
  const CellId a =
      grids.add_cell({.code = "A", .geometry = parse_wkt_area("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  const CellId b = grids.add_cell({.code = "A1", .level = 1, .parent = a});
  EXPECT_EQ(grids.path(b), (std::vector<CellId>{a, b}));
  EXPECT_EQ(grids.find("A1"), b);
  EXPECT_EQ(grids.find("A2"), kNoCell);
  EXPECT_EQ(grids.cells_of_level(1), (std::vector<CellId>{b}));
  EXPECT_DOUBLE_EQ(grids.extent().max_x, 1.0);
}

TEST(GridSet, RefusesWhatCannotBeRepresented) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  EXPECT_THROW(grids.add_level("grid"), Error);
  EXPECT_THROW(grids.add_level(""), Error);
  const CellId a = grids.add_cell({.code = "A"});
  EXPECT_THROW(grids.add_cell({.code = "A"}), Error);                           // duplicate code
  EXPECT_THROW(grids.add_cell({.code = ""}), Error);                            // empty code
  EXPECT_THROW(grids.add_cell({.code = "B", .level = 2}), Error);               // no such level
  EXPECT_THROW(grids.add_cell({.code = "B", .level = 0, .parent = a}), Error);  // parent level
  EXPECT_THROW(grids.add_cell({.code = "B", .level = 1, .parent = 7}), Error);  // no such cell
  try {
    grids.add_cell({.code = "A", .level = 1, .parent = a});
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "duplicate cell code A");
  }
}

TEST(GridSet, TotalsPerLevelRefuseToOverflow) {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  grids.add_cell({.code = "A", .households = 700, .population = 1750});
  grids.add_cell({.code = "B", .households = 400, .population = 1000});
  EXPECT_EQ(grids.totals(0).cells, 2u);
  EXPECT_EQ(grids.totals(0).households, 1100);
  EXPECT_EQ(grids.totals(0).population, 2750);
  EXPECT_EQ(grids.totals(1).cells, 0u);

  const std::int64_t most = std::numeric_limits<std::int64_t>::max();
  grids.add_cell({.code = "C", .level = 1, .households = most - 1});
  try {
    grids.add_cell({.code = "D", .level = 1, .households = 2});
    ADD_FAILURE() << "a total past 2^63 - 1 was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(),
                 "cell D: households 2, population 0 take level 'grid' past the largest total a "
                 "64-bit count holds");
  }
  EXPECT_EQ(grids.find("D"), kNoCell);  // refused whole
  EXPECT_EQ(grids.totals(1).households, most - 1);
  EXPECT_EQ(grids.totals(1).cells, 1u);
}

TEST(Error, MessageNamesWhereMostGeneralFirst) {
  const Error e(ErrorKind::kInvalidInput, Location{"a.gpkg", "grid", 12, "code"}, "duplicate");
  EXPECT_STREQ(e.what(), "a.gpkg: layer grid: feature 12: field code: duplicate");
  EXPECT_EQ(e.detail(), "duplicate");
  EXPECT_STREQ(Error(ErrorKind::kIo, Location{.file = "x.csv"}, "cannot open").what(),
               "x.csv: cannot open");
}

}  // namespace
}  // namespace libgrid
