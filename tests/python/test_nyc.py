"""libgrid against Shapely on real partitions: New York City's boroughs, community districts and
police precincts (../shared/data/nyc, WGS84 lon/lat; skipped where that folder is absent).

Shapely's `contains` is true only in a polygon's interior, so on a boundary it finds nobody
while libgrid finds exactly one cell (the boundary rule). Every disagreement must therefore lie
on a boundary: within 1e-9 of every polygon involved. Everywhere else the two agree exactly.
"""

import json
import re
import time
import warnings
from fractions import Fraction

import numpy as np
import pytest
import shapely.vectorized
from shapely.geometry import Point, shape
from shapely.prepared import prep

import libgrid

SEED = 20260101
POINTS = 200_000
BOUNDARY_TOLERANCE = 1e-9

# (set, level, file, code field)
LEVELS = {
    "borough": ("city", "boroughs.geojson", "BoroCode"),
    "district": ("city", "community_districts.geojson", "BoroCD"),
    "precinct": ("precincts", "police_precincts.geojson", "Precinct"),
}


def load_shapes(path, field):
    """{code: shapely geometry} from the same GeoJSON libgrid imports; codes as libgrid reads
    integer fields."""
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    return {str(feature["properties"][field]): shape(feature["geometry"]) for feature in collection["features"]}


def present(codes):
    """True where an object array of codes holds a code rather than None."""
    return np.array([c is not None for c in codes], dtype=bool)


class Shapes:
    """One level's polygons in Shapely, prepared, with their bounding boxes."""

    def __init__(self, shapes):
        self.codes = list(shapes)
        self.geometries = [shapes[c] for c in self.codes]
        self.prepared = [prep(g) for g in self.geometries]
        self.bounds = np.array([g.bounds for g in self.geometries])

    def classify(self, x, y):
        """(count, code): how many polygons contain each point in their interior, and the code of
        the last of them (None for none)."""
        count = np.zeros(x.size, np.int32)
        which = np.full(x.size, -1)
        for k, (minx, miny, maxx, maxy) in enumerate(self.bounds):
            near = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            inside = near[shapely.vectorized.contains(self.prepared[k], x[near], y[near])]
            count[inside] += 1
            which[inside] = k
        codes = np.array([None] + self.codes, dtype=object)[which + 1]
        return count, codes

    def containing(self, px, py):
        p = Point(px, py)
        return [c for c, g in zip(self.codes, self.prepared) if g.contains(p)]

    def geometry(self, code):
        return self.geometries[self.codes.index(code)]


