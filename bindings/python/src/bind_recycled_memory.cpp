// The memory of libgrid.assign's arrays, recycled: a NumPy memory handler that keeps the large
// blocks of freed arrays and gives them to the next arrays made under it.
//
// A fresh block's pages are zeroed by the kernel at their first touch, and on some machines
// (virtual ones that hand free memory back to their host) that costs up to 7 ms a MB: most of a
// 20 M-row assign, whose result alone is 2.7 GB (bench/README.md). gridtool reuses its buffers
// from chunk to chunk; a Python result has to be new arrays, but the blocks of the results a
// program has dropped can be theirs. A kept block is marked MADV_FREE, so that the kernel takes
// its pages back when it needs them instead of swapping; until then they stay resident.
//
// NumPy (1.22 and later) records in each array the handler that allocated it and frees it
// through that handler, so the handler is set only while libgrid makes arrays (a context
// variable: other threads keep theirs), and arrays made under it may be freed anywhere later.
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <malloc.h>
#include <numpy/arrayobject.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "bindings.h"

namespace libgrid::python {
namespace {

#if NPY_FEATURE_VERSION >= NPY_1_22_API_VERSION
#define LIBGRID_RECYCLED_MEMORY 1
#endif

// Blocks are recycled from this size up (NumPy's own threshold for huge pages): below it the
// C library's allocator reuses memory itself.
constexpr std::size_t kSmallest = std::size_t{4} << 20;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
// A kept block is released once it has not been taken again for this long.
constexpr auto kKeptFor = std::chrono::minutes(10);

class BlockPool {
 public:
  // A block of at least `bytes` (kSmallest or more), zeroed when `zero` is set.
  void* take(std::size_t bytes, bool zero) {
    if (bytes > std::numeric_limits<std::size_t>::max() / 4) return nullptr;
    const std::size_t capacity = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    std::unique_lock lock(mutex_);
    release_old(std::chrono::steady_clock::now());
    // The smallest kept block that fits, unless it is more than twice the size: a small array
    // would hold a large block that the next large one needs.
    auto kept = free_.lower_bound(capacity);
    if (kept != free_.end() && kept->first <= 2 * capacity) {
      void* const block = kept->second.block;
      const std::size_t kept_capacity = kept->first;
      try {
        taken_.emplace(block, kept_capacity);  // first: if it fails, the block stays kept
      } catch (const std::bad_alloc&) {
        return nullptr;
      }
      kept_bytes_ -= kept_capacity;
      free_.erase(kept);
      ++reused_;
      lock.unlock();
      if (zero) std::memset(block, 0, bytes);
      return block;
    }
    lock.unlock();
    void* const block = map(capacity);
    if (block == nullptr) return nullptr;
    lock.lock();
    try {
      taken_.emplace(block, capacity);
    } catch (const std::bad_alloc&) {
      ::munmap(block, capacity);
      return nullptr;
    }
    return block;  // fresh pages read as zeros
  }

  // Keeps a block take() gave; false for any other pointer.
  bool give_back(void* block) {
    std::lock_guard lock(mutex_);
    const auto taken = taken_.find(block);
    if (taken == taken_.end()) return false;
    const std::size_t capacity = taken->second;
    taken_.erase(taken);
#if defined(MADV_FREE)
    const bool reclaimable = ::madvise(block, capacity, MADV_FREE) == 0;
#else
    const bool reclaimable = false;
#endif
    // A kernel without MADV_FREE could not take kept pages back when it runs short: keep none.
    if (!reclaimable) {
      ::munmap(block, capacity);
      return true;
    }
    const auto now = std::chrono::steady_clock::now();
    try {
      free_.emplace(capacity, Kept{block, now});
    } catch (const std::bad_alloc&) {
      ::munmap(block, capacity);
      return true;
    }
    kept_bytes_ += capacity;
    release_old(now);
    // Over the limit: the oldest blocks go first.
    while (kept_bytes_ > limit()) release(oldest());
    return true;
  }

  std::size_t capacity_of(void* block) {
    std::lock_guard lock(mutex_);
    const auto taken = taken_.find(block);
    return taken == taken_.end() ? 0 : taken->second;
  }

  // Unmaps every kept block; the bytes released.
  std::size_t release_all() {
    std::lock_guard lock(mutex_);
    const std::size_t bytes = kept_bytes_;
    while (!free_.empty()) release(free_.begin());
    return bytes;
  }

