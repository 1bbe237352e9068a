#include "internal/geopackage_output.h"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "internal/ogr_geometry.h"
#include "io/write_all.h"
#include "libgrid/error.h"

namespace libgrid::internal {

namespace {

// What SQLite may leave beside a database file while it is written.
constexpr const char* kSiblingSuffixes[] = {"-journal", "-wal", "-shm"};

std::string fresh_memory_path() {
  static std::atomic<unsigned long> next{0};
  return "/vsimem/libgrid-" + std::to_string(::getpid()) + "-" + std::to_string(next++) + ".gpkg";
}

}  // namespace

GeoPackageOutput::GeoPackageOutput(std::string temporary, std::string path)
    : memory_path_(fresh_memory_path()), temporary_(std::move(temporary)), path_(std::move(path)) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (driver == nullptr)
    throw Error(ErrorKind::kIo, Location{.file = path_}, "GDAL has no GPKG driver");
  dataset_.reset(driver->Create(memory_path_.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (dataset_ == nullptr) {
    throw Error(ErrorKind::kIo, Location{.file = path_}, "cannot create: " + gdal_message());
  }
}

GeoPackageOutput::~GeoPackageOutput() {
  dataset_.reset();
  VSIUnlink(memory_path_.c_str());
  for (const char* suffix : kSiblingSuffixes) VSIUnlink((memory_path_ + suffix).c_str());
}

void GeoPackageOutput::close() {
  CPLErrorReset();
  dataset_.reset();
  if (CPLGetLastErrorType() == CE_Failure) {
    throw Error(ErrorKind::kIo, Location{.file = path_}, "cannot finish: " + gdal_message());
  }
  vsi_l_offset size = 0;
  const GByte* data = VSIGetMemFileBuffer(memory_path_.c_str(), &size, FALSE);
  if (data == nullptr) {
    throw Error(ErrorKind::kIo, Location{.file = path_}, "cannot finish: the GeoPackage is gone");
  }
  if (const int error = write_file(temporary_, data, static_cast<std::size_t>(size)); error != 0) {
    throw Error(ErrorKind::kIo, Location{.file = path_},
                std::string("cannot write: ") + std::strerror(error));
  }
}

}  // namespace libgrid::internal
