"""libgrid.assign refuses what gridtool assign refuses, with the core's messages: coordinates out
of their CRS's range, an unknown CRS (before any row), points nowhere near the grid set, and
columns it reads whose names are not unique in the frame."""

import numpy as np
import pandas as pd
import pytest

import libgrid
from grid_fixtures import box, write_geojson

# One grid of 200 m x 100 m in Web Mercator, in Beijing.
X0, Y0 = 12958000.0, 4825000.0


@pytest.fixture(scope="module")
def beijing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("assign_checks")
    grid = write_geojson(folder / "grid.geojson", [({"code": "G1", "name": "一网格"}, box(X0, Y0, X0 + 200, Y0 + 100))])
    return libgrid.import_grid_set([("grid", grid)])


def lon_lat_inside():
    lon, lat = libgrid.transform([X0 + 100], [Y0 + 50], "EPSG:3857", "EPSG:4326")
    return float(np.asarray(lon)[0]), float(np.asarray(lat)[0])


def test_longitude_and_latitude_are_read_as_what_they_are(beijing):
    lon, lat = lon_lat_inside()
    out = libgrid.assign(pd.DataFrame({"lon": [lon], "lat": [lat]}), beijing, x="lon", y="lat", crs="EPSG:4326")
    assert out["grid"].tolist() == ["G1"]


@pytest.mark.parametrize(
    "lon, lat, message",
    [
        (200.0, 39.9, "points: feature 2: field lon: longitude 200 is outside [-180, 180]: the points' CRS "
                      "('EPSG:4326') is longitude/latitude"),
        (116.4, 95.0, "points: feature 2: field lat: latitude 95 is outside [-90, 90]: the points' CRS "
                      "('EPSG:4326') is longitude/latitude"),
        (-180.5, np.nan, "points: feature 2: field lon: longitude -180.5 is outside [-180, 180]: the points' "
                         "CRS ('EPSG:4326') is longitude/latitude"),
    ],
)
def test_longitude_or_latitude_out_of_range_names_the_row_and_column(beijing, lon, lat, message):
    good_lon, good_lat = lon_lat_inside()
    frame = pd.DataFrame({"lon": [good_lon, lon, good_lon], "lat": [good_lat, lat, good_lat]})
    with pytest.raises(ValueError) as raised:
        libgrid.assign(frame, beijing, x="lon", y="lat", crs="EPSG:4326")
    assert str(raised.value) == message


def test_a_coordinate_beyond_any_crs_names_the_row_and_column(beijing):
    frame = pd.DataFrame({"x": [X0 + 100, X0, 5e300], "y": [Y0 + 50, Y0 + 50, Y0]})
    with pytest.raises(ValueError) as raised:
        libgrid.assign(frame, beijing)
    assert str(raised.value) == (
        "points: feature 3: field x: 5e+300 is beyond what any CRS gives (a magnitude over 1e+09)")
    # 1e9 itself is a coordinate (outside, not covered), the same for gridtool and Python.
    out = libgrid.assign(pd.DataFrame({"x": [X0 + 100, 1e9], "y": [Y0 + 50, -1e9]}), beijing)
    assert out["grid"].tolist() == ["G1", None]


def test_an_unknown_crs_is_refused_before_any_row(beijing):
    for frame in (pd.DataFrame({"x": [X0 + 100], "y": [Y0 + 50]}), pd.DataFrame({"x": [], "y": []})):
        with pytest.raises(ValueError) as raised:
            libgrid.assign(frame, beijing, crs="foo")  # PROJ alone would take it for Amersfoort
        assert str(raised.value).endswith("unknown CRS 'foo'")
        assert "crs" in str(raised.value)
    assert not libgrid.is_known_crs("foo") and libgrid.is_known_crs("WGS 84")


def test_points_away_from_the_grid_set_are_refused_naming_crs(beijing):
    lon, lat = lon_lat_inside()
    frame = pd.DataFrame({"x": [lon, lon + 0.001], "y": [lat, lat]})  # longitude/latitude, given as metres
    with pytest.raises(ValueError, match="fall inside in EPSG:4326"):
        libgrid.assign(frame, beijing)
    # Beyond latitude 85, where Web Mercator is not used: not in the grid set's CRS.
    polar = pd.DataFrame({"x": [X0, X0 + 1000], "y": [3e7, 3e7]})
    with pytest.raises(ValueError) as raised:
        libgrid.assign(polar, beijing)
    assert str(raised.value).startswith(
        "points: crs=: no point falls inside the grid set's extent, nor where their CRS is used")
    # Elsewhere on the Earth, or one of them inside: not covered, but no error.
    far = pd.DataFrame({"x": [X0 + 5000, X0 + 6000], "y": [Y0, Y0]})
    assert libgrid.assign(far, beijing)["grid"].tolist() == [None, None]
    out = libgrid.assign(pd.concat([polar, pd.DataFrame({"x": [X0 + 100], "y": [Y0 + 50]})]), beijing)
    assert out["grid"].tolist() == [None, None, "G1"]


def test_a_column_read_whose_name_two_columns_have_is_refused(beijing):
    frame = pd.DataFrame([[1, X0 + 100, 0.0, Y0 + 50, "01", "01"]],
                         columns=["id", "x", "x", "y", "cls", "cls"])
    with pytest.raises(ValueError) as raised:
        libgrid.assign(frame, beijing)
    assert str(raised.value) == ("points: field x: 2 columns have this name (columns 2 and 3, counting from 1): "
                                 "rename all but one, so that it is clear which to read")
    unique_x = frame.iloc[:, [0, 1, 3, 4, 5]]
    assert libgrid.assign(unique_x, beijing)["grid"].tolist() == ["G1"]  # a column not read may share
    with pytest.raises(ValueError, match=r"^points: field cls: 2 columns have this name \(columns 4 and 5"):
        libgrid.assign(unique_x, beijing, event_class="cls")
    with pytest.raises(ValueError) as raised:
        libgrid.assign(unique_x, beijing, x="x", y="x")
    assert str(raised.value) == "points: field x: read as both the x and the y coordinate: name two different columns"
