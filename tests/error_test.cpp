#include "libgrid/error.h"

#include <gtest/gtest.h>

namespace libgrid {
namespace {

TEST(Describe, NamesThePartsThatApplyMostGeneralFirst) {
  EXPECT_EQ(describe({}), "");
  EXPECT_EQ(describe({.file = "a.gpkg", .layer = "grid", .feature = 3, .field = "code"}),
            "a.gpkg: layer grid: feature 3: field code");
  EXPECT_EQ(describe({.file = "a.csv", .feature = 0}), "a.csv: feature 0");
}

TEST(Describe, SpellsTheOptionAsEachFaceDoes) {
  const Location where{.file = "a.geojson", .option = "beidou_level"};
  EXPECT_EQ(describe(where), "a.geojson: option beidou_level");
  EXPECT_EQ(describe(where, spell_cli_option), "a.geojson: --beidou-level");
  EXPECT_EQ(describe(where, spell_python_option), "a.geojson: beidou_level=");
}

TEST(Error, WhatIsTheCppSpellingAndMessageTakesAFacesSpelling) {
  const Error e(ErrorKind::kInvalidInput, Location{.option = "size"}, "must be a positive length");
  EXPECT_STREQ(e.what(), "option size: must be a positive length");
  EXPECT_EQ(e.message(spell_cpp_option), e.what());
  EXPECT_EQ(e.message(spell_cli_option), "--size: must be a positive length");
  EXPECT_EQ(e.message(spell_python_option), "size=: must be a positive length");
  EXPECT_EQ(e.detail(), "must be a positive length");
  EXPECT_EQ(e.where().option, "size");
}

TEST(Error, WithoutAnOptionEveryFaceReadsTheSame) {
  const Error e(ErrorKind::kIo, Location{.file = "x.gpkg"}, "cannot open");
  EXPECT_EQ(e.message(spell_cli_option), "x.gpkg: cannot open");
  EXPECT_EQ(e.message(spell_python_option), "x.gpkg: cannot open");
}

}  // namespace
}  // namespace libgrid
