// A GeoPackage being written for an AtomicOutput, built in GDAL's memory file system (/vsimem/)
// and written to the output's temporary file when complete. SQLite needs a file of a name it
// can add journals beside, which an unnamed temporary file (O_TMPFILE) has not; built in
// memory, a GeoPackage can go to one all the same, so that a run ended by any signal, kill -9
// included, leaves nothing behind.
#pragma once

#include <gdal_priv.h>

#include <string>

namespace libgrid::internal {

class GeoPackageOutput {
 public:
  // A new, empty GeoPackage, to be written to `temporary` (an AtomicOutput's) by close(), for
  // the output `path` named in errors. Error(kIo) when GDAL cannot create it.
  GeoPackageOutput(std::string temporary, std::string path);
  // Frees the memory the GeoPackage took, closed or not.
  ~GeoPackageOutput();
  GeoPackageOutput(const GeoPackageOutput&) = delete;
  GeoPackageOutput& operator=(const GeoPackageOutput&) = delete;

  GDALDataset& operator*() const { return *dataset_; }
  GDALDataset* operator->() const { return dataset_.get(); }

  // Closes the dataset (GDAL writes its last pages then, so its failures surface here) and
  // writes its bytes to the temporary file. Error(kIo) naming the output.
  void close();

 private:
  std::string memory_path_;  // /vsimem/..., unique in the process
  std::string temporary_;
  std::string path_;
  GDALDatasetUniquePtr dataset_;
};

}  // namespace libgrid::internal
