"""libgrid.repair: slivers snapped away on a copy, real problems left for validate."""

import pytest

import libgrid
from grid_fixtures import box, write_geojson


def _grid_set(tmp_path, grids):
    communities = [({"code": "C1", "name": "c1", "households": 0, "population": 0}, box(0, 0, 4, 2))]
    return libgrid.import_grid_set(
        [
            ("community", write_geojson(tmp_path / "community.geojson", communities)),
            ("grid", write_geojson(tmp_path / "grid.geojson", grids)),
        ]
    )


def test_sliver_is_snapped_away_on_a_copy(tmp_path):
    # C1 = [0,4] x [0,2]; G2 sticks out of it by the strip [4,4.05] x [0,2] (area 0.1).
    gs = _grid_set(
        tmp_path,
        [({"code": "C1G1", "households": 10}, box(0, 0, 2, 2)), ({"code": "C1G2", "households": 20}, box(2, 0, 4.05, 2))],
    )
    assert list(libgrid.validate(gs)["kind"]) == ["outside_parent"]

    result = libgrid.repair(gs, snap=0.1)

    assert libgrid.validate(result.grid_set).empty
    assert list(libgrid.validate(gs)["kind"]) == ["outside_parent"], "the input is not changed"
    assert result.skipped == []
    assert list(result.report["code"]) == ["C1G2"]
    row = result.report.iloc[0]
    assert (row["level_name"], row["parent_code"], row["vertices_moved"]) == ("grid", "C1", 2)
    assert row["area_before"] == pytest.approx(4.1)
    assert row["area_after"] == pytest.approx(4.0)
    assert row["area_out"] == pytest.approx(0.1)
    assert row["area_in"] == pytest.approx(0.0, abs=1e-12)
    cells = result.grid_set.cells()
    assert dict(zip(cells["code"], cells["households"])) == {"C1": 0, "C1G1": 10, "C1G2": 20}
    assert libgrid.repair(result.grid_set, snap=0.1).report.empty, "a second repair changes nothing"


def test_thicker_disagreement_stays(tmp_path):
    gs = _grid_set(tmp_path, [({"code": "C1G1"}, box(0, 0, 2, 2)), ({"code": "C1G2"}, box(2, 0, 5, 2))])
    result = libgrid.repair(gs, snap=0.1, level="grid")
    assert result.report.empty
    problems = libgrid.validate(result.grid_set, tolerance=0.1)
    assert list(problems["kind"]) == ["outside_parent"] and not problems["sliver"].iloc[0]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"snap": -1.0}, r"^snap=: must be a finite number > 0, not -1$"),
        ({"snap": 0}, "must be a finite number > 0, not 0"),  # as gridtool repair refuses it
        ({"snap": 1e-300}, "below the precision of coordinates"),
        ({"snap": float("nan")}, "snap=: must be a finite number > 0"),
        ({"snap": 0.1, "level": "community"}, "top level"),
        ({"snap": 0.1, "level": "block"}, "block"),
    ],
)
def test_bad_options_raise_value_error(tmp_path, options, message):
    gs = _grid_set(tmp_path, [({"code": "C1G1"}, box(0, 0, 4, 2))])
    with pytest.raises(ValueError, match=message):
        libgrid.repair(gs, **options)
