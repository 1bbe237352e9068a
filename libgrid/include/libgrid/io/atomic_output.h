// Nothing is written half, and nothing is written over an input: outputs go to a temporary file
// and are put in place only when complete. If the object is destroyed without commit(), or the
// process is ended by a signal whose default action ends it (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
// SIGPIPE, SIGXFSZ, SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2) and for which the program set no handler
// of its own, the temporary file is removed, and the process then ends as the signal would have
// ended it.
//
// Writers that write one file through its path ask for an unnamed temporary file
// (Temporary::kUnnamed): on Linux it is made with O_TMPFILE in the destination's folder and has
// no name until commit(), so that even SIGKILL or a crash, which no handler sees, leaves nothing
// behind: the kernel frees the file with the process (GeoPackages too: they are built in memory
// and written to it when complete, see internal/geopackage_output.h). Where the system or the
// filesystem refuses that, and for writers that create the file themselves, the temporary file
// is a hidden name beside the destination, renamed into place on success.
//
// A destination that exists is replaced atomically, and the new file gets its permission bits
// (chmod 600 stays 600); a new file gets the usual ones (0666 less the umask).
//
// "-" stands for standard output (for text and CSV): the output is gathered in a temporary file
// (in the temporary folder, TMPDIR) and copied out only when complete, so a failed run writes
// nothing there either. /dev/stdout, /dev/fd/1 and /proc/self/fd/1 stand for it too: renaming a
// file onto one of those links would replace the link itself, not write where it leads.
//
// The null device (/dev/null) takes what is written through Temporary::kUnnamed directly, to keep
// only what a command prints.
//
// This is the one place where outputs are checked. The destination must be "-" or a path other
// than "", must not name anything but a regular file (a device, a folder or a pipe is refused, so
// that a rename can never replace it; the null device as said above), and must not be the same
// file as any of the run's inputs ("-" among them stands for the file standard input reads, if
// any): compared by device and inode, so that a symbolic or hard link to an input is refused too. A
// destination that is a symbolic link is written through: the file it leads to is replaced, and the
// link stays. Another user's file in a folder with the sticky bit, which the final rename could not
// replace, is refused (kIo) too.
#pragma once

#include <iostream>
#include <string>
#include <vector>

namespace libgrid {

// True for "-" and the names of standard output that AtomicOutput takes as "-".
bool is_standard_output(const std::string& path);

class AtomicOutput {
 public:
  // What the writer is given to write to.
  enum class Temporary {
    // A fresh hidden name, with no file there yet: for writers that create the file themselves,
    // look at its extension or add files beside it (as GDAL drivers and SQLite's journals do).
    kNamed,
    // An empty file with no name, where the system allows it (see above); temporary_path() then
    // leads to it through /proc/self/fd (in this process only), and has no extension. Elsewhere,
    // as kNamed. For writers that open the path and write one file from start to end (CSV,
    // binary streams, O_DIRECT).
    kUnnamed,
  };

  // Throws Error(kInvalidInput) when the destination is refused as described above (`inputs`
  // are the files the run reads; those that do not exist are ignored), and Error(kIo) when the
  // destination's folder does not exist or no temporary file can be made in it.
  explicit AtomicOutput(std::string destination, const std::vector<std::string>& inputs = {},
                        Temporary temporary = Temporary::kUnnamed);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Where to write: a fresh name in the destination's folder (the temporary folder for "-",
  // with the extension ".csv"), /proc/self/fd/N for an unnamed temporary file, or the null
  // device itself.
  const std::string& temporary_path() const { return temporary_; }
  bool temporary_is_unnamed() const { return unnamed_fd_ >= 0; }
  const std::string& destination() const { return destination_; }
  bool to_standard_output() const { return is_standard_output(destination_); }
  // Puts the temporary file in place of the destination (of the file it leads to, for a
  // symbolic link), or for standard output copies it to `standard_output` and removes it.
  // Throws Error(kIo) on failure.
  void commit(std::ostream& standard_output = std::cout);

 private:
  void copy_to(std::ostream& standard_output) const;
  void link_into_place();  // commits an unnamed temporary file

  std::string destination_;
  std::string target_;  // what the temporary file is renamed onto: the destination, links resolved
  std::string temporary_;
  int unnamed_fd_ = -1;     // the unnamed temporary file, open; -1 for a named one
  bool discarded_ = false;  // written straight to the null device
  int slot_ = -1;  // in the table of temporary files removed on a signal; -1 when not there
  bool committed_ = false;
};

}  // namespace libgrid
