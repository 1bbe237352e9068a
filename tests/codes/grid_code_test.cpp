#include "libgrid/codes/grid_code.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "libgrid/error.h"
#include "libgrid/geometry/wkt.h"
#include "support/error_of.h"
#include "support/wkt_box.h"

namespace libgrid {
namespace {

using testing::error_of;

using testing::box;

CellId add(GridSet& grids, const std::string& code, int level, CellId parent,
           const std::string& wkt) {
  return grids.add_cell(
      {.code = code, .level = level, .parent = parent, .geometry = parse_wkt_area(wkt)});
}

void add_person(GridSet& grids, const std::string& code, Role role, const std::string& id) {
  grids.roster().entries.push_back({.cell_code = code, .role = role, .person = {.id = id}});
}

std::string code_of(const GridSet& grids, CellId id) { return grids.cell(id).code; }

// Levels community → grid → microgrid.
GridSet three_levels() {
  GridSet grids;
  grids.add_level("community");
  grids.add_level("grid");
  grids.add_level("microgrid");
  return grids;
}

TEST(CodeFormat, NamesRoundTrip) {
  for (const CodeFormat f : {CodeFormat::kUnit15, CodeFormat::kUnit14, CodeFormat::kCjt349}) {
    EXPECT_EQ(parse_code_format(to_string(f)), f);
  }
  EXPECT_EQ(to_string(CodeFormat::kUnit15), "unit15");
  EXPECT_EQ(to_string(CodeFormat::kUnit14), "unit14");
  EXPECT_EQ(to_string(CodeFormat::kCjt349), "cjt349");
  EXPECT_EQ(parse_code_format("CJT349"), CodeFormat::kCjt349);
  EXPECT_EQ(parse_code_format("unit16"), std::nullopt);
  EXPECT_EQ(parse_code_format(""), std::nullopt);
  EXPECT_EQ(code_length(CodeFormat::kUnit15), 15u);
  EXPECT_EQ(code_length(CodeFormat::kUnit14), 14u);
  EXPECT_EQ(code_length(CodeFormat::kCjt349), 20u);
  EXPECT_EQ(max_sequence(CodeFormat::kUnit15), 999);
  EXPECT_EQ(max_sequence(CodeFormat::kUnit14), 99);
  EXPECT_EQ(max_sequence(CodeFormat::kCjt349), 99);
}

TEST(CodeFormat, MakeCodeLaysOutTheParts) {
  EXPECT_EQ(make_code(CodeFormat::kUnit15, "110119001001", 7), "110119001001007");
  EXPECT_EQ(make_code(CodeFormat::kUnit14, "110119001001", 7), "11011900100107");
  EXPECT_EQ(make_code(CodeFormat::kCjt349, "110119001601", 0, "080100"), "08010011011900160100");
}

TEST(CodeProblem, AcceptsWellFormedCodes) {
  EXPECT_EQ(code_problem("110119001001001", CodeFormat::kUnit15), std::nullopt);
  EXPECT_EQ(code_problem("110119001001999", CodeFormat::kUnit15, "110119001001"), std::nullopt);
  EXPECT_EQ(code_problem("11011900100101", CodeFormat::kUnit14, "110119001001"), std::nullopt);
  // CJ/T 349: 00 is the one grid of a community that is not subdivided; 601+ a merged community.
  EXPECT_EQ(code_problem("08010011011900160100", CodeFormat::kCjt349, "110119001601", "080100"),
            std::nullopt);
  EXPECT_EQ(code_problem("08010011011900100199", CodeFormat::kCjt349, "110119001001"),
            std::nullopt);
}

TEST(CodeProblem, GivesTheReason) {
  EXPECT_EQ(code_problem("11011900100101", CodeFormat::kUnit15),
            "has 14 characters; a unit15 code has 15 digits");
  EXPECT_EQ(code_problem("1101190010010A1", CodeFormat::kUnit15),
            "character 14 ('A') is not a digit");
  EXPECT_EQ(code_problem("110119001001000", CodeFormat::kUnit15),
            "sequence 000 is out of range 001-999");
  EXPECT_EQ(code_problem("11011900100100", CodeFormat::kUnit14),
            "sequence 00 is out of range 01-99 (00 codes the community itself, not a grid)");
  EXPECT_EQ(code_problem("000000001001001", CodeFormat::kUnit15),
            "county code 000000 codes no county");
  EXPECT_EQ(code_problem("110119000001001", CodeFormat::kUnit15),
            "street code 000 codes no street or town");
  EXPECT_EQ(code_problem("110119001000001", CodeFormat::kUnit15),
            "community code 000 codes no community");
  EXPECT_EQ(code_problem("110119001002001", CodeFormat::kUnit15, "110119001001"),
            "does not extend its parent's code 110119001001");
  EXPECT_EQ(code_problem("110119001001001", CodeFormat::kUnit15, "110119001"),
            "parent code '110119001' is not a 12-digit community code");
  EXPECT_EQ(code_problem("08010011011900100101", CodeFormat::kCjt349, "110119001002"),
            "does not carry its parent's code 110119001002 after the object code");
  EXPECT_EQ(code_problem("08010011011900100101", CodeFormat::kCjt349, "", "080200"),
            "object code 080100 is not 080200");
  // A unit14 code padded to 20 digits is no cjt349 code: its community part is read after the
  // first 6 digits (county 001001, street 010, community 000).
  EXPECT_EQ(code_problem("11011900100101000000", CodeFormat::kCjt349, "110119001001"),
            "community code 000 codes no community");
}

TEST(GridSetSetCode, KeepsTheIndexAndRefusesDuplicates) {
  GridSet grids = three_levels();
  const CellId a = add(grids, "A", 0, kNoCell, box(0, 0, 1, 1));
  const CellId b = add(grids, "B", 0, kNoCell, box(1, 0, 2, 1));
  grids.set_code(a, "C");
  EXPECT_EQ(grids.find("C"), a);
  EXPECT_EQ(grids.find("A"), kNoCell);
  grids.set_code(a, "C");  // its own code again: nothing happens
  EXPECT_EQ(grids.find("C"), a);
  EXPECT_EQ(error_of([&] { grids.set_code(a, "B"); }).detail(),
            "cell C: code B is already the code of another cell");
  EXPECT_EQ(code_of(grids, a), "C");
  EXPECT_EQ(grids.find("B"), b);
  EXPECT_THROW(grids.set_code(a, ""), Error);
  EXPECT_THROW(grids.set_code(7, "D"), Error);
  grids.set_code(a, "A");  // the old code is free again
  EXPECT_EQ(grids.find("A"), a);
}

// A community 300 wide and 200 high, six 100 × 100 grids in two rows of three, added in a scrambled
// order under scrambled codes. West to east, north to south means: the north row 001 002 003 from
// x = 0, the south row 004 005 006.
TEST(AssignCodes, NumbersRowsNorthToSouthAndWestToEastWithinARow) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001001", 0, kNoCell, box(0, 0, 300, 200));
  const CellId south_middle = add(grids, "g1", 1, community, box(100, 0, 200, 100));
  const CellId north_east = add(grids, "g2", 1, community, box(200, 100, 300, 200));
  const CellId south_west = add(grids, "g3", 1, community, box(0, 0, 100, 100));
  const CellId north_west = add(grids, "g4", 1, community, box(0, 100, 100, 200));
  const CellId south_east = add(grids, "g5", 1, community, box(200, 0, 300, 100));
  const CellId north_middle = add(grids, "g6", 1, community, box(100, 100, 200, 200));