  // Held across fork() (pthread_atfork), so that the child gets the pool in a consistent state.
  void lock() { mutex_.lock(); }
  void unlock() { mutex_.unlock(); }

  struct Statistics {
    std::size_t kept_bytes, kept_blocks, taken_blocks, reused;
  };
  // Read under the lock; the Python dict is made after it (making one may collect garbage,
  // whose arrays come back here).
  Statistics statistics() {
    std::lock_guard lock(mutex_);
    return {kept_bytes_, free_.size(), taken_.size(), reused_};
  }

 private:
  struct Kept {
    void* block;
    std::chrono::steady_clock::time_point since;
  };
  using FreeBlocks = std::multimap<std::size_t, Kept>;

  // A quarter of the memory the process may have at most is kept: the machine's, or its
  // control group's limit where that is lower (a container's).
  static std::size_t limit() {
    static const std::size_t bytes = [] {
      std::size_t memory = static_cast<std::size_t>(::sysconf(_SC_PHYS_PAGES)) *
                           static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
      std::ifstream group("/sys/fs/cgroup/memory.max");
      unsigned long long group_limit = 0;
      if (group >> group_limit && group_limit > 0) {
        memory = std::min<std::size_t>(memory, static_cast<std::size_t>(group_limit));
      }
      return memory / 4;
    }();
    return bytes;
  }

  static void* map(std::size_t capacity) {
    // One huge page more, trimmed to the boundary: mmap aligns to 4 KiB only.
    void* const mapped = ::mmap(nullptr, capacity + kHugePage, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) return nullptr;
    char* const start = static_cast<char*>(mapped);
    const std::size_t lead =
        (kHugePage - reinterpret_cast<std::uintptr_t>(start) % kHugePage) % kHugePage;
    char* const block = start + lead;
    if (lead > 0) ::munmap(start, lead);
    ::munmap(block + capacity, kHugePage - lead);
#if defined(MADV_HUGEPAGE)
    ::madvise(block, capacity, MADV_HUGEPAGE);
#endif
    return block;
  }

  FreeBlocks::iterator oldest() {
    return std::min_element(free_.begin(), free_.end(), [](const auto& a, const auto& b) {
      return a.second.since < b.second.since;
    });
  }

  // Unmaps a kept block; the one after it.
  FreeBlocks::iterator release(FreeBlocks::iterator kept) {
    ::munmap(kept->second.block, kept->first);
    kept_bytes_ -= kept->first;
    return free_.erase(kept);
  }

  void release_old(std::chrono::steady_clock::time_point now) {
    for (auto kept = free_.begin(); kept != free_.end();) {
      kept = now - kept->second.since < kKeptFor ? std::next(kept) : release(kept);
    }
  }

