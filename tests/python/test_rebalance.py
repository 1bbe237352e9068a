"""libgrid.rebalance on small constructed grid sets, checked against Shapely (GEOS) as an
independent engine: after a new estate in one corner every cell is back in the band, the cells
still cover their parent exactly, households are conserved and counted where they lie, locked
cells and untouched parents keep their geometry, and the same seed gives the same plan."""

import re

import numpy as np
import pandas as pd
import pytest
from shapely import wkt as shapely_wkt
from shapely.geometry import Point
from shapely.geometry import box as shapely_box
from shapely.ops import unary_union
from shapely.prepared import prep

import libgrid
from grid_fixtures import box, write_csv, write_geojson

BAND = (300, 500)
# Two communities side by side, 1200 m x 800 m each.
COMMUNITIES = [
    ({"code": "110119001001", "name": "桃园社区"}, box(0, 0, 1200, 800)),
    ({"code": "110119001002", "name": "柳荫社区"}, box(1200, 0, 2400, 800)),
]
ESTATE = (150.0, 150.0)  # the new estate: near the south-west corner of the first community


def _communities(folder):
    return libgrid.import_grid_set([("community", write_geojson(folder / "community.geojson", COMMUNITIES))])


def _lattice(rng, x0, y0, x1, y1, step):
    """Units on a lattice of `step` metres, jittered so that none lies on a lattice line."""
    xs, ys = np.meshgrid(np.arange(x0 + step / 2, x1, step), np.arange(y0 + step / 2, y1, step))
    xy = np.column_stack([xs.ravel(), ys.ravel()])
    return xy + rng.uniform(-step / 5, step / 5, xy.shape)


@pytest.fixture(scope="module")
def households_last_year():
    """About 1200 households per community, 1 to 3 per address point."""
    rng = np.random.default_rng(7)
    xy = _lattice(rng, 0, 0, 2400, 800, 40.0)
    return xy, rng.integers(1, 4, len(xy)).astype(float)


@pytest.fixture(scope="module")
def households_today(households_last_year):
    """Last year's units plus a new estate of 400 households in 40 buildings near ESTATE."""
    xy, weights = households_last_year
    rng = np.random.default_rng(11)
    estate = np.asarray(ESTATE) + rng.uniform(-30, 30, (40, 2))
    return np.vstack([xy, estate]), np.concatenate([weights, np.full(40, 10.0)])


@pytest.fixture(scope="module")
def grids(tmp_path_factory, households_last_year):
    """The communities cut into grids in the band by last year's households."""
    xy, weights = households_last_year
    made = libgrid.partition(
        _communities(tmp_path_factory.mktemp("rebalance")), "community", "grid", units=xy, weights=weights,
        target=BAND, baselines=False,
    )
    assert made.report["in_band"].all(), made.infeasible
    return made.grid_set


@pytest.fixture(scope="module")
def rebalanced(grids, households_today):
    xy, weights = households_today
    return libgrid.rebalance(grids, "grid", units=xy, weights=weights, target=BAND, seed=1)


def _shapes(grid_set, level):
    cells = grid_set.cells(level)
    return cells, [shapely_wkt.loads(grid_set.wkt(int(i))) for i in cells["id"]]


def _inside(shape, xy):
    """Whether each point lies in the interior of `shape` (Shapely's contains)."""
    prepared = prep(shape)
    return np.array([prepared.contains(Point(x, y)) for x, y in xy], dtype=bool)


def _wkt_by_code(grid_set, level):
    cells = grid_set.cells(level)
    return {code: grid_set.wkt(int(i)) for code, i in zip(cells["code"], cells["id"])}


def _estate_cell(grid_set):
    return grid_set.codes(grid_set.index().lookup_level([ESTATE[0]], [ESTATE[1]], "grid"))[0]


def test_the_new_estate_puts_one_grid_above_the_band(rebalanced):
    report = rebalanced.report
    assert list(report.columns) == [
        "code", "parent_code", "status", "weight_before", "weight_after", "in_band_before", "in_band_after",
        "kept_share", "area_before", "area_after", "polsby_popper",
    ]
    before = report[report["status"] != "new"]
    over = before[before["weight_before"] > BAND[1]]
    assert len(over) == 1 and over["parent_code"].iloc[0] == "110119001001", report
    assert over["weight_before"].iloc[0] >= BAND[1] + 200
    assert rebalanced.totals["in_band_before"] == rebalanced.totals["cells_before"] - 1


