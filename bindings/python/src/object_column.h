// Object columns whose rows share their str: slots filled on every core without the GIL, each
// str given its rows' references in one addition with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"

namespace libgrid::python {

// A 1-D object array of n slots, all None (NULL), to be filled through slots().
class ObjectColumn {
 public:
  explicit ObjectColumn(std::size_t n)
      : array_(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)}),
        slots_(static_cast<PyObject**>(array_.mutable_data())) {}
  // The slots: each one written still needs its reference (see add_references).
  PyObject** slots() { return slots_; }
  py::array take() {
    // Slots never written (none: every row is) would read as None anyway.
    return std::move(array_);
  }

 private:
  py::array array_;
  PyObject** slots_;
};

// Gives `object` `count` more references at once, as many slots now point to it (None for a
// null pointer): one addition where an increment per row made a chain of dependent writes.
inline void add_references(PyObject* object, std::int64_t count) {
  if (object == nullptr) object = Py_None;
  Py_SET_REFCNT(object, Py_REFCNT(object) + static_cast<Py_ssize_t>(count));
}

// A str for non-empty text, a null handle for "" (None in the column).
inline py::object text_object(std::string_view text) {
  return text.empty() ? py::object() : py::object(utf8(std::string(text)));
}

}  // namespace libgrid::python
