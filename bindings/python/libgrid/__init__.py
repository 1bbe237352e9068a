"""libgrid: community grid management (网格化管理) from Python.

A grid set nests administrative areas coarse to fine (district → street → community → grid →
micro-grid), with a roster saying who answers for each cell and a duty table saying which
department handles each class of event. This package reads, imports and writes grid sets, looks
up batches of points exactly (NumPy arrays in and out, the GIL released, threads inside) and
answers "who is responsible for an event here" as pandas frames.

    >>> import libgrid
    >>> gs = libgrid.GridSet.read("city.gpkg")
    >>> idx = gs.index()
    >>> cells = idx.lookup(x, y)           # numpy int32: finest cell per point, -1 for none
    >>> gs.path(cells)                      # pandas: one column of codes per level
    >>> gs.responsible(x, y, event_class)   # pandas: worker, leaders, department, deadline, ...

The boundary rule: a point belongs to the cell whose interior holds the point an infinitesimal
step north of it, nudged an even smaller step east. Every point of an area that a level covers
without gaps is held by exactly one cell of the level, including points exactly on shared edges
and vertices; the answer never depends on floating-point rounding.

Errors from the library raise ValueError (bad input) or OSError (files), with the same message
the gridtool command line prints.
"""

from __future__ import annotations

import datetime as _datetime
import decimal as _decimal
import math as _math
import numbers as _numbers_abc
import operator as _operator
import os as _os
import typing as _typing
import warnings as _warnings
from collections import abc as _abc

import numpy as _np
import numpy.typing as _npt
import pandas as _pd

from ._libgrid import (
    GridSet,
    Index,
    __version__,
    is_geographic_crs,
    is_known_crs,
    release_memory,
    transform,
)
from . import _libgrid
from . import frames as _frames

__all__ = [
    "GridSet",
    "GridSetWarning",
    "RepairedPolygonWarning",
    "Index",
    "__version__",
    "assign",
    "import_grid_set",
    "is_geographic_crs",
    "is_known_crs",
    "release_memory",
    "transform",
    "validate",
    "repair",
    "Repair",
    "partition",
    "Partition",
    "rebalance",
    "stats",
    "Rebalance",
]


class GridSetWarning(UserWarning):
    """Something libgrid kept but that is worth a look, e.g. a degenerate ring it dropped while
    importing a feature, or a cell for which no parent was found."""


class RepairedPolygonWarning(GridSetWarning):
    """A feature whose invalid polygon ``import_grid_set(..., make_valid=True)`` repaired.

    Besides the message (file, layer, feature, code, the problem and the areas), it carries the
    figures as attributes: ``file``, ``layer``, ``feature`` (the feature id), ``code``,
    ``problem`` (what GEOS found first, e.g. "self-intersecting polygon at (1 1)"),
    ``area_before`` (the area as read, each ring by the shoelace formula, so that the loops of a
    ring crossing itself may cancel out), ``area_after`` (the repaired area; both in the CRS's
    units squared) and ``share_changed`` (|after - before| as a share of the larger, 0 to 1).
    """

    def __init__(self, message: str, **figures: _typing.Any) -> None:
        super().__init__(message)
        self.file: str = figures["file"]
        self.layer: str = figures["layer"]
        self.feature: int = figures["feature"]
        self.code: str = figures["code"]
        self.problem: str = figures["problem"]
        self.area_before: float = figures["area_before"]
        self.area_after: float = figures["area_after"]
        self.share_changed: float = figures["share_changed"]


# One level of import_grid_set: (level_name, path), (level_name, path, code_field) or
# (level_name, path, code_field, layer); None for code_field or layer takes the default.
_Path = _typing.Union[str, _os.PathLike[str]]
_LevelSpec = _typing.Union[
    _typing.Tuple[str, _Path],
    _typing.Tuple[str, _Path, _typing.Optional[str]],
    _typing.Tuple[str, _Path, _typing.Optional[str], _typing.Optional[str]],
]


def import_grid_set(
    levels: _abc.Sequence[_LevelSpec],
    crs: str | None = None,
    name_field: str = "name",
    parent_code_field: str = "parent_code",
    households_field: str = "households",
    population_field: str = "population",
    kind_field: str = "kind",
    make_valid: bool = False,
) -> GridSet:
    """Builds a grid set from GDAL vector sources, one per level, coarse to fine.

    Args:
        levels: one entry per level, coarse to fine: ``(level_name, path)``,
            ``(level_name, path, code_field)`` or ``(level_name, path, code_field, layer)``.
            ``path`` is any GDAL vector source (GeoPackage, Shapefile, GeoJSON, FlatGeobuf; str
            or os.PathLike); ``code_field`` defaults to ``"code"`` and ``layer`` to the source's
            first layer (None for either means the default).
        crs: overrides the sources' CRS (any definition PROJ accepts, e.g. ``"EPSG:4548"``, or
            ``"GCJ-02"`` / ``"BD-09"`` for longitude/latitude from Chinese map providers: the
            coordinates are kept and the CRS recorded); required when a source has none. None
            keeps the sources' own.
        name_field, parent_code_field, households_field, population_field, kind_field: the
            source fields holding a cell's name, its parent's code, households, population and
            kind ("basic" or "dedicated"). Any of them may be absent from a source. Other
            fields are kept as attributes (see GridSet.cells).
        make_valid: repair invalid polygons (a self-intersection, a ring crossing itself, a hole
            outside its shell, ...) with GEOS's MakeValid instead of refusing them: the areas of
            the result are kept, the lines and points it leaves where a polygon collapses are
            dropped. Each repaired feature is issued as a ``RepairedPolygonWarning`` carrying
            its areas before and after.

    Each cell is linked to its parent by the parent-code field when the source has one, else by
    the longest code of the level above that prefixes the cell's code, else spatially (the
    parent holding most of its area). Gaps, overlaps and slivers are kept for validation.

    Things worth a look but not fatal (a degenerate ring dropped, a cell without a parent, a
    polygon repaired) are issued as ``GridSetWarning`` with ``warnings.warn``.

    Returns:
        The new GridSet, with an empty roster and duty table (see set_roster_csv and
        set_duty_csv).

    Raises:
        ValueError: a level entry is malformed, or a source holds what cannot be represented: an
            unclosed ring, an invalid polygon (unless ``make_valid``), NaN coordinates, a missing code field, a
            duplicate code, no CRS, a CRS unlike the first level's. The message names the file,
            layer, feature and field.
        OSError: a source cannot be read.
    """
    sources = []
    # Checked one by one: a caller without a type checker may pass anything.
    for entry in _typing.cast("_abc.Sequence[_typing.Any]", levels):
        if isinstance(entry, (str, bytes)) or not isinstance(entry, _abc.Sequence) or not 2 <= len(entry) <= 4:
            raise ValueError(
                "each level is (level_name, path), (level_name, path, code_field) or "
                f"(level_name, path, code_field, layer), not {entry!r}"
            )
        level, path = entry[0], entry[1]
        code_field = entry[2] if len(entry) > 2 else None
        layer = entry[3] if len(entry) > 3 else None
        if not isinstance(level, str) or not level:
            raise ValueError(f"a level name must be a non-empty str, not {level!r}")
        sources.append((level, _os.fspath(path), code_field or "", layer or ""))
    grids, messages, repairs = _libgrid._import_grid_set(
        sources,
        crs or "",
        name_field,
        parent_code_field,
        households_field,
        population_field,
        kind_field,
        bool(make_valid),
    )
    for message in messages:
        _warnings.warn(message, GridSetWarning, stacklevel=2)
    for repair in repairs:
        _warnings.warn(RepairedPolygonWarning(**repair), stacklevel=2)
    return grids