def test_every_cell_in_band_after(rebalanced):
    assert rebalanced.infeasible.empty, rebalanced.infeasible
    live = rebalanced.report[rebalanced.report["status"] != "retired"]
    assert live["in_band_after"].all()
    assert live["weight_after"].between(*BAND).all(), live
    totals = rebalanced.totals
    assert totals["in_band_after"] == totals["cells_after"] == len(live)
    assert totals["cells_after"] == len(rebalanced.grid_set.cells("grid"))


def test_households_conserved(rebalanced, households_today):
    _, weights = households_today
    cells = rebalanced.grid_set.cells("grid")
    assert cells["households"].sum() == weights.sum()
    assert rebalanced.report["weight_after"].sum() == weights.sum()
    assert rebalanced.report["weight_before"].sum() == weights.sum()
    totals = rebalanced.totals
    assert totals["households"] == weights.sum()
    assert (totals["units"], totals["units_outside"], totals["units_elsewhere"]) == (len(weights), 0, 0)
    households = dict(zip(cells["code"], cells["households"]))
    live = rebalanced.report[rebalanced.report["status"] != "retired"]
    assert all(households[c] == w for c, w in zip(live["code"], live["weight_after"]))


def test_moves_add_up_to_the_report(rebalanced, households_today):
    changes, totals = rebalanced.changes, rebalanced.totals
    assert list(changes.columns) == ["piece", "units", "from_code", "to_code", "households", "area"]
    assert not changes.empty
    assert changes["households"].sum() == pytest.approx(totals["moved"])
    assert totals["moved"] >= totals["lower_bound"] > 0
    assert (changes["from_code"] != changes["to_code"]).all()
    assert changes["piece"].isna().all(), "the finest level moves blocks, not finer cells"
    _, weights = households_today
    for row in changes.itertuples(index=False):
        assert row.households == pytest.approx(weights[list(row.units)].sum())
    moved_units = [i for units in changes["units"] for i in units]
    assert len(moved_units) == len(set(moved_units)), "a unit moves at most once"
    assert 0 < totals["core_retention"] < 1
    assert totals["core_retention"] == pytest.approx(1 - totals["moved"] / totals["households"])


def test_moved_units_lie_in_their_new_cell(rebalanced, households_today):
    xy, _ = households_today
    grid_set = rebalanced.grid_set
    for row in rebalanced.changes.itertuples(index=False):
        shape = shapely_wkt.loads(grid_set.wkt(grid_set.find(row.to_code)))
        assert _inside(shape, xy[list(row.units)]).all(), row


def test_each_unit_counted_in_the_cell_that_holds_it(rebalanced, households_today):
    """Shapely's containment, not libgrid's lookup, decides where each unit lies."""
    xy, weights = households_today
    cells, shapes = _shapes(rebalanced.grid_set, "grid")
    holding = np.full(len(xy), -1)
    for k, shape in enumerate(shapes):
        inside = _inside(shape, xy)
        assert (holding[inside] == -1).all(), "a unit inside two cells"
        holding[inside] = k
    assert (holding >= 0).all(), "every unit lies inside a cell (none on a boundary)"
    by_cell = pd.Series(weights).groupby(np.asarray(cells["code"])[holding]).sum()
    report = rebalanced.report.set_index("code")
    live = report[report["status"] != "retired"]
    assert (by_cell.reindex(live.index).fillna(0) == live["weight_after"]).all()
    looked_up = rebalanced.grid_set.codes(rebalanced.grid_set.index().lookup_level(xy[:, 0], xy[:, 1], "grid"))
    assert list(looked_up) == list(np.asarray(cells["code"])[holding])


def test_cells_cover_each_parent_exactly_and_never_overlap(rebalanced):
    parents, parent_shapes = _shapes(rebalanced.grid_set, "community")
    cells, shapes = _shapes(rebalanced.grid_set, "grid")
    for code, parent in zip(parents["code"], parent_shapes):
        mine = [s for s, p in zip(shapes, cells["parent_code"]) if p == code]
        assert abs(sum(s.area for s in mine) - parent.area) <= 1e-9 * parent.area, code
        assert unary_union(mine).symmetric_difference(parent).area <= 1e-9 * parent.area, code
    for a, first in enumerate(shapes):
        for second in shapes[a + 1 :]:
            assert first.intersection(second).area <= 1e-9 * first.area
    assert all(s.is_valid for s in shapes)
    assert all(s.geom_type == "Polygon" or len(s.geoms) == 1 for s in shapes), "every cell is contiguous"
    report = rebalanced.report.set_index("code")
    areas = dict(zip(cells["code"], (s.area for s in shapes)))
    assert all(report.loc[c, "area_after"] == pytest.approx(a, rel=1e-9) for c, a in areas.items())
    problems = libgrid.validate(rebalanced.grid_set)
    assert problems.empty, problems