@pytest.fixture(scope="module")
def nyc(nyc_dir):
    started = time.perf_counter()
    city = libgrid.import_grid_set(
        [
            ("borough", nyc_dir / "boroughs.geojson", "BoroCode"),
            ("district", nyc_dir / "community_districts.geojson", "BoroCD"),
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", libgrid.GridSetWarning)  # asserted in its own test
        precincts = libgrid.import_grid_set([("precinct", nyc_dir / "police_precincts.geojson", "Precinct")])
    shapes = {level: Shapes(load_shapes(nyc_dir / file, field)) for level, (_, file, field) in LEVELS.items()}
    rng = np.random.default_rng(SEED)
    minx, miny, maxx, maxy = city.extent
    x = rng.uniform(minx, maxx, POINTS)
    y = rng.uniform(miny, maxy, POINTS)
    return {
        "sets": {"city": city, "precincts": precincts},
        "shapes": shapes,
        "x": x,
        "y": y,
        "setup_seconds": time.perf_counter() - started,
    }


def test_nyc_sets_as_imported(nyc):
    city, precincts = nyc["sets"]["city"], nyc["sets"]["precincts"]
    assert city.levels == ["borough", "district"]
    assert precincts.levels == ["precinct"]
    assert len(city.cells("borough")) == 5
    assert len(city.cells("district")) == 71
    assert len(precincts) == 76
    # GeoJSON is WGS84 lon/lat; GDAL names it EPSG:4326 (or OGC:CRS84).
    assert re.fullmatch(r"<libgrid\.GridSet levels=\[borough, district\] cells=76 crs=(EPSG:4326|OGC:CRS84)>", repr(city))
    minx, miny, maxx, maxy = city.extent
    assert -74.3 < minx < maxx < -73.6 and 40.4 < miny < maxy < 41.0


def test_nyc_districts_have_their_borough_as_parent(nyc):
    """No parent field: each district finds its borough by code prefix, BoroCD // 100 == BoroCode."""
    districts = nyc["sets"]["city"].cells("district")
    assert len(districts) == 71
    assert districts["parent_code"].notna().all()
    for code, parent in zip(districts["code"], districts["parent_code"]):
        assert int(code) // 100 == int(parent), f"district {code} has parent {parent}"


def test_nyc_precinct_with_degenerate_ring_imports_with_a_warning(nyc_dir):
    with pytest.warns(libgrid.GridSetWarning, match="degenerate ring") as record:
        precincts = libgrid.import_grid_set([("precinct", nyc_dir / "police_precincts.geojson", "Precinct")])
    assert len(precincts) == 76
    assert any("police_precincts.geojson" in str(w.message) for w in record)


@pytest.mark.parametrize("level", list(LEVELS))
def test_nyc_lookup_agrees_with_shapely_off_boundaries(nyc, level, report):
    started = time.perf_counter()
    grids = nyc["sets"][LEVELS[level][0]]
    shapes = nyc["shapes"][level]
    x, y = nyc["x"], nyc["y"]
    idx = grids.index()

    ours = grids.codes(idx.lookup_level(x, y, level))
    count, theirs = shapes.classify(x, y)
    holding = idx.count_holding(x, y, level)

    # At most one cell per point; exactly one wherever shapely finds the point inside one.
    assert holding.max() <= 1
    assert np.all(holding[count == 1] == 1)
    assert np.array_equal(holding, present(ours).astype(np.int32))

    differ = np.flatnonzero((ours != theirs) | (count > 1))
    farthest = 0.0
    for i in differ:
        involved = set(shapes.containing(x[i], y[i]))
        if ours[i] is not None:
            involved.add(ours[i])
        p = Point(x[i], y[i])
        distance = max(shapes.geometry(code).boundary.distance(p) for code in involved)
        assert distance <= BOUNDARY_TOLERANCE, (
            f"({x[i]!r}, {y[i]!r}): libgrid says {ours[i]}, shapely {sorted(involved - {ours[i]})}, "
            f"{distance:.3g} from a boundary"
        )
        farthest = max(farthest, distance)
    covered = int(present(ours).sum())
    report(
        f"NYC {level}: {POINTS:,} random points, {covered:,} covered, {differ.size} disagreements with "
        f"shapely (all within {BOUNDARY_TOLERANCE:g} of a boundary; farthest {farthest:.3g}), "
        f"{time.perf_counter() - started:.2f} s"
    )


def test_nyc_lookup_answers_the_finest_level_then_the_coarser(nyc):
    city = nyc["sets"]["city"]
    x, y = nyc["x"], nyc["y"]
    idx = city.index()
    finest = idx.lookup(x, y)
    district = idx.lookup_level(x, y, "district")
    borough = idx.lookup_level(x, y, "borough")
    assert np.array_equal(finest, np.where(district != -1, district, borough))
    path = city.path(finest)
    assert list(path.columns) == ["borough", "district"]
    has_district = path["district"].notna()
    assert has_district.sum() == (district != -1).sum()
    # Where the point is in a district, the borough column is that district's parent.
    cells = city.cells("district").set_index("code")
    assert (path["borough"][has_district] == cells.loc[path["district"][has_district], "parent_code"].to_numpy()).all()


def _exact_rule(geometry, px, py):
    """The boundary rule by exact rational arithmetic: is p + (d^2, d), d = 1e-15, inside? An
    independent check for the few vertices where the floating-point nudge is too coarse."""
    d = Fraction(1, 10**15)
    qx, qy = Fraction(px) + d * d, Fraction(py) + d
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    inside = False
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            a, b = xy[:-1], xy[1:]
            # Only edges whose y-span reaches the point can cross its eastward ray.
            spans = np.flatnonzero((np.minimum(a[:, 1], b[:, 1]) <= py) & (np.maximum(a[:, 1], b[:, 1]) >= py))
            for k in spans:
                ax, ay, bx, by = (Fraction(float(v)) for v in (a[k, 0], a[k, 1], b[k, 0], b[k, 1]))
                if (ay > qy) != (by > qy):
                    crossing = ax + (qy - ay) * (bx - ax) / (by - ay)
                    assert crossing != qx
                    inside ^= crossing > qx
    return inside


@pytest.mark.parametrize("level", list(LEVELS))
def test_nyc_ring_vertices_follow_the_rule(nyc, level, report):
    """Every vertex of every ring: at most one cell, and the one holding the point just north of
    it (nudged east), checked with Shapely on a floating-point nudge and, where that nudge is too
    coarse to tell, with exact rational arithmetic."""
    grids = nyc["sets"][LEVELS[level][0]]
    shapes = nyc["shapes"][level]
    xs, ys = [], []
    for geometry in shapes.geometries:
        for polygon in [geometry] if geometry.geom_type == "Polygon" else geometry.geoms:
            for ring in [polygon.exterior, *polygon.interiors]:
                xy = np.asarray(ring.coords)
                xs.append(xy[:, 0])
                ys.append(xy[:, 1])
    x, y = np.concatenate(xs), np.concatenate(ys)
    idx = grids.index()
    assert idx.count_holding(x, y, level).max() <= 1
    ours = grids.codes(idx.lookup_level(x, y, level))
    count, nudged = shapes.classify(x + 1e-12, y + 1e-6)
    assert count.max() <= 1
    coarse = np.flatnonzero(ours != nudged)
    for i in coarse:
        exact = [c for c, g in zip(shapes.codes, shapes.geometries)
                 if g.bounds[0] <= x[i] <= g.bounds[2] and g.bounds[1] <= y[i] <= g.bounds[3]
                 and _exact_rule(g, x[i], y[i])]
        assert len(exact) <= 1
        assert ours[i] == (exact[0] if exact else None), f"vertex ({x[i]!r}, {y[i]!r})"
    report(
        f"NYC {level}: {x.size:,} ring vertices, {int(present(ours).sum()):,} held by one cell, "
        f"none by two; {coarse.size} needed the exact check"
    )


def test_nyc_lookup_is_the_same_on_one_thread_and_all(nyc, report):
    x, y = nyc["x"], nyc["y"]
    for grids in nyc["sets"].values():
        idx = grids.index()
        started = time.perf_counter()
        one = idx.lookup(x, y, threads=1)
        single = time.perf_counter() - started
        started = time.perf_counter()
        every = idx.lookup(x, y, threads=0)
        multi = time.perf_counter() - started
        assert np.array_equal(one, every)
        assert np.array_equal(one, idx.lookup(x, y, threads=5))
    report(f"NYC lookup of {POINTS:,} points: {single * 1e3:.0f} ms on 1 thread, {multi * 1e3:.0f} ms on all cores; "
           f"setup (imports + shapely) {nyc['setup_seconds']:.2f} s")