# --------------------------------------------------------------------------------------------
# The pandas-facing methods of GridSet.
# --------------------------------------------------------------------------------------------


def _whole(value: _typing.Any, name: str) -> int:
    """`value` as an int: TypeError for 1.5, 1e30, "3" or None, which int() would convert."""
    try:
        return _operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be a whole number, not {value!r}") from None


def _frame_index(values: object) -> _pd.Index | None:
    """A pandas Series argument lends its index to the result; anything else gets positions."""
    return values.index if isinstance(values, _pd.Series) else None


@_typing.overload
def _cells(self: GridSet, level: None = None) -> _pd.DataFrame: ...


@_typing.overload
def _cells(self: GridSet, level: str | int) -> _typing.Any: ...  # a geopandas.GeoDataFrame


def _cells(self: GridSet, level: str | int | None = None) -> _typing.Any:
    """The cells, one row per cell, in id order: one level's as a GeoDataFrame, all as a table.

    Args:
        level: a level name or index to list only that level's cells, with their geometry;
            None lists the cells of every level, without geometry.

    Returns:
        Columns ``id`` (int32), ``code``, ``name``, ``level`` (the level's name),
        ``parent_code`` (None at the top or where no parent was found), ``households`` and
        ``population`` (int64), ``kind`` ("basic" or "dedicated"), then one column per extra
        source field (None where a cell lacks it; named ``attr_<field>`` where the field's name
        clashes with a column above).

        With a level: a geopandas GeoDataFrame with a ``geometry`` column (MultiPolygons, the
        core's coordinates exactly) in the grid set's CRS, and the extra fields with their
        source types: integers as int64 (pandas Int64 where a cell lacks the field), reals as
        float64 (NaN where missing), text as str. The CRS of a GCJ-02 or BD-09 grid set, which
        pyproj does not know, is its longitude/latitude base EPSG:4326; ``attrs["crs"]`` always
        holds the grid set's own CRS ("GCJ-02"). ``GridSet.from_frames`` takes such frames back.

        Without a level: a pandas DataFrame, the extra fields as text.
    """
    if level is not None:
        return _frames.cells_frame(self, level)
    return _pd.DataFrame(self._cell_columns(level))


def _path(self: GridSet, cells: _npt.ArrayLike) -> _pd.DataFrame:
    """The codes on each cell's path from the coarsest level down, as a pandas DataFrame.

    Args:
        cells: cell ids (any 1-D array-like of ints), e.g. the result of Index.lookup; -1 means
            no cell.

    Returns:
        One column per level, named after the level, coarse to fine, holding the code of the
        cell's ancestor at that level (the cell's own code at its level) and None where the path
        stops (below the cell's level, or everywhere for -1). The index is the position in
        ``cells``, or the Series' own index when ``cells`` is a pandas Series.

    Raises:
        TypeError: the ids are not integers (floats, booleans, text, None).
        ValueError: ``cells`` is not 1-D, or an id is not -1 or a cell of this set.
    """
    ids = _np.asarray(cells)
    if ids.ndim != 1:
        raise ValueError(f"cells must be 1-D, not of shape {ids.shape}")
    columns = self._path_columns(ids)
    return _pd.DataFrame(dict(zip(self.levels, columns)), index=_frame_index(cells))


def _text_column(values: object, n: int, what: str, times: bool = False) -> object:
    """A column of text for the C++ side, without a Python loop over the rows: None; an object
    array of str / None; a datetime64 array (times); or (categories, codes) for a single value
    or a pandas Categorical. With `times`, datetime values held as objects (datetime, date,
    Timestamp) become "YYYY-MM-DDTHH:MM" text, so that the due column stays text as the
    column's dtype (object) says."""
    if values is None:
        return None
    if isinstance(values, (_datetime.date, _np.datetime64)):
        values = _time_text(values)
    if isinstance(values, str):
        return (_np.array([values], dtype=object), _np.zeros(n, dtype=_np.int64))
    if isinstance(values, _pd.Index):
        values = _pd.Series(values)
    if isinstance(values, _pd.Series):
        if isinstance(values.dtype, _pd.CategoricalDtype):
            if _pd.api.types.infer_dtype(values.cat.categories, skipna=True) not in ("string", "empty"):
                # Only the categories rows hold are read: an unused one may be anything.
                values = values.cat.remove_unused_categories()
            categories = _np.asarray(values.cat.categories, dtype=object)
            if times:
                categories = _times_as_text(categories)
            return (categories, values.cat.codes.to_numpy())  # int8 to int64, as pandas keeps them
        if _pd.api.types.is_datetime64_any_dtype(values.dtype):
            return values.to_numpy(dtype="datetime64[ns]")
        array = values.to_numpy(dtype=object)
    else:
        array = _np.asarray(values)
        if array.dtype.kind == "M":
            return array
        array = array.astype(object) if array.dtype.kind in "US" else _np.asarray(values, dtype=object)
    if array.ndim != 1:
        raise ValueError(f"{what} must be one value or one per point, not of shape {array.shape}")
    if len(array) != n:
        raise ValueError(f"{what} has {len(array)} values for {n} points")
    return _times_as_text(array) if times else array