  const CodeAssignment result = assign_codes(grids, 1, CodeFormat::kUnit15);
  EXPECT_EQ(code_of(grids, north_west), "110119001001001");
  EXPECT_EQ(code_of(grids, north_middle), "110119001001002");
  EXPECT_EQ(code_of(grids, north_east), "110119001001003");
  EXPECT_EQ(code_of(grids, south_west), "110119001001004");
  EXPECT_EQ(code_of(grids, south_middle), "110119001001005");
  EXPECT_EQ(code_of(grids, south_east), "110119001001006");
  ASSERT_EQ(result.parents.size(), 1u);
  EXPECT_EQ(result.parents[0].parent_code, "110119001001");
  EXPECT_EQ(result.parents[0].cells, (std::vector<CellId>{north_west, north_middle, north_east,
                                                          south_west, south_middle, south_east}));
  EXPECT_EQ(result.parents[0].renamed, 6u);
  EXPECT_EQ(result.cells(), 6u);
  EXPECT_EQ(result.renamed_cells(), 6u);
  EXPECT_EQ(result.renamed_descendants(), 0u);
  ASSERT_EQ(result.changes.size(), 6u);
  EXPECT_EQ(result.changes[0].old_code, "g4");
  EXPECT_EQ(result.changes[0].new_code, "110119001001001");
  EXPECT_EQ(grids.find("110119001001004"), south_west);
  EXPECT_EQ(grids.find("g3"), kNoCell);

