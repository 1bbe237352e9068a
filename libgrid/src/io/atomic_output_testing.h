// A switch for tests: whether AtomicOutput may make unnamed temporary files (O_TMPFILE), so that
// the named ones that systems without O_TMPFILE get are tested on systems with it too.
#pragma once

namespace libgrid::internal {

// Sets whether Temporary::kUnnamed may give an unnamed file (it may, by default), and returns
// the previous setting.
bool allow_unnamed_temporaries(bool allowed);

}  // namespace libgrid::internal
