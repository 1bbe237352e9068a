#!/usr/bin/env bash
# Installs a built libgrid into a scratch prefix and builds and runs tests/consumer against it.
#   tests/consumer/run.sh BUILD_DIR SCRATCH_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$1"
scratch="$2"
rm -rf "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
# Test helpers (libgrid_testing) stay in the source tree; the installed API is the library's.
if [ -e "$scratch/prefix/include/libgrid/testing" ]; then
  echo "consumer: the install includes libgrid/testing/, which is not part of the library" >&2
  exit 1
fi
cmake -S "$here" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/build" >/dev/null
"$scratch/build/consumer"
