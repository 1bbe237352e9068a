// libgrid::Error -> ValueError (kInvalidInput) or OSError (kIo), with the message the gridtool
// command line prints, an option spelled as the keyword argument ("crs=", not "--crs").
#include "bindings.h"
#include "libgrid/error.h"

namespace libgrid::python {

void bind_errors(py::module_& m) {
  (void)m;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const libgrid::Error& e) {
      PyObject* type = e.kind() == ErrorKind::kIo ? PyExc_OSError : PyExc_ValueError;
      PyErr_SetObject(type, utf8(e.message(spell_python_option)).ptr());
    }
  });
}

}  // namespace libgrid::python