def _times_as_text(array: _np.ndarray) -> _np.ndarray:
    """An object array whose values are all datetimes, dates or Timestamps (None / NaT for
    none) as "YYYY-MM-DDTHH:MM" text, each at its own clock time; any other array as it is."""
    # Text (the common case) is told by its first value, without a pass over every row.
    first = next((v for v in array if not (v is None or v is _pd.NaT or v is _pd.NA or v != v)), None)
    if first is None or isinstance(first, str):
        return array
    if _pd.api.types.infer_dtype(array, skipna=True) not in ("datetime", "datetime64", "date"):
        return array
    try:
        moments = _pd.DatetimeIndex(array)  # refuses Timestamps of several time zones
    except (TypeError, ValueError):
        return _np.array([None if _pd.isna(v) else _time_text(v) for v in array], dtype=object)
    text = moments.strftime("%Y-%m-%dT%H:%M").to_numpy(dtype=object)
    text[moments.isna()] = None
    return text


def _time_text(value: object) -> str:
    return _pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M")


def _clock_times(values: object) -> tuple[object, object]:
    """Times with a time zone (a pandas Series or DatetimeIndex of datetime64[ns, zone]) as
    their clock times there, and the zone; anything else as it is, and None. Working hours and
    holidays are the clock's, so due is worked out on the clock and given back in the zone."""
    zone = getattr(getattr(values, "dtype", None), "tz", None)
    if zone is None:
        return values, None
    if isinstance(values, _pd.Series):
        return values.dt.tz_localize(None), zone
    return _pd.DatetimeIndex(values).tz_localize(None), zone


def _in_zone(due: _np.ndarray, zone: object) -> object:
    """Clock times (datetime64[ns]) in `zone`: a time the clock shows twice is taken at its
    first (summer) showing, one it skips moves on to the first that exists."""
    moments = _pd.DatetimeIndex(due)
    return moments.tz_localize(zone, ambiguous=_np.ones(len(moments), dtype=bool),
                               nonexistent="shift_forward").array


def _responsible(
    self: GridSet,
    x: _npt.ArrayLike,
    y: _npt.ArrayLike,
    event_class: str | _abc.Iterable[str | None] | None = None,
    reported_at: str | _datetime.datetime | _abc.Iterable[object] | None = None,
    threads: int = 0,
) -> _pd.DataFrame:
    """Who answers for an event at each point (属地管理, one responsible body per event).

    Looks every point up in the grid set's index (built once and cached) and resolves the
    roster and duty table along its path: ``libgrid.assign`` on bare arrays, with the same
    columns, checks and messages (points in the wrong CRS are refused).

    Args:
        x, y: coordinates in the grid set's CRS, 1-D array-likes of the same length.
        event_class: None (no duty rule is looked for), one class for every point, or one per
            point (str, or None for none). A point's rule is the one whose class is the longest
            prefix of its class ("0103" falls back to "01").
        reported_at: None, one time for every point, or one per point: "YYYY-MM-DDTHH:MM" text
            (or datetime values; times with a time zone are taken at their clock time there).
            When given, a ``due`` column says when each event is due under its rule's deadline
            and the working calendar.
        threads: lookup threads; 0 uses every core.

    Returns:
        A pandas DataFrame, one row per point (index: positions, or x's own index when x is a
        Series), with the columns ``gridtool assign`` adds (libgrid's one assign verb):

        - one per level, named after it (``<level>_code`` where a name clashes with a column
          below): the codes on the point's path, None where it stops;
        - with a roster: ``grid_worker``, ``grid_worker_id``, ``grid_worker_phone`` (the grid
          worker of the deepest cell on the path that has one), ``grid_leader`` and
          ``info_workers`` (of the deepest cell that has any, names joined with ";"), and
          ``escalation``: the path finest first, each cell's code followed by its leaders'
          names, joined with " > " (e.g. "110119001002003 王芳 > 110119001002 李强 > ...");
        - with an event_class and a duty table: ``department``, ``handling_level``,
          ``handling_cell`` (the code of the path's cell at the handling level), ``deadline``
          (float, NaN without a rule) and ``deadline_unit``; and ``due`` when reported_at is
          given too (datetime64[ns] when reported_at is a datetime64 array or Series, in its
          time zone if it has one, else "YYYY-MM-DDTHH:MM" text).

        Missing values are None. A point outside every cell has no codes and no people, but
        still the department of its event class.

    Raises:
        ValueError: x and y differ in length, event_class or reported_at has the wrong length,
            a reported_at text is not a time, a coordinate is infinite, or the points are in
            another CRS than the grid set's (swapped axes, longitude/latitude, GCJ-02), as
            libgrid.assign says.
        TypeError: an event class is not a str (e.g. an int that lost its leading zeros).
    """
    n = int(_np.size(x))
    if _np.ndim(x) != 1 or _np.ndim(y) != 1:
        raise ValueError("x and y must be 1-D")
    classes = _text_column(event_class, n, "event_class")
    clock, zone = _clock_times(reported_at)
    times = _text_column(clock, n, "reported_at", times=True)
    columns = self._responsible_columns(_numbers(x, "x"), _numbers(y, "y"), classes, times, threads)
    if zone is not None and "due" in columns:
        columns["due"] = _in_zone(columns["due"], zone)
    return _pd.DataFrame(columns, index=_frame_index(x), copy=False)


def _numbers(values: _npt.ArrayLike, name: str) -> _npt.ArrayLike:
    """A pandas Series as its NumPy values (NaN for missing), anything else as it is."""
    if isinstance(values, _pd.Series):
        if values.dtype == _np.float64:
            return values.to_numpy()  # the column itself, not a copy: NaN is its own missing value
        if _pd.api.types.is_numeric_dtype(values.dtype) and not _pd.api.types.is_bool_dtype(values.dtype):
            return values.to_numpy(dtype=float, na_value=_np.nan)
        if values.dtype == object:
            return _object_numbers(values.to_numpy(), name)
        return values.to_numpy()
    return values


