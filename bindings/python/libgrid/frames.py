"""GeoPandas both ways: a level's cells as a GeoDataFrame, and a grid set from GeoDataFrames.

``GridSet.cells(level)`` and ``GridSet.from_frames(...)`` are defined here and attached to
GridSet by the package. The rules of an import (parents, validity, CRS, fields, totals) are the
core's, the same as ``gridtool import``: this module only converts columns.
"""

from __future__ import annotations

import typing as _typing
import warnings as _warnings
from collections import abc as _abc

import numpy as _np
import numpy.typing as _npt
import pandas as _pd

from . import _libgrid

# Columns GridSet.cells adds that are no source field: from_frames leaves them out of frames
# that carry this list in attrs["libgrid_columns"] (cells(level) frames do).
_ADDED_COLUMNS = ["id", "level"]


def cells_frame(grid_set: _libgrid.GridSet, level: str | int) -> _typing.Any:
    """The cells of one level as a geopandas GeoDataFrame (see GridSet.cells)."""
    import geopandas  # only frames with geometry need it

    columns = grid_set._cell_columns(level)
    attributes, types, wkb, crs, crs_name = grid_set._frame_columns(level)
    for name, values in attributes.items():
        if types[name] == "integer":
            if any(v is None for v in values):
                columns[name] = _pd.array(values, dtype="Int64")
            else:
                columns[name] = _np.asarray(values.tolist(), dtype=_np.int64)
        else:
            columns[name] = values
    geometry = geopandas.GeoSeries.from_wkb(wkb, crs=crs or None)
    frame = geopandas.GeoDataFrame(_pd.DataFrame(columns), geometry=geometry)
    frame.attrs["crs"] = crs_name
    frame.attrs["libgrid_columns"] = list(_ADDED_COLUMNS)
    return frame


def _crs_text(crs: object) -> str:
    """A CRS argument as text the core reads: str as it is, a pyproj CRS as WKT."""
    if isinstance(crs, str):
        return crs
    to_wkt = getattr(crs, "to_wkt", None)
    if to_wkt is None:
        raise TypeError(f"crs must be a str or a pyproj CRS, not {type(crs).__name__}")
    return to_wkt()


# A column for the core: (name, "integer" | "real" | "text", values, missing).
_Column = _typing.Tuple[str, str, _typing.Any, _npt.NDArray[_np.bool_]]


def _column(name: str, series: _pd.Series) -> _Column:
    """(name, type, values, missing) for the core: integers and booleans as int64, floats as
    float64 (NaN is missing), anything else as text."""
    missing = series.isna().to_numpy(dtype=bool)
    dtype = series.dtype
    if _pd.api.types.is_bool_dtype(dtype) or _pd.api.types.is_integer_dtype(dtype):
        filled = series.where(~missing, 0) if missing.any() else series
        return (name, "integer", _np.ascontiguousarray(filled.to_numpy(dtype=_np.int64)), missing)
    if _pd.api.types.is_float_dtype(dtype):
        values = series.to_numpy(dtype=_np.float64, na_value=_np.nan)
        return (name, "real", _np.ascontiguousarray(values), missing)
    text = ["" if m else (v if isinstance(v, str) else str(v)) for v, m in zip(series.tolist(), missing)]
    return (name, "text", text, missing)


def _level_spec(name: object, frame: object) -> tuple[str, list[bytes], list[_Column], str]:
    import geopandas

    if not isinstance(name, str) or not name:
        raise ValueError(f"a level name must be a non-empty str, not {name!r}")
    if not isinstance(frame, geopandas.GeoDataFrame):
        raise TypeError(f"level '{name}': a GeoDataFrame is needed, not {type(frame).__name__}")
    geometry_name = frame._geometry_column_name
    if geometry_name in frame.columns:
        geometries = [b if b is not None else b"" for b in frame[geometry_name].to_wkb().tolist()]
    else:  # no active geometry: the core says which row has none
        geometries = [b""] * len(frame)
    added = frame.attrs.get("libgrid_columns", ())
    columns = []
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, geopandas.array.GeometryDtype) or column in added:
            continue
        columns.append(_column(str(column), series))
    crs = frame.crs.to_wkt() if frame.crs is not None else ""
    return (name, geometries, columns, crs)


