#include "internal/byte_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace libgrid::internal {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

// `bytes` (a multiple of kHugePage) of fresh memory starting on a huge page, its first `huge`
// bytes asked to be backed by huge pages where the kernel lets a program ask (transparent huge
// pages in "madvise" mode). The rest takes 4 KiB pages, each only once it is touched: a huge
// page is zeroed whole at its first touch, and fresh pages are costly (in a virtual machine
// that hands its free memory back to the host, up to several milliseconds a megabyte).
char* map_huge(std::size_t bytes, std::size_t huge) {
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
  if (huge > 0) ::madvise(block, huge, MADV_HUGEPAGE);
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
  // 4 KiB. Only the whole huge pages of what was asked for: the room rounded up to the next one
  // is there for later, larger contents, not zeroed before they come.
  char* block = nullptr;
  if (capacity >= kHugePage) {
    const std::size_t huge = capacity / kHugePage * kHugePage;
    capacity = (capacity + kHugePage - 1) / kHugePage * kHugePage;
    block = map_huge(capacity, huge);
  } else {
    block = static_cast<char*>(::operator new (capacity, std::align_val_t{kAlignment}));
  }
  std::unique_ptr<char, FreeBlock> bigger(block, FreeBlock{capacity});
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

}  // namespace libgrid::internal