def _object_numbers(array: _np.ndarray, name: str) -> _np.ndarray:
    """Numbers held as objects (int, float, Decimal, NumPy's; None, NaN or pd.NA for none) as
    floats; TypeError naming the first value that is not a number (text included: a CSV's
    numbers are read by read_csv, or pd.to_numeric, before they come here)."""
    missing = _pd.isna(array)
    present = array[~missing]
    if _pd.api.types.infer_dtype(present, skipna=False) not in ("integer", "floating", "mixed-integer-float",
                                                                "decimal", "empty"):
        for position, value in enumerate(array):
            is_number = isinstance(value, (_numbers_abc.Real, _decimal.Decimal)) and not isinstance(value, (bool, _np.bool_))
            if not missing[position] and not is_number:
                raise TypeError(f"{name}[{position}] must be a number or None, not {type(value).__name__}")
    numbers = _np.full(len(array), _np.nan)
    numbers[~missing] = present.astype(float)
    return numbers


def _roster(self: GridSet) -> _pd.DataFrame:
    """The roster as a pandas DataFrame: columns cell_code, role (grid_worker, grid_leader or
    info_worker), person_id, name and phone, in roster order."""
    return _pd.DataFrame(self._roster_columns())


def _duty_table(self: GridSet) -> _pd.DataFrame:
    """The duty table as a pandas DataFrame: columns event_class, class_name, department,
    handling_level, deadline (float) and deadline_unit."""
    return _pd.DataFrame(self._duty_columns())


def validate(
    grid_set: GridSet, tolerance: float = 0.0, grid_level: str | None = None
) -> _pd.DataFrame:
    """Check a grid set as `gridtool validate` does and return the problems as a DataFrame.

    Finds gaps between a parent and its children, overlaps within a level, parts of a cell
    outside its parent, invalid geometry, cells in more parts than their parent, malformed codes
    and codes that do not extend their parent's, cells with no parent, and cells of
    `grid_level` without exactly one grid worker. A located problem whose thickness
    (2 x area / perimeter) is at most `tolerance` (CRS units) is a sliver.

    Args:
        grid_set: the grid set to check.
        tolerance: the largest thickness of a sliver; 0 makes every problem real.
        grid_level: the level whose cells need exactly one grid worker; None: the level named
            "grid" if there is one.

    Returns:
        pandas.DataFrame with columns level, level_name, kind, cell_code, other_code, area,
        thickness, sliver, detail and wkt (the problem's location; None for non-spatial ones).
        An empty frame means the set is clean.

    Raises:
        ValueError: a negative tolerance, or a `grid_level` the grid set lacks.
    """
    columns = _libgrid._validate_columns(grid_set, float(tolerance), grid_level or "")
    return _pd.DataFrame(columns)


class Repair(_typing.NamedTuple):
    """What libgrid.repair returns."""

    grid_set: GridSet
    """A new grid set: the input with its cells snapped to their parents."""
    report: _pd.DataFrame
    """Per changed cell: level, level_name, code, parent_code, vertices_moved, vertices_added,
    area_before, area_after, area_out (cut off) and area_in (taken in)."""
    skipped: list[str]
    """Codes of cells left as they are: their geometry or their parent's is invalid."""


def repair(grid_set: GridSet, snap: float, level: str | int | None = None) -> Repair:
    """Snap cells to their parent's boundary, as `gridtool repair --snap` does.

    Vertices within `snap` of a parent's vertex move onto it, the parent's vertices along its
    boundary are inserted between two that landed on it, and parts left outside the parent no
    thicker than `snap` (2 x area / perimeter) are cut off; two siblings that overlap only after
    snapping are parted. Thicker disagreements stay, for `validate` to report. Coarse levels
    are repaired first; only geometry changes, and repairing the result again changes nothing.

    Args:
        grid_set: the grid set; it is not changed.
        snap: the tolerance in CRS units (metres, or degrees for lon/lat data), > 0.
        level: the only level to snap to its parent level (name or index); every level below
            the top when None.

    Returns:
        Repair(grid_set, report, skipped).

    Raises:
        ValueError: a tolerance that is not finite and > 0 (or below the coordinates'
            precision), an unknown level or the top level, a cell that would vanish entirely
            (named).
    """
    new_set, columns, skipped = _libgrid._repair_columns(grid_set, float(snap), level)
    return Repair(new_set, _pd.DataFrame(columns), list(skipped))


class Partition(_typing.NamedTuple):
    """What libgrid.partition returns."""

    grid_set: GridSet
    """A new grid set: the input plus the new level."""
    report: _pd.DataFrame
    """Per new cell: code, parent_code, weight, deviation (0 within the band), area,
    polsby_popper, barrier_share (of its boundary inside the parent; NaN where not measured),
    in_band and problem (why it is out of band, else None)."""
    summary: _pd.DataFrame
    """One row for libgrid and one per baseline (square grid, k-means + Voronoi): method,
    cells, cells_in_band, min_weight, max_weight, max_deviation, mean_polsby_popper,
    mean_barrier_share."""
    infeasible: _pd.DataFrame
    """Why cells or whole parents miss the band: parent_code, cell_code (None for a parent),
    reason."""
    units_outside: int
    """Units outside every cell of the parent level: not counted."""


