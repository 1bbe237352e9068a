"""libgrid.validate on a constructed grid set with planted problems and on a clean one."""

import pandas as pd
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


def test_clean_set_has_no_problems(tmp_path):
    gs = _grid_set(tmp_path, [({"code": "C1G1"}, box(0, 0, 2, 2)), ({"code": "C1G2"}, box(2, 0, 4, 2))])
    frame = libgrid.validate(gs)
    assert isinstance(frame, pd.DataFrame) and frame.empty


def test_gap_overlap_and_outside_are_located(tmp_path):
    # Community C1 = [0,4] x [0,2]. G1 = [0,2] x [0,1.5] and G2 = [1.5,4.1] x [0,2]:
    # they overlap on [1.5,2] x [0,1.5] (0.75), leave [0,1.5] x [1.5,2] uncovered (0.75), and G2
    # sticks out of C1 by the strip [4,4.1] x [0,2] (0.2, thickness 2 * 0.2 / 4.2 = 0.095).
    gs = _grid_set(
        tmp_path,
        [({"code": "C1G1"}, box(0, 0, 2, 1.5)), ({"code": "C1G2"}, box(1.5, 0, 4.1, 2))],
    )
    frame = libgrid.validate(gs, tolerance=0.1)
    by_kind = {kind: rows for kind, rows in frame.groupby("kind")}
    assert set(by_kind) == {"gap", "overlap", "outside_parent"}
    overlap = by_kind["overlap"].iloc[0]
    assert (overlap["cell_code"], overlap["other_code"]) == ("C1G1", "C1G2")
    assert overlap["area"] == pytest.approx(0.75) and not overlap["sliver"]
    gap = by_kind["gap"].iloc[0]
    assert gap["cell_code"] == "C1" and gap["area"] == pytest.approx(0.75)
    outside = by_kind["outside_parent"].iloc[0]
    assert outside["cell_code"] == "C1G2" and outside["area"] == pytest.approx(0.2)
    assert outside["thickness"] == pytest.approx(0.4 / 4.2)
    assert outside["sliver"]
    assert outside["wkt"].startswith("MULTIPOLYGON")
    assert not libgrid.validate(gs, tolerance=0.05).set_index("kind").loc["outside_parent", "sliver"]


def test_negative_tolerance_raises_value_error(tmp_path):
    gs = _grid_set(tmp_path, [({"code": "C1G1"}, box(0, 0, 4, 2))])
    # The core's words, as gridtool validate prints them with --tolerance for tolerance=.
    with pytest.raises(ValueError, match=r"^tolerance=: must be a finite number >= 0, not -1$"):
        libgrid.validate(gs, tolerance=-1)


def test_unknown_grid_level_raises_value_error(tmp_path):
    gs = _grid_set(tmp_path, [({"code": "C1G1"}, box(0, 0, 4, 2))])
    levels = ", ".join(gs.levels)
    with pytest.raises(ValueError) as raised:
        libgrid.validate(gs, grid_level="block")
    assert str(raised.value) == f"grid_level=: no level named 'block' (levels: {levels})"
    libgrid.validate(gs)  # no level named "grid" is needed when none is asked for