def test_codes_kept_where_the_land_stays_and_new_codes_follow(grids, rebalanced):
    before = set(grids.cells("grid")["code"])
    report = rebalanced.report.set_index("code")
    after = set(rebalanced.grid_set.cells("grid")["code"])
    assert set(report.index[report["status"] == "kept"]) <= before & after
    assert set(report.index[report["status"] == "retired"]) == before - after
    new = set(report.index[report["status"] == "new"])
    assert new == after - before
    for code in new:
        parent = report.loc[code, "parent_code"]
        siblings = [c for c in before if c.startswith(parent)]
        assert code.startswith(parent) and len(code) == len(parent) + 3
        assert code > max(siblings), "a new cell takes the next sequence after every code its parent had"
    totals = rebalanced.totals
    assert (totals["codes_kept"], totals["codes_new"], totals["codes_retired"]) == (
        (report["status"] == "kept").sum(), len(new), (report["status"] == "retired").sum())


def test_a_parent_already_in_band_is_left_alone(grids, rebalanced):
    before, after = _wkt_by_code(grids, "grid"), _wkt_by_code(rebalanced.grid_set, "grid")
    east = [c for c in before if c.startswith("110119001002")]
    assert east and all(after[c] == before[c] for c in east)
    assert not rebalanced.changes["from_code"].isin(east).any()


def test_same_seed_same_plan_and_the_input_is_unchanged(grids, households_today, rebalanced):
    xy, weights = households_today
    shapes, households = _wkt_by_code(grids, "grid"), grids.cells("grid")["households"].tolist()
    again = libgrid.rebalance(grids, "grid", units=xy, weights=weights, target=BAND, seed=1)
    assert _wkt_by_code(again.grid_set, "grid") == _wkt_by_code(rebalanced.grid_set, "grid")
    pd.testing.assert_frame_equal(again.changes, rebalanced.changes)
    pd.testing.assert_frame_equal(again.report, rebalanced.report)
    assert again.totals == rebalanced.totals
    assert _wkt_by_code(grids, "grid") == shapes and grids.cells("grid")["households"].tolist() == households
    assert grids.levels == ["community", "grid"] and again.grid_set is not grids


def test_locked_cells_keep_their_geometry(grids, households_today):
    xy, weights = households_today
    west = [c for c in grids.cells("grid")["code"] if c.startswith("110119001001")]
    estate = _estate_cell(grids)
    locks = [c for c in west if c != estate][:1]
    result = libgrid.rebalance(grids, "grid", units=xy, weights=weights, target=BAND, locks=locks)
    before, after = _wkt_by_code(grids, "grid"), _wkt_by_code(result.grid_set, "grid")
    assert after[locks[0]] == before[locks[0]]
    report = result.report.set_index("code")
    assert report.loc[locks[0], "status"] == "locked"
    assert report.loc[locks[0], "kept_share"] == 1.0
    assert not result.changes["from_code"].isin(locks).any() and not result.changes["to_code"].isin(locks).any()
    assert households_today[1].sum() == result.report["weight_after"].sum()


def test_only_the_named_parents_are_adjusted(grids, households_today):
    xy, weights = households_today
    result = libgrid.rebalance(grids, "grid", units=xy, weights=weights, target=BAND, parents=["110119001002"])
    assert set(result.report["parent_code"]) == {"110119001002"}
    assert result.changes.empty
    assert _wkt_by_code(result.grid_set, "grid") == _wkt_by_code(grids, "grid")
    assert result.totals["units_elsewhere"] > 0
    assert result.totals["units"] == len(xy)


# A row of three grids; the middle one is demolished and must merge into a neighbour.
ROW = [({"code": "C1", "name": "一社区"}, box(0, 0, 1200, 400))]
ROW_GRIDS = [
    ({"code": "C1001", "households": 450}, box(0, 0, 400, 400)),
    ({"code": "C1002", "households": 100}, box(400, 0, 600, 400)),
    ({"code": "C1003", "households": 450}, box(600, 0, 1200, 400)),
]
ROW_ROSTER = [
    ("C1", "grid_leader", "P1", "张三", "13000000001"),
    ("C1001", "grid_worker", "P2", "李四", "13000000002"),
    ("C1002", "grid_worker", "P3", "王芳", "13000000003"),
    ("C1002", "info_worker", "P4", "钱七", "13000000004"),
    ("C1003", "grid_worker", "P5", "吴十", "13000000005"),
]


