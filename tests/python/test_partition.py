"""libgrid.partition on the sample district, checked against Shapely (GEOS) as an independent
engine: the new cells cover each parent exactly, never overlap, conserve households and stay
within the band; the same seed gives the same cells."""

import json

import numpy as np
import pandas as pd
import pytest
from shapely import wkt as shapely_wkt
from shapely.ops import unary_union

import libgrid
from conftest import SAMPLES


@pytest.fixture(scope="module")
def communities():
    return libgrid.import_grid_set(
        [(level, str(SAMPLES / f"{level}.geojson")) for level in ("district", "street", "community")]
    )


@pytest.fixture(scope="module")
def units():
    frame = pd.read_csv(SAMPLES / "units.csv")
    return frame[["x", "y"]].to_numpy(), frame["households"].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def roads():
    features = json.loads((SAMPLES / "roads.geojson").read_text(encoding="utf-8"))["features"]
    return [np.asarray(f["geometry"]["coordinates"], dtype=float) for f in features]


@pytest.fixture(scope="module")
def grids(communities, units, roads):
    xy, households = units
    return libgrid.partition(
        communities, "community", "grid", units=xy, weights=households, barriers=roads, target=(300, 500)
    )


def _shapes(grid_set, level):
    cells = grid_set.cells(level)
    return cells, [shapely_wkt.loads(grid_set.wkt(int(i))) for i in cells["id"]]


def test_cells_cover_each_parent_exactly_and_never_overlap(grids):
    parents, parent_shapes = _shapes(grids.grid_set, "community")
    cells, shapes = _shapes(grids.grid_set, "grid")
    by_parent = {}
    for code, shape in zip(cells["parent_code"], shapes):
        by_parent.setdefault(code, []).append(shape)
    for code, parent in zip(parents["code"], parent_shapes):
        union = unary_union(by_parent[code])
        assert union.symmetric_difference(parent).area <= 1e-9 * parent.area, code
    overlap = 0.0
    for a, first in enumerate(shapes):
        for second in shapes[a + 1 :]:
            if first.envelope.intersects(second.envelope):
                overlap += first.intersection(second).area
    assert overlap <= 1e-9 * sum(s.area for s in shapes)
    assert all(s.geom_type == "Polygon" or len(s.geoms) == 1 for s in shapes if s.is_valid)
    assert all(s.is_valid for s in shapes)


def test_households_conserved_and_within_band(grids, units):
    _, households = units
    cells = grids.grid_set.cells("grid")
    assert cells["households"].sum() == households.sum()
    assert grids.report["weight"].sum() == households.sum()
    assert grids.report["in_band"].all(), grids.infeasible
    assert grids.report["weight"].between(300, 500).all()
    assert list(grids.summary["method"]) == ["libgrid", "square grid", "k-means + Voronoi"]
    libgrid_row, square_row, kmeans_row = grids.summary.itertuples(index=False)
    assert libgrid_row.cells_in_band == libgrid_row.cells
    assert square_row.cells_in_band < libgrid_row.cells_in_band
    assert kmeans_row.cells_in_band < libgrid_row.cells_in_band


def test_each_unit_counted_in_the_cell_the_lookup_gives(grids, units):
    xy, households = units
    ids = grids.grid_set.index().lookup_level(xy[:, 0], xy[:, 1], "grid")
    codes = grids.grid_set.codes(ids)
    by_cell = pd.Series(households).groupby(codes).sum()
    report = grids.report.set_index("code")["weight"]
    assert (by_cell.reindex(report.index) == report).all()


def test_codes_extend_the_parent_and_validate_is_clean(grids):
    cells = grids.grid_set.cells("grid")
    assert all(c.startswith(p) and len(c) == len(p) + 3 for c, p in zip(cells["code"], cells["parent_code"]))
    problems = libgrid.validate(grids.grid_set)
    assert set(problems["kind"]) <= {"not_contiguous"}  # one sample community is in two parts on purpose
    assert (problems["level_name"] != "grid").all()


def test_same_seed_same_cells(communities, units, roads, grids):
    xy, households = units
    again = libgrid.partition(
        communities, "community", "grid", units=xy, weights=households, barriers=roads, target=(300, 500),
        baselines=False,
    )
    first = [grids.grid_set.wkt(int(i)) for i in grids.grid_set.cells("grid")["id"]]
    second = [again.grid_set.wkt(int(i)) for i in again.grid_set.cells("grid")["id"]]
    assert first == second


def test_input_grid_set_is_unchanged(communities, grids):
    assert communities.levels == ["district", "street", "community"]
    assert grids.grid_set.levels == ["district", "street", "community", "grid"]


def test_bad_input_raises_value_error(communities, units):
    xy, households = units
    with pytest.raises(ValueError, match="empty band"):
        libgrid.partition(communities, "community", "grid", units=xy, target=(500, 300))
    with pytest.raises(ValueError, match="weight -1"):
        libgrid.partition(communities, "community", "grid", units=xy[:1], weights=[-1.0], target=(1, 2))
    with pytest.raises(ValueError, match="shape"):
        libgrid.partition(communities, "community", "grid", units=[1.0, 2.0], target=(1, 2))
    with pytest.raises(ValueError, match="not a line"):
        libgrid.partition(communities, "community", "grid", units=xy, barriers=[[[0.0, 0.0]]], target=(300, 500))


def test_limits_known_before_the_work_raise_at_once(communities, units):
    xy, _ = units
    # More cells per parent than the code digits number (the CLI's --count has the same limit).
    with pytest.raises(ValueError, match="1000 cells per parent: more than 3 digits"):
        libgrid.partition(communities, "community", "grid", units=xy, count=1000)
    with pytest.raises(ValueError, match="more than 3 digits of sequence can number"):
        libgrid.partition(communities, "community", "grid", method="hex", size=1.0)
    # Whole numbers only: int() would have made 2.5 cells 2 and a seed of 1.5 seed 1.
    for name, bad in (("count", 2.5), ("count", 1e30), ("seed", 1.5), ("code_digits", "3")):
        with pytest.raises(TypeError, match=f"{name} must be a whole number"):
            libgrid.partition(communities, "community", "grid", units=xy, **{name: bad})
    with pytest.raises(ValueError, match="count"):
        libgrid.partition(communities, "community", "grid", units=xy, count=-1)


def test_square_lattice(communities):
    result = libgrid.partition(communities, "community", "block", method="square", size=500.0)
    cells, shapes = _shapes(result.grid_set, "block")
    assert len(cells) == len(result.report)
    assert max(s.area for s in shapes) <= 500.0 * 500.0 * (1 + 1e-9)
    parents, parent_shapes = _shapes(result.grid_set, "community")
    total = sum(p.area for p in parent_shapes)
    assert abs(sum(s.area for s in shapes) - total) <= 1e-9 * total
