"""GridSet.cells_in (incident zones): exact answers on constructed cells, agreement with Shapely
(GEOS) intersections on the sample city and on NYC's community districts (../shared/data/nyc,
skipped where absent), circles against analytic disk areas, units counted against Shapely."""

import math

import numpy as np
import pandas as pd
import pytest
import shapely.vectorized
from shapely import wkt as shapely_wkt
from shapely.geometry import Point, Polygon, box as shapely_box
from shapely.ops import unary_union

import libgrid
from grid_fixtures import box, write_csv, write_geojson

LEVELS = ["district", "street", "community", "grid", "microgrid"]


@pytest.fixture(scope="module")
def two_grids(tmp_path_factory):
    """Community C = [0, 200] x [0, 100] over grids A = [0, 100] and B = [100, 200] wide."""
    folder = tmp_path_factory.mktemp("zone")
    community = write_geojson(
        folder / "community.geojson",
        [({"code": "C", "name": "东湖社区", "households": 700, "population": 1750}, box(0, 0, 200, 100))],
    )
    grids = write_geojson(
        folder / "grid.geojson",
        [
            ({"code": "C001", "name": "A", "parent_code": "C", "households": 300, "population": 900},
             box(0, 0, 100, 100)),
            ({"code": "C002", "name": "B", "parent_code": "C", "households": 400, "population": 850},
             box(100, 0, 200, 100)),
        ],
    )
    gs = libgrid.import_grid_set([("community", community), ("grid", grids)])
    gs.set_roster_csv(write_csv(folder / "roster.csv", ["cell_code", "role", "person_id", "name", "phone"],
                                [["C", "grid_leader", "P1", "刘书记", "13800000001"],
                                 ["C001", "grid_worker", "P2", "张伟", "13800000002"]]))
    return gs


def by_code(frame):
    assert frame["code"].is_unique
    return frame.set_index("code")


def test_edge_only_touch_is_listed_once_with_share_zero(two_grids):
    cells = by_code(two_grids.cells_in("POLYGON ((200 0, 300 0, 300 100, 200 100, 200 0))"))
    assert sorted(cells.index) == ["C", "C002"]
    assert (cells["share"] == 0.0).all()
    assert (cells["households"] == 0.0).all()


def test_a_zone_covering_a_cell_exactly_has_share_one(two_grids):
    frame = two_grids.cells_in(shapely_box(0, 0, 100, 100))
    cells = by_code(frame)
    assert cells.loc["C001", "share"] == 1.0
    assert cells.loc["C002", "share"] == 0.0
    assert cells.loc["C", "share"] == 0.5
    assert cells.loc["C001", "grid_worker"] == "张伟"
    assert cells.loc["C001", "grid_worker_phone"] == "13800000002"
    assert cells.loc["C001", "leader"] == "刘书记"
    assert cells.loc["C001", "estimated"]
    assert cells.loc["C001", "households"] == 300.0
    assert frame.crs.to_epsg() == 3857
    assert frame.geometry[frame["code"] == "C001"].iloc[0].equals(shapely_box(0, 0, 100, 100))
    totals = frame.attrs["totals"].set_index("level")
    assert totals.loc["grid", "cells"] == 2 and totals.loc["grid", "cells_covered"] == 1
    assert totals.loc["grid", "cells_edge_only"] == 1
    assert frame.attrs["zone_area"] == 10000.0


@pytest.mark.parametrize("d", [0.0, 7.5, 20.0, 29.0])
def test_circle_shares_are_those_of_the_true_disk(two_grids, d):
    # A circle of radius 30 whose centre lies d west of the shared edge: B holds the segment.
    r = 30.0
    cells = by_code(two_grids.cells_in(circle=(100.0 - d, 50.0, r)))
    segment = r * r * math.acos(d / r) - d * math.sqrt(r * r - d * d)
    assert cells.loc["C002", "area_inside"] == pytest.approx(segment, rel=1e-12)
    assert cells.loc["C001", "area_inside"] == pytest.approx(math.pi * r * r - segment, rel=1e-12)


def test_circle_tangent_to_an_edge_has_share_zero(two_grids):
    cells = by_code(two_grids.cells_in(circle=(250.0, 50.0, 50.0)))
    assert sorted(cells.index) == ["C", "C002"]
    assert (cells["share"] == 0.0).all()


def test_units_are_counted_where_given(two_grids):
    units = np.array([[50.0, 50.0], [100.0, 50.0], [150.0, 50.0]])
    cells = by_code(two_grids.cells_in(shapely_box(0, 0, 100, 100), units=units, weights=[10, 4, 6]))
    assert not cells.loc["C001", "estimated"]
    assert cells.loc["C001", "households"] == 10.0
    assert cells.loc["C001", "population"] == pytest.approx(30.0)
    assert cells.loc["C002", "households"] == 4.0  # on the shared edge: B's, and in the closed zone
    assert cells.loc["C", "households"] == 14.0
    assert cells.loc["C", "units"] == 2


def test_bad_zones_raise_value_error(two_grids):
    with pytest.raises(ValueError, match="the zone is not a valid polygon: self-intersecting"):
        two_grids.cells_in("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")
    with pytest.raises(ValueError, match="radius must be a number above 0"):
        two_grids.cells_in(circle=(0, 0, -1))
    with pytest.raises(ValueError, match="give the zone once"):
        two_grids.cells_in()
    with pytest.raises(ValueError, match="Shapely polygon or WKT"):
        two_grids.cells_in(42)


# --- the sample city, against Shapely ------------------------------------------------------------


@pytest.fixture(scope="module")
def city(samples_dir):
    gs = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    gs.set_roster_csv(samples_dir / "roster.csv")
    cells = gs.cells()
    shapes = {code: shapely_wkt.loads(gs.wkt(i)) for i, code in zip(cells["id"], cells["code"])}
    return gs, shapes


