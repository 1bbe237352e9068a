// Columns for a pandas DataFrame, built from a vector of C++ records in one pass per column:
// numbers and booleans become typed NumPy arrays, text becomes an object array of str (None
// where a getter returns an empty optional). The Python side passes the dict to pd.DataFrame.
//
//   return ColumnTable(report.levels)
//       .text("level", [&](const ZoneLevelTotals& t) { return level_name(t.level); })
//       .number("cells", &ZoneLevelTotals::cells)
//       .dict();
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bindings.h"

namespace libgrid::python {

template <class Row>
class ColumnTable {
 public:
  explicit ColumnTable(const std::vector<Row>& rows) : rows_(rows) {}

  // A numeric or boolean column: `get` is a member pointer or a callable taking a Row. Integers
  // become int64, floating point float64, bool bool.
  template <class Get>
  ColumnTable& number(const char* name, Get get) {
    using Value = std::remove_cvref_t<std::invoke_result_t<Get, const Row&>>;
    using Stored =
        std::conditional_t<std::is_same_v<Value, bool>, bool,
                           std::conditional_t<std::is_integral_v<Value>, std::int64_t, double>>;
    py::array_t<Stored> array(static_cast<py::ssize_t>(rows_.size()));
    Stored* out = array.mutable_data();
    for (const Row& row : rows_) *out++ = static_cast<Stored>(std::invoke(get, row));
    columns_[name] = std::move(array);
    return *this;
  }

  // A text column: `get` gives something a std::string_view converts from, or a
  // std::optional of it (empty: None).
  template <class Get>
  ColumnTable& text(const char* name, Get get) {
    std::vector<py::object> values;
    values.reserve(rows_.size());
    for (const Row& row : rows_) values.push_back(text_object(std::invoke(get, row)));
    columns_[name] = object_array(values);
    return *this;
  }

  // A text column that is None where the text is empty.
  template <class Get>
  ColumnTable& text_or_none(const char* name, Get get) {
    return text(name, [&get](const Row& row) -> std::optional<std::string_view> {
      const std::string_view value = std::invoke(get, row);
      if (value.empty()) return std::nullopt;
      return value;
    });
  }

  // A column of Python objects `get` makes (a list per row, say).
  template <class Get>
  ColumnTable& objects(const char* name, Get get) {
    std::vector<py::object> values;
    values.reserve(rows_.size());
    for (const Row& row : rows_) values.push_back(std::invoke(get, row));
    columns_[name] = object_array(values);
    return *this;
  }

  py::dict dict() const { return columns_; }

 private:
  template <class Value>
  static py::object text_object(const std::optional<Value>& value) {
    return value ? text_object(*value) : py::none();
  }
  template <class Value>
  requires std::convertible_to<const Value&, std::string_view>
  static py::object text_object(const Value& value) {
    return utf8(std::string(std::string_view(value)));
  }

  const std::vector<Row>& rows_;
  py::dict columns_;
};

}  // namespace libgrid::python
