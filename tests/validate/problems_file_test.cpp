#include "libgrid/validate/problems_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "gridtool/gridtool.h"
#include "libgrid/geometry/wkt.h"
#include "libgrid/io/grid_set_file.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;

using testing::error_of;

// Two communities in EPSG:4548: the first with an overlap and a grid sticking out by a 0.05 m
// strip, the second with a badly coded grid and no grid workers anywhere but one.
GridSet grid_set_with_problems() {
  GridSet grids;
  grids.set_crs("EPSG:4548");
  grids.add_level("community");
  grids.add_level("grid");
  auto add = [&](const std::string& code, int level, CellId parent, const std::string& wkt) {
    return grids.add_cell(
        {.code = code, .level = level, .parent = parent, .geometry = parse_wkt_area(wkt)});
  };
  const CellId a = add("110119001001", 0, kNoCell,
                       "POLYGON ((500000 4420000, 500100 4420000, 500100 4420100, "
                       "500000 4420100, 500000 4420000))");
  const CellId b = add("110119001002", 0, kNoCell,
                       "POLYGON ((500100 4420000, 500200 4420000, 500200 4420100, "
                       "500100 4420100, 500100 4420000))");
  add("110119001001001", 1, a,
      "POLYGON ((500000 4420000, 500100 4420000, 500100 4420050, 500000 4420050, "
      "500000 4420000))");
  add("110119001001002", 1, a,
      "POLYGON ((500000 4420040, 500100 4420040, 500100 4420100.05, 500000 4420100.05, "
      "500000 4420040))");
  add("110119009002001", 1, b,
      "POLYGON ((500100 4420000, 500200 4420000, 500200 4420100, 500100 4420100, "
      "500100 4420000))");
  grids.roster().entries.push_back(
      {.cell_code = "110119001001001", .role = Role::kGridWorker, .person = {.id = "P1"}});
  return grids;
}

TEST(ValidationProblemsFile, WritesAreasAndTablesThatReadBack) {
  const GridSet grids = grid_set_with_problems();
  const ValidationReport report = validate(grids, {.tolerance = 0.1});
  // overlap, outside (a sliver), code, and two grids without a worker.
  ASSERT_EQ(report.problems.size(), 5u);
  const std::string path = testing::temporary_folder() + "/problems.gpkg";
  write_problems(report, grids, path);

  const ValidationReport back = read_problems(path);
  ASSERT_EQ(back.problems.size(), report.problems.size());
  // Areas first, then the table; each in the report's order.
  std::vector<const Problem*> expected;
  for (const Problem& p : report.problems) {
    if (!p.where.empty()) expected.push_back(&p);
  }
  EXPECT_EQ(expected.size(), 2u);
  for (const Problem& p : report.problems) {
    if (p.where.empty()) expected.push_back(&p);
  }
  for (std::size_t i = 0; i < back.problems.size(); ++i) {
    const Problem& x = *expected[i];
    const Problem& y = back.problems[i];
    SCOPED_TRACE(std::string(to_string(x.kind)) + " " + x.cell_code);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.level, y.level);
    EXPECT_EQ(x.cell_code, y.cell_code);
    EXPECT_EQ(x.other_code, y.other_code);
    EXPECT_EQ(x.area, y.area);
    EXPECT_EQ(x.thickness, y.thickness);
    EXPECT_EQ(x.sliver, y.sliver);
    EXPECT_EQ(x.detail, y.detail);
    EXPECT_EQ(to_wkt(x.where), to_wkt(y.where));
  }
  EXPECT_TRUE(back.problems[1].sliver) << "the 0.05 m strip";
  EXPECT_EQ(back.problems[1].kind, ProblemKind::kOutsideParent);
}

TEST(ValidationProblemsFile, RefusesWhatIsNotOne) {
  const std::string folder = testing::temporary_folder();
  EXPECT_EQ(error_of([&] { read_problems(folder + "/none.gpkg"); }).kind(), ErrorKind::kIo);
  const std::string grid_file = folder + "/city.gpkg";
  write_grid_set(grid_set_with_problems(), grid_file);
  const Error e = error_of([&] { read_problems(grid_file); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().layer, "problems");
  EXPECT_EQ(
      error_of([&] { write_problems({}, GridSet{}, folder + "/no/such/folder.gpkg"); }).kind(),
      ErrorKind::kIo);
}

// gridtool validate -o, run in-process: the file a planner opens in QGIS.
TEST(ValidateCommand, WritesTheProblemsGeoPackage) {
  const std::string folder = testing::temporary_folder();
  const std::string grid_file = folder + "/city.gpkg";
  const std::string problems_file = folder + "/problems.gpkg";
  write_grid_set(grid_set_with_problems(), grid_file);
  std::ostringstream out, err;
  const int status =
      gridtool::run({"validate", grid_file, "--tolerance", "0.1", "-o", problems_file}, out, err);
  EXPECT_EQ(status, 1) << err.str();
  EXPECT_EQ(err.str(), "");
  EXPECT_NE(out.str().find("wrote " + problems_file), std::string::npos) << out.str();
  const ValidationReport written = read_problems(problems_file);
  ASSERT_EQ(written.problems.size(), 5u);
  std::size_t located = 0;
  for (const Problem& p : written.problems) located += !p.where.empty();
  EXPECT_EQ(located, 2u);
  EXPECT_EQ(written.sliver_count(), 1u);
  for (const auto& entry : fs::directory_iterator(folder)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST(ValidateCommand, BadInputWritesNothing) {
  const std::string folder = testing::temporary_folder();
  const std::string problems_file = folder + "/problems.gpkg";
  std::ostringstream out, err;
  EXPECT_EQ(gridtool::run({"validate", folder + "/none.gpkg", "-o", problems_file}, out, err), 2);
  EXPECT_FALSE(fs::exists(problems_file));
  EXPECT_TRUE(fs::is_empty(folder));
}

}  // namespace
}  // namespace libgrid
