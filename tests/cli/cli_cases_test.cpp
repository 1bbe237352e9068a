// gridtool's command-line cases: plain files of arguments and expected output, in cases/.
//
//   NAME.args     one gridtool command per line (words split on spaces, "double quotes" keep
//                 spaces); every line but the last must succeed; the last is the one checked.
//   NAME.status   its exit status.
//   NAME.stdout   its exact standard output (absent: must be empty); likewise NAME.stderr.
//   NAME.absent   paths that must not exist afterwards (no partial output).
//   NAME.stdin    what the last command reads on standard input (a pipe; absent: nothing).
//   NAME.out.*    the exact content expected in @TMP@/out.*: NAME.out.csv for @TMP@/out.csv,
//                 NAME.out.report.csv for @TMP@/out.report.csv, and so on.
// @FIXTURES@ stands for tests/cli/fixtures and @TMP@ for a fresh folder, in all of them.
// LIBGRID_BLESS=1 rewrites .status/.stdout/.stderr from the actual results, for review.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gridtool/gridtool.h"
#include "support/standard_input.h"
#include "support/test_data.h"

namespace gridtool {
namespace {
namespace fs = std::filesystem;

const fs::path kCases = fs::path(LIBGRID_SOURCE_DIR) / "tests/cli/cases";
const std::string kFixtures = (fs::path(LIBGRID_SOURCE_DIR) / "tests/cli/fixtures").string();

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) words.push_back(word);
  return words;
}

class CliCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CliCase, MatchesExpectedOutput) {
  const std::string name = GetParam();
  const std::string tmp = libgrid::testing::temporary_folder();
  auto expand = [&](const std::string& text) {
    return replace_all(replace_all(text, "@FIXTURES@", kFixtures), "@TMP@", tmp);
  };
  auto fold = [&](const std::string& text) {
    return replace_all(replace_all(text, tmp, "@TMP@"), kFixtures, "@FIXTURES@");
  };
  std::vector<std::string> lines;
  std::istringstream args(libgrid::testing::file_bytes(kCases / (name + ".args")));
  for (std::string line; std::getline(args, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(expand(line));
  }
  if (lines.empty()) lines.emplace_back();  // a case of no arguments at all
  int status = 0;
  std::ostringstream out, err;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out.str("");
    err.str("");
    const bool last = i + 1 == lines.size();
    if (last && fs::exists(kCases / (name + ".stdin"))) {
      const libgrid::testing::StandardInputFrom input(
          libgrid::testing::file_bytes(kCases / (name + ".stdin")));
      status = run(split_words(lines[i]), out, err);
    } else {
      status = run(split_words(lines[i]), out, err);
    }
    if (i + 1 < lines.size()) {
      ASSERT_EQ(status, 0) << lines[i] << "\n" << err.str();
    }
  }
  const std::string actual_out = fold(out.str());
  const std::string actual_err = fold(err.str());
  if (std::getenv("LIBGRID_BLESS") != nullptr) {
    std::ofstream(kCases / (name + ".status")) << status << '\n';
    for (const auto& [suffix, text] : {std::pair{".stdout", actual_out}, {".stderr", actual_err}}) {
      if (text.empty()) {
        fs::remove(kCases / (name + suffix));
      } else {
        std::ofstream(kCases / (name + suffix), std::ios::binary) << text;
      }
    }
  }
  EXPECT_EQ(std::to_string(status) + "\n",
            libgrid::testing::file_bytes(kCases / (name + ".status")));
  const fs::path out_file = kCases / (name + ".stdout");
  const fs::path err_file = kCases / (name + ".stderr");
  EXPECT_EQ(actual_out, fs::exists(out_file) ? libgrid::testing::file_bytes(out_file) : "");
  EXPECT_EQ(actual_err, fs::exists(err_file) ? libgrid::testing::file_bytes(err_file) : "");
  for (const auto& entry : fs::directory_iterator(kCases)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(name + ".out.", 0) != 0) continue;
    const fs::path actual = fs::path(tmp) / file.substr(name.size() + 1);
    if (std::getenv("LIBGRID_BLESS") != nullptr) {
      fs::copy_file(actual, entry.path(), fs::copy_options::overwrite_existing);
    }
    EXPECT_EQ(libgrid::testing::file_bytes(actual), libgrid::testing::file_bytes(entry.path()))
        << file;
  }
  if (fs::exists(kCases / (name + ".absent"))) {
    std::istringstream absent(libgrid::testing::file_bytes(kCases / (name + ".absent")));
    for (std::string path; std::getline(absent, path);) {
      if (path.empty()) continue;
      EXPECT_FALSE(fs::exists(expand(path))) << path << " was written";
      // Nor any temporary file beside it.
      for (const auto& entry : fs::directory_iterator(fs::path(expand(path)).parent_path())) {
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
            << entry.path() << " left behind";
      }
    }
  }
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (entry.path().extension() == ".args") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Gridtool, CliCase, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace gridtool
