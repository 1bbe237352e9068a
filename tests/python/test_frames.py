"""GeoPandas both ways: GridSet.cells(level) as GeoDataFrames and GridSet.from_frames, checked
against Shapely on the sample city and on small constructed levels, bad input included."""

import warnings

import geopandas
import numpy as np
import pandas as pd
import pytest
import shapely.wkt
from shapely.geometry import LineString, MultiPolygon, Polygon, box

import libgrid

LEVELS = ["district", "street", "community", "grid", "microgrid"]


# ---- constructed levels ----


def _streets(crs="EPSG:4548"):
    return geopandas.GeoDataFrame(
        {"code": ["S1", "S2"], "name": ["东街", "西街"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
        crs=crs,
    )


def _grids(crs="EPSG:4548"):
    return geopandas.GeoDataFrame(
        {
            "code": ["S1G1", "S1G2", "S2G1"],
            "households": [120, 80, 50],
            "floors": np.array([6, 18, 3], dtype=np.int32),
            "rate": [0.25, 1.5, float("nan")],
            "tag": ["007", None, "x"],
            "vacant": [True, False, True],
        },
        geometry=[box(0, 0, 10, 5), box(0, 5, 10, 10), box(10, 0, 20, 10)],
        crs=crs,
    )


def _message(error):
    return str(error.value)


def test_from_frames_builds_levels_with_parents_totals_and_typed_fields():
    gs = libgrid.GridSet.from_frames({"street": _streets(), "grid": _grids()})
    assert gs.levels == ["street", "grid"]
    assert gs.crs == "EPSG:4548"
    streets = gs.cells("street")
    grids = gs.cells("grid")
    assert isinstance(grids, geopandas.GeoDataFrame)
    assert grids.crs == "EPSG:4548"
    assert grids["code"].tolist() == ["S1G1", "S1G2", "S2G1"]
    assert grids["parent_code"].tolist() == ["S1", "S1", "S2"]  # by code prefix
    assert grids["households"].tolist() == [120, 80, 50]
    assert streets["name"].tolist() == ["东街", "西街"]
    # Numbers stay numbers, text stays text, booleans become integers.
    assert grids["floors"].dtype == np.int64 and grids["floors"].tolist() == [6, 18, 3]
    assert grids["rate"].dtype == np.float64
    assert grids["rate"].tolist()[:2] == [0.25, 1.5] and np.isnan(grids["rate"].iloc[2])
    assert grids["tag"].tolist() == ["007", None, "x"]
    assert grids["vacant"].tolist() == [1, 0, 1]
    assert [g.area for g in grids.geometry] == [50.0, 50.0, 100.0]


def test_typed_fields_survive_a_grid_set_file(tmp_path):
    frame = _grids()
    frame["floors"] = pd.array([6, None, 3], dtype="Int64")
    gs = libgrid.GridSet.from_frames({"street": _streets(), "grid": frame})
    gs.write(tmp_path / "typed.gpkg")
    back = libgrid.GridSet.read(tmp_path / "typed.gpkg").cells("grid")
    assert str(back["floors"].dtype) == "Int64"
    assert back["floors"].tolist() == [6, pd.NA, 3]
    assert back["rate"].dtype == np.float64 and back["rate"].tolist()[:2] == [0.25, 1.5]
    assert back["tag"].tolist() == ["007", None, "x"]
    # The level-less table is unchanged: every extra field as text.
    table = libgrid.GridSet.read(tmp_path / "typed.gpkg").cells()
    assert not isinstance(table, geopandas.GeoDataFrame)
    assert table.loc[table["code"] == "S1G1", "floors"].tolist() == ["6"]


def test_parents_come_from_parent_code_then_space():
    grids = _grids()
    grids["code"] = ["a", "b", "c"]
    grids["parent_code"] = ["S2", None, None]  # a: the column; b, c: the geometry
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs = libgrid.GridSet.from_frames({"street": _streets(), "grid": grids})
    assert gs.cells("grid")["parent_code"].tolist() == ["S2", "S1", "S2"]


def test_bad_geometry_names_level_row_and_code():
    grids = _grids()
    grids.loc[1, "geometry"] = LineString([(0, 5), (10, 10)])
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(), "grid": grids})
    assert _message(error) == (
        "level 'grid': row 1: cell 'S1G2': expected a Polygon or MultiPolygon, found Line String"
    )
    bow_tie = Polygon([(0, 5), (10, 10), (10, 5), (0, 10), (0, 5)])
    grids.loc[1, "geometry"] = bow_tie
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(), "grid": grids})
    assert _message(error) == (
        "level 'grid': row 1: cell 'S1G2': self-intersecting polygon at (5 7.5); "
        "repair it or import with make_valid"
    )
    with pytest.warns(libgrid.RepairedPolygonWarning) as record:
        gs = libgrid.GridSet.from_frames({"street": _streets(), "grid": grids}, make_valid=True)
    (repair,) = [r.message for r in record]
    assert (repair.layer, repair.feature, repair.code) == ("", 1, "S1G2")
    repaired = gs.cells("grid").set_index("code").geometry["S1G2"]
    assert repaired.is_valid and repaired.area == pytest.approx(25.0)  # both triangles


