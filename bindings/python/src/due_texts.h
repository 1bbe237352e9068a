// The due column of text times: one str per due minute, shared by the rows due then.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "bindings.h"
#include "libgrid/assign/assign.h"
#include "libgrid/duty/deadline.h"

namespace libgrid::python {

// "YYYY-MM-DDTHH:MM" as a str, as format_local_time writes it, without printf: one is made for
// each due minute met, in any order.
inline py::object due_object(LocalMinutes t) {
  constexpr LocalMinutes kDay = 24 * 60;
  const LocalMinutes day = (t >= 0 ? t : t - kDay + 1) / kDay;
  // Years 0000 to 9999 only: std::chrono::year holds no more than 32767.
  constexpr LocalMinutes kFirstDay = -719528, kLastDay = 2932896;
  if (day < kFirstDay || day > kLastDay) return utf8(format_local_time(t));
  const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(day))};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) return utf8(format_local_time(t));
  const auto minute = static_cast<int>(t - day * kDay);
  const auto month = static_cast<unsigned>(date.month());
  const auto dom = static_cast<unsigned>(date.day());
  const auto digit = [](int v) { return static_cast<char>('0' + v); };
  const char text[16] = {digit(year / 1000),
                         digit(year / 100 % 10),
                         digit(year / 10 % 10),
                         digit(year % 10),
                         '-',
                         digit(month / 10),
                         digit(month % 10),
                         '-',
                         digit(dom / 10),
                         digit(dom % 10),
                         'T',
                         digit(minute / 600),
                         digit(minute / 60 % 10),
                         ':',
                         digit(minute % 60 / 10),
                         digit(minute % 10)};
  PyObject* object = PyUnicode_New(16, 127);
  if (object == nullptr) throw py::error_already_set();
  std::memcpy(PyUnicode_DATA(object), text, sizeof text);
  return py::reinterpret_steal<py::object>(object);
}

// The str of each due time, one per distinct minute, that every row due then points to: text
// times' due column held a str a row (1.4 GB at 20 M rows) where a year has 525,600 minutes.
// The minutes are kept in a window that grows to at most kMaxSpan; a due time outside it gets a
// str of its own.
class DueTexts {
 public:
  static constexpr LocalMinutes kMaxSpan = LocalMinutes{1} << 21;  // about four years

  py::object text(LocalMinutes t) {
    if (!covers(t) && !widen(t)) return due_object(t);
    py::object& text = texts_[after_base(t)];
    if (!text) text = due_object(t);
    return text;
  }

 private:
  // Minutes from base_ to t as an unsigned count, free of overflow for any two times.
  std::uint64_t after_base(LocalMinutes t) const {
    return static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(base_);
  }
  bool covers(LocalMinutes t) const { return t >= base_ && after_base(t) < texts_.size(); }
  // Grows the window to hold t (by half its size again, at least), unless that passes kMaxSpan.
  bool widen(LocalMinutes t) {
    if (texts_.empty()) {
      base_ = t;
      texts_.resize(1);
      return true;
    }
    constexpr auto kMax = static_cast<std::uint64_t>(kMaxSpan);
    if (t < base_ ? static_cast<std::uint64_t>(base_) - static_cast<std::uint64_t>(t) >= kMax
                  : after_base(t) >= kMax) {
      return false;
    }
    const auto size = static_cast<LocalMinutes>(texts_.size());
    const LocalMinutes low = std::min(t, base_), high = std::max(t, base_ + size - 1);
    if (high - low >= kMaxSpan) return false;
    const LocalMinutes room =
        std::min(kMaxSpan - (high - low + 1), std::max<LocalMinutes>(size / 2, 1));
    const LocalMinutes new_base = t < base_ ? low - room / 2 : low;
    std::vector<py::object> texts(static_cast<std::size_t>(high - low + 1 + room));
    std::move(texts_.begin(), texts_.end(), texts.begin() + (base_ - new_base));
    texts_ = std::move(texts);
    base_ = new_base;
    return true;
  }

  LocalMinutes base_ = 0;
  std::vector<py::object> texts_;  // of minute base_ + k, made when first met
};

// The due minutes of a chunk's rows, counted without the GIL over the span they cover, so that
// the str of each is taken and given its rows' references once, and the slots filled on every
// core. A chunk whose due times span more minutes than it has rows is not counted, so that the
// tally's memory and the pass over it stay within the chunk's size: its rows get their str one
// by one, still shared through DueTexts.
struct DueTally {
  bool counted = false;
  LocalMinutes first = 0;
  std::vector<std::int64_t> of_minute;  // rows due at first + k
  std::int64_t without_due = 0;
  std::vector<py::object> texts;  // of first + k, where rows are due then (taken with the GIL)

  void count(const AssignedPoints& batch) {
    const std::vector<LocalMinutes>& due = batch.due;
    without_due = due.empty() ? static_cast<std::int64_t>(batch.finest.size()) : 0;
    LocalMinutes low = std::numeric_limits<LocalMinutes>::max();
    LocalMinutes high = std::numeric_limits<LocalMinutes>::min();
    for (const LocalMinutes t : due) {
      if (t == AssignedPoints::kNoDue) {
        ++without_due;
        continue;
      }
      low = std::min(low, t);
      high = std::max(high, t);
    }
    of_minute.clear();
    counted = low > high || static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) <
                                static_cast<std::uint64_t>(batch.finest.size());
    if (!counted || low > high) return;
    first = low;
    of_minute.resize(static_cast<std::size_t>(high - low) + 1, 0);
    for (const LocalMinutes t : due) {
      if (t != AssignedPoints::kNoDue) ++of_minute[static_cast<std::size_t>(t - first)];
    }
  }
};

}  // namespace libgrid::python