  // Stable: numbering again renames nothing.
  const CodeAssignment again = assign_codes(grids, 1, CodeFormat::kUnit15);
  EXPECT_TRUE(again.changes.empty());
  EXPECT_EQ(again.renamed_cells(), 0u);
}

// One column of four cells: north to south.
TEST(AssignCodes, NumbersAColumnNorthToSouth) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001002", 0, kNoCell, box(0, 0, 50, 400));
  std::vector<CellId> south_to_north;
  for (int i = 0; i < 4; ++i) {
    south_to_north.push_back(add(grids, std::string("c") + std::to_string(i), 1, community,
                                 box(0, 100 * i, 50, 100 * (i + 1))));
  }
  assign_codes(grids, 1, CodeFormat::kUnit14);
  EXPECT_EQ(code_of(grids, south_to_north[3]), "11011900100201");
  EXPECT_EQ(code_of(grids, south_to_north[2]), "11011900100202");
  EXPECT_EQ(code_of(grids, south_to_north[1]), "11011900100203");
  EXPECT_EQ(code_of(grids, south_to_north[0]), "11011900100204");
}

// Cells of a hand-drawn row are not aligned: their centroids differ by less than half the median
// cell height, so they still form one row, read west to east. A cell whose centroid lies more than
// that below the row's northernmost one opens the next row.
TEST(AssignCodes, BandsRowsByHalfTheMedianCellHeight) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001003", 0, kNoCell, box(0, 0, 300, 200));
  // Heights all 100; centroids at y 150, 140 and 175: one row (within 50 of 175).
  const CellId a = add(grids, "a", 1, community, box(0, 100, 100, 200));    // y 150, x 50
  const CellId b = add(grids, "b", 1, community, box(100, 90, 200, 190));   // y 140, x 150
  const CellId c = add(grids, "c", 1, community, box(200, 125, 300, 225));  // y 175, x 250
  // Centroid y 70: 105 below the row's opening 175, so a new row, though only 70 below b.
  const CellId d = add(grids, "d", 1, community, box(0, 20, 100, 120));   // y 70, x 50
  const CellId e = add(grids, "e", 1, community, box(150, 0, 250, 100));  // y 50, x 200
  assign_codes(grids, 1, CodeFormat::kUnit15);
  EXPECT_EQ(code_of(grids, a), "110119001003001");
  EXPECT_EQ(code_of(grids, b), "110119001003002");
  EXPECT_EQ(code_of(grids, c), "110119001003003");
  EXPECT_EQ(code_of(grids, d), "110119001003004");
  EXPECT_EQ(code_of(grids, e), "110119001003005");
}

