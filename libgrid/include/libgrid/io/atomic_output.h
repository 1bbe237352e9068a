// Nothing is written half: outputs go to a temporary file beside the destination and are renamed
// into place only when complete. If the object is destroyed without commit(), the temporary file
// is removed.
#pragma once

#include <string>

namespace libgrid {

class AtomicOutput {
 public:
  // Throws Error(kIo) when the destination's folder does not exist.
  explicit AtomicOutput(std::string destination);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Where to write: a fresh name in the destination's folder.
  const std::string& temporary_path() const { return temporary_; }
  const std::string& destination() const { return destination_; }
  // Renames the temporary file onto the destination. Throws Error(kIo) on failure.
  void commit();

 private:
  std::string destination_;
  std::string temporary_;
  bool committed_ = false;
};

}  // namespace libgrid