def _offset_of_frames(levels: _abc.Mapping) -> str | None:
    """GCJ-02 or BD-09 where every frame says so in attrs["crs"] (cells(level) frames of such a
    grid set do): GeoPandas knows only their longitude/latitude base."""
    names = {_libgrid._china_offset_name(str(frame.attrs.get("crs", ""))) for frame in levels.values()
             if hasattr(frame, "attrs")}
    return names.pop() if len(names) == 1 else None


def _csv_text(frame: object, what: str) -> str | None:
    if frame is None:
        return None
    if not isinstance(frame, _pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}")
    return frame.to_csv(index=False)


def from_frames(
    levels: _abc.Mapping[str, _typing.Any],
    *,
    roster: _pd.DataFrame | None = None,
    duty: _pd.DataFrame | None = None,
    calendar: _pd.DataFrame | None = None,
    code: str = "code",
    crs: object = None,
    make_valid: bool = False,
) -> _libgrid.GridSet:
    """Builds a grid set from GeoDataFrames, one per level, as ``gridtool import`` does.

    The rules are the import's: each cell is linked to its parent by a ``parent_code`` column
    when the frame has one, else by the longest code of the level above that prefixes its code,
    else spatially (the parent holding most of its area); ``name``, ``households``,
    ``population`` and ``kind`` columns are read when present; every other column is kept with
    its type (integers and booleans as integers, floats as reals, anything else as text) and
    comes back typed from ``cells(level)``. Per-level totals are kept as cells are added.

    Args:
        levels: ``{level name: GeoDataFrame}``, coarse to fine (dict order). A frame made by
            ``GridSet.cells(level)`` can be given back as it is: its ``id`` and ``level``
            columns are left out.
        roster: who answers for each cell, the columns of a roster CSV (cell_code, role,
            person_id, name, phone); checked as ``set_roster_csv`` checks a file.
        duty: the duty table (event_class, department, handling_level, deadline,
            deadline_unit, optionally class_name).
        calendar: the working calendar (date, kind).
        code: the column holding each cell's code, in every frame.
        crs: overrides the frames' CRS (a str PROJ reads, a pyproj CRS, or "GCJ-02" /
            "BD-09"); required when a frame has none. None keeps the frames' CRS, which must
            agree; frames from ``cells(level)`` of a GCJ-02 or BD-09 grid set carry that name
            in ``attrs["crs"]`` and get it back.
        make_valid: repair invalid polygons with GEOS's MakeValid instead of refusing them; each
            repair is issued as a ``RepairedPolygonWarning``.

    Returns:
        The new GridSet. Things worth a look but not fatal (a degenerate ring dropped, a cell
        without a parent) are issued as ``GridSetWarning``.

    Raises:
        ValueError: nothing is built when a row holds what cannot be represented: a geometry
            that is not a polygon or multipolygon, an invalid polygon (unless ``make_valid``),
            no code column, a duplicate code within or across frames, frames whose CRSs
            differ, no CRS and no ``crs``, a bad roster, duty or calendar row. The message is
            one line naming the level, row (0-based position) and field, e.g. "level 'grid':
            row 3: field code: duplicate code 'G1' (first used by row 0)"; the tables are
            checked as their CSV files are, rows counted from 1 ("roster: feature 2: field
            cell_code: no cell has the code 'S9'").
        TypeError: a level is not a GeoDataFrame, or a table is not a DataFrame.
    """
    from . import GridSetWarning, RepairedPolygonWarning

    if not isinstance(levels, _abc.Mapping) or len(levels) == 0:
        raise ValueError("levels must be a non-empty dict {level name: GeoDataFrame}, coarse to fine")
    specs = [_level_spec(name, frame) for name, frame in levels.items()]
    if crs is None:
        crs = _offset_of_frames(levels)
    grids, messages, repairs = _libgrid._import_frames(
        specs,
        "" if crs is None else _crs_text(crs),
        code,
        bool(make_valid),
        _csv_text(roster, "roster"),
        _csv_text(duty, "duty"),
        _csv_text(calendar, "calendar"),
    )
    for message in messages:
        _warnings.warn(message, GridSetWarning, stacklevel=2)
    for repair in repairs:
        _warnings.warn(RepairedPolygonWarning(**repair), stacklevel=2)
    return grids
