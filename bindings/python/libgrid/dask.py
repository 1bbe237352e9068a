"""libgrid on Dask: assign the points of a Dask DataFrame on every core of a machine or a cluster.

    >>> import dask.dataframe as dd
    >>> import libgrid, libgrid.dask
    >>> gs = libgrid.GridSet.read("/shared/city.gpkg")
    >>> idx = gs.load_index("/shared/city.lgi", map_file=True)
    >>> events = dd.read_csv("/shared/events-*.csv", dtype={"event_class": str})
    >>> out = libgrid.dask.assign(events, idx, event_class="event_class", time="reported_at")
    >>> out.to_parquet("/shared/assigned/")

Each partition is answered by libgrid.assign in the worker that holds it. The grid set and the
index travel as small pickles when they were read from files: the path and a checksum of the
file. Each worker process then reads the grid set and maps the index once, whatever the number
of partitions, and refuses a file that has changed since (every worker answers with the same
index, or none does). So on a cluster the files must be at the same path on every machine
(shared storage, or copied there beforehand).

A worker makes each partition's result in the memory of the results it has already handed on
(see libgrid.assign): that memory counts as the worker's unmanaged memory on Dask's dashboard
until it is reused; ``client.run(libgrid.release_memory)`` hands it back on every worker.
"""

from __future__ import annotations

import typing as _typing

import dask
import dask.dataframe as _dd
import pandas as _pd

import libgrid as _libgrid

__all__ = ["assign"]


def assign(
    frame: _dd.DataFrame,
    grid_set: _libgrid.GridSet | _libgrid.Index,
    x: _typing.Hashable = "x",
    y: _typing.Hashable = "y",
    crs: str | None = None,
    event_class: _typing.Hashable | None = None,
    time: _typing.Hashable | None = None,
    *,
    threads: int = 1,
) -> _dd.DataFrame:
    """libgrid.assign over every partition of a Dask DataFrame, lazily.

    Args:
        frame: a dask.dataframe.DataFrame (or a dask-geopandas frame of points).
        grid_set: a GridSet, or an Index that knows its grid set (GridSet.load_index). Read
            both from files on storage every worker sees at the same path: they then travel as
            path and checksum and are loaded once per worker process.
        x, y, crs, event_class, time: as for libgrid.assign.
        threads: lookup threads per partition; 1 (the default) leaves the parallelism to Dask
            (one partition per worker thread).

    Returns:
        A Dask DataFrame with the same partitions (and divisions) and the columns of
        libgrid.assign added; its ``meta`` (names and dtypes) is libgrid.assign's on the
        frame's own meta, so that the columns are known before anything is computed.

    Raises (when computed, from the partition that has the problem): as libgrid.assign, the
    message beginning with the partition's number (from 0), its row counted within it. A
    missing column or a name clash is raised at once, from the meta.
    """
    meta = _libgrid.assign(frame._meta, grid_set, x=x, y=y, crs=crs, event_class=event_class,
                           time=time, threads=threads)
    # One copy of the grid set in the graph, a dependency of every task, rather than one per task.
    shared = dask.delayed(grid_set, traverse=False)
    # deep_copy=False: a partition is never changed in place, so its columns are shared with the
    # result, not copied.
    return frame.map_partitions(_assign_partition, shared, x, y, crs, event_class, time, threads,
                                False, meta=meta)


def _assign_partition(
    partition: _pd.DataFrame, *arguments: _typing.Any, partition_info: dict[str, _typing.Any] | None = None
) -> _pd.DataFrame:
    """libgrid._assign_frame(partition, *arguments): its arguments after the frame."""
    try:
        return _libgrid._assign_frame(partition, *arguments)
    except (ValueError, TypeError) as error:
        # The row the core names is the partition's: say which partition (Dask passes
        # partition_info to a function that takes it).
        if partition_info is not None and error.args and isinstance(error.args[0], str):
            error.args = (f"partition {partition_info['number']}: {error.args[0]}", *error.args[1:])
        raise
