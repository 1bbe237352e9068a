// A file written once from start to end, for outputs of any size. Bytes are gathered into
// large blocks that a thread of the writer's own writes, so the caller goes on while the kernel
// and the disk work.
//
// Direct mode bypasses the page cache (O_DIRECT): a multi-gigabyte output then costs neither
// the kernel's copy of every byte into freshly allocated cache pages (the largest part of the
// CPU time a streamed assign spends on its output) nor the cache other programs rely on. Where
// the filesystem refuses O_DIRECT (tmpfs on older kernels, some network filesystems), the
// writer falls back to the page cache by itself; the bytes written are the same either way.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace libgrid::internal {

class SequentialFileWriter {
 public:
  // Creates or empties `path`. Throws Error(kIo) naming it (or `name`, what the user knows the
  // file as when `path` is a temporary one) when it cannot be opened or written.
  SequentialFileWriter(std::string path, bool direct, std::string name = "");
  // Without close(), stops writing: the file is left incomplete (the caller removes it).
  ~SequentialFileWriter();
  SequentialFileWriter(const SequentialFileWriter&) = delete;
  SequentialFileWriter& operator=(const SequentialFileWriter&) = delete;

  // Appends `bytes`. Throws Error(kIo) naming the file when an earlier write failed.
  void write(std::string_view bytes);
  // Writes what is left and closes the file, at its exact size. Throws Error(kIo).
  void close();

  std::uint64_t bytes_written() const { return total_; }

 private:
  struct Block;
  void hand_over(std::unique_ptr<Block> full);  // to the writing thread
  void run();                                   // the writing thread
  // Writes `size` bytes at `data` (a whole number of alignment units in direct mode), falling
  // back to the page cache when O_DIRECT is refused. Returns 0 or the failing errno.
  int write_out(const char* data, std::size_t size);
  [[noreturn]] void fail(int error) const;

  std::string path_;
  std::string name_;  // in messages
  int fd_ = -1;
  bool opened_direct_ = false;  // whether the last block must be padded
  bool direct_ = false;         // the writing thread's: cleared when it falls back
  std::uint64_t total_ = 0;     // bytes given to write()

  std::unique_ptr<Block> filling_;  // the block write() copies into
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> full_;    // in order, oldest first
  std::vector<std::unique_ptr<Block>> spare_;  // written, to be filled again
  bool stop_ = false;
  std::atomic<int> error_ = 0;  // the errno of the first failed write
  std::thread thread_;
};

}  // namespace libgrid::internal