// An L-shaped cell is placed by its centroid, not by its bounding box's centre.
TEST(AssignCodes, PlacesACellByTheCentroidOfItsArea) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001004", 0, kNoCell, box(0, 0, 400, 400));
  // The square [0,100]² plus a strip [0,10] x [100,400]: centroid (39.6, 96.2), box centre y 200.
  const CellId l_shape =
      add(grids, "l", 1, community, "POLYGON ((0 0, 100 0, 100 100, 10 100, 10 400, 0 400, 0 0))");
  const CellId north = add(grids, "q", 1, community, box(100, 100, 200, 200));  // y 150
  const CellId middle = add(grids, "r", 1, community, box(200, 0, 300, 100));   // y 50
  const CellId east = add(grids, "s", 1, community, box(300, 0, 400, 100));     // y 50
  // Heights 400, 100, 100, 100: median 100, rows 50 high. The first row holds only q (the L's
  // centroid is 53.8 below it); the L opens the second row, which r and s join.
  assign_codes(grids, 1, CodeFormat::kUnit15);
  EXPECT_EQ(code_of(grids, north), "110119001004001");
  EXPECT_EQ(code_of(grids, l_shape), "110119001004002");
  EXPECT_EQ(code_of(grids, middle), "110119001004003");
  EXPECT_EQ(code_of(grids, east), "110119001004004");
}

// Two grids trade codes (A→B while B→A), their microgrids follow where their codes spelled out
// the old grid code, and the roster follows every renamed cell.
TEST(AssignCodes, TradesCodesAndKeepsDescendantsAndRosterConsistent) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001001", 0, kNoCell, box(0, 0, 200, 100));
  const CellId east = add(grids, "110119001001001", 1, community, box(100, 0, 200, 100));
  const CellId west = add(grids, "110119001001002", 1, community, box(0, 0, 100, 100));
  const CellId east_micro = add(grids, "110119001001001001", 2, east, box(100, 0, 200, 100));
  const CellId west_micro_a = add(grids, "110119001001002001", 2, west, box(0, 0, 50, 100));
  const CellId west_micro_b = add(grids, "110119001001002002", 2, west, box(50, 0, 100, 100));
  // A microgrid coded apart from its grid keeps its code.
  const CellId odd_micro = add(grids, "M-7", 2, west, box(0, 0, 1, 1));
  add_person(grids, "110119001001", Role::kGridLeader, "P1");
  add_person(grids, "110119001001001", Role::kGridWorker, "P2");
  add_person(grids, "110119001001002", Role::kGridWorker, "P3");
  add_person(grids, "110119001001002002", Role::kInfoWorker, "P4");
  add_person(grids, "M-7", Role::kInfoWorker, "P5");

  const CodeAssignment result = assign_codes(grids, 1, CodeFormat::kUnit15);
  EXPECT_EQ(code_of(grids, west), "110119001001001");
  EXPECT_EQ(code_of(grids, east), "110119001001002");
  EXPECT_EQ(code_of(grids, west_micro_a), "110119001001001001");
  EXPECT_EQ(code_of(grids, west_micro_b), "110119001001001002");
  EXPECT_EQ(code_of(grids, east_micro), "110119001001002001");
  EXPECT_EQ(code_of(grids, odd_micro), "M-7");
  EXPECT_EQ(grids.find("110119001001001"), west);
  EXPECT_EQ(grids.find("110119001001002001"), east_micro);
  EXPECT_EQ(result.renamed_cells(), 2u);
  EXPECT_EQ(result.renamed_descendants(), 3u);
  EXPECT_EQ(result.roster_entries, 3u);
  const auto& roster = grids.roster().entries;
  EXPECT_EQ(roster[0].cell_code, "110119001001");        // the community is not renumbered
  EXPECT_EQ(roster[1].cell_code, "110119001001002");     // P2 stays with the east grid
  EXPECT_EQ(roster[2].cell_code, "110119001001001");     // P3 stays with the west grid
  EXPECT_EQ(roster[3].cell_code, "110119001001001002");  // P4 with its microgrid
  EXPECT_EQ(roster[4].cell_code, "M-7");
  // Levels first, then descendants coarse to fine.
  ASSERT_EQ(result.changes.size(), 5u);
  EXPECT_EQ(result.changes[0].cell, west);
  EXPECT_EQ(result.changes[1].cell, east);
  EXPECT_EQ(result.changes[2].level, 2);
}