  std::mutex mutex_;
  FreeBlocks free_;
  std::unordered_map<void*, std::size_t> taken_;
  std::size_t kept_bytes_ = 0;
  std::size_t reused_ = 0;
};

// Never destroyed: arrays made under the handler may be freed while the interpreter shuts down.
BlockPool& pool() {
  static auto* const blocks = [] {
    auto* made = new BlockPool;
    // A fork while another thread holds the lock would leave it held in the child forever.
    ::pthread_atfork([] { pool().lock(); }, [] { pool().unlock(); }, [] { pool().unlock(); });
    return made;
  }();
  return *blocks;
}

#ifdef LIBGRID_RECYCLED_MEMORY
// NumPy calls these from C: an allocation that fails returns nullptr (NumPy raises
// MemoryError), and nothing throws through them.
void* allocate(void* /*context*/, std::size_t bytes) noexcept {
  try {
    return bytes >= kSmallest ? pool().take(bytes, false) : std::malloc(bytes);
  } catch (...) {
    return nullptr;
  }
}

void* allocate_zeroed(void* /*context*/, std::size_t count, std::size_t size) noexcept {
  if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) return nullptr;
  const std::size_t bytes = count * size;
  try {
    return bytes >= kSmallest ? pool().take(bytes, true) : std::calloc(count, size);
  } catch (...) {
    return nullptr;
  }
}

void release_block(void* /*context*/, void* block, std::size_t /*bytes*/) noexcept {
  // The size NumPy passes is the array's, not always what was allocated: the pool knows its own.
  if (block == nullptr) return;
  try {
    if (!pool().give_back(block)) std::free(block);
  } catch (...) {
    // The pool could not be asked (its lock failed): the block is left, not freed as the
    // wrong kind.
  }
}

void* reallocate(void* context, void* block, std::size_t bytes) noexcept {
  std::size_t capacity = 0;
  try {
    capacity = block == nullptr ? 0 : pool().capacity_of(block);
  } catch (...) {
    return nullptr;
  }
  if (capacity == 0 && block != nullptr && bytes < kSmallest) return std::realloc(block, bytes);
  // A pool block that still fits, and is not more than twice the size, stays.
  if (capacity != 0 && bytes <= capacity && bytes >= capacity / 2) return block;
  void* const moved = allocate(context, bytes);
  if (moved == nullptr || block == nullptr) return moved;
  // A block of the C library's (a small one growing) is copied as far as it reaches.
  const std::size_t old = capacity != 0 ? capacity : ::malloc_usable_size(block);
  std::memcpy(moved, block, std::min(old, bytes));
  release_block(context, block, 0);
  return moved;
}

PyDataMem_Handler recycling_handler = {
    "libgrid_recycled",
    1,
    {nullptr, allocate, allocate_zeroed, reallocate, release_block},
};
#endif

// `with _libgrid._recycled_arrays():` makes the arrays of the block (in this thread, or this
// asyncio task) under the recycling handler; nesting is allowed.
class RecycledArrays {
 public:
  void enter() {
#ifdef LIBGRID_RECYCLED_MEMORY
    static PyObject* const handler =
        PyCapsule_New(&recycling_handler, "mem_handler", nullptr);  // never freed, as the pool
    if (handler == nullptr) throw py::error_already_set();
    PyObject* const previous = PyDataMem_SetHandler(handler);
    if (previous == nullptr) throw py::error_already_set();
    previous_.push_back(py::reinterpret_steal<py::object>(previous));
#endif
  }
  void exit() {
#ifdef LIBGRID_RECYCLED_MEMORY
    if (previous_.empty()) return;
    PyObject* const replaced = PyDataMem_SetHandler(previous_.back().ptr());
    previous_.pop_back();
    if (replaced == nullptr) throw py::error_already_set();
    Py_DECREF(replaced);
#endif
  }

 private:
  std::vector<py::object> previous_;
};

}  // namespace

void bind_recycled_memory(py::module_& m) {
  using namespace pybind11::literals;
  if (_import_array() < 0) throw py::error_already_set();
  py::class_<RecycledArrays>(m, "_RecycledArrays",
                             "The context of _recycled_arrays(): see libgrid.release_memory.")
      .def("__enter__",
           [](RecycledArrays& self) {
             self.enter();
             return &self;
           })
      .def("__exit__", [](RecycledArrays& self, const py::args&) {
        self.exit();
        return false;
      });
  m.def(
      "_recycled_arrays", [] { return RecycledArrays(); },
      "A context in which NumPy makes arrays of 4 MiB and more in the blocks of earlier ones "
      "that were freed (see release_memory). "
      "Used by libgrid.assign.");
  m.def(
      "release_memory", [] { return pool().release_all(); },
      "Hands back to the system the memory libgrid keeps for the arrays of its next results.\n\n"
      "libgrid.assign makes its result's large columns in the blocks of the results of earlier "
      "calls that were dropped: on a machine whose fresh memory is slow to touch, that is most "
      "of the time of a large call. Those blocks stay resident (the kernel may take them back "
      "when it runs short; a quarter of the memory the process may have, at most) until they "
      "are reused, released here, or released when libgrid next makes or frees an array after "
      "they have been unused for 10 minutes.\n\n"
      "Returns:\n    The bytes released.");
  m.def(
      "_recycled_memory_statistics",
      [] {
        const auto figures = pool().statistics();
        py::dict out;
        out["kept_bytes"] = figures.kept_bytes;
        out["kept_blocks"] = figures.kept_blocks;
        out["taken_blocks"] = figures.taken_blocks;
        out["reused"] = figures.reused;
        return out;
      },
      "The blocks kept for reuse: kept_bytes, kept_blocks, taken_blocks (in arrays now), "
      "reused (blocks given again since the start).");
}

}  // namespace libgrid::python
