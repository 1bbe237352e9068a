#!/usr/bin/python3
"""libgrid.assign from Python: one process against a two-worker Dask LocalCluster, and against
gridtool assign, on the sample city (data/samples) with seeded random events.

    PYTHONPATH=build/python /usr/bin/python3 bench/assign/python_assign_bench.py [--rows 20000000]

Points: uniform over the sample district's extent and 200 m around it, an
event class drawn from the duty table's classes (and one unknown class), a report time in 2026
(datetime64). Every event gets all 15 columns (5 levels, people, duty, escalation, due).

Measured, rows per second (best of --repeat runs), in this order:
- libgrid.assign(frame, threads=0) on the whole frame in memory, with datetime64 times and with
  text times (the CLI parses text), each with copy=True (the default: the frame's own columns
  copied) and copy=False, first, while the process has done nothing else. The very first call
  makes its 2.7 GB of columns in fresh memory; every later one in the blocks of the results
  dropped before it (libgrid.release_memory): both are printed, the first call's time beside
  the best of the others';
- 1 process, 1 thread: libgrid.assign(partition, threads=1) over the partitions in turn;
- Dask LocalCluster(n_workers=2, processes=True, threads_per_worker=1): libgrid.dask.assign
  over the same partitions, made and persisted on the workers first; the result reduced to a
  count on the workers (what comes back is one number, not 20 M rows);
  efficiency = cluster rate / (2 x the 1-process rate);
- gridtool assign --threads 0 on the same rows as CSV (read, assigned and written to a file),
  on every core like the whole frame.
Needs only Debian's python3-numpy, -pandas, -dask and -distributed and a build of libgrid.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
LEVELS = ["district", "street", "community", "grid", "microgrid"]


def make_partition(seed, rows, classes, extent):
    """Seeded random events: event_id, x, y, event_class (categorical), reported_at."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = extent
    start = np.datetime64("2026-01-01T00:00", "m").astype(np.int64)
    minutes = start + rng.integers(0, 365 * 24 * 60, rows)
    return pd.DataFrame({
        "event_id": np.arange(seed * rows, (seed + 1) * rows, dtype=np.int64),
        "x": np.round(rng.uniform(x0 - 200, x1 + 200, rows), 2),
        "y": np.round(rng.uniform(y0 - 200, y1 + 200, rows), 2),
        "event_class": pd.Categorical.from_codes(rng.integers(0, len(classes), rows), classes),
        "reported_at": minutes.astype("datetime64[m]").astype("datetime64[ns]"),
    })


def best(runs, work, times=None):
    """The least time of `runs` calls of work() and the last call's result; `times` gets each."""
    times = [] if times is None else times
    result = None
    for _ in range(runs):
        result = None  # the last try's result is freed before this one, not during it
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--build", default=str(ROOT / "build"), help="for tools/gridtool")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()

    import libgrid

    work = pathlib.Path(tempfile.mkdtemp(prefix="libgrid-bench-"))
    try:
        samples = ROOT / "data" / "samples"
        city = libgrid.import_grid_set([(level, samples / f"{level}.geojson") for level in LEVELS])
        city.set_roster_csv(samples / "roster.csv")
        city.set_duty_csv(samples / "duty.csv")
        city.write(work / "city.gpkg")
        city = libgrid.GridSet.read(work / "city.gpkg")
        city.index().save(work / "city.lgi")
        index = city.load_index(work / "city.lgi", map_file=True)
        classes = city.duty_table()["event_class"].tolist() + ["99"]
        extent = city.extent
        per = args.rows // args.partitions
        rows = per * args.partitions
        print(f"{rows:,} events in {args.partitions} partitions, sample city ({len(city):,} cells), "
              f"{os.cpu_count()} cores, best of {args.repeat}")
        options = dict(event_class="event_class", time="reported_at")

        parts = [make_partition(seed, per, classes, extent) for seed in range(args.partitions)]

        # The whole frame first, in a process that has done nothing else yet: timed after the
        # partitions and the cluster (and with each try's result freed inside the next one's
        # timing), the same call measured 6.9 s, where a fresh process took 4.2-4.7 s.
        whole = pd.concat(parts, ignore_index=True)
        whole_frame = {}
        first_call = None
        for times in ("datetime64", "text"):
            if times == "text":
                # Text times and classes, as the CLI reads them.
                whole = whole.assign(
                    event_class=whole["event_class"].astype(object),
                    reported_at=whole["reported_at"].dt.strftime("%Y-%m-%dT%H:%M").to_numpy(dtype=object))
            for copy in (True, False):
                tries = []
                seconds, _ = best(args.repeat, lambda frame=whole, copy=copy: libgrid.assign(
                    frame, index, threads=0, copy=copy, **options), tries)
                whole_frame[times, copy] = seconds
                first = ""
                if first_call is None:
                    first_call = tries[0]
                    first = f"; the process's first call {tries[0]:.2f} s, {rows / tries[0] / 1e6:.2f} M rows/s"
                print(f"libgrid.assign, all cores:  {seconds:7.2f} s  {rows / seconds / 1e6:6.2f} M rows/s "
                      f"({times} times, copy={copy}{first})")

        def one_process():
            return sum(int(libgrid.assign(p, index, threads=1, **options)["grid"].count()) for p in parts)

        single, covered = best(args.repeat, one_process)
        print(f"1 process, 1 thread:        {single:7.2f} s  {rows / single / 1e6:6.2f} M rows/s "
              f"({covered / rows:.1%} in a grid)")

        if not args.skip_dask:
            import dask.dataframe as dd
            import distributed
            import libgrid.dask

            package_root = str(pathlib.Path(libgrid.__file__).resolve().parents[1])
            os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
            with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                          dashboard_address=None) as cluster, distributed.Client(cluster) as client:
                frame = dd.from_map(make_partition, list(range(args.partitions)), rows=per, classes=classes,
                                    extent=extent, meta=parts[0].head(0))
                frame = frame.persist()
                distributed.wait(frame)
                # A fresh graph each time: computing the same collection again may reuse its result.
                cluster_time, counted = best(args.repeat, lambda: int(
                    libgrid.dask.assign(frame, index, threads=1, **options)["grid"].count().compute()))
            assert counted == covered, (counted, covered)
            rate = rows / cluster_time
            print(f"LocalCluster, 2 workers:    {cluster_time:7.2f} s  {rate / 1e6:6.2f} M rows/s "
                  f"(efficiency {rate / (2 * rows / single):.0%} of 2 x 1 process)")

        gridtool = pathlib.Path(args.build) / "tools" / "gridtool"
        if not args.skip_cli and gridtool.is_file():
            whole.to_csv(work / "points.csv", index=False, float_format="%.2f", chunksize=1_000_000)
            del whole
            command = [str(gridtool), "assign", str(work / "city.gpkg"), "--index", str(work / "city.lgi"),
                       "--points", str(work / "points.csv"), "-o", str(work / "out.csv"), "--threads", "0"]
            cli, _ = best(args.repeat, lambda: subprocess.run(command, check=True, capture_output=True))
            print(f"gridtool assign, all cores: {cli:7.2f} s  {rows / cli / 1e6:6.2f} M rows/s "
                  f"(CSV in, CSV out; {(work / 'points.csv').stat().st_size / 1e9:.2f} GB in)")
            for (times, copy), seconds in whole_frame.items():
                print(f"libgrid.assign per row, {times} times, copy={copy}: {cli / seconds:.2f}x gridtool's rate")
            print(f"libgrid.assign per row, the process's first call (fresh memory): "
                  f"{cli / first_call:.2f}x gridtool's rate")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
