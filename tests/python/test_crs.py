"""GCJ-02 and BD-09 from Python: libgrid.transform, and Beijing's districts as a GCJ-02 grid set."""

import json
import math

import numpy as np
import pytest

import libgrid

# WGS84 -> GCJ-02 as published in googollee/eviltransform's tests (also in its PHP port's).
EVILTRANSFORM = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),  # Shanghai
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),  # Shenzhen
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),  # Beijing
]
TIANANMEN_WGS84 = (116.3912757, 39.906217)


def test_wgs84_to_gcj02_matches_published_points():
    wgs = np.array([w for w, _ in EVILTRANSFORM])
    gcj = np.array([g for _, g in EVILTRANSFORM])
    x, y = libgrid.transform(wgs[:, 0], wgs[:, 1], "EPSG:4326", "GCJ-02")
    np.testing.assert_allclose(x, gcj[:, 0], rtol=0, atol=1e-11)
    np.testing.assert_allclose(y, gcj[:, 1], rtol=0, atol=1e-11)
    # wandergis/coordtransform's example: GCJ-02 -> BD-09 of 116.404, 39.915.
    x, y = libgrid.transform([116.404], [39.915], "gcj02", "bd09")
    assert (x[0], y[0]) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-11)


def test_round_trips_over_china_are_exact_to_1e7_degrees():
    lon, lat = np.meshgrid(np.arange(72.25, 137.76, 0.25), np.arange(1.0, 55.76, 0.25))
    lon, lat = lon.ravel(), lat.ravel()
    for name in ["GCJ-02", "BD-09"]:
        wx, wy = libgrid.transform(lon, lat, name, "EPSG:4326")
        bx, by = libgrid.transform(wx, wy, "EPSG:4326", name)
        assert max(np.abs(bx - lon).max(), np.abs(by - lat).max()) <= 1e-7, name


def test_gcj02_is_wgs84_outside_china_and_nan_outside_lonlat():
    x, y = libgrid.transform(
        [2.3522, 116.4, 200.0, math.nan], [48.8566, 95.0, 39.9, 39.9], "EPSG:4326", "GCJ-02"
    )
    assert (x[0], y[0]) == (2.3522, 48.8566)  # Paris: outside the formula's rectangle
    assert np.isnan(x[1:]).all() and np.isnan(y[1:]).all()


def test_gcj02_goes_through_wgs84_to_other_crss():
    gx, gy = libgrid.transform([TIANANMEN_WGS84[0]], [TIANANMEN_WGS84[1]], "EPSG:4326", "GCJ-02")
    x, y = libgrid.transform(gx, gy, "GCJ-02", "EPSG:4548")
    ex, ey = libgrid.transform([TIANANMEN_WGS84[0]], [TIANANMEN_WGS84[1]], "EPSG:4326", "EPSG:4548")
    assert (x[0], y[0]) == pytest.approx((ex[0], ey[0]), abs=1e-4)


def test_names_and_errors():
    for name in ["GCJ-02", "gcj02", "BD-09", "bd09"]:
        assert libgrid.is_known_crs(name) and libgrid.is_geographic_crs(name)
    assert not libgrid.is_known_crs("GCJ-03")
    with pytest.raises(ValueError, match="unknown CRS 'GCJ-03'"):
        libgrid.transform([116.4], [39.9], "GCJ-03", "EPSG:4326")


@pytest.fixture(scope="module")
def beijing(shared_data, tmp_path_factory):
    """Beijing's 16 districts (GCJ-02); 顺义区 self-intersects at one point and is repaired."""
    source = shared_data / "beijing" / "110100_full.json"
    if not source.exists():
        pytest.skip(f"{source} is absent")
    data = json.loads(source.read_text(encoding="utf-8"))
    with pytest.warns(libgrid.RepairedPolygonWarning, match="cell '110113'"):
        grids = libgrid.import_grid_set([("district", source, "adcode")], crs="GCJ-02", make_valid=True)
    assert grids.crs == "GCJ-02"
    saved = tmp_path_factory.mktemp("beijing") / "districts.gpkg"
    grids.write(saved)
    read = libgrid.GridSet.read(saved)
    assert read.crs == "GCJ-02" and len(read) == 16
    return read, data


def names_of(grids, cells):
    table = grids.cells("district").set_index("code")["name"]
    return [table[c] if c else None for c in grids.codes(cells)]


def test_wgs84_points_land_in_the_right_beijing_district(beijing):
    grids, data = beijing
    index = grids.index()
    # District seats ("center", GCJ-02 in the file), to WGS84 as a phone's GPS would report them.
    seats = [f["properties"] for f in data["features"]]
    gx = np.array([p["center"][0] for p in seats])
    gy = np.array([p["center"][1] for p in seats])
    wx, wy = libgrid.transform(gx, gy, "GCJ-02", "EPSG:4326")
    wx, wy = np.append(wx, TIANANMEN_WGS84[0]), np.append(wy, TIANANMEN_WGS84[1])
    expected = [p["name"] for p in seats] + ["东城区"]
    x, y = libgrid.transform(wx, wy, "EPSG:4326", grids.crs)
    assert names_of(grids, index.lookup(x, y)) == expected
    # Without the offset Tiananmen lands in 西城区.
    assert names_of(grids, index.lookup(wx[-1:], wy[-1:])) == ["西城区"]
