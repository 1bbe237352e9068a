#!/usr/bin/env bash
# Configures and builds libgrid: scripts/build.sh BUILD_DIR [extra CMake arguments...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
# Debian's Python packages (numpy, pandas, shapely) are only visible to /usr/bin/python3.
cmake --no-warn-unused-cli -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${LIBGRID_BUILD_TYPE:-Release}" \
  -DPython_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
