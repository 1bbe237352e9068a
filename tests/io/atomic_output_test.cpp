#include "libgrid/io/atomic_output.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "libgrid/error.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

namespace fs = std::filesystem;

std::string contents(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries(const std::string& folder) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

TEST(AtomicOutput, TemporaryIsAFreshHiddenNameBesideTheDestination) {
  const std::string folder = libgrid::testing::temporary_folder();
  const AtomicOutput a(folder + "/grids.gpkg");
  const AtomicOutput b(folder + "/grids.gpkg");
  const fs::path temporary(a.temporary_path());
  EXPECT_EQ(temporary.parent_path(), fs::path(folder));
  EXPECT_TRUE(temporary.filename().string().starts_with(".grids.tmp-"));
  EXPECT_EQ(temporary.extension(), ".gpkg");  // GDAL drivers look at it
  EXPECT_NE(a.temporary_path(), b.temporary_path());
  EXPECT_FALSE(fs::exists(temporary));  // left for the writer (GDAL) to create
  EXPECT_EQ(a.destination(), folder + "/grids.gpkg");
}

TEST(AtomicOutput, CommitReplacesTheDestination) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string destination = folder + "/out.csv";
  std::ofstream(destination) << "old";
  {
    AtomicOutput output(destination);
    std::ofstream(output.temporary_path()) << "new";
    EXPECT_EQ(contents(destination), "old");  // untouched until commit
    output.commit();
    EXPECT_FALSE(fs::exists(output.temporary_path()));
  }
  EXPECT_EQ(contents(destination), "new");
  EXPECT_EQ(entries(folder), 1u);
}

TEST(AtomicOutput, LeavesNothingBehindWithoutCommit) {
  const std::string folder = libgrid::testing::temporary_folder();
  const std::string destination = folder + "/grids.gpkg";
  std::ofstream(destination) << "old";
  {
    AtomicOutput output(destination);
    // What a half-written GeoPackage leaves: the file and SQLite's sidecars.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::ofstream(output.temporary_path() + suffix) << "partial";
    }
    EXPECT_EQ(entries(folder), 5u);
  }
  EXPECT_EQ(entries(folder), 1u);
  EXPECT_EQ(contents(destination), "old");
}

TEST(AtomicOutput, MissingFolderIsAnIoError) {
  const std::string destination = libgrid::testing::temporary_folder() + "/no/such/out.gpkg";
  try {
    AtomicOutput output(destination);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.where().file, destination);
  }
}

TEST(AtomicOutput, CommitWithoutATemporaryFileIsAnIoError) {
  const std::string folder = libgrid::testing::temporary_folder();
  AtomicOutput output(folder + "/out.csv");
  try {
    output.commit();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
  EXPECT_FALSE(fs::exists(folder + "/out.csv"));
}

TEST(AtomicOutput, AcceptsABareFileName) {
  const AtomicOutput output("relative.gpkg");
  EXPECT_EQ(fs::path(output.temporary_path()).parent_path(), fs::path("."));
}

}  // namespace
}  // namespace libgrid