def partition(
    grid_set: GridSet,
    parent_level: str,
    new_level: str,
    *,
    units: _npt.ArrayLike | None = None,
    weights: _npt.ArrayLike | None = None,
    barriers: _abc.Sequence[_npt.ArrayLike] = (),
    target: tuple[float, float] | None = None,
    count: int = 0,
    seed: int = 1,
    method: str = "units",
    size: float = 0.0,
    beidou_level: int = 0,
    parents: _abc.Sequence[str] = (),
    code_digits: int = 3,
    baselines: bool = True,
) -> Partition:
    """Add a finer level under `parent_level`, as `gridtool partition` does.

    With method "units" each parent is cut into blocks along the barriers, heavy blocks are
    split between their units, and blocks are grouped into contiguous, compact cells whose
    weight lies within `target` = (min, max), or into `count` cells of even weight per parent.
    With "square"/"hex" (`size` in CRS units) or "beidou" (`beidou_level` 1-10) the cells are a
    lattice clipped to each parent. New cells nest exactly and are coded parent code +
    sequence (west to east, north to south). The same seed gives the same cells.

    Args:
        grid_set: the grid set; it is not changed.
        parent_level: the level to subdivide (its finest).
        new_level: the new level's name.
        units: array-like of shape (n, 2), x and y in the grid set's CRS.
        weights: households per unit (1 each when None).
        barriers: polylines, each array-like of shape (m, 2).
        target: the band (min, max) of weight per cell.
        count: cells per parent instead of a band.
        seed: random seed.
        method: "units", "square", "hex" or "beidou".
        size: square side or hexagon width for "square" and "hex".
        beidou_level: the Beidou grid level for "beidou".
        parents: codes of the parent cells to subdivide; all when empty.
        code_digits: digits of sequence in the new codes.
        baselines: also measure the square-grid and k-means baselines (method "units").

    Returns:
        Partition(grid_set, report, summary, infeasible, units_outside).

    Raises:
        TypeError: count, seed, beidou_level or code_digits is not a whole number.
        ValueError: bad options (an empty band, an unknown level or parent, a level below
            parent_level, more cells per parent than code_digits number, known from `count`
            or from each parent's area over a square's or hexagon's), negative weights or
            weights adding up past the largest float, barriers of fewer than 2 points, an
            invalid parent.
    """
    new_set, cells, summary, infeasible, counts = _libgrid._partition_columns(
        grid_set, parent_level, new_level, units, weights, list(barriers),
        None if target is None else (float(target[0]), float(target[1])), _whole(count, "count"),
        _whole(seed, "seed"), method, float(size), _whole(beidou_level, "beidou_level"),
        list(parents), _whole(code_digits, "code_digits"), bool(baselines))
    return Partition(new_set, _pd.DataFrame(cells), _pd.DataFrame(summary),
                     _pd.DataFrame(infeasible), int(counts["units_outside"]))


class Rebalance(_typing.NamedTuple):
    """What libgrid.rebalance returns."""

    grid_set: GridSet
    """A new grid set: the input with the level adjusted and retired codes' roster entries
    removed."""
    changes: _pd.DataFrame
    """One row per piece of land that changed cell: piece (the finer cell's code; None at the
    finest level, where pieces are blocks), units (list of the 0-based positions in `units` of
    the units in the piece), from_code, to_code, households, area."""
    report: _pd.DataFrame
    """Per cell of the adjusted parents, in code order: code, parent_code, status ("kept",
    "new", "retired" or "locked"), weight_before, weight_after (today's units inside the cell
    as it was and as it is), in_band_before, in_band_after, kept_share (of its households
    before, the share still in a cell of this code), area_before, area_after, polsby_popper
    (after; before for a retired cell)."""
    totals: dict[str, _typing.Any]
    """The plan's figures: cells_before, cells_after, in_band_before, in_band_after,
    households (of the units inside the adjusted parents), moved (households whose cell code
    changed), lower_bound (what any plan keeping the number of cells must move),
    core_retention, cells_touched, boundary_changed, codes_kept, codes_new, codes_retired, and
    the unit counts units, units_outside (outside every cell of the level: not counted) and
    units_elsewhere (in cells of parents not adjusted)."""
    infeasible: _pd.DataFrame
    """Cells still out of band and parents whose weight fits no number of cells in the band:
    parent_code, cell_code (None for a parent), reason."""
    retired_roster: _pd.DataFrame
    """The roster entries of retired codes, removed from the grid set: cell_code, role,
    person_id, name, phone."""


def rebalance(
    grid_set: GridSet,
    level: str,
    *,
    units: _npt.ArrayLike,
    weights: _npt.ArrayLike | None = None,
    barriers: _abc.Sequence[_npt.ArrayLike] = (),
    target: tuple[float, float],
    locks: _abc.Sequence[str] = (),
    parents: _abc.Sequence[str] | None = None,
    seed: int = 1,
) -> Rebalance:
    """Adjust the cells of `level` to today's households (动态调整), as `gridtool rebalance` does.

    Inside each parent, land moves between neighbouring cells until every cell's weight lies
    within `target` = (min, max) wherever that is possible, moving as few households as
    possible, then as little boundary as possible, then keeping cells compact. A cell too heavy
    for its neighbours to absorb splits; a cell too light to stand alone merges into the
    neighbour it shares most boundary with. Where `level` has a finer level, land moves in whole
    finer cells (they keep their geometry and codes and only change parent); at the finest
    level, in blocks cut by the cells' boundaries, the barriers and straight cuts between units.

    The cells of each parent still cover it exactly; locked and dedicated cells and every cell
    of a parent not adjusted keep their geometry and fields; households are conserved. A cell
    keeps its code where it keeps most of its area, a new cell takes the next sequence of its
    parent, and a retired code is never given to other land. The same seed gives the same plan.

    Args:
        grid_set: the grid set; it is not changed.
        level: the level to adjust (its name).
        units: array-like of shape (n, 2), x and y in the grid set's CRS (address points or
            buildings).
        weights: households per unit (1 each when None).
        barriers: polylines (roads, rivers, walls), each array-like of shape (k, 2).
        target: the band (min, max) of weight per cell.
        locks: codes of cells of `level` that must not change (a school, a grid under review).
        parents: codes of the parents to adjust; all when None or empty.
        seed: random seed.

    Returns:
        Rebalance(grid_set, changes, report, totals, infeasible, retired_roster). A band that
        cannot be met is reported in `infeasible`, never raised.

    Raises:
        TypeError: seed is not a whole number.
        ValueError: an unknown level, an empty or inverted band, a lock or parent naming an
            unknown code or a cell of another level, a negative or non-finite weight, a barrier
            of fewer than 2 points, a level whose cells overlap or leave gaps inside a parent,
            or arguments of the wrong shape. The grid set is not changed.
    """
    low, high = target
    new_set, changes, cells, totals, infeasible, retired = _libgrid._rebalance_columns(
        grid_set, level, units, weights, list(barriers), (float(low), float(high)),
        list(locks), list(parents or ()), _whole(seed, "seed"))
    return Rebalance(new_set, _pd.DataFrame(changes), _pd.DataFrame(cells), dict(totals),
                     _pd.DataFrame(infeasible), _pd.DataFrame(retired))


