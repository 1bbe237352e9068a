#include "libgrid/io/grid_set_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "libgrid/error.h"
#include "libgrid/io/grid_set_import.h"
#include "support/error_of.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;

using testing::error_of;

// Compares every field of two grid sets, coordinates bit for bit.
void expect_same(const GridSet& a, const GridSet& b) {
  EXPECT_EQ(a.levels(), b.levels());
  EXPECT_EQ(a.crs(), b.crs());
  ASSERT_EQ(a.size(), b.size());
  for (CellId id = 0; id < static_cast<CellId>(a.size()); ++id) {
    const Cell& x = a.cell(id);
    const Cell& y = b.cell(id);
    SCOPED_TRACE("cell " + x.code);
    EXPECT_EQ(x.code, y.code);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.level, y.level);
    EXPECT_EQ(x.parent, y.parent);
    EXPECT_EQ(x.households, y.households);
    EXPECT_EQ(x.population, y.population);
    EXPECT_EQ(x.kind, y.kind);
    ASSERT_EQ(x.attributes.size(), y.attributes.size());
    for (std::size_t i = 0; i < x.attributes.size(); ++i) {
      EXPECT_EQ(x.attributes[i].name, y.attributes[i].name);
      EXPECT_EQ(x.attributes[i].value, y.attributes[i].value);
    }
    ASSERT_EQ(x.geometry.polygons.size(), y.geometry.polygons.size());
    for (std::size_t p = 0; p < x.geometry.polygons.size(); ++p) {
      // Point's == compares the doubles exactly.
      EXPECT_EQ(x.geometry.polygons[p].rings, y.geometry.polygons[p].rings);
    }
  }
  ASSERT_EQ(a.roster().entries.size(), b.roster().entries.size());
  for (std::size_t i = 0; i < a.roster().entries.size(); ++i) {
    const RosterEntry& x = a.roster().entries[i];
    const RosterEntry& y = b.roster().entries[i];
    EXPECT_EQ(x.cell_code, y.cell_code);
    EXPECT_EQ(x.role, y.role);
    EXPECT_EQ(x.person.id, y.person.id);
    EXPECT_EQ(x.person.name, y.person.name);
    EXPECT_EQ(x.person.phone, y.person.phone);
  }
  ASSERT_EQ(a.duty_table().rules.size(), b.duty_table().rules.size());
  for (std::size_t i = 0; i < a.duty_table().rules.size(); ++i) {
    const DutyRule& x = a.duty_table().rules[i];
    const DutyRule& y = b.duty_table().rules[i];
    EXPECT_EQ(x.event_class, y.event_class);
    EXPECT_EQ(x.class_name, y.class_name);
    EXPECT_EQ(x.department, y.department);
    EXPECT_EQ(x.handling_level, y.handling_level);
    EXPECT_EQ(x.deadline, y.deadline);
    EXPECT_EQ(x.unit, y.unit);
  }
  EXPECT_EQ(a.calendar(), b.calendar());
}

Ring square(double x0, double y0, double size) {
  return {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}};
}

