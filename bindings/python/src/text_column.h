// The text of a column handed to libgrid.assign (event classes, times), as views for the core:
// read without the GIL where the text is plain, with it where Python must make it.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "libgrid/assign/assign.h"

namespace libgrid::python {

// The text of one column's rows, as views: over Python str objects (kept alive by the caller's
// array), over categories, or over times formatted here.
class TextColumn {
 public:
  // `column`: None, a 1-D object array of str / None / NaN, a datetime64 array (NaT: none), or a
  // (categories, codes) tuple from a pandas Categorical (code -1: none).
  TextColumn(const py::object& column, std::size_t n, std::string what, bool is_class)
      : what_(std::move(what)), is_class_(is_class) {
    if (column.is_none()) return;
    given_ = true;
    const py::module_ numpy = py::module_::import("numpy");
    if (py::isinstance<py::tuple>(column)) {
      const auto pair = column.cast<py::tuple>();
      categories_ = numpy.attr("asarray")(pair[0], py::arg("dtype") = "O");
      // pandas' own codes, of the narrowest integer type that holds them: read as they are.
      codes_ = numpy.attr("ascontiguousarray")(pair[1]);
      const auto code_kind = codes_.dtype().kind();
      if ((code_kind != 'i' && code_kind != 'u') || codes_.itemsize() > 4 || !is_native(codes_)) {
        codes_ =
            py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(pair[1]);
        if (!codes_) throw py::error_already_set();
      }
      // Every code names a category, or none (negative), before any row is read without the GIL.
      if (codes_.size() > 0) {
        const auto largest = codes_.attr("max")().cast<std::int64_t>();
        if (largest >= static_cast<std::int64_t>(categories_.size())) {
          throw py::value_error(what_ + " has a code " + std::to_string(largest) + " for " +
                                std::to_string(categories_.size()) + " categories");
        }
      }
      category_views_.resize(static_cast<std::size_t>(categories_.size()));
      PyObject* const* items = static_cast<PyObject* const*>(categories_.data());
      for (std::size_t c = 0; c < category_views_.size(); ++c) {
        const auto text = text_of(items[c]);
        if (!text) throw not_text_error(items[c], c, true);
        category_views_[c] = *text;
      }
      kind_ = Kind::kCategories;
    } else {
      array_ = column.cast<py::array>();
      if (array_.ndim() != 1) {
        throw py::value_error(what_ + " must be one value or one per point, not of shape " +
                              std::string(py::str(array_.attr("shape"))));
      }
      const char dtype = array_.dtype().kind();
      if (dtype == 'M') {
        // Units down to the minute are read as they are, each chunk's rows floored to minutes
        // in minutes(); coarser ones converted first, and other byte orders to this machine's.
        array_ = numpy.attr("ascontiguousarray")(array_);
        per_minute_ = is_native(array_) ? units_per_minute(array_) : 0;
        if (per_minute_ == 0) {
          array_ = array_.attr("astype")("datetime64[m]");
          per_minute_ = 1;
        }
        kind_ = Kind::kMinutes;
      } else if (dtype == 'O') {
        // Rows are read as items[i]: a strided view (a reversed array) is copied into
        // contiguous order first.
        array_ = numpy.attr("ascontiguousarray")(array_);
        kind_ = Kind::kObjects;
      } else {
        throw py::type_error(what_ + " must be text (str or None), not " +
                             std::string(py::str(array_.dtype())) + " values" + hint());
      }
    }
    const auto size = kind_ == Kind::kCategories ? codes_.size() : array_.size();
    if (static_cast<std::size_t>(size) != n) {
      throw py::value_error(what_ + " has " + std::to_string(size) + " values for " +
                            std::to_string(n) + " points");
    }
  }

  bool given() const { return given_; }

  // Whether the rows are times already parsed (datetime64): see minutes().
  bool is_minutes() const { return kind_ == Kind::kMinutes; }

  // Views of rows [begin, end) into `views`, without the GIL: rows whose text needs it (a str
  // that is not plain ASCII, anything but str, None and NaN) are left to finish_rows, in `slow`.
  void rows(std::size_t begin, std::size_t end, std::vector<std::string_view>& views,
            std::vector<std::size_t>& slow) const {
    views.resize(end - begin);
    slow.clear();
    if (kind_ == Kind::kObjects) {
      PyObject* const* items = objects();
      for (std::size_t i = begin; i < end; ++i) {
        if (!plain_view(items[i], views[i - begin])) slow.push_back(i);
      }
    } else if (kind_ == Kind::kCategories) {
      with_codes([&](const auto* codes) {
        for (std::size_t i = begin; i < end; ++i) {
          // Negative: none (pandas' -1).
          const auto code = static_cast<std::int64_t>(codes[i]);
          views[i - begin] =
              code < 0 ? std::string_view() : category_views_[static_cast<std::size_t>(code)];
        }
      });
    }
  }

  static constexpr std::size_t kAllText = std::numeric_limits<std::size_t>::max();

  // With the GIL: the views of the rows that rows() left (views[0] is row `begin`'s), up to the
  // first that is not text, which is returned (kAllText when there is none); raise_not_text
  // gives its error.
  std::size_t finish_rows(std::size_t begin, std::vector<std::string_view>& views,
                          const std::vector<std::size_t>& slow) const {
    for (const std::size_t i : slow) {
      const auto text = text_of(objects()[i]);
      if (!text) return i;
      views[i - begin] = *text;
    }
    return kAllText;
  }

