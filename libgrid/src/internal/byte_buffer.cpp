#include "internal/byte_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace libgrid::internal {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

// `bytes` (a multiple of kHugePage) of fresh memory starting on a huge page, asked to be backed
// by huge pages where the kernel lets a program ask (transparent huge pages in "madvise" mode).
char* map_huge(std::size_t bytes) {
  // Mapped one huge page larger, then trimmed to the boundary: mmap aligns to 4 KiB only.
  void* const mapped = ::mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  char* const start = static_cast<char*>(mapped);
  const std::size_t lead =
      (kHugePage - reinterpret_cast<std::uintptr_t>(start) % kHugePage) % kHugePage;
  char* const block = start + lead;
  if (lead > 0) ::munmap(start, lead);
  ::munmap(block + bytes, kHugePage - lead);
#if defined(MADV_HUGEPAGE)
  ::madvise(block, bytes, MADV_HUGEPAGE);
#endif
  return block;
}

}  // namespace

void ByteBuffer::FreeBlock::operator()(char* p) const {
  if (bytes >= kHugePage) {
    ::munmap(p, bytes);
  } else {
    ::operator delete (p, std::align_val_t{kAlignment});
  }
}

void ByteBuffer::reallocate(std::size_t capacity) {
  // A large buffer in huge pages: a fault, and for O_DIRECT a page to pin, per 2 MiB, not per
  // 4 KiB.
  char* block = nullptr;
  if (capacity >= kHugePage) {
    capacity = (capacity + kHugePage - 1) / kHugePage * kHugePage;
    block = map_huge(capacity);
  } else {
    block = static_cast<char*>(::operator new (capacity, std::align_val_t{kAlignment}));
  }
  std::unique_ptr<char, FreeBlock> bigger(block, FreeBlock{capacity});
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

}  // namespace libgrid::internal