def test_duplicate_codes_within_and_across_frames():
    grids = _grids()
    grids.loc[2, "code"] = "S1G1"
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(), "grid": grids})
    assert _message(error) == "level 'grid': row 2: field code: duplicate code 'S1G1' (first used by row 0)"
    grids.loc[2, "code"] = "S2"
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(), "grid": grids})
    assert _message(error) == (
        "level 'grid': row 2: field code: duplicate code 'S2' (first used by level 'street': row 1)"
    )


def test_missing_code_column_and_other_code_column():
    streets = _streets().rename(columns={"code": "adcode"})
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": streets})
    assert _message(error) == "level 'street': field code: no such field"
    gs = libgrid.GridSet.from_frames({"street": streets}, code="adcode")
    assert gs.cells("street")["code"].tolist() == ["S1", "S2"]


def test_crs_rules():
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(), "grid": _grids("EPSG:4326")})
    assert _message(error) == (
        "level 'grid': CRS EPSG:4326 differs from CRS EPSG:4548 of the first level (level 'street')"
    )
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(None), "grid": _grids(None)})
    assert _message(error) == "level 'street': crs=: no CRS in the source; give one"
    # crs= replaces whatever the frames say, as --crs does.
    gs = libgrid.GridSet.from_frames({"street": _streets(None), "grid": _grids("EPSG:4326")}, crs="EPSG:4547")
    assert gs.crs == "EPSG:4547"
    assert gs.cells("grid").crs == "EPSG:4547"


def test_gcj02_grid_sets_keep_their_name_through_frames():
    def near_beijing(frame):
        moved = frame.geometry.translate(116.3, 39.9).scale(0.001, 0.001, origin=(116.3, 39.9))
        return frame.set_geometry(moved)

    lon_lat = {"street": near_beijing(_streets(None)), "grid": near_beijing(_grids(None))}
    gs = libgrid.GridSet.from_frames(lon_lat, crs="GCJ-02")
    assert gs.crs == "GCJ-02"
    frame = gs.cells("grid")
    assert frame.crs == "EPSG:4326"  # the longitude/latitude base pyproj knows
    assert frame.attrs["crs"] == "GCJ-02"
    back = libgrid.GridSet.from_frames({level: gs.cells(level) for level in gs.levels})
    assert back.crs == "GCJ-02"
    assert back.cells("grid")["code"].tolist() == frame["code"].tolist()
    assert libgrid.GridSet.from_frames(lon_lat, crs="bd09").crs == "BD-09"


def test_not_a_geodataframe_and_no_levels():
    with pytest.raises(TypeError, match="level 'street': a GeoDataFrame is needed, not DataFrame"):
        libgrid.GridSet.from_frames({"street": pd.DataFrame({"code": ["S1"]})})
    with pytest.raises(ValueError, match="non-empty dict"):
        libgrid.GridSet.from_frames({})


def test_bad_roster_names_its_row_and_nothing_is_built():
    roster = pd.DataFrame(
        {"cell_code": ["S1G1", "S9"], "role": ["grid_worker"] * 2, "person_id": ["1", "2"],
         "name": ["王芳", "李强"], "phone": ["", ""]}
    )
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames({"street": _streets(), "grid": _grids()}, roster=roster)
    # Checked as a roster CSV is: rows counted from 1, as in the file.
    assert _message(error) == "roster: feature 2: field cell_code: no cell has the code 'S9'"
    gs = libgrid.GridSet.from_frames({"street": _streets(), "grid": _grids()}, roster=roster.iloc[:1])
    assert gs.roster()["name"].tolist() == ["王芳"]


