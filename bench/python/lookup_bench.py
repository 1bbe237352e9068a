"""libgrid.Index.lookup from Python: 2M NumPy points over the NYC community districts.

    PYTHONPATH=build-bench/python /usr/bin/python3 bench/python/lookup_bench.py \\
        [--cpp-results build-bench/cell_index_bench.json]

Points are uniform over the districts' extent (NumPy's generator, seed 42: the same distribution
as the C++ "uniform_extent" set, not the same points). Best of 5 runs, for threads=1 and for
threads=0 (every core). With --cpp-results (Google Benchmark JSON from cell_index_bench), the
C++ batch rates on the same dataset and distribution are printed beside, so the cost of the
binding (argument conversion, the result array) shows. Exits 0 with a message when the data is
absent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time

import numpy as np

import libgrid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")


def best_rate(index: libgrid.Index, x: np.ndarray, y: np.ndarray, threads: int,
              repeats: int) -> tuple[float, np.ndarray]:
    """Points per second of the fastest of `repeats` runs, and that run's answers."""
    best = float("inf")
    cells = None
    for _ in range(repeats):
        start = time.perf_counter()
        cells = index.lookup(x, y, threads=threads)
        best = min(best, time.perf_counter() - start)
    return len(x) / best, cells


def cpp_rates(path: str | None) -> dict[str, float]:
    """items_per_second of the C++ NYC-districts uniform-extent benchmarks, by short name."""
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        runs = json.load(f).get("benchmarks", [])
    wanted = {
        "batch/nyc_districts/uniform_extent/threads:1": "C++ batch, threads=1",
        "batch/nyc_districts/uniform_extent/threads:2": "C++ batch, threads=2",
        "lookup/nyc_districts/uniform_extent/libgrid_accelerated": "C++ one point at a time",
    }
    rates = {}
    for run in runs:
        # Google Benchmark appends settings ("/real_time", "/min_time:0.300") to the name.
        name = re.sub(r"/(real_time|min_time:[0-9.]+)", "", run.get("run_name", run["name"]))
        if run.get("run_type", "iteration") == "iteration" and name in wanted:
            rates[wanted[name]] = run["items_per_second"]
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=DEFAULT_DATA, help="the ../shared/data folder")
    parser.add_argument("--points", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cpp-results", help="cell_index_bench --benchmark_out JSON file")
    args = parser.parse_args()

    path = os.path.join(args.data_dir, "nyc", "community_districts.geojson")
    if not os.path.exists(path):
        print(f"skipping the Python benchmark: {path} is absent")
        return 0
    grids = libgrid.import_grid_set([("district", path, "BoroCD")])
    index = grids.index()
    min_x, min_y, max_x, max_y = grids.extent
    rng = np.random.default_rng(42)
    x = rng.uniform(min_x, max_x, args.points)
    y = rng.uniform(min_y, max_y, args.points)

    one_rate, one_cells = best_rate(index, x, y, 1, args.repeats)
    all_rate, all_cells = best_rate(index, x, y, 0, args.repeats)
    if not np.array_equal(one_cells, all_cells):
        print("threads=1 and threads=0 gave different answers", file=sys.stderr)
        return 1

    print(f"\nPython libgrid.Index.lookup, NYC districts, {args.points:,} points uniform in the "
          f"extent, best of {args.repeats}: million points/s")
    print(f"  {'Python, threads=1':<28} {one_rate / 1e6:8.2f}")
    print(f"  {'Python, threads=0 (' + str(os.cpu_count()) + ' cores)':<28} {all_rate / 1e6:8.2f}")
    cpp = cpp_rates(args.cpp_results)
    for label, rate in cpp.items():
        print(f"  {label:<28} {rate / 1e6:8.2f}")
    if "C++ batch, threads=1" in cpp:
        ratio = one_rate / cpp["C++ batch, threads=1"]
        print(f"  Python threads=1 / C++ batch threads=1: {ratio:.2f}")
    elif args.cpp_results:
        print("  (no C++ batch rate in the results: filtered out of that run?)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
