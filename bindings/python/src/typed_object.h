// Python objects whose type the signatures say: TypedObject<"Tuple[GridSet, List[str]]"> is a
// py::object that pybind11 names by its caption instead of "object". The signatures pybind11
// writes into each docstring (and so help() and the generated _libgrid.pyi) then say what a
// function takes and returns where the binding handles a plain Python object itself.
//
// Captions are Python type expressions: typing names (List, Tuple, Dict, Optional, Union, Any,
// Sequence) bare, other names qualified by their module ("numpy.typing.ArrayLike", "pandas..."),
// libgrid's own classes as "libgrid.GridSet". scripts/generate-stubs.py reads them back and
// writes an argument's List[T] as Sequence[T], as for std::vector; where the binding needs a
// real list (py::list), say list[T].
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include <pybind11/pybind11.h>

namespace libgrid::python {

// A string literal usable as a template argument.
template <std::size_t N>
struct TypeCaption {
  // NOLINTNEXTLINE(google-explicit-constructor): built from the literal in a template argument
  constexpr TypeCaption(const char (&caption)[N]) { std::copy_n(caption, N, text); }
  char text[N];
};

template <TypeCaption Caption>
class TypedObject : public pybind11::object {
 public:
  using pybind11::object::object;
  TypedObject() = default;
  // Implicit, so that a lambda returning TypedObject<...> can return any py::object.
  // NOLINTNEXTLINE(google-explicit-constructor)
  TypedObject(pybind11::object value) : pybind11::object(std::move(value)) {}
  // Any object is accepted: the caption documents, the binding checks.
  static bool check_(pybind11::handle value) { return value.ptr() != nullptr; }
};

// What the signatures call often.
// Anything numpy.asarray takes: an array, a list, a pandas Series, a scalar.
using ArrayLike = TypedObject<"numpy.typing.ArrayLike">;
// A level: its name, or its position (negative counts from the finest); or None.
using LevelArgument = TypedObject<"Union[str, int]">;
using OptionalLevel = TypedObject<"Optional[Union[str, int]]">;
// A local time: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", a datetime or date, or a numpy.datetime64.
using TimeArgument = TypedObject<"Union[str, datetime.date, numpy.datetime64]">;
// Points as an array-like of shape (n, 2), or their weights; None for none.
using OptionalArrayLike = TypedObject<"Optional[numpy.typing.ArrayLike]">;
// A thread count: a whole number >= 0, 0 meaning every core (see threads_argument).
using ThreadsArgument = TypedObject<"int">;
// A NumPy array of Python objects (str codes, None).
using ObjectArray = TypedObject<"numpy.typing.NDArray[numpy.object_]">;
// Times: one for every point or one per point (an array-like of them), or None.
using TimesArgument =
    TypedObject<"Union[str, datetime.date, numpy.datetime64, numpy.typing.ArrayLike, None]">;
// Columns of a table by name, each a list or a NumPy array.
using ColumnDict = TypedObject<"Dict[str, Any]">;
// Columns of a table by name, each a list.
using ListColumns = TypedObject<"Dict[str, List[Any]]">;

}  // namespace libgrid::python

namespace pybind11::detail {

template <libgrid::python::TypeCaption Caption>
struct handle_type_name<libgrid::python::TypedObject<Caption>> {
  static constexpr auto name = const_name(Caption.text);
};

}  // namespace pybind11::detail
