// A file written once from start to end, for outputs of any size. Bytes are gathered into
// large blocks that a thread of the writer's own writes, so the caller goes on while the kernel
// and the disk work; a caller that lays its bytes out in the file's alignment units hands over
// whole buffers instead, which are written from where they are, without a copy.
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

#include "internal/byte_buffer.h"

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
  // Appends the bytes of `buffer` that follow its first `gap`, written from the buffer itself.
  // `gap` must be bytes_written() % kAlignment: the buffer's first `gap` bytes are the writer's,
  // which puts there the file's bytes since its last alignment unit, so that the buffer's units
  // are the file's. take_written() gives the buffer back once it is written.
  void write_owned(ByteBuffer buffer, std::size_t gap);
  // A buffer given to write_owned() that has been written since, or false when there is none.
  bool take_written(ByteBuffer& buffer);
  // Writes what is left and closes the file, at its exact size. Throws Error(kIo).
  void close();

  std::uint64_t bytes_written() const { return total_; }

  // O_DIRECT wants the memory, the file offset and the length aligned to the device's units
  // (512 bytes here, at most 4096 on the disks in use): 4096 satisfies them all.
  static constexpr std::size_t kAlignment = ByteBuffer::kAlignment;

 private:
  // What the writing thread writes next: the first `size` bytes of a block of the writer's own
  // (given back to spare_ once written) or of a caller's buffer (to written_).
  struct Piece {
    ByteBuffer bytes;
    std::size_t size = 0;
    bool block = false;
  };
  void hand_over(Piece full);  // to the writing thread, once it has room for one more
  // The next block to fill, once one is written.
  ByteBuffer spare_block();
  void run();  // the writing thread
  // Writes `size` bytes at `data` (a whole number of alignment units in direct mode), falling
  // back to the page cache when O_DIRECT is refused. Returns 0 or the failing errno.
  int write_out(const char* data, std::size_t size);
  [[noreturn]] void fail(int error) const;

  std::string path_;
  std::string name_;  // in messages
  int fd_ = -1;
  bool opened_direct_ = false;  // whether the last block must be padded
  bool direct_ = false;         // the writing thread's: cleared when it falls back
  std::uint64_t total_ = 0;     // bytes given to write() and write_owned()

  // The block write() copies into: the bytes since the last piece handed over, which ended on
  // an alignment unit.
  ByteBuffer filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Piece> full_;           // in order, oldest first
  std::vector<ByteBuffer> spare_;    // written, to be filled again
  int blocks_made_ = 0;              // made on demand, up to kBlocks
  std::vector<ByteBuffer> written_;  // the callers', written, to be given back
  bool stop_ = false;
  std::atomic<int> error_ = 0;  // the errno of the first failed write
  std::thread thread_;
};

}  // namespace libgrid::internal
