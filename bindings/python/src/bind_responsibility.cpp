// Who answers for events at points: the columns of GridSet.responsible, which are libgrid.assign's
// (libgrid::Assigner's) for bare arrays.
#include "bindings.h"

namespace libgrid::python {

void bind_responsibility(py::module_& m) {
  using namespace pybind11::literals;
  using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;
  auto cls = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  cls.def(
      "_responsible_columns",
      [](const py::object& self, const ArrayLike& x, const ArrayLike& y,
         const py::object& event_class, const py::object& reported_at,
         const ThreadsArgument& threads) -> ColumnDict {
        return assign_columns(self, x, y, event_class, reported_at, "", {}, "x", "y", "event_class",
                              "reported_at", threads);
      },
      "x"_a, "y"_a, "event_class"_a, "reported_at"_a, "threads"_a,
      "The columns of GridSet.responsible as a dict of arrays: libgrid.assign's on bare arrays. "
      "event_class and reported_at: None, an object array of str / None (one per point), a "
      "datetime64 array, or (categories, codes). Used by GridSet.responsible.");
}

}  // namespace libgrid::python