@pytest.fixture
def row(tmp_path):
    grid_set = libgrid.import_grid_set(
        [
            ("community", write_geojson(tmp_path / "community.geojson", ROW)),
            ("grid", write_geojson(tmp_path / "grid.geojson", ROW_GRIDS)),
        ]
    )
    grid_set.set_roster_csv(write_csv(tmp_path / "roster.csv", ["cell_code", "role", "person_id", "name", "phone"], ROW_ROSTER))
    xy = _lattice(np.random.default_rng(5), 0, 0, 1200, 400, 40.0)
    weights = np.where(xy[:, 0] < 400, 4.5, np.where(xy[:, 0] < 600, 0.0, 3.0))
    return grid_set, xy, weights


def test_demolished_grid_merges_and_its_roster_is_retired(row):
    grid_set, xy, weights = row
    result = libgrid.rebalance(grid_set, "grid", units=xy, weights=weights, target=(350, 500))
    report = result.report.set_index("code")
    assert report.loc["C1002", "status"] == "retired"
    assert report.loc["C1002", "weight_after"] == 0
    assert set(result.grid_set.cells("grid")["code"]) == {"C1001", "C1003"}
    assert result.grid_set.find("C1002") == -1
    assert result.infeasible.empty and report.loc[["C1001", "C1003"], "in_band_after"].all()
    assert list(result.retired_roster.columns) == ["cell_code", "role", "person_id", "name", "phone"]
    assert [tuple(r) for r in result.retired_roster.itertuples(index=False)] == [r for r in ROW_ROSTER if r[0] == "C1002"]
    assert [tuple(r) for r in result.grid_set.roster().itertuples(index=False)] == [r for r in ROW_ROSTER if r[0] != "C1002"]
    assert len(grid_set.roster()) == len(ROW_ROSTER), "the input keeps its roster"
    cells, shapes = _shapes(result.grid_set, "grid")
    assert unary_union(shapes).symmetric_difference(shapely_box(0, 0, 1200, 400)).area <= 1e-9 * 1200 * 400


def test_dedicated_cell_is_left_alone_and_outside_units_are_not_counted(tmp_path):
    grids = [({**ROW_GRIDS[0][0], "kind": "dedicated"}, ROW_GRIDS[0][1])] + ROW_GRIDS[1:]
    grid_set = libgrid.import_grid_set(
        [
            ("community", write_geojson(tmp_path / "community.geojson", ROW)),
            ("grid", write_geojson(tmp_path / "grid.geojson", grids)),
        ]
    )
    xy = _lattice(np.random.default_rng(5), 0, 0, 1200, 400, 40.0)
    weights = np.where(xy[:, 0] < 400, 4.5, np.where(xy[:, 0] < 600, 0.0, 3.0))
    xy, weights = np.vstack([xy, [[-50.0, -50.0]]]), np.append(weights, 7.0)
    result = libgrid.rebalance(grid_set, "grid", units=xy, weights=weights, target=(350, 500))
    report = result.report.set_index("code")
    assert report.loc["C1001", "status"] == "locked"
    assert _wkt_by_code(result.grid_set, "grid")["C1001"] == _wkt_by_code(grid_set, "grid")["C1001"]
    assert report.loc["C1002", "status"] == "retired"
    assert set(result.changes["to_code"]) == {"C1003"}, "the demolished grid merges into the basic neighbour"
    assert (result.totals["units"], result.totals["units_outside"]) == (len(xy), 1)
    assert result.totals["households"] == weights.sum() - 7.0
    assert result.grid_set.cells("grid")["households"].sum() == weights.sum() - 7.0