// A grid set using every field, with awkward doubles and text.
GridSet sample() {
  GridSet grids;
  grids.add_level("district");
  grids.add_level("网格");
  grids.set_crs("EPSG:4548");
  Cell district;
  district.code = "110101";
  district.name = "东城区";
  district.households = 1LL << 40;
  district.population = 0;
  district.geometry.polygons.push_back(
      Polygon{{{{0.1, 0.2}, {1.0 / 3, 0.2}, {1.0 / 3, 2.0 / 3}, {0.1, 2.0 / 3}, {0.1, 0.2}},
               {{0.15, 0.25}, {0.2, 0.25}, {0.2, 0.3}, {0.15, 0.25}}}});
  district.geometry.polygons.push_back(Polygon{{square(-1e-300, 5e11 + 0.1, 1e-3)}});
  district.attributes = {{"zeta", "z, \"quoted\"\nline"}, {"alpha", ""}, {"名称", "值"}};
  const CellId d = grids.add_cell(district);

  Cell g1;
  g1.code = "110101001";
  g1.name = "";
  g1.level = 1;
  g1.parent = d;
  g1.households = 350;
  g1.population = 1200;
  g1.kind = CellKind::kDedicated;
  g1.geometry.polygons.push_back(Polygon{{square(116.41875712345678, 39.917544000000001, 1e-5)}});
  g1.attributes = {{"alpha", "a1"}};
  grids.add_cell(g1);

  Cell g2 = g1;
  g2.code = "110101002";
  g2.parent = kNoCell;  // an orphan stays an orphan
  g2.kind = CellKind::kBasic;
  g2.attributes = {{"beta", "b2"}, {"alpha", "a2"}};
  grids.add_cell(g2);

  grids.roster().entries = {{"110101001", Role::kGridWorker, {"P1", "张三", "13800000000"}},
                            {"110101001", Role::kInfoWorker, {"P2", "Li, Si", ""}},
                            {"110101", Role::kGridLeader, {"P3", "王五", "010-1234"}}};
  grids.duty_table().rules = {
      {"01", "市容环境", "城管委", "district", 2.0, DeadlineUnit::kWorkingHours},
      {"0101", "", "Sanitation", "网格", 0.1, DeadlineUnit::kUrgentHours}};
  grids.calendar().set(*parse_date("2026-10-01"), DayKind::kHoliday);
  grids.calendar().set(*parse_date("2026-10-10"), DayKind::kWorkday);
  return grids;
}

std::string folder_listing(const std::string& folder) {
  std::string names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names += entry.path().filename().string() + " ";
  }
  return names;
}

TEST(GridSetFile, RoundTripsEveryFieldExactly) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string path = folder + "/grids.gpkg";
  const GridSet original = sample();
  write_grid_set(original, path);
  EXPECT_EQ(folder_listing(folder), "grids.gpkg ");  // no temporary file left
  const GridSet read = read_grid_set(path);
  expect_same(original, read);
}

TEST(GridSetFile, ReplacesAnExistingFile) {
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  std::ofstream(path) << "not a geopackage";
  GridSet small;
  small.add_level("grid");
  write_grid_set(small, path);
  const GridSet read = read_grid_set(path);
  EXPECT_EQ(read.levels(), (std::vector<std::string>{"grid"}));
  EXPECT_EQ(read.size(), 0u);
  EXPECT_EQ(read.crs(), "");
}

TEST(GridSetFile, KeepsCellIdsWhenLevelsInterleave) {
  GridSet grids;
  grids.add_level("a");
  grids.add_level("b");
  const CellId first = grids.add_cell(Cell{.code = "A", .level = 0});
  grids.add_cell(Cell{.code = "A1", .level = 1, .parent = first});
  grids.add_cell(Cell{.code = "B", .level = 0});  // empty geometry, too
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  write_grid_set(grids, path);
  expect_same(grids, read_grid_set(path));
}

TEST(GridSetFile, KeepsEachCellsAttributeOrderWhenSomeAreUnset) {
  // As an import leaves them: the first cell's "a" was null in its source.
  GridSet grids;
  grids.add_level("grid");
  grids.add_cell(Cell{.code = "g1", .attributes = {{"b", "1"}, {"c", "2"}}});
  grids.add_cell(Cell{.code = "g2", .attributes = {{"a", "3"}, {"b", "4"}}});
  grids.add_cell(Cell{.code = "g3", .attributes = {}});
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  write_grid_set(grids, path);
  expect_same(grids, read_grid_set(path));
}

TEST(GridSetFile, KeepsTheCrsTextAsGiven) {
  for (const std::string crs : {"OGC:CRS84", "EPSG:4326",
                                "+proj=tmerc +lon_0=117 +k=1 +x_0=500000 +ellps=GRS80 +units=m"}) {
    GridSet grids;
    grids.add_level("grid");
    grids.set_crs(crs);
    grids.add_cell(Cell{.code = "g", .geometry = {{Polygon{{square(0, 0, 1)}}}}});
    const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
    write_grid_set(grids, path);
    EXPECT_EQ(read_grid_set(path).crs(), crs);
  }
}

