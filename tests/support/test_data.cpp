#include "support/test_data.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

namespace libgrid::testing {
namespace fs = std::filesystem;

std::string source_path(const std::string& relative) {
  return (fs::path(LIBGRID_SOURCE_DIR) / relative).string();
}

std::vector<LevelSource> sample_city_sources() {
  std::vector<LevelSource> sources;
  for (const char* level : {"district", "street", "community", "grid", "microgrid"}) {
    sources.push_back(
        {level, source_path(std::string("data/samples/") + level + ".geojson"), "", ""});
  }
  return sources;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string shared_data_path(const std::string& relative) {
  const fs::path p = fs::path(LIBGRID_SHARED_DATA_DIR) / relative;
  return fs::exists(p) ? p.lexically_normal().string() : std::string();
}

namespace {
std::mutex folders_mutex;
std::vector<fs::path>& folders() {
  static std::vector<fs::path> list;
  return list;
}
void remove_folders() {
  for (const auto& f : folders()) {
    std::error_code ec;
    fs::remove_all(f, ec);
  }
}
}  // namespace

std::string temporary_folder() {
  std::lock_guard lock(folders_mutex);
  if (folders().empty()) std::atexit(remove_folders);
  std::string pattern = (fs::temp_directory_path() / "libgrid-test-XXXXXX").string();
  const char* made = mkdtemp(pattern.data());
  folders().emplace_back(made);
  return made;
}

}  // namespace libgrid::testing