def test_a_band_no_number_of_cells_meets_is_reported_not_raised(row):
    grid_set, xy, weights = row
    result = libgrid.rebalance(grid_set, "grid", units=xy, weights=weights, target=(1000, 1100))
    assert not result.infeasible.empty
    assert list(result.infeasible.columns) == ["parent_code", "cell_code", "reason"]
    assert set(result.infeasible["parent_code"]) == {"C1"}
    cells, shapes = _shapes(result.grid_set, "grid")
    assert unary_union(shapes).symmetric_difference(shapely_box(0, 0, 1200, 400)).area <= 1e-9 * 1200 * 400
    assert result.grid_set.cells("grid")["households"].sum() == weights.sum()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"level": "block"}, "level=: no level named 'block' (levels: community, grid)"),
        ({"locks": ["C9"]}, "lock: no cell with code 'C9'"),
        ({"locks": ["C1"]}, "lock: cell 'C1' is of level 'community', not 'grid'"),
        ({"parents": ["C9"]}, "parents: no cell with code 'C9'"),
        ({"parents": ["C1001"]}, "parents: cell 'C1001' is of level 'grid', not 'community'"),
        ({"target": (500, 300)}, "empty band: MIN 500 is above MAX 300"),
        ({"target": (0, 0)}, "the band's MAX must be above 0"),
        ({"weights": "negative"}, "has weight -1: weights must be finite and not negative"),
        ({"weights": "nan"}, "has weight nan: weights must be finite and not negative"),
        ({"barriers": [[[0.0, 0.0]]]}, "barrier 1 is not a line (fewer than 2 points)"),
        ({"units": [1.0, 2.0], "weights": None}, "units must be an array of shape (n, 2)"),
        ({"barriers": [[1.0, 2.0, 3.0]]}, "each barrier must be an array of shape (n, 2)"),
        ({"weights": [1.0, 2.0]}, "weights must be a 1-D array with one weight per unit"),
    ],
)
def test_bad_input_raises_value_error(row, options, message):
    grid_set, xy, weights = row
    arguments = {"level": "grid", "units": xy, "weights": weights, "target": (350, 500)}
    arguments.update(options)
    if options.get("weights") == "negative":
        arguments["weights"] = np.where(np.arange(len(xy)) == 3, -1.0, weights)
    if options.get("weights") == "nan":
        arguments["weights"] = np.where(np.arange(len(xy)) == 3, np.nan, weights)
    level = arguments.pop("level")
    with pytest.raises(ValueError, match=re.escape(message)):
        libgrid.rebalance(grid_set, level, **arguments)
    assert len(grid_set.cells("grid")) == 3 and len(grid_set.roster()) == len(ROW_ROSTER)


def test_overlapping_cells_raise_value_error(tmp_path):
    overlapping = [
        ({"code": "C1001"}, box(0, 0, 700, 400)),
        ({"code": "C1002"}, box(600, 0, 1200, 400)),
    ]
    grid_set = libgrid.import_grid_set(
        [
            ("community", write_geojson(tmp_path / "community.geojson", ROW)),
            ("grid", write_geojson(tmp_path / "grid.geojson", overlapping)),
        ]
    )
    with pytest.raises(ValueError):
        libgrid.rebalance(grid_set, "grid", units=[[100.0, 100.0]], target=(1, 2))


# A level with a finer level under it: land moves in whole micro-grids.


@pytest.fixture(scope="module")
def with_microgrids(grids, households_last_year, households_today):
    xy, weights = households_last_year
    made = libgrid.partition(grids, "grid", "microgrid", units=xy, weights=weights, target=(30, 60), baselines=False)
    xy, weights = households_today
    return made.grid_set, libgrid.rebalance(made.grid_set, "grid", units=xy, weights=weights, target=BAND)


def test_finer_cells_move_whole(with_microgrids, households_today):
    before, result = with_microgrids
    changes = result.changes
    assert not changes.empty and changes["piece"].notna().all()
    old, new = _wkt_by_code(before, "microgrid"), _wkt_by_code(result.grid_set, "microgrid")
    assert old == new, "micro-grids keep their geometry and codes"
    cells = result.grid_set.cells("microgrid").set_index("code")
    xy, weights = households_today
    for row in changes.itertuples(index=False):
        assert cells.loc[row.piece, "parent_code"] == row.to_code
        piece = shapely_wkt.loads(result.grid_set.wkt(int(cells.loc[row.piece, "id"])))
        assert sorted(row.units) == list(np.flatnonzero(_inside(piece, xy))), "the units in the piece"
        assert row.households == weights[list(row.units)].sum()
        assert row.area == pytest.approx(piece.area, rel=1e-9)
    live = result.report[result.report["status"] != "retired"]
    assert result.infeasible.empty, result.infeasible
    assert live["weight_after"].between(*BAND).all()
    assert live["weight_after"].sum() == weights.sum()
    grids, grid_shapes = _shapes(result.grid_set, "grid")
    micro, micro_shapes = _shapes(result.grid_set, "microgrid")
    for code, shape in zip(grids["code"], grid_shapes):
        mine = unary_union([s for s, p in zip(micro_shapes, micro["parent_code"]) if p == code])
        assert mine.symmetric_difference(shape).area <= 1e-9 * shape.area, code
    # A moved micro-grid keeps its code, which then no longer extends its new parent's.
    problems = libgrid.validate(result.grid_set)
    assert set(problems["kind"]) <= {"code_not_extending_parent"}, problems
    assert set(problems["cell_code"]) <= set(changes["piece"])