def _cells_in(
    self: GridSet,
    zone: _typing.Any = None,
    *,
    circle: tuple[float, float, float] | None = None,
    crs: str | None = None,
    units: _npt.ArrayLike | None = None,
    weights: _npt.ArrayLike | None = None,
) -> _typing.Any:
    """Every cell of every level an incident zone touches, as `gridtool area` lists them.

    The zone is closed: a cell it only touches (along an edge or at a corner) is listed once
    with a share of exactly 0, a cell it covers has a share of exactly 1. A circle's shares are
    those of the true disk, not of a polygon drawn around it.

    Households and population inside: where `units` are given and a cell holds at least one,
    the units inside the zone are counted (each in the one cell per level that holds it), and
    the population is those households times the cell's people per household; elsewhere both
    are the cell's figures times its area share, and ``estimated`` is True.

    Args:
        zone: a Shapely Polygon or MultiPolygon, or its WKT text.
        circle: instead of `zone`, a true circle (x, y, radius); the radius is in the grid
            set's units (metres in a projected CRS).
        crs: the CRS of `zone` or of the circle's centre when it is not the grid set's
            ("EPSG:4326", "GCJ-02", ...).
        units: array-like of shape (n, 2), x and y in the grid set's CRS (address points).
        weights: households per unit (1 each when None).

    Returns:
        A geopandas GeoDataFrame in the grid set's CRS, one row per cell touched, coarse
        levels first, then by code: code, name, level, area, area_inside, share, households,
        population, estimated, units (counted inside), grid_worker, grid_worker_phone, leader,
        leader_phone (several joined by ";") and the cell's whole geometry. ``attrs["totals"]``
        holds the totals per level (level, cells, cells_covered, cells_edge_only,
        cells_estimated, area_inside, households, population) and ``attrs["zone_area"]`` the
        zone's area.

    Raises:
        ValueError: an invalid or empty zone, a radius not above 0, both or neither of `zone`
            and `circle`, a CRS that is not known, a point that cannot be transformed.
    """
    import geopandas  # only this method needs it

    if (zone is None) == (circle is None):
        raise ValueError("give the zone once: a polygon (zone) or a circle (circle=(x, y, radius))")
    wkt = None
    if zone is not None:
        wkt = zone if isinstance(zone, str) else getattr(zone, "wkt", None)
        if not isinstance(wkt, str):
            raise ValueError(f"zone must be a Shapely polygon or WKT text, not {type(zone).__name__}")
    circle_arg = None
    if circle is not None:
        x, y, radius = circle
        circle_arg = (float(x), float(y), float(radius))
    columns, totals, zone_area = _libgrid._cells_in_columns(
        self, wkt, circle_arg, crs or "", units, weights)
    geometry = geopandas.GeoSeries.from_wkt(columns.pop("geometry"), crs=self.crs or None)
    frame = geopandas.GeoDataFrame(columns, geometry=geometry)
    frame.attrs["totals"] = _pd.DataFrame(totals)
    frame.attrs["zone_area"] = zone_area
    return frame


def _time_column(frame: _pd.DataFrame, name: str) -> _np.ndarray:
    """A time column as datetime64 values when pandas holds it so, else as objects (text)."""
    column = frame[name]
    if _pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.to_numpy(dtype="datetime64[ns]")
    return column.to_numpy(dtype=object)


def stats(
    grid_set: GridSet,
    events: _pd.DataFrame,
    *,
    by: str = "grid",
    calendar: str | _os.PathLike[str] | _pd.DataFrame | None = None,
    from_date: str | None = None,
    to_date: str | None = None,
    as_of: str | None = None,
    threads: int = 0,
) -> _pd.DataFrame:
    """Evaluate (考核) how cells, workers or departments handled their events, as `gridtool stats`.

    Every event is located and resolved as `GridSet.responsible` does and is due at its duty
    rule's deadline on the working calendar. Per group, as of `as_of` (a closing time after it
    counts as open): closure_rate = closed / events; on_time_rate = closed_on_time /
    settle_by_as_of, where settle_by_as_of counts the closed events and the open ones already
    overdue; rework_rate = events returned for rework at least once / events;
    events_per_100_households (a cell's households, or those of the cells a worker serves); and
    median_handling, the median time from report to closing in handling_unit, the group's most
    common deadline unit (working units counted in working time). A rate with nothing to divide
    by is NaN.

    Args:
        grid_set: a grid set with a duty table (and a roster for by="worker").
        events: a DataFrame with x, y (in the grid set's CRS), event_class, reported_at
            ("YYYY-MM-DDTHH:MM" text or datetime64) and optionally event_id, closed_at (empty,
            None or NaT while open) and reopened (returns for rework).
        by: a level name, "worker" or "department".
        calendar: the holidays and make-up working days: a path to a date,kind CSV or a
            DataFrame with those columns; None uses the grid set's calendar.
        from_date, to_date: only events reported on these dates ("YYYY-MM-DD"), both included.
        as_of: the time of the evaluation; default the start of the day after `to_date`, else
            the latest report or closing time of the events in the period.
        threads: lookup threads (0: every core).

    Returns:
        One row per group (every cell of a level; else the groups with events), the columns of
        `gridtool stats`'s CSV. `attrs["summary"]` holds the totals, as_of and the events left
        out (outside the period, not covered, of a class with no duty rule, outside any group).

    Raises:
        ValueError: a missing column, a bad or missing time, closed_at before reported_at, a
            rework count that is not a whole number >= 0, an unknown `by`, a bad calendar, or a
            grid set with no duty table; the message names the row and field.
    """
    missing = [c for c in ("x", "y", "event_class", "reported_at") if c not in events.columns]
    if missing:
        raise ValueError(f"events: no column {missing[0]}")
    calendar_path = calendar_rows = None
    if isinstance(calendar, _pd.DataFrame):
        calendar_rows = (calendar["date"].astype(str).tolist(), calendar["kind"].astype(str).tolist())
    elif calendar is not None:
        calendar_path = _os.fspath(calendar)
    columns, summary = _libgrid._stats_columns(
        grid_set,
        events["x"].to_numpy(dtype=float),
        events["y"].to_numpy(dtype=float),
        events["event_class"].to_numpy(dtype=object),
        _time_column(events, "reported_at"),
        _time_column(events, "closed_at") if "closed_at" in events.columns else None,
        events["reopened"].to_numpy(dtype=object) if "reopened" in events.columns else None,
        events["event_id"].to_numpy(dtype=object) if "event_id" in events.columns else None,
        by, from_date, to_date, as_of, calendar_path, calendar_rows, int(threads))
    frame = _pd.DataFrame(columns)
    for name in ("households", "events_per_100_households", "closure_rate", "on_time_rate",
                 "rework_rate", "median_handling"):
        frame[name] = frame[name].astype(float)
    frame.attrs["summary"] = dict(summary)
    return frame


