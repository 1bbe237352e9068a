"""Boundary versions from Python: GridSet.with_version, versions, at() and Index.lookup(at=)."""

import datetime
import sqlite3

import numpy as np
import pytest

import libgrid
from grid_fixtures import box, write_geojson


def _town(folder, cut, name):
    """Two communities over [0,30] x [0,10]; grids G1 | G2 split C1 at x = cut, G3 is C2."""
    communities = write_geojson(
        folder / f"{name}_community.geojson",
        [({"code": "C1"}, box(0, 0, 20, 10)), ({"code": "C2"}, box(20, 0, 30, 10))],
    )
    grids = write_geojson(
        folder / f"{name}_grid.geojson",
        [
            ({"code": "G1", "parent_code": "C1"}, box(0, 0, cut, 10)),
            ({"code": "G2", "parent_code": "C1"}, box(cut, 0, 20, 10)),
            ({"code": "G3", "parent_code": "C2"}, box(20, 0, 30, 10)),
        ],
    )
    return libgrid.import_grid_set([("community", communities), ("grid", grids)])


@pytest.fixture
def history(tmp_path):
    return _town(tmp_path, 10, "old").with_version(_town(tmp_path, 12, "new"), "2027-01-01")


def test_versions_list_dates_and_cell_counts(history, tmp_path):
    assert history.versions == [(None, 5), (datetime.date(2027, 1, 1), 5)]
    assert len(history) == 7  # C1, C2 and G3 stored once
    assert _town(tmp_path, 10, "single").versions == []


def test_at_gives_the_version_in_force(history):
    before = history.at("2026-12-31T23:59")
    after = history.at(np.datetime64("2027-01-01T00:00"))
    assert before.versions == [] and len(before) == 5
    assert before.extent == after.extent == (0.0, 0.0, 30.0, 10.0)
    index_before, index_after = before.index(), after.index()
    assert before.code(int(index_before.lookup([11.0], [5.0])[0])) == "G2"
    assert after.code(int(index_after.lookup([11.0], [5.0])[0])) == "G1"
    assert len(history.at(datetime.date(2030, 5, 1))) == 5


def test_lookup_at_each_points_own_time(history):
    index = history.index()
    x = np.array([11.0, 11.0, 11.0, 25.0])
    y = np.full(4, 5.0)
    times = np.array(["2026-12-31T23:59", "2027-01-01T00:00", "2027-01-02", "2001-01-01"], dtype="datetime64[m]")
    codes = [history.code(int(c)) for c in index.lookup(x, y, at=times)]
    assert codes == ["G2", "G1", "G1", "G3"]
    as_text = [history.code(int(c)) for c in index.lookup(x, y, at=[str(t) for t in times])]
    assert as_text == codes
    one_time = [history.code(int(c)) for c in index.lookup(x, y, at="2026-06-01")]
    assert one_time == ["G2", "G2", "G2", "G3"]
    assert [history.code(int(c)) for c in index.lookup(x, y)] == ["G1", "G1", "G1", "G3"]
    assert index.version_starts == [None, np.datetime64("2027-01-01T00:00")]


def test_bad_times_and_versions_are_refused(history, tmp_path):
    index = history.index()
    with pytest.raises(ValueError, match=r"at\[1\]: not a time YYYY-MM-DD or YYYY-MM-DDTHH:MM: 'soon'"):
        index.lookup([1.0, 2.0], [1.0, 1.0], at=["2027-01-01", "soon"])
    with pytest.raises(ValueError, match="at has 3 times for 2 points"):
        index.lookup([1.0, 2.0], [1.0, 1.0], at=["2027-01-01"] * 3)
    with pytest.raises(ValueError, match="not after the latest version's"):
        history.with_version(_town(tmp_path, 14, "later"), "2027-01-01")
    dated = _town(tmp_path, 10, "a").with_version(_town(tmp_path, 12, "b"), "2027-01-01", first_effective="2026-01-01")
    with pytest.raises(ValueError, match=r"before the first boundary version \(2026-01-01\)"):
        dated.index().lookup([1.0], [1.0], at="2025-12-31")
    with pytest.raises(ValueError, match="before the first boundary version"):
        dated.at("2025-12-31")


def test_the_file_stores_unchanged_cells_once(history, tmp_path):
    path = tmp_path / "history.gpkg"
    history.write(path)
    with sqlite3.connect(path) as db:
        assert db.execute("select count(*) from grid").fetchone()[0] == 5
        assert db.execute("select count(*) from community").fetchone()[0] == 2
        assert db.execute("select effective from libgrid_versions order by ordinal").fetchall() == [
            (None,),
            ("2027-01-01",),
        ]
    again = libgrid.GridSet.read(path)
    assert again.versions == history.versions
    index = again.index()
    assert again.code(int(index.lookup([11.0], [5.0], at="2026-12-31")[0])) == "G2"
    index.save(tmp_path / "history.lgi")
    loaded = again.load_index(tmp_path / "history.lgi")
    assert again.code(int(loaded.lookup([11.0], [5.0], at="2026-12-31")[0])) == "G2"
    assert again.code(int(loaded.lookup([11.0], [5.0], at="2027-01-01")[0])) == "G1"


def test_work_on_one_set_of_boundaries_needs_one_version(history):
    expected = (
        "the grid set holds 2 boundary versions (since always, from 2027-01-01): validation "
        "works on one; take the version in force at a date first"
    )
    with pytest.raises(ValueError) as error:
        libgrid.validate(history)
    assert str(error.value) == expected
    with pytest.raises(ValueError, match="repair works on one"):
        libgrid.repair(history, snap=0.5)
    # The version taken first is checked as a grid set of its own: its cells do not overlap
    # (the two versions' cells together would).
    problems = libgrid.validate(history.at("2027-01-01"))
    assert not problems["kind"].str.contains("overlap").any()
