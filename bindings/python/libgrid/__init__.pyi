"""Type stubs of the libgrid package: community grid management (网格化管理)."""

import datetime
import os
from typing import Any, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._libgrid import Index as Index
from ._libgrid import __version__ as __version__
from ._libgrid import is_geographic_crs as is_geographic_crs
from ._libgrid import is_known_crs as is_known_crs
from ._libgrid import transform as transform

__all__: List[str]

_Path = Union[str, os.PathLike[str]]
_Level = Union[str, int]
_Text = Union[str, Iterable[Optional[str]], None]
_Time = Union[str, datetime.datetime, Iterable[Any], None]

LevelSpec = Union[
    Tuple[str, _Path],
    Tuple[str, _Path, Optional[str]],
    Tuple[str, _Path, Optional[str], Optional[str]],
]

class GridSetWarning(UserWarning): ...

class RepairedPolygonWarning(GridSetWarning):
    file: str
    layer: str
    feature: int
    code: str
    problem: str
    area_before: float
    area_after: float
    share_changed: float
    def __init__(self, message: str, **figures: Any) -> None: ...

class GridSet:
    """A grid set: named levels coarse to fine, cells with parents, roster and duty table."""

    @staticmethod
    def read(path: _Path) -> GridSet: ...
    def write(self, path: _Path) -> None: ...
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
    def with_version(
        self, next: GridSet, effective: Union[str, datetime.date, np.datetime64], *,
        first_effective: Union[str, datetime.date, np.datetime64, None] = None
    ) -> GridSet: ...
    def at(self, when: Union[str, datetime.date, np.datetime64]) -> GridSet: ...
    def __len__(self) -> int: ...
    def code(self, cell: int) -> str: ...
    def find(self, code: str) -> int: ...
    def wkt(self, cell: int) -> str: ...
    def codes(self, cells: npt.ArrayLike, level: Optional[_Level] = None) -> npt.NDArray[np.object_]: ...
    def index(self) -> Index: ...
    def load_index(self, path: _Path, *, map_file: bool = False) -> Index: ...
    @overload
    def cells(self, level: None = None) -> pd.DataFrame: ...
    @overload
    def cells(self, level: _Level) -> Any: ...  # a geopandas.GeoDataFrame
    @staticmethod
    def from_frames(
        levels: Mapping[str, Any],  # level name -> geopandas.GeoDataFrame, coarse to fine
        *,
        roster: Optional[pd.DataFrame] = None,
        duty: Optional[pd.DataFrame] = None,
        calendar: Optional[pd.DataFrame] = None,
        code: str = "code",
        crs: Any = None,  # str or pyproj.CRS
        make_valid: bool = False,
    ) -> GridSet: ...
    def path(self, cells: npt.ArrayLike) -> pd.DataFrame: ...
    def responsible(
        self,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        event_class: _Text = None,
        reported_at: _Time = None,
        threads: int = 0,
    ) -> pd.DataFrame: ...
    def roster(self) -> pd.DataFrame: ...
    def duty_table(self) -> pd.DataFrame: ...
    def cells_in(
        self,
        zone: Any = None,
        *,
        circle: Optional[Tuple[float, float, float]] = None,
        crs: Optional[str] = None,
        units: Any = None,
        weights: Any = None,
    ) -> Any: ...  # a geopandas.GeoDataFrame

def import_grid_set(
    levels: Sequence[LevelSpec],
    crs: Optional[str] = None,
    name_field: str = "name",
    parent_code_field: str = "parent_code",
    households_field: str = "households",
    population_field: str = "population",
    kind_field: str = "kind",
    make_valid: bool = False,
) -> GridSet: ...

def validate(grid_set: GridSet, tolerance: float = 0.0, grid_level: str | None = None) -> pd.DataFrame: ...

class Repair(NamedTuple):
    grid_set: GridSet
    report: pd.DataFrame
    skipped: list[str]

def repair(grid_set: GridSet, snap: float, level: str | int | None = None) -> Repair: ...

class Partition(NamedTuple):
    grid_set: GridSet
    report: pd.DataFrame
    summary: pd.DataFrame
    infeasible: pd.DataFrame
    units_outside: int

def partition(
    grid_set: GridSet,
    parent_level: str,
    new_level: str,
    *,
    units: npt.ArrayLike | None = None,
    weights: npt.ArrayLike | None = None,
    barriers: Sequence[npt.ArrayLike] = (),
    target: tuple[float, float] | None = None,
    count: int = 0,
    seed: int = 1,
    method: str = "units",
    size: float = 0.0,
    beidou_level: int = 0,
    parents: Sequence[str] = (),
    code_digits: int = 3,
    baselines: bool = True,
) -> Partition: ...

class Rebalance(NamedTuple):
    grid_set: GridSet
    changes: pd.DataFrame
    report: pd.DataFrame
    totals: dict[str, Any]
    infeasible: pd.DataFrame
    retired_roster: pd.DataFrame

def rebalance(
    grid_set: GridSet,
    level: str,
    *,
    units: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    barriers: Sequence[npt.ArrayLike] = (),
    target: tuple[float, float],
    locks: Sequence[str] = (),
    parents: Sequence[str] | None = None,
    seed: int = 1,
) -> Rebalance: ...

def stats(
    grid_set: GridSet,
    events: pd.DataFrame,
    *,
    by: str = "grid",
    calendar: str | os.PathLike[str] | pd.DataFrame | None = None,
    from_date: str | None = None,
    to_date: str | None = None,
    as_of: str | None = None,
    threads: int = 0,
) -> pd.DataFrame: ...
def assign(
    frame: pd.DataFrame,
    grid_set: Union[GridSet, Index],
    x: str = "x",
    y: str = "y",
    crs: Optional[str] = None,
    event_class: Optional[str] = None,
    time: Optional[str] = None,
    *,
    threads: int = 0,
) -> pd.DataFrame: ...