// Numbering parents apart: each parent's children start at 1; the report lists parents by code.
TEST(AssignCodes, NumbersEachParentApart) {
  GridSet grids = three_levels();
  const CellId second = add(grids, "110119001002", 0, kNoCell, box(100, 0, 200, 100));
  const CellId first = add(grids, "110119001001", 0, kNoCell, box(0, 0, 100, 100));
  const CellId s1 = add(grids, "x1", 1, second, box(100, 0, 200, 100));
  const CellId f1 = add(grids, "x2", 1, first, box(0, 50, 100, 100));
  const CellId f2 = add(grids, "x3", 1, first, box(0, 0, 100, 50));
  const CodeAssignment result = assign_codes(grids, 1, CodeFormat::kUnit14);
  EXPECT_EQ(code_of(grids, f1), "11011900100101");
  EXPECT_EQ(code_of(grids, f2), "11011900100102");
  EXPECT_EQ(code_of(grids, s1), "11011900100201");
  ASSERT_EQ(result.parents.size(), 2u);
  EXPECT_EQ(result.parents[0].parent_code, "110119001001");
  EXPECT_EQ(result.parents[1].parent_code, "110119001002");
}

TEST(AssignCodes, Cjt349LeadsWithTheObjectCodeAndNumbersASingleGrid00) {
  GridSet grids = three_levels();
  const CellId merged = add(grids, "110119001601", 0, kNoCell, box(0, 0, 100, 100));
  const CellId split = add(grids, "110119001002", 0, kNoCell, box(100, 0, 300, 100));
  const CellId only = add(grids, "only", 1, merged, box(0, 0, 100, 100));
  const CellId west = add(grids, "w", 1, split, box(100, 0, 200, 100));
  const CellId east = add(grids, "e", 1, split, box(200, 0, 300, 100));
  assign_codes(grids, 1, CodeFormat::kCjt349, "080100");
  EXPECT_EQ(code_of(grids, only), "08010011011900160100");
  EXPECT_EQ(code_of(grids, west), "08010011011900100201");
  EXPECT_EQ(code_of(grids, east), "08010011011900100202");
  EXPECT_TRUE(check_codes(grids, 1, CodeFormat::kCjt349, "080100").empty());
}

