// Nothing is written half, and nothing is written over an input: outputs go to a temporary file
// beside the destination and are renamed into place only when complete. If the object is
// destroyed without commit(), or the process is ended by SIGINT, SIGTERM or SIGHUP, the temporary
// file is removed.
//
// "-" stands for standard output (for text and CSV): the output is gathered in a temporary file
// and copied out only when complete, so a failed run writes nothing there either. /dev/stdout,
// /dev/fd/1 and /proc/self/fd/1 stand for it too: renaming a file onto one of those links would
// replace the link itself, not write where it leads.
//
// This is the one place where outputs are checked. The destination must be "-" or a path other
// than "", must not name anything but a regular file (a
// device such as /dev/null, a folder or a pipe is refused, so that a rename can never replace
// it), and must not be the same file as any of the run's inputs: compared by device and inode, so
// that a symbolic or hard link to an input is refused too. A destination that is a symbolic link
// is written through: the file it leads to is replaced, and the link stays.
#pragma once

#include <iostream>
#include <string>
#include <vector>

namespace libgrid {

// True for "-" and the names of standard output that AtomicOutput takes as "-".
bool is_standard_output(const std::string& path);

class AtomicOutput {
 public:
  // Throws Error(kInvalidInput) when the destination is refused as described above (`inputs`
  // are the files the run reads; those that do not exist are ignored), and Error(kIo) when the
  // destination's folder does not exist or no temporary file can be made in it.
  explicit AtomicOutput(std::string destination, const std::vector<std::string>& inputs = {});
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Where to write: a fresh name in the destination's folder (the temporary folder for "-",
  // with the extension ".csv").
  const std::string& temporary_path() const { return temporary_; }
  const std::string& destination() const { return destination_; }
  bool to_standard_output() const { return is_standard_output(destination_); }
  // Renames the temporary file onto the destination (onto the file it leads to, for a symbolic
  // link), or for standard output copies it to
  // `standard_output` and removes it. Throws Error(kIo) on failure.
  void commit(std::ostream& standard_output = std::cout);

 private:
  std::string destination_;
  std::string target_;  // what the temporary file is renamed onto: the destination, links resolved
  std::string temporary_;
  int slot_ = -1;  // in the table of temporary files removed on a signal; -1 when not there
  bool committed_ = false;
};

}  // namespace libgrid
