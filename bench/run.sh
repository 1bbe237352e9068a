#!/usr/bin/env bash
# Builds the benchmarks (Release, with the Python module) into build-bench/ and runs them: the
# C++ lookup benchmark (libgrid against GEOS, S2 and Boost.Geometry), then the Python one, which
# prints the C++ batch rates beside its own, then the partition, rebalance and zone benchmarks.
# Extra arguments go to the lookup benchmark's Google Benchmark.
# About 5 minutes on a 2-core machine with every dataset present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-bench"
LIBGRID_WITH_BENCH=1 "$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$build" -DLIBGRID_BUILD_BENCH=ON -DLIBGRID_BUILD_TESTS=OFF \
  -DLIBGRID_BUILD_PYTHON=ON
results="$build/cell_index_bench.json"
# 0.5 s a benchmark keeps the whole run near 5 minutes; longer runs change the ratios little.
"$build/bench/cell_index_bench" --benchmark_min_time=0.5 --benchmark_out="$results" \
  --benchmark_out_format=json "$@"
PYTHONPATH="$build/python" /usr/bin/python3 "$root/bench/python/lookup_bench.py" \
  --cpp-results "$results"
# Partition of a synthetic street into grids and micro-grids, beside the baselines (~15 s).
"$build/bench/partition_bench" --benchmark_out="$build/partition_bench.json" \
  --benchmark_out_format=json
# Rebalance of the street's grids after three drifts, beside partitioning afresh (~15 s).
"$build/bench/rebalance_bench" --benchmark_out="$build/rebalance_bench.json" \
  --benchmark_out_format=json
# Incident zones on the 100,000-micro-grid synthetic city, beside GEOS STRtree + overlays (~2 min).
"$build/bench/zone_query_bench" --benchmark_min_time=0.3 \
  --benchmark_out="$build/zone_query_bench.json" --benchmark_out_format=json
# libgrid's CSV reader beside GDAL's CSV driver on one million points (~15 s).
"$build/bench/csv_reader_bench" --benchmark_out="$build/csv_reader_bench.json" \
  --benchmark_out_format=json