TEST(AssignCodes, RefusesTooManyChildrenNamingTheParentAndChangesNothing) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001005", 0, kNoCell, box(0, 0, 100, 1));
  for (int i = 0; i < 100; ++i) {
    std::string code = "k";  // appended, not prepended: GCC 12 misreads the latter (-Wrestrict)
    code += std::to_string(i);
    add(grids, code, 1, community, box(i, 0, i + 1, 1));
  }
  const Error e = error_of([&] { assign_codes(grids, 1, CodeFormat::kUnit14); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(e.detail(),
            "parent 110119001005 has 100 cells of level grid; unit14 codes number "
            "at most 99");
  EXPECT_EQ(grids.find("k0"), 1);
  // unit15 numbers up to 999: the same parent is fine.
  assign_codes(grids, 1, CodeFormat::kUnit15);
  EXPECT_EQ(grids.find("110119001005100"), 100);
}

TEST(AssignCodes, RefusesParentsAndArgumentsThatDoNotSuit) {
  GridSet grids = three_levels();
  const CellId street = add(grids, "110119001", 0, kNoCell, box(0, 0, 100, 100));
  add(grids, "g", 1, street, box(0, 0, 100, 100));
  EXPECT_EQ(error_of([&] { assign_codes(grids, 1, CodeFormat::kUnit15); }).detail(),
            "parent 110119001 of level grid: parent code '110119001' is not a 12-digit community "
            "code, which unit15 codes need");
  EXPECT_EQ(grids.find("g"), 1);
  EXPECT_EQ(error_of([&] { assign_codes(grids, 0, CodeFormat::kUnit15); }).detail(),
            "level community is the top level: its cells have no parent to number them under");
  EXPECT_EQ(error_of([&] { assign_codes(grids, 3, CodeFormat::kUnit15); }).detail(),
            "level 3 does not exist");
  EXPECT_EQ(error_of([&] { assign_codes(grids, 1, CodeFormat::kCjt349, "0801"); }).detail(),
            "the management-object code of a cjt349 code needs 6 digits, not '0801'");
  EXPECT_EQ(error_of([&] { assign_codes(grids, 1, CodeFormat::kCjt349); }).detail(),
            "the management-object code of a cjt349 code needs 6 digits, not ''");
  EXPECT_EQ(error_of([&] { assign_codes(grids, 1, CodeFormat::kUnit15, "080100"); }).detail(),
            "an object code applies to cjt349 codes only, not to unit15");
}

TEST(AssignCodes, RefusesACellWithoutParent) {
  GridSet grids = three_levels();
  add(grids, "lost", 1, kNoCell, box(0, 0, 1, 1));
  EXPECT_EQ(error_of([&] { assign_codes(grids, 1, CodeFormat::kUnit15); }).detail(),
            "cell lost of level grid has no parent: it cannot be numbered");
}

// A new code held by a cell that is not being renamed (here a microgrid coded apart from its grid)
// is refused before anything changes.
TEST(AssignCodes, RefusesACodeHeldByACellThatKeepsIt) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001001", 0, kNoCell, box(0, 0, 200, 100));
  const CellId west = add(grids, "w", 1, community, box(0, 0, 100, 100));
  add(grids, "e", 1, community, box(100, 0, 200, 100));
  add(grids, "110119001001002", 2, west, box(0, 0, 100, 100));
  EXPECT_EQ(error_of([&] { assign_codes(grids, 1, CodeFormat::kUnit15); }).detail(),
            "cannot rename e to 110119001001002: that code belongs to another cell, which keeps "
            "it");
  EXPECT_EQ(grids.find("w"), west);
  EXPECT_EQ(grids.find("e"), 2);
}

TEST(CheckCodes, ListsEveryBadCodeWithItsParent) {
  GridSet grids = three_levels();
  const CellId community = add(grids, "110119001001", 0, kNoCell, box(0, 0, 400, 100));
  add(grids, "110119001001001", 1, community, box(0, 0, 100, 100));
  add(grids, "110119001002002", 1, community, box(100, 0, 200, 100));
  add(grids, "11011900100100", 1, community, box(200, 0, 300, 100));
  add(grids, "110119001001000", 1, kNoCell, box(300, 0, 400, 100));
  add(grids, "110119001001004", 1, kNoCell, box(300, 0, 400, 100));
  const std::vector<CodeIssue> issues = check_codes(grids, 1, CodeFormat::kUnit15);
  ASSERT_EQ(issues.size(), 4u);
  EXPECT_EQ(issues[0].code, "110119001002002");
  EXPECT_EQ(issues[0].parent_code, "110119001001");
  EXPECT_EQ(issues[0].problem, "does not extend its parent's code 110119001001");
  EXPECT_EQ(issues[1].code, "11011900100100");
  EXPECT_EQ(issues[1].problem, "has 14 characters; a unit15 code has 15 digits");
  EXPECT_EQ(issues[2].code, "110119001001000");
  EXPECT_EQ(issues[2].parent_code, "");
  EXPECT_EQ(issues[2].problem, "sequence 000 is out of range 001-999");
  EXPECT_EQ(issues[3].code, "110119001001004");
  EXPECT_EQ(issues[3].problem, "has no parent");
  EXPECT_THROW(check_codes(grids, 5, CodeFormat::kUnit15), Error);
}

}  // namespace
}  // namespace libgrid
