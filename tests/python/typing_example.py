"""How a typed program uses libgrid; test_stubs.py runs mypy on it (it is not run itself).

Each assert_type says what a call returns: mypy reports one whose stub type is different, Any
included. Each `# type: ignore[...]` marks a call the stubs must refuse: with
--warn-unused-ignores, mypy reports one it accepts.
"""

import datetime
import pathlib
from typing import List, Optional, Tuple, assert_type

import numpy as np
import numpy.typing as npt

import libgrid
import libgrid.dask


def lookups(gs: libgrid.GridSet, x: npt.NDArray[np.float64], y: List[float]) -> None:
    index = gs.index()
    assert_type(index, libgrid.Index)
    assert_type(index.lookup(x, y), npt.NDArray[np.int32])
    assert_type(index.lookup(x, y, 2, at="2024-05-01"), npt.NDArray[np.int32])
    assert_type(index.lookup(x, y, at=np.array(["2024-05-01"], dtype="datetime64[m]")),
                npt.NDArray[np.int32])
    assert_type(index.lookup_level(x, y, "grid"), npt.NDArray[np.int32])
    assert_type(index.count_holding(x, y, -1, threads=1), npt.NDArray[np.int32])
    assert_type(index.path(3), List[int])
    assert_type(index.levels, List[str])
    assert_type(index.version_starts, List[Optional[np.datetime64]])
    assert_type(index.memory_bytes, int)
    assert_type(len(index), int)
    assert_type(libgrid.Index.load(pathlib.Path("city.lgi"), gs, map_file=True), libgrid.Index)
    assert_type(gs.load_index("city.lgi"), libgrid.Index)
    index.lookup(None, y)  # type: ignore[arg-type]
    index.lookup(x, y, threads="4")  # type: ignore[arg-type]
    index.lookup_level(x, y, 1.5)  # type: ignore[arg-type]


def grid_sets(path: pathlib.Path) -> None:
    gs = libgrid.GridSet.read(path)
    assert_type(gs, libgrid.GridSet)
    assert_type(gs.levels, List[str])
    assert_type(gs.crs, str)
    assert_type(gs.extent, Tuple[float, float, float, float])
    assert_type(gs.versions, List[Tuple[Optional[datetime.date], int]])
    assert_type(gs.code(0), str)
    assert_type(gs.find("110101"), int)
    assert_type(gs.wkt(0), str)
    assert_type(gs.codes([0, 1, -1], level="street"), npt.NDArray[np.object_])
    assert_type(gs.at(datetime.date(2024, 1, 1)), libgrid.GridSet)
    assert_type(gs.with_version(gs, "2024-07-01", first_effective=np.datetime64("2020-01-01")),
                libgrid.GridSet)
    gs.set_roster_csv("roster.csv")
    gs.write(path.with_suffix(".gpkg"))
    gs.code("110101")  # type: ignore[arg-type]
    gs.at(20240101)  # type: ignore[arg-type]
    gs.write(3)  # type: ignore[arg-type]


def functions(gs: libgrid.GridSet, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> None:
    tx, ty = libgrid.transform(x, y, "EPSG:4326", "EPSG:4548")
    assert_type(tx, npt.NDArray[np.float64])
    assert_type(libgrid.is_known_crs("GCJ-02"), bool)
    assert_type(libgrid.is_geographic_crs("EPSG:4326"), bool)
    assert_type(libgrid.__version__, str)
    imported = libgrid.import_grid_set([("street", "streets.gpkg"), ("grid", pathlib.Path("grids.shp"), "code")])
    assert_type(imported, libgrid.GridSet)
    repaired = libgrid.repair(gs, 0.5, level="grid")
    assert_type(repaired.grid_set, libgrid.GridSet)
    assert_type(repaired.skipped, List[str])
    partitioned = libgrid.partition(gs, "grid", "micro", units=np.zeros((3, 2)), target=(40.0, 60.0))
    assert_type(partitioned.units_outside, int)
    rebalanced = libgrid.rebalance(gs, "grid", units=[[0.0, 0.0]], target=(40.0, 60.0))
    assert_type(rebalanced.grid_set, libgrid.GridSet)
    libgrid.transform(x, y, "EPSG:4326")  # type: ignore[call-arg]
    libgrid.repair(gs, 0.5, level=2.0)  # type: ignore[arg-type]
    libgrid.import_grid_set([("street",)])  # type: ignore[list-item]
    libgrid.dask.assign(None, gs, threads="2")  # type: ignore[arg-type]


def frames(gs: libgrid.GridSet) -> None:
    table = gs.cells()  # a pandas DataFrame (Any where pandas has no stubs)
    one_level = gs.cells("grid")  # a geopandas GeoDataFrame: Any
    one_level.geometry.area.sum()
    table.to_csv("cells.csv")
    gs.cells(level=1.5)  # type: ignore[call-overload]
