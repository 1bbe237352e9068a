// The libgrid::Error a call throws, for tests that check its kind and message.
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include "libgrid/error.h"

namespace libgrid::testing {

// Records a failure (and returns a placeholder) when `f` throws no libgrid::Error.
inline Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no libgrid::Error was thrown";
  return Error(ErrorKind::kIo, "none");
}

}  // namespace libgrid::testing
