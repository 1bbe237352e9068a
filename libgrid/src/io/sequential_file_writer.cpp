#include "io/sequential_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "libgrid/error.h"

namespace libgrid::internal {

namespace {

// Large enough that the per-call cost vanishes, small enough to stay in the caches.
constexpr std::size_t kBlockBytes = std::size_t{4} << 20;
// One filled by the caller, up to two waiting or being written.
constexpr int kBlocks = 3;
// Pieces waiting to be written, at most (one more is being written): the caller waits for
// room beyond. Each is a block or a chunk's output of a few MB.
constexpr std::size_t kQueued = 2;

}  // namespace

SequentialFileWriter::SequentialFileWriter(std::string path, bool direct, std::string name)
    : path_(std::move(path)), name_(name.empty() ? path_ : std::move(name)) {
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  fd_ = ::open(path_.c_str(), kFlags | (direct ? O_DIRECT : 0), 0666);
  if (fd_ < 0 && direct && errno == EINVAL) {  // the filesystem has no O_DIRECT
    direct = false;
    fd_ = ::open(path_.c_str(), kFlags, 0666);
  }
  if (fd_ < 0) fail(errno);
  opened_direct_ = direct;
  direct_ = direct;
  blocks_made_ = 1;  // filling_, which grows as it is filled
  thread_ = std::thread([this] { run(); });
}

SequentialFileWriter::~SequentialFileWriter() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      full_.clear();  // an abandoned file: what is not written yet never will be
    }
    changed_.notify_all();
    thread_.join();
  }
  if (fd_ >= 0) ::close(fd_);
}

void SequentialFileWriter::write(std::string_view bytes) {
  if (const int error = error_.load(std::memory_order_relaxed)) fail(error);
  total_ += bytes.size();
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kBlockBytes - filling_.size());
    // A block grows to kBlockBytes only when that much goes through write(): the few bytes
    // between a caller's own buffers need no more.
    if (filling_.size() + n > filling_.capacity()) {
      filling_.reserve(
          std::min(kBlockBytes, std::max(2 * filling_.capacity(), filling_.size() + n)));
    }
    filling_.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (filling_.size() == kBlockBytes) {
      hand_over({.bytes = std::move(filling_), .size = kBlockBytes, .block = true});
      filling_ = spare_block();
    }
  }
}

void SequentialFileWriter::write_owned(ByteBuffer buffer, std::size_t gap) {
  if (const int error = error_.load(std::memory_order_relaxed)) fail(error);
  // The filling block ends with the file's partial unit; what comes before it is whole units.
  const std::size_t partial = filling_.size() % kAlignment;
  if (gap != partial || buffer.size() < gap) {
    throw std::logic_error("SequentialFileWriter::write_owned: the gap is not the partial unit");
  }
  if (partial > 0) std::memcpy(buffer.data(), filling_.data() + filling_.size() - partial, partial);
  if (filling_.size() > partial) {
    const std::size_t whole = filling_.size() - partial;
    hand_over({.bytes = std::move(filling_), .size = whole, .block = true});
    filling_ = spare_block();
  }
  // The buffer's whole units go as they are; its last partial one starts the filling block.
  total_ += buffer.size() - gap;
  const std::size_t units = buffer.size() - buffer.size() % kAlignment;
  filling_.assign(buffer.view().substr(units));
  if (units == 0) {
    std::lock_guard lock(mutex_);
    written_.push_back(std::move(buffer));
    return;
  }
  hand_over({.bytes = std::move(buffer), .size = units, .block = false});
}

bool SequentialFileWriter::take_written(ByteBuffer& buffer) {
  std::lock_guard lock(mutex_);
  if (written_.empty()) return false;
  buffer = std::move(written_.back());
  written_.pop_back();
  return true;
}

ByteBuffer SequentialFileWriter::spare_block() {
  std::unique_lock lock(mutex_);
  if (spare_.empty() && blocks_made_ < kBlocks && error_ == 0) {
    ++blocks_made_;
    return ByteBuffer();
  }
  changed_.wait(lock, [&] { return !spare_.empty() || error_ != 0; });
  if (error_ != 0) fail(error_);
  ByteBuffer block = std::move(spare_.back());
  spare_.pop_back();
  block.clear();
  return block;
}

void SequentialFileWriter::close() {
  if (const int error = error_.load(std::memory_order_relaxed)) fail(error);
  // O_DIRECT writes whole alignment units: the last one is padded with zeros, then the file is
  // cut back to its size.
  bool padded = false;
  if (opened_direct_ && filling_.size() % kAlignment != 0) {
    const std::size_t pad = kAlignment - filling_.size() % kAlignment;
    char* at = filling_.room(pad);
    std::memset(at, 0, pad);
    filling_.commit(at + pad);
    padded = true;
  }
  if (filling_.size() > 0) {
    const std::size_t size = filling_.size();
    hand_over({.bytes = std::move(filling_), .size = size, .block = true});
  }
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
  if (const int error = error_.load()) fail(error);
  if (padded && ::ftruncate(fd_, static_cast<off_t>(total_)) != 0) fail(errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno);
}

void SequentialFileWriter::hand_over(Piece full) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return full_.size() < kQueued || error_ != 0; });
    if (error_ != 0) fail(error_);
    full_.push_back(std::move(full));
  }
  changed_.notify_all();
}

void SequentialFileWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || !full_.empty(); });
    if (full_.empty()) return;  // stopped, everything written
    Piece piece = std::move(full_.front());
    full_.pop_front();
    lock.unlock();
    const int error = error_ == 0 ? write_out(piece.bytes.data(), piece.size) : 0;
    lock.lock();
    if (error != 0 && error_ == 0) error_ = error;
    (piece.block ? spare_ : written_).push_back(std::move(piece.bytes));
    changed_.notify_all();
  }
}

int SequentialFileWriter::write_out(const char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL && direct_) {
      // Opened with O_DIRECT but refused at the first write (or after a short write left the
      // offset unaligned): the page cache takes the rest.
      const int flags = ::fcntl(fd_, F_GETFL);
      if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) != 0) return errno;
      direct_ = false;
      continue;
    }
    if (n < 0) return errno;
    if (n == 0) return EIO;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

void SequentialFileWriter::fail(int error) const {
  throw Error(ErrorKind::kIo, Location{.file = name_},
              std::string("cannot write: ") + std::strerror(error));
}

}  // namespace libgrid::internal