def _label_text(label: _typing.Hashable, levels: int) -> str:
    """A column label as the core sees it, in messages and name clashes: its text; in columns
    of several levels, a label whose lower parts are empty by its first part, the label pandas
    makes of a plain name inserted there."""
    if levels > 1 and isinstance(label, tuple) and all(part == "" for part in label[1:]):
        return str(label[0])
    return str(label)


def _column_names(frame: _pd.DataFrame) -> list[str]:
    return [_label_text(c, frame.columns.nlevels) for c in frame.columns]


def _point_coordinates(
    frame: _pd.DataFrame, x: _typing.Hashable, y: _typing.Hashable, crs: str | None
) -> tuple[_npt.ArrayLike, _npt.ArrayLike, str, str, str]:
    """x and y of the frame's points, their column names and CRS: the x and y columns, or the
    geometry of a GeoDataFrame without them (its CRS unless `crs` is given)."""
    names = _column_names(frame)
    x_name, y_name = (_label_text(label, frame.columns.nlevels) for label in (x, y))
    if x_name in names and y_name in names:
        # The core's ValueError when several columns have the name.
        return (_numbers(frame.iloc[:, _libgrid._point_column(names, x_name)], x_name),
                _numbers(frame.iloc[:, _libgrid._point_column(names, y_name)], y_name), x_name, y_name, crs or "")
    geometry: _typing.Any = getattr(frame, "geometry", None) if hasattr(frame, "_geometry_column_name") else None
    if geometry is None or x_name in names or y_name in names:
        _libgrid._point_column(names, x_name if x_name not in names else y_name)  # the core's message
    name = frame._geometry_column_name
    kinds = geometry.geom_type.to_numpy(dtype=object)
    bad = _np.flatnonzero((kinds != "Point") & _pd.notna(kinds) & ~geometry.is_empty.to_numpy())
    if len(bad):
        raise ValueError(f"points: feature {bad[0] + 1}: field {name}: not a point but a {kinds[bad[0]]}")
    if crs is None and frame.crs is not None:
        authority = frame.crs.to_authority()
        crs = f"{authority[0]}:{authority[1]}" if authority else frame.crs.to_wkt()
    empty = geometry.isna().to_numpy() | geometry.is_empty.to_numpy()
    xs = _np.full(len(frame), _np.nan)
    ys = _np.full(len(frame), _np.nan)
    if (~empty).any():
        xs[~empty] = geometry[~empty].x.to_numpy()
        ys[~empty] = geometry[~empty].y.to_numpy()
    return xs, ys, f"{name}.x", f"{name}.y", crs or ""


def assign(
    frame: _pd.DataFrame,
    grid_set: GridSet | Index,
    x: _typing.Hashable = "x",
    y: _typing.Hashable = "y",
    crs: str | None = None,
    event_class: _typing.Hashable | None = None,
    time: _typing.Hashable | None = None,
    *,
    threads: int = 0,
    copy: bool = True,
) -> _pd.DataFrame:
    """The frame with the columns ``gridtool assign`` adds: the cell of every point at every
    level and who answers for an event there (libgrid's one assign verb, at the C++ rate).

    The result's large columns are made in the memory of the results of earlier calls that the
    program has dropped, as gridtool reuses its buffers: fresh memory is slow to touch on some
    machines, and a 20 M-row result is 2.7 GB. What is kept for that stays resident until it is
    reused or handed back (``libgrid.release_memory()``, or by libgrid once it has been unused
    for 10 minutes); the kernel may take it back when it runs short.

    Args:
        frame: a pandas DataFrame with the points' coordinates in columns `x` and `y` (numbers;
            NaN, None or pd.NA where a row has none: kept, not covered), or a geopandas
            GeoDataFrame of points without such columns, whose geometry and CRS are used.
        grid_set: a GridSet (its index is built once and cached), or an Index that knows its
            grid set (GridSet.load_index, Index.load(..., grid_set=...)).
        x, y: the coordinate columns: labels of the frame (any label, a tuple for columns of
            several levels) or their text.
        crs: the points' CRS when it is not the grid set's: anything PROJ knows
            ("EPSG:4326"), or "GCJ-02" / "BD-09". None: the grid set's (or the GeoDataFrame's).
        event_class: the column of event classes (text; None for none): adds the duty columns.
        time: with event_class, the column of report times ("YYYY-MM-DDTHH:MM" text,
            datetime64, or datetime objects): adds ``due``, on the grid set's working calendar.
            Times with a time zone are taken at their clock time there, and due is given back
            in that zone.
        threads: lookup threads; 0 uses every core. The GIL is released while the points are
            looked up and answered, so other Python threads keep running.
        copy: False gives the result the frame's own columns instead of copies of them, as
            ``DataFrame.copy(deep=False)`` does: changing a value in place in one then changes
            it in the other. The copy runs on `threads` cores too; it costs most for columns of
            text, whose every str gains a reference: 1.4-1.7 s for a 20 M-row frame with
            text times on 2 cores (bench/README.md).

    Returns:
        A copy of `frame` (same index, same type; see `copy`) with, in this order: one column
        per level named after it (``<level>_code`` where the frame has a column of that name or
        it is one of the names below), then with a roster ``grid_worker``, ``grid_worker_id``,
        ``grid_worker_phone``, ``grid_leader``, ``info_workers``; with an event class and a
        duty table ``department``, ``handling_level``, ``handling_cell``, ``deadline``
        (float, NaN without a rule), ``deadline_unit``; with a roster ``escalation``; and with
        a time ``due``. Text columns hold str, or None where there is no answer; ``due`` is
        datetime64[ns] (NaT for none) when the times' column is datetime64 (with their time
        zone, if any), else "YYYY-MM-DDTHH:MM" text.

    Raises:
        ValueError: a missing column, two columns of the name of one assign reads, an
            infinite or out-of-range coordinate (longitude past ±180, latitude past ±90, any
            value past 1e9), an unknown `crs`, a time that is not one, a due time past
            datetime64[ns]'s range (2262; pass such times as text), a point that cannot be
            transformed from `crs`, points in another CRS than the grid set's (swapped axes,
            longitude/latitude, Web Mercator, another zone), a column the frame already has
            that assign would add (other than a level's); the message names the row (``feature N``:
            the frame's N-th row, from 1, whatever its index) and column, as gridtool assign's
            does.
        TypeError: an event class that is not text (an int that lost its leading zeros), a
            coordinate that is not a number (text: convert it with pd.to_numeric first).
    """
    return _assign_frame(frame, grid_set, x, y, crs, event_class, time, threads, deep_copy=copy)


