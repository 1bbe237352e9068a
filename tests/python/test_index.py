"""Index.load and the lookups are as strict as gridtool: another grid set's index, None,
non-numbers and bad thread counts are refused, and a loaded index outlives its file."""

import shutil

import numpy as np
import pytest

import libgrid
from grid_fixtures import box, write_geojson

# Two streets side by side; the second grid set moves their shared edge.
LEFT_RIGHT = [({"code": "A"}, box(0, 0, 1, 1)), ({"code": "B"}, box(1, 0, 2, 1))]
MOVED = [({"code": "A"}, box(0, 0, 1.5, 1)), ({"code": "B"}, box(1.5, 0, 2, 1))]
ANOTHER_GRID_SET = r"index built from another grid set \(or another version of this one\)"


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index")
    gs = libgrid.import_grid_set([("street", write_geojson(folder / "a.geojson", LEFT_RIGHT))])
    moved = libgrid.import_grid_set([("street", write_geojson(folder / "b.geojson", MOVED))])
    gs.index().save(folder / "a.lgi")
    moved.index().save(folder / "b.lgi")
    return gs, moved, folder


def test_index_of_another_grid_set_is_refused_when_the_grid_set_is_given(sets):
    gs, moved, folder = sets
    assert libgrid.Index.load(folder / "a.lgi", gs).lookup([1.2], [0.5]).tolist() == [1]
    with pytest.raises(ValueError, match=ANOTHER_GRID_SET) as error:
        libgrid.Index.load(folder / "b.lgi", gs)
    assert str(folder / "b.lgi") in str(error.value)
    with pytest.raises(ValueError, match=ANOTHER_GRID_SET):
        libgrid.Index.load(folder / "b.lgi", grid_set=gs, map_file=True)
    # Without a grid set the file is taken as it is (its cell 0 is A, wherever A ends).
    assert libgrid.Index.load(folder / "b.lgi").lookup([1.2], [0.5]).tolist() == [0]


def test_grid_set_load_index_always_checks(sets):
    gs, moved, folder = sets
    assert gs.load_index(folder / "a.lgi").lookup([0.5, 1.5], [0.5, 0.5]).tolist() == [0, 1]
    assert moved.load_index(folder / "b.lgi", map_file=True).lookup([1.2], [0.5]).tolist() == [0]
    with pytest.raises(ValueError, match=ANOTHER_GRID_SET):
        gs.load_index(folder / "b.lgi")
    with pytest.raises(OSError):
        gs.load_index(folder / "missing.lgi")


@pytest.mark.parametrize("method", ["lookup", "lookup_level", "count_holding"])
@pytest.mark.parametrize(
    "x",
    [None, ["a"], np.array(["0.5"]), [True], np.array([0.5, None], dtype=object), [1 + 2j], "0.5"],
    ids=["None", "str-list", "str-array", "bool", "object", "complex", "str"],
)
def test_coordinates_that_are_not_numbers_raise_type_error(sets, method, x):
    idx = sets[0].index()
    args = (0,) if method != "lookup" else ()
    with pytest.raises(TypeError, match="must be an array of numbers"):
        getattr(idx, method)(x, [0.5], *args)
    with pytest.raises(TypeError, match="must be an array of numbers"):
        getattr(idx, method)([0.5], x, *args)


def test_integer_coordinates_are_numbers(sets):
    idx = sets[0].index()
    assert idx.lookup(np.array([0, 1], dtype=np.int64), np.array([0, 0], dtype=np.uint8)).tolist() == [0, 1]


@pytest.mark.parametrize("threads", [1.5, 1e30, "2", True, None])
def test_threads_not_a_whole_number_raise_type_error(sets, threads):
    idx = sets[0].index()
    with pytest.raises(TypeError, match="threads must be a whole number from 0 to 4096"):
        idx.lookup([0.5], [0.5], threads=threads)
    with pytest.raises(TypeError, match="threads must be a whole number from 0 to 4096"):
        idx.lookup_level([0.5], [0.5], 0, threads=threads)


@pytest.mark.parametrize("threads", [2**31, 10**30])
def test_threads_out_of_range_raise_value_error(sets, threads):
    with pytest.raises(ValueError, match="threads must be a whole number from 0 to 4096"):
        sets[0].index().lookup([0.5], [0.5], threads=threads)


def test_negative_threads_raise_the_cores_error(sets):
    # The same words as C++ (CellIndex::lookup) and gridtool, the option spelled as a keyword.
    with pytest.raises(ValueError) as raised:
        sets[0].index().lookup([0.5], [0.5], threads=-3)
    assert str(raised.value) == "threads=: must be a whole number from 0 to 4096 (0: every core), not -3"
    with pytest.raises(ValueError) as raised:
        sets[0].index().lookup([0.5], [0.5], threads=4097)
    assert str(raised.value) == "threads=: must be a whole number from 0 to 4096 (0: every core), not 4097"


def test_threads_as_numpy_integer(sets):
    assert sets[0].index().lookup([0.5], [0.5], threads=np.int64(2)).tolist() == [0]


def test_loaded_index_survives_its_file_overwritten_and_truncated_in_place(sets, tmp_path):
    gs, moved, folder = sets
    live = tmp_path / "live.lgi"
    shutil.copyfile(folder / "a.lgi", live)
    idx = libgrid.Index.load(live, gs)
    with open(live, "r+b") as f:  # as `cp b.lgi live.lgi` does: the same file, rewritten
        f.truncate(0)
        f.write((folder / "b.lgi").read_bytes())
    assert idx.lookup([0.5, 1.2], [0.5, 0.5]).tolist() == [0, 1]
    with open(live, "r+b") as f:
        f.truncate(0)
    assert idx.lookup([0.5, 1.2], [0.5, 0.5]).tolist() == [0, 1]
