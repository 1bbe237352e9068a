#include "libgrid/io/atomic_output.h"

#include <stdlib.h>  // mkstemps
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "libgrid/error.h"

namespace libgrid {

namespace fs = std::filesystem;

namespace {

// What SQLite (GeoPackage) may leave beside a database file.
constexpr const char* kSiblingSuffixes[] = {"-wal", "-shm", "-journal"};

}  // namespace

AtomicOutput::AtomicOutput(std::string destination) : destination_(std::move(destination)) {
  const fs::path target(destination_);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw Error(ErrorKind::kIo, Location{destination_},
                "folder " + folder.string() + " does not exist");
  }
  // ".NAME.tmp-XXXXXX.EXT": hidden, unique, in the same folder (so rename() is atomic), and with
  // the destination's extension, which GDAL drivers such as GPKG expect.
  const std::string extension = target.extension().string();
  std::string name = ".";
  name.append(target.stem().string()).append(".tmp-XXXXXX").append(extension);
  std::string pattern = (folder / name).string();
  const int fd = mkstemps(pattern.data(), static_cast<int>(extension.size()));
  if (fd < 0) {
    throw Error(ErrorKind::kIo, Location{destination_},
                std::string("cannot create a temporary file: ") + std::strerror(errno));
  }
  close(fd);
  // The name is ours now; the file itself goes, so that GDAL drivers, which refuse to create a
  // dataset over an existing file, can make it fresh (and with the usual permissions).
  std::remove(pattern.c_str());
  temporary_ = std::move(pattern);
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::remove(temporary_.c_str());
  for (const char* suffix : kSiblingSuffixes) std::remove((temporary_ + suffix).c_str());
}

void AtomicOutput::commit() {
  if (committed_) return;
  if (std::rename(temporary_.c_str(), destination_.c_str()) != 0) {
    throw Error(ErrorKind::kIo, Location{destination_},
                "cannot move " + temporary_ + " into place: " + std::strerror(errno));
  }
  committed_ = true;
}

}  // namespace libgrid