  // The TypeError naming row i, which finish_rows found not to be text.
  [[noreturn]] void raise_not_text(std::size_t i) const {
    throw not_text_error(objects()[i], i, false);
  }

  // Rows [begin, end) of datetime64 times as minutes (floored, as NumPy converts them),
  // PointColumns::kNoTime (NaT) for none; without the GIL.
  void minutes(std::size_t begin, std::size_t end, std::vector<LocalMinutes>& out) const {
    out.resize(end - begin);
    const auto* units = static_cast<const std::int64_t*>(array_.data());
    for (std::size_t i = begin; i < end; ++i) {
      const std::int64_t unit = units[i];
      if (unit == PointColumns::kNoTime) {
        out[i - begin] = PointColumns::kNoTime;
        continue;
      }
      std::int64_t minute = unit / per_minute_;
      if (unit % per_minute_ < 0) --minute;
      out[i - begin] = minute;
    }
  }

 private:
  enum class Kind { kNone, kObjects, kCategories, kMinutes };

  std::string hint() const {
    return is_class_
               ? " (read event classes as text, e.g. pandas.read_csv(..., dtype={'event_class': "
                 "str}), so that leading zeros survive)"
               : "";
  }

  PyObject* const* objects() const { return static_cast<PyObject* const*>(array_.data()); }

  static bool is_native(const py::array& array) {
    return array.dtype().attr("isnative").cast<bool>();
  }

  // Calls f with the codes as a pointer to their own integer type.
  template <typename F>
  void with_codes(F&& f) const {
    const void* data = codes_.data();
    const bool is_signed = codes_.dtype().kind() == 'i';
    switch (codes_.itemsize()) {
      case 1:
        return is_signed ? f(static_cast<const std::int8_t*>(data))
                         : f(static_cast<const std::uint8_t*>(data));
      case 2:
        return is_signed ? f(static_cast<const std::int16_t*>(data))
                         : f(static_cast<const std::uint16_t*>(data));
      case 4:
        return is_signed ? f(static_cast<const std::int32_t*>(data))
                         : f(static_cast<const std::uint32_t*>(data));
      default:  // int64, as the constructor made any other
        return f(static_cast<const std::int64_t*>(data));
    }
  }

  // A datetime64 array's units in a minute: 0 for a unit coarser than the minute (or generic).
  static std::int64_t units_per_minute(const py::array& times) {
    const auto unit = py::module_::import("numpy")
                          .attr("datetime_data")(times.dtype())
                          .cast<std::pair<std::string, int>>();
    const std::int64_t count = unit.second;
    const std::int64_t per_minute = unit.first == "m"    ? 1
                                    : unit.first == "s"  ? 60
                                    : unit.first == "ms" ? 60'000
                                    : unit.first == "us" ? 60'000'000
                                    : unit.first == "ns" ? 60'000'000'000
                                                         : 0;
    // datetime64[10s] and the like: a whole number of them in a minute only.
    if (per_minute == 0 || count <= 0 || per_minute % count != 0) return 0;
    return per_minute / count;
  }

  // The text of None, NaN and a compact ASCII str, which is its own UTF-8: fields read without
  // the GIL, nothing made. False for anything else.
  static bool plain_view(PyObject* item, std::string_view& view) {
    if (item == nullptr || item == Py_None) {
      view = {};
      return true;
    }
    if (PyUnicode_Check(item) && PyUnicode_IS_COMPACT_ASCII(item)) {
      view = {static_cast<const char*>(PyUnicode_DATA(item)),
              static_cast<std::size_t>(PyUnicode_GET_LENGTH(item))};
      return true;
    }
    if (PyFloat_CheckExact(item) && std::isnan(PyFloat_AS_DOUBLE(item))) {
      view = {};
      return true;
    }
    return false;
  }

  // A str's UTF-8 text (cached in the object by Python), "" for None, NaN and pd.NA; nothing for
  // anything else.
  static std::optional<std::string_view> text_of(PyObject* item) {
    if (item == nullptr || item == Py_None) return std::string_view();
    if (PyUnicode_Check(item)) {
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(item, &size);
      if (text == nullptr) throw py::error_already_set();
      return std::string_view(text, static_cast<std::size_t>(size));
    }
    if (PyFloat_Check(item) && std::isnan(PyFloat_AS_DOUBLE(item))) return std::string_view();
    if (type_name(item) == "NAType") return std::string_view();
    return std::nullopt;
  }

  static std::string type_name(PyObject* item) {
    return py::str(py::type::handle_of(py::handle(item)).attr("__name__"));
  }

  // The TypeError naming row (or category) i, whose value is not text.
  py::type_error not_text_error(PyObject* item, std::size_t i, bool category) const {
    return py::type_error(what_ + (category ? " category " : "[") + std::to_string(i) +
                          (category ? "" : "]") + " must be a str or None, not " + type_name(item) +
                          " " + std::string(py::repr(py::handle(item))) + hint());
  }

  std::string what_;
  bool is_class_;
  bool given_ = false;
  Kind kind_ = Kind::kNone;
  py::array array_;
  py::array categories_;
  py::array codes_;
  std::int64_t per_minute_ = 1;  // datetime64 units in a minute
  std::vector<std::string_view> category_views_;
};

}  // namespace libgrid::python
