// libgrid.assign's copy of a frame's columns (copy=True): a contiguous NumPy array copied on
// every core. A fresh array's pages are zeroed by the kernel as they are first written, and on
// one core that, not the copy, is most of the cost (on a 2-core virtual machine 800 MB took
// 2.9-3.7 s on one thread and 1.4-1.6 s on two; bench/README.md).
#include <cstring>

#include "bindings.h"
#include "libgrid/parallel_for.h"

namespace libgrid::python {
namespace {

// Bytes one thread copies at least: below two of these the copy runs on the calling thread.
constexpr std::size_t kMinPieceBytes = std::size_t{1} << 22;

py::array copy_array(const py::array& source, const ThreadsArgument& threads_value) {
  const int threads = threads_argument(threads_value);
  const bool c_order = (source.flags() & py::array::c_style) != 0;
  const bool f_order = (source.flags() & py::array::f_style) != 0;
  const bool objects = source.dtype().is(py::dtype("O"));
  // Records holding objects would need each object field's reference taken: NumPy's own copy.
  const bool other_objects = !objects && source.dtype().attr("hasobject").cast<bool>();
  if ((!c_order && !f_order) || other_objects) return source.attr("copy")();
  const std::vector<py::ssize_t> shape(source.shape(), source.shape() + source.ndim());
  const std::vector<py::ssize_t> strides(source.strides(), source.strides() + source.ndim());
  // The same layout as the source, so that its bytes are copied as one block.
  py::array copy(source.dtype(), shape, strides);
  const auto item = static_cast<std::size_t>(source.itemsize());
  const auto n = static_cast<std::size_t>(source.size());
  const auto* from = static_cast<const char*>(source.data());
  auto* to = static_cast<char*>(copy.mutable_data());
  const auto copy_items = [&](std::size_t begin, std::size_t end) {
    std::memcpy(to + begin * item, from + begin * item, (end - begin) * item);
  };
  const std::size_t min_piece =
      std::max<std::size_t>(1, kMinPieceBytes / std::max<std::size_t>(1, item));
  if (!objects) {
    py::gil_scoped_release release;
    parallel_for(n, threads, min_piece, copy_items);
    return copy;
  }
  // Objects: the GIL stays held, so that no Python thread can replace (and free) an element
  // between the copy of its pointer and the reference the copy takes; the other threads only
  // copy bytes.
  try {
    parallel_for(n, threads, min_piece, copy_items);
  } catch (...) {
    // Slots copied without their references would be released with the array: empty them.
    std::memset(to, 0, n * item);
    throw;
  }
  auto* const* slots = reinterpret_cast<PyObject* const*>(to);
  constexpr std::size_t kAhead = 16;
  for (std::size_t i = 0; i < n; ++i) {
    // The objects lie anywhere in memory: their counts are fetched ahead of the increments.
    if (i + kAhead < n && slots[i + kAhead] != nullptr) __builtin_prefetch(slots[i + kAhead], 1);
    Py_XINCREF(slots[i]);
  }
  return copy;
}

}  // namespace

void bind_copy(py::module_& m) {
  using namespace pybind11::literals;
  m.def("_copy_array", &copy_array, "array"_a, "threads"_a,
        "A copy of a NumPy array (its elements' references taken for objects), on up to "
        "`threads` threads (0: every core) where it is contiguous. Used by libgrid.assign.");
}

}  // namespace libgrid::python
