#!/usr/bin/env bash
# Builds the benchmarks (Release) and runs them; extra arguments go to Google Benchmark.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
LIBGRID_WITH_BENCH=1 "$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build-bench" -DLIBGRID_BUILD_BENCH=ON -DLIBGRID_BUILD_TESTS=OFF \
  -DLIBGRID_BUILD_PYTHON=OFF
"$root/build-bench/bench/cell_index_bench" --benchmark_min_time=1 "$@"