# ---- the sample city ----


@pytest.fixture(scope="module")
def city(samples_dir, tmp_path_factory):
    imported = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    imported.set_roster_csv(samples_dir / "roster.csv")
    imported.set_duty_csv(samples_dir / "duty.csv")
    return imported


@pytest.fixture(scope="module")
def frames(city):
    return {level: city.cells(level) for level in LEVELS}


def test_sample_city_geometry_agrees_with_shapely_and_the_core(city, frames, samples_dir):
    for level in LEVELS:
        frame = frames[level]
        source = geopandas.read_file(samples_dir / f"{level}.geojson").set_index("code")
        assert frame.crs == source.crs == "EPSG:4548"
        assert sorted(frame["code"]) == sorted(source.index)
        for code, geometry, cell_id in zip(frame["code"], frame.geometry, frame["id"]):
            assert isinstance(geometry, MultiPolygon)
            expected = source.geometry[code]
            assert geometry.equals(expected), code
            assert geometry.area == pytest.approx(expected.area, rel=1e-12)
            # The same coordinates as the core's WKT, to the last bit.
            assert geometry.equals_exact(shapely.wkt.loads(city.wkt(int(cell_id))), 0.0)
    # The core's area of each cell (cells_in lists whole cells' areas) is Shapely's.
    (district,) = frames["district"].geometry
    inside = city.cells_in(district.buffer(1.0))
    for level in LEVELS:
        core = inside[inside["level"] == level].set_index("code")["area"]
        ours = frames[level].set_index("code").geometry.area
        assert len(core) == len(ours)
        np.testing.assert_allclose(core.sort_index(), ours.sort_index(), rtol=1e-9)


def test_sample_city_round_trips_through_frames(city, frames, samples_dir):
    roster = pd.read_csv(samples_dir / "roster.csv", dtype=str, keep_default_na=False)
    duty = pd.read_csv(samples_dir / "duty.csv", dtype={"event_class": str})
    back = libgrid.GridSet.from_frames(frames, roster=roster, duty=duty)
    assert back.levels == city.levels and back.crs == city.crs
    for level in LEVELS:
        a = frames[level].set_index("code")
        b = back.cells(level).set_index("code")
        assert a.index.tolist() == b.index.tolist()
        assert a["parent_code"].equals(b["parent_code"])
        assert a["households"].equals(b["households"]) and a["population"].equals(b["population"])
        assert a["kind"].equals(b["kind"]) and a["name"].equals(b["name"])
        assert list(a.columns) == list(b.columns)
        np.testing.assert_array_equal(a.geometry.area.to_numpy(), b.geometry.area.to_numpy())
    assert back.roster().equals(city.roster())
    assert back.duty_table().equals(city.duty_table())


def test_from_frames_answers_lookups_as_the_import_does(city, frames, samples_dir):
    events = pd.read_csv(samples_dir / "events.csv.gz", usecols=["x", "y"], nrows=20000)
    x, y = events["x"].to_numpy(float), events["y"].to_numpy(float)
    back = libgrid.GridSet.from_frames(frames)
    ours = back.path(back.index().lookup(x, y))
    theirs = city.path(city.index().lookup(x, y))
    assert ours.equals(theirs)
    assert ours["microgrid"].notna().sum() > 1000  # the points do land in cells


def test_tables_of_a_grid_set_go_back_in_as_they_came_out(city, frames):
    back = libgrid.GridSet.from_frames(frames, roster=city.roster(), duty=city.duty_table())
    assert back.roster().equals(city.roster())
    assert back.duty_table().equals(city.duty_table())


def test_calendar_rows_are_checked_as_a_calendar_file_is():
    levels = {"street": _streets(), "grid": _grids()}
    calendar = pd.DataFrame({"date": ["2025-10-01", "2025-10-11"], "kind": ["holiday", "weekday"]})
    with pytest.raises(ValueError) as error:
        libgrid.GridSet.from_frames(levels, calendar=calendar)
    assert _message(error) == (
        "calendar: feature 2: field kind: unknown kind 'weekday' (expected holiday or workday)"
    )
    libgrid.GridSet.from_frames(levels, calendar=calendar.iloc[:1])
    with pytest.raises(TypeError, match="calendar must be a pandas DataFrame, not str"):
        libgrid.GridSet.from_frames(levels, calendar="calendar.csv")
