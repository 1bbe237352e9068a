"""Type stubs of libgrid's compiled core. Import libgrid, not this module."""

import datetime
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

_Path = Union[str, os.PathLike[str]]
_Level = Union[str, int]
# A local time: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", a datetime or date, or a numpy.datetime64.
_Time = Union[str, datetime.date, np.datetime64]

class Index:
    """Point -> cell lookup over every level of a grid set, exact, immutable and thread-safe."""

    def lookup(
        self, x: npt.ArrayLike, y: npt.ArrayLike, threads: int = 0, *, at: Union[_Time, npt.ArrayLike, None] = None
    ) -> npt.NDArray[np.int32]: ...
    def lookup_level(
        self, x: npt.ArrayLike, y: npt.ArrayLike, level: _Level, threads: int = 0
    ) -> npt.NDArray[np.int32]: ...
    def count_holding(
        self, x: npt.ArrayLike, y: npt.ArrayLike, level: _Level, threads: int = 0
    ) -> npt.NDArray[np.int32]: ...
    def path(self, cell: int) -> List[int]: ...
    @staticmethod
    def load(path: _Path, grid_set: Optional[GridSet] = None, *, map_file: bool = False) -> Index: ...
    def save(self, path: _Path) -> None: ...
    @property
    def version_starts(self) -> List[Optional[np.datetime64]]: ...
    @property
    def memory_bytes(self) -> int: ...
    @property
    def levels(self) -> List[str]: ...
    @property
    def crs(self) -> str: ...
    def __len__(self) -> int: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...

class GridSet:
    """A grid set: levels, cells, roster and duty table (compiled part)."""

    @staticmethod
    def read(path: _Path) -> GridSet: ...
    def write(self, path: _Path) -> None: ...
    def load_index(self, path: _Path, *, map_file: bool = False) -> Index: ...
    def set_roster_csv(self, path: _Path) -> None: ...
    def set_duty_csv(self, path: _Path) -> None: ...
    @property
    def levels(self) -> List[str]: ...
    @property
    def crs(self) -> str: ...
    @property
    def extent(self) -> Tuple[float, float, float, float]: ...
    @property
    def versions(self) -> List[Tuple[Optional[datetime.date], int]]: ...
    def with_version(self, next: GridSet, effective: _Time, *, first_effective: Optional[_Time] = None) -> GridSet: ...
    def at(self, when: _Time) -> GridSet: ...
    def __len__(self) -> int: ...
    def code(self, cell: int) -> str: ...
    def find(self, code: str) -> int: ...
    def wkt(self, cell: int) -> str: ...
    def codes(self, cells: npt.ArrayLike, level: Optional[_Level] = None) -> npt.NDArray[np.object_]: ...
    def index(self) -> Index: ...
    def _path_columns(self, cells: npt.ArrayLike) -> List[npt.NDArray[np.object_]]: ...
    def _cell_columns(self, level: Optional[_Level] = None) -> Dict[str, Any]: ...
    def _frame_columns(
        self, level: _Level
    ) -> Tuple[Dict[str, Any], Dict[str, str], npt.NDArray[np.object_], str, str]: ...
    def _roster_columns(self) -> Dict[str, List[str]]: ...
    def _duty_columns(self) -> Dict[str, List[Any]]: ...
    def _responsible_columns(
        self,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        event_class: Any,
        reported_at: Any,
        threads: int,
    ) -> Dict[str, Any]: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...

def _assign_columns(
    grid_set_or_index: Union[GridSet, Index],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    event_class: Any,
    time: Any,
    crs: str,
    input_columns: List[str],
    x_name: str,
    y_name: str,
    class_name: str,
    time_name: str,
    threads: int,
) -> Dict[str, Any]: ...
def _point_column(header: List[str], name: str) -> int: ...
def _index_from_file(path: str, checksum: int, map_file: bool, grid_set: Optional[GridSet] = None) -> Index: ...
def _index_from_bytes(data: bytes, grid_set: Optional[GridSet] = None) -> Index: ...
def _grid_set_from_file(path: str, digest: int) -> GridSet: ...
def _grid_set_from_bytes(data: bytes) -> GridSet: ...

def _import_grid_set(
    levels: Sequence[Tuple[str, _Path, str, str]],
    crs: str,
    name_field: str,
    parent_code_field: str,
    households_field: str,
    population_field: str,
    kind_field: str,
    make_valid: bool,
) -> Tuple[GridSet, List[str], List[Dict[str, Any]]]: ...
def _import_frames(
    levels: List[Tuple[str, List[bytes], List[Tuple[str, str, Any, npt.NDArray[np.bool_]]], str]],
    crs: str,
    code_field: str,
    make_valid: bool,
    roster: Optional[str],
    duty: Optional[str],
    calendar: Optional[str],
) -> Tuple[GridSet, List[str], List[Dict[str, Any]]]: ...
def _china_offset_name(crs: str) -> Optional[str]: ...
def transform(
    x: npt.ArrayLike, y: npt.ArrayLike, from_crs: str, to_crs: str
) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def is_known_crs(definition: str) -> bool: ...
def is_geographic_crs(definition: str) -> bool: ...

def _validate_columns(grid_set: GridSet, tolerance: float, grid_level: str) -> Dict[str, List[Any]]: ...
def _repair_columns(
    grid_set: GridSet, snap: float, level: str | int | None
) -> Tuple[GridSet, Dict[str, List[Any]], List[str]]: ...
def _partition_columns(
    grid_set: GridSet,
    parent_level: str,
    new_level: str,
    units: Any,
    weights: Any,
    barriers: List[Any],
    target: Optional[Tuple[float, float]],
    count: int,
    seed: int,
    method: str,
    size: float,
    beidou_level: int,
    parents: List[str],
    code_digits: int,
    baselines: bool,
) -> Tuple[GridSet, Dict[str, List[Any]], Dict[str, List[Any]], Dict[str, List[Any]], Dict[str, Any]]: ...
def _rebalance_columns(
    grid_set: GridSet,
    level: str,
    units: Any,
    weights: Any,
    barriers: List[Any],
    target: Tuple[float, float],
    locks: List[str],
    parents: List[str],
    seed: int,
) -> Tuple[
    GridSet,
    Dict[str, List[Any]],
    Dict[str, List[Any]],
    Dict[str, Any],
    Dict[str, List[Any]],
    Dict[str, List[Any]],
]: ...
def _cells_in_columns(
    grid_set: GridSet,
    zone_wkt: Optional[str],
    circle: Optional[Tuple[float, float, float]],
    crs: str,
    units: Any,
    weights: Any,
) -> Tuple[Dict[str, List[Any]], Dict[str, List[Any]], float]: ...

def _stats_columns(
    grid_set: GridSet,
    x: Any,
    y: Any,
    event_class: Any,
    reported_at: Any,
    closed_at: Any,
    reopened: Any,
    event_id: Any,
    by: str,
    from_date: Optional[str],
    to_date: Optional[str],
    as_of: Optional[str],
    calendar_path: Optional[str],
    calendar_rows: Optional[Tuple[List[str], List[str]]],
    threads: int,
) -> Tuple[Dict[str, List[Any]], Dict[str, Any]]: ...