def sample_zones():
    rng = np.random.default_rng(2026)
    zones = []
    for _ in range(6):
        cx, cy = rng.uniform(498000, 502000), rng.uniform(4418500, 4421500)
        w, h, angle = rng.uniform(100, 1500), rng.uniform(100, 1500), rng.uniform(0, math.pi)
        corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
        c, s = math.cos(angle), math.sin(angle)
        zones.append(Polygon([(cx + x * c - y * s, cy + x * s + y * c) for x, y in corners]))
    # A star reaching past the district's edge, and a zone of two parts.
    star = [(500000 + (3000 if k % 2 == 0 else 900) * math.cos(k * math.pi / 7),
             4420000 + (3000 if k % 2 == 0 else 900) * math.sin(k * math.pi / 7)) for k in range(14)]
    zones.append(Polygon(star))
    zones.append(unary_union([shapely_box(497000, 4418000, 497800, 4418900),
                              shapely_box(502000, 4421000, 502600, 4421500)]))
    return zones


@pytest.mark.parametrize("k", range(8))
def test_sample_city_agrees_with_shapely_intersections(city, k, report):
    gs, shapes = city
    zone = sample_zones()[k]
    frame = gs.cells_in(zone)
    got = by_code(frame)
    touched = {code for code, g in shapes.items() if g.intersects(zone)}
    assert set(got.index) == touched
    for code in got.index:
        g = shapes[code]
        expected = g.intersection(zone).area
        assert got.loc[code, "area_inside"] == pytest.approx(expected, rel=1e-9, abs=1e-6), code
        assert got.loc[code, "share"] == pytest.approx(expected / g.area, rel=1e-9, abs=1e-12), code
    if k == 0:
        report(f"zone sample city: {len(got)} cells touched by a {zone.area:,.0f} m² zone agree with Shapely")


@pytest.mark.parametrize("radius", [40.0, 250.0, 1200.0])
def test_sample_city_circle_against_a_fine_shapely_disk(city, radius):
    gs, shapes = city
    cx, cy = 500123.4, 4419876.5
    got = by_code(gs.cells_in(circle=(cx, cy, radius)))
    # 4 x 4096 segments: the polygon's area is within 1e-7 of the disk's.
    disk = Point(cx, cy).buffer(radius, resolution=4096)
    for code in got.index:
        expected = shapes[code].intersection(disk).area
        assert got.loc[code, "area_inside"] == pytest.approx(expected, abs=2e-7 * disk.area), code
    for level in LEVELS:  # every level covers the disk, so each adds up to the true disk
        inside = got.loc[got["level"] == level, "area_inside"].sum()
        assert inside == pytest.approx(math.pi * radius * radius, rel=1e-9)


def test_sample_city_units_counted_against_shapely(city, samples_dir):
    gs, shapes = city
    units = pd.read_csv(samples_dir / "units.csv")
    zone = shapely_box(499500, 4419500, 500700, 4420400)
    xy = units[["x", "y"]].to_numpy()
    frame = gs.cells_in(zone, units=xy, weights=units["households"].to_numpy())
    inside = shapely.vectorized.contains(zone, xy[:, 0], xy[:, 1]) | shapely.vectorized.touches(
        zone, xy[:, 0], xy[:, 1])
    totals = frame.attrs["totals"].set_index("level")
    for level in LEVELS:
        assert totals.loc[level, "households"] == units["households"][inside].sum(), level
        assert totals.loc[level, "cells_estimated"] == 0
    # Per micro-grid, against Shapely's containment for units off the cells' boundaries.
    micro = by_code(frame[frame["level"] == "microgrid"])
    for code in micro.index:
        g = shapes[code]
        held = shapely.vectorized.contains(g, xy[:, 0], xy[:, 1]) & inside
        assert micro.loc[code, "households"] >= units["households"][held].sum()
    estimated = gs.cells_in(zone)
    assert estimated["estimated"].all()


def test_sample_city_zone_in_another_crs(city):
    gs, _ = city
    square = shapely_box(499800, 4419800, 500200, 4420200)
    x, y = libgrid.transform(np.array(square.exterior.xy[0]), np.array(square.exterior.xy[1]),
                             "EPSG:4548", "EPSG:4326")
    lonlat = Polygon(zip(x, y))
    direct = by_code(gs.cells_in(square))
    moved = by_code(gs.cells_in(lonlat, crs="EPSG:4326"))
    assert set(direct.index) == set(moved.index)
    assert np.allclose(moved.loc[direct.index, "area_inside"], direct["area_inside"], rtol=1e-5, atol=1e-2)


# --- real boundaries: NYC community districts -----------------------------------------------------


def test_nyc_districts_agree_with_shapely_intersections(nyc_dir, report):
    import geopandas

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", libgrid.GridSetWarning)
        gs = libgrid.import_grid_set([("district", nyc_dir / "community_districts.geojson", "BoroCD")])
    districts = geopandas.read_file(nyc_dir / "community_districts.geojson")
    shapes = {str(int(c)) if float(c).is_integer() else str(c): g
              for c, g in zip(districts["BoroCD"], districts.geometry)}
    zone = Polygon([(-74.02, 40.70), (-73.93, 40.74), (-73.95, 40.80), (-74.01, 40.76)])
    got = by_code(gs.cells_in(zone))
    touched = {code for code, g in shapes.items() if g.intersects(zone)}
    assert set(got.index) == touched
    for code in got.index:
        expected = shapes[code].intersection(zone).area
        assert got.loc[code, "area_inside"] == pytest.approx(expected, rel=1e-9, abs=1e-15), code
    report(f"zone NYC: {len(got)} community districts touched, areas agree with Shapely")