def _insert_uncopied(frame: _pd.DataFrame, position: int, name: str, values: _np.ndarray) -> None:
    # DataFrame.insert copies the array (half a second a column at 20 M rows) and concat merges
    # blocks of one dtype; the frame's block manager takes the array as it is, a block of its own.
    try:
        frame._mgr.insert(position, name, values)
    except (AttributeError, TypeError):  # a pandas whose internals differ
        frame.insert(position, name, values)


def _copied_values(values: _typing.Any, threads: int) -> _typing.Any:
    # A block's values copied on every core (_libgrid._copy_array): NumPy arrays, and the NumPy
    # array behind datetime64 and timedelta64 columns; anything else copies itself.
    if isinstance(values, _np.ndarray):
        return _libgrid._copy_array(values, threads)
    backing = getattr(values, "_ndarray", None)
    if isinstance(backing, _np.ndarray) and hasattr(values, "_from_backing_data"):
        return values._from_backing_data(_libgrid._copy_array(backing, threads))
    return values.copy()


def _copy_frame(frame: _pd.DataFrame, added: int, threads: int) -> _pd.DataFrame:
    # DataFrame.copy() copies each block and then merges the copies of one dtype into one block,
    # copying those columns a second time (1.1 s more at 20 M rows with two text columns); each
    # block copied as it is gives the same frame for one copy, and on every core. A frame of many
    # blocks is merged all the same: with the `added` columns (a block each) past pandas' 100
    # blocks, every later operation on the result would warn and be slow.
    try:
        if frame._mgr.nblocks + added >= 100:
            return frame.copy()
        manager = frame._mgr.apply(_copied_values, threads=threads)
        manager.axes = [axis.view() for axis in frame._mgr.axes]
    except (AttributeError, TypeError):  # a pandas whose internals differ
        return frame.copy()
    from_manager = getattr(frame, "_constructor_from_mgr", None)  # pandas 2.1 and later
    copied = from_manager(manager, axes=manager.axes) if from_manager else frame._constructor(manager)
    return copied.__finalize__(frame, method="copy")


def _assign_frame(
    frame: _pd.DataFrame,
    grid_set: GridSet | Index,
    x: _typing.Hashable,
    y: _typing.Hashable,
    crs: str | None,
    event_class: _typing.Hashable | None,
    time: _typing.Hashable | None,
    threads: int,
    deep_copy: bool,
) -> _pd.DataFrame:
    # deep_copy=False shares the frame's own columns with the result (a shallow copy): for
    # libgrid.dask, whose partitions are never changed in place, it saves copying every one.
    if not isinstance(frame, _pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    # Every large array of the call, the result's and the temporary ones, in the blocks of
    # earlier results that were dropped (see release_memory).
    with _libgrid._recycled_arrays():
        names = _column_names(frame)
        xs, ys, x_name, y_name, crs_text = _point_coordinates(frame, x, y, crs)
        n = len(frame)
        classes = times = zone = None
        class_name = time_name = None
        if event_class is not None:
            class_name = _label_text(event_class, frame.columns.nlevels)
            classes = _text_column(frame.iloc[:, _libgrid._point_column(names, class_name)], n, class_name)
        if time is not None:
            time_name = _label_text(time, frame.columns.nlevels)
            clock, zone = _clock_times(frame.iloc[:, _libgrid._point_column(names, time_name)])
            times = _text_column(clock, n, time_name, times=True)
        added = _libgrid._assign_columns(
            grid_set, xs, ys, classes, times, crs_text, names, x_name, y_name,
            class_name or "event_class", time_name or "time", threads)
        if zone is not None and "due" in added:
            added["due"] = _in_zone(added["due"], zone)
        out = _copy_frame(frame, len(added), threads) if deep_copy else frame.copy(deep=False)
        for position, (name, values) in enumerate(added.items(), start=len(out.columns)):
            _insert_uncopied(out, position, name, values)
        return out


def _attach(cls: type, name: str, function: _typing.Any) -> None:
    # Its overloads, if any, are renamed with it, so that typing.get_overloads (and the stub
    # generator) find them under the method's name.
    overloads = _typing.get_overloads(function) if hasattr(_typing, "get_overloads") else []
    for f in [*overloads, function]:
        f.__name__ = name
        f.__qualname__ = f"{cls.__name__}.{name}"
        f.__module__ = __name__
    for f in overloads:
        _typing.overload(f)
    setattr(cls, name, function)


_attach(GridSet, "cells", _cells)
_attach(GridSet, "path", _path)
_attach(GridSet, "responsible", _responsible)
_attach(GridSet, "roster", _roster)
_attach(GridSet, "duty_table", _duty_table)
_attach(GridSet, "cells_in", _cells_in)
_frames.from_frames.__qualname__ = "GridSet.from_frames"
setattr(GridSet, "from_frames", staticmethod(_frames.from_frames))
del _attach


# What pickled Index and GridSet objects are unpickled with (see their __reduce__): pickle names
# functions by module and name, which it cannot do for compiled ones.
def _index_from_file(path: str, checksum: int, map_file: bool, grid_set: GridSet | None) -> Index:
    return _libgrid._index_from_file(path, checksum, map_file, grid_set)


def _index_from_bytes(data: bytes, grid_set: GridSet | None) -> Index:
    return _libgrid._index_from_bytes(data, grid_set)


def _grid_set_from_file(path: str, digest: int) -> GridSet:
    return _libgrid._grid_set_from_file(path, digest)


def _grid_set_from_bytes(data: bytes) -> GridSet:
    return _libgrid._grid_set_from_bytes(data)


def __getattr__(name: str) -> object:
    # libgrid.dask (Dask DataFrames) is imported on first use: Dask is optional and slow to load.
    if name == "dask":
        import importlib

        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


del annotations
