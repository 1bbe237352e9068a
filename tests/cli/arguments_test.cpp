// How a subcommand's words become options and positionals, and which mistakes are refused with
// which one-line message.
#include "gridtool/arguments.h"

#include <gtest/gtest.h>

namespace gridtool {
namespace {

const std::vector<OptionSpec> kSpecs = {
    {"output", 'o'}, {"x"},   {"level", 'l', true, true}, {"no-progress", '\0', false},
    {"limit"},       {"snap"}};

Arguments read(const std::vector<std::string>& args) { return Arguments(kSpecs, args); }

// The UsageError's message for `args`, or "" when they are accepted.
std::string refusal(const std::vector<std::string>& args) {
  try {
    read(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(Arguments, ReadsEveryFormOfAnOptionAndKeepsTheRestInOrder) {
  const Arguments a = read({"city.gpkg", "-o", "-", "--x=lon", "-lgrid=g.gpkg", "--level",
                            "community=c.gpkg", "--no-progress", "--limit", "5", "more"});
  EXPECT_EQ(a.positional(), (std::vector<std::string>{"city.gpkg", "more"}));
  EXPECT_EQ(a.value("output"), "-");
  EXPECT_EQ(a.value("x"), "lon");
  EXPECT_EQ(a.values("level"), (std::vector<std::string>{"grid=g.gpkg", "community=c.gpkg"}));
  EXPECT_TRUE(a.has("no-progress"));
  EXPECT_EQ(a.integer("limit", 20, 0, 100), 5);
  EXPECT_FALSE(a.has("snap"));
  EXPECT_EQ(a.number("snap", 0.5), 0.5);
  EXPECT_EQ(a.value("snap", "none"), "none");
}

TEST(Arguments, NegativeNumbersAreValuesAndPositionalsNotOptions) {
  const Arguments a = read({"city.gpkg", "-73.9", "-5", "--x", "-2.5", "--snap", "-1e-3"});
  EXPECT_EQ(a.positional(), (std::vector<std::string>{"city.gpkg", "-73.9", "-5"}));
  EXPECT_EQ(a.value("x"), "-2.5");
  EXPECT_EQ(a.number("snap", 0.0), -1e-3);
}

TEST(Arguments, EverythingAfterADoubleDashIsPositional) {
  const Arguments a = read({"a", "--", "--output", "-o"});
  EXPECT_EQ(a.positional(), (std::vector<std::string>{"a", "--output", "-o"}));
  EXPECT_FALSE(a.has("output"));
}

TEST(Arguments, RefusesMistakesNamingTheOption) {
  EXPECT_EQ(refusal({"--colour", "red"}), "unknown option --colour");
  EXPECT_EQ(refusal({"-q"}), "unknown option -q");
  EXPECT_EQ(refusal({"a", "-o"}), "option --output needs a value");
  EXPECT_EQ(refusal({"-o", ""}), "option --output needs a value, not ''");
  EXPECT_EQ(refusal({"--output=", "a"}), "option --output needs a value, not ''");
  EXPECT_EQ(refusal({"--no-progress=yes"}), "option --no-progress takes no value");
  EXPECT_EQ(refusal({"--no-progress="}), "option --no-progress takes no value");
  EXPECT_EQ(refusal({"-o", "a", "--output=b"}), "option --output is given twice");
  EXPECT_EQ(refusal({"--output", "a", "--level", "x=a", "-l", "y=b"}), "");
}

TEST(Arguments, NumbersAreCheckedWhenRead) {
  const auto integer_refusal = [](const std::string& text) -> std::string {
    try {
      read({"--limit", text}).integer("limit", 0, 0, 64);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(integer_refusal("64"), "");
  EXPECT_EQ(integer_refusal("65"), "option --limit needs a whole number from 0 to 64, not '65'");
  EXPECT_EQ(integer_refusal("-1"), "option --limit needs a whole number from 0 to 64, not '-1'");
  EXPECT_EQ(integer_refusal("1.5"), "option --limit needs a whole number from 0 to 64, not '1.5'");
  EXPECT_EQ(integer_refusal("1e30"),
            "option --limit needs a whole number from 0 to 64, not '1e30'");
  EXPECT_EQ(integer_refusal("ten"), "option --limit needs a number, not 'ten'");
  // Written as a real number, a whole one is still whole; a leading zero is not octal.
  EXPECT_EQ(read({"--limit", "1e1"}).integer("limit", 0, 0, 64), 10);
  EXPECT_EQ(read({"--limit", "010"}).integer("limit", 0, 0, 64), 10);
  for (const std::string text : {"inf", "nan", "1e400", "2,5", "1.5m"}) {
    EXPECT_THROW(read({"--snap", text}).number("snap", 0.0), UsageError) << text;
  }
  EXPECT_EQ(read({"--snap", "0.25"}).number("snap", 0.0), 0.25);
}

}  // namespace
}  // namespace gridtool