TEST(GridSetFile, RoundTripsAnImportedGridSet) {
  LIBGRID_REQUIRE_SHARED(boroughs, "nyc/boroughs.geojson");
  LIBGRID_REQUIRE_SHARED(districts, "nyc/community_districts.geojson");
  const GridSet imported = import_grid_set({{"borough", boroughs, "", "BoroCode"},
                                            {"district", districts, "", "BoroCD"}})
                               .grids;
  const std::string path = libgrid::testing::temporary_folder() + "/nyc.gpkg";
  write_grid_set(imported, path);
  expect_same(imported, read_grid_set(path));
  // And a written grid set is a valid import source in its own right.
  const GridSet again =
      import_grid_set({{"borough", path, "borough"}, {"district", path, "district"}}).grids;
  EXPECT_EQ(again.size(), imported.size());
  EXPECT_EQ(again.cell(again.find("101")).parent, again.find("1"));
}

TEST(GridSetFile, RefusesReservedLevelNamesAndBadCrs) {
  const std::string folder = libgrid::testing::temporary_folder();
  GridSet reserved;
  reserved.add_level("libgrid_roster");
  const Error e = error_of([&] { write_grid_set(reserved, folder + "/a.gpkg"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().layer, "libgrid_roster");
  // The same check, for commands to make before their work.
  EXPECT_EQ(error_of([] { check_level_name("LibGrid_Levels"); }).detail(),
            "level 'LibGrid_Levels': level names starting with 'libgrid_' are reserved for the "
            "grid set file's own tables");
  EXPECT_NO_THROW(check_level_name("grid_libgrid_"));

  GridSet unknown;
  unknown.add_level("grid");
  unknown.set_crs("EPSG:99999");
  const Error crs = error_of([&] { write_grid_set(unknown, folder + "/b.gpkg"); });
  EXPECT_EQ(crs.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(crs.detail(), "unknown CRS 'EPSG:99999'");
  EXPECT_EQ(folder_listing(folder), "");
}

TEST(GridSetFile, RefusesAttributeNamedLikeACellField) {
  GridSet grids;
  grids.add_level("grid");
  grids.add_cell(Cell{.code = "g", .attributes = {{"Population", "3"}}});
  const std::string folder = libgrid::testing::temporary_folder();
  const Error e = error_of([&] { write_grid_set(grids, folder + "/a.gpkg"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().field, "Population");
  EXPECT_EQ(folder_listing(folder), "");
}

TEST(GridSetFile, MissingFileIsAnIoError) {
  const std::string path = libgrid::testing::temporary_folder() + "/missing.gpkg";
  const Error e = error_of([&] { read_grid_set(path); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(e.what()), path + ": no such file");
}

TEST(GridSetFile, OtherFormatIsAnIoError) {
  const std::string path = libgrid::testing::temporary_folder() + "/cells.geojson";
  std::ofstream(path) << R"({"type":"FeatureCollection","features":[]})";
  const Error e = error_of([&] { read_grid_set(path); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(e.where().file, path);
}

TEST(GridSetFile, TruncatedFileIsAnErrorNamingTheFile) {
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  write_grid_set(sample(), path);
  fs::resize_file(path, fs::file_size(path) / 2);
  const Error e = error_of([&] { read_grid_set(path); });
  EXPECT_TRUE(e.kind() == ErrorKind::kIo || e.kind() == ErrorKind::kInvalidInput);
  EXPECT_EQ(e.where().file, path) << e.what();
}

TEST(GridSetFile, GeoPackageWithoutLevelsTableIsNotAGridSet) {
  const std::string path = libgrid::testing::temporary_folder() + "/grids.gpkg";
  write_grid_set(sample(), path);
  // Rename the table in place: SQLite keeps table names as plain text, and a name of the same
  // length that sorts the same way leaves every page consistent.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    bytes = all.str();
  }
  std::size_t replaced = 0;
  for (std::size_t at = bytes.find("libgrid_levels"); at != std::string::npos;
       at = bytes.find("libgrid_levels", at)) {
    bytes.replace(at, 14, "libgrid_levelx");
    ++replaced;
  }
  ASSERT_GT(replaced, 0u);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  const Error e = error_of([&] { read_grid_set(path); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()), path + ": not a libgrid grid set (no libgrid_levels table)");
}

}  // namespace
}  // namespace libgrid
