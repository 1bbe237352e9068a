"""The blocks of freed arrays given to the next ones (libgrid.assign's memory, release_memory)."""

import threading

import numpy as np
import pandas as pd
import pytest

import libgrid
from libgrid import _libgrid

from grid_fixtures import box, write_csv, write_geojson

# 8 MB: above the 4 MiB from which blocks are recycled.
ROWS = 1_000_000


def address(array):
    return array.__array_interface__["data"][0]


def statistics():
    return _libgrid._recycled_memory_statistics()


@pytest.fixture(autouse=True)
def empty_pool():
    libgrid.release_memory()
    yield
    libgrid.release_memory()


def test_a_freed_block_is_given_to_the_next_array():
    with _libgrid._recycled_arrays():
        first = np.full(ROWS, 7.0)
    at = address(first)
    assert statistics()["taken_blocks"] == 1
    del first
    assert statistics()["kept_blocks"] == 1
    assert statistics()["kept_bytes"] >= ROWS * 8
    reused = statistics()["reused"]
    with _libgrid._recycled_arrays():
        second = np.empty(ROWS)
    assert address(second) == at
    assert statistics()["reused"] == reused + 1
    assert statistics()["kept_blocks"] == 0


def test_zeroed_arrays_are_zero_in_a_recycled_block():
    with _libgrid._recycled_arrays():
        dirty = np.full(ROWS, -1, dtype=np.int64)
        at = address(dirty)
        del dirty
        zeros = np.zeros(ROWS, dtype=np.int64)
        assert address(zeros) == at
        assert not zeros.any()
        del zeros
        strings = np.full(ROWS, "x", dtype=object)
        del strings
        objects = np.empty(ROWS, dtype=object)
        assert address(objects) == at
        assert all(value is None for value in objects[:: ROWS // 1000])
        assert objects[-1] is None


def test_an_array_in_use_is_never_given_to_another():
    with _libgrid._recycled_arrays():
        kept = np.arange(ROWS, dtype=np.float64)
        other = np.full(ROWS, 3.0)
        del other
        for _ in range(3):
            more = np.full(ROWS, -5.0)
            assert address(more) != address(kept)
            del more
    np.testing.assert_array_equal(kept, np.arange(ROWS, dtype=np.float64))


def test_arrays_outlive_the_context_and_come_back_when_freed():
    with _libgrid._recycled_arrays():
        values = np.ones(ROWS)
    view = values[10:]
    del values
    assert statistics()["kept_blocks"] == 0  # the view holds it
    assert view.sum() == ROWS - 10
    del view
    assert statistics()["kept_blocks"] == 1


def test_small_arrays_and_other_threads_take_numpys_own_memory():
    taken = statistics()["taken_blocks"]
    made = {}

    def elsewhere():
        made["array"] = np.ones(ROWS)
        made["taken"] = statistics()["taken_blocks"]

    with _libgrid._recycled_arrays():
        small = np.ones(1000)
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert statistics()["taken_blocks"] == taken
    assert made["taken"] == taken
    del small, made


def test_a_block_is_not_given_to_an_array_it_does_not_fit_or_far_smaller_than_it():
    with _libgrid._recycled_arrays():
        large = np.ones(4 * ROWS)
        at = address(large)
        del large
        small = np.ones(ROWS)  # 8 MB against 32 MB kept: a fresh block
        assert address(small) != at
        del small
        larger = np.ones(8 * ROWS)  # 64 MB: none of the kept blocks fits
        assert larger.sum() == 8 * ROWS


def test_a_recycled_array_resized_in_place_keeps_its_values():
    with _libgrid._recycled_arrays():
        values = np.arange(ROWS, dtype=np.int64)
    values.resize(2 * ROWS, refcheck=False)
    np.testing.assert_array_equal(values[:ROWS], np.arange(ROWS))
    assert not values[ROWS:].any()
    values.resize(10, refcheck=False)
    np.testing.assert_array_equal(values, np.arange(10))


def test_nesting_restores_numpys_handler():
    with _libgrid._recycled_arrays():
        with _libgrid._recycled_arrays():
            pass
        inside = np.ones(ROWS)
    outside = np.ones(ROWS)
    taken = statistics()["taken_blocks"]
    del outside
    assert statistics()["taken_blocks"] == taken
    del inside
    assert statistics()["taken_blocks"] == taken - 1


def test_release_memory_hands_back_every_kept_block():
    with _libgrid._recycled_arrays():
        arrays = [np.ones(ROWS) for _ in range(3)]
    del arrays
    kept = statistics()["kept_bytes"]
    assert kept >= 3 * ROWS * 8
    assert libgrid.release_memory() == kept
    assert statistics()["kept_bytes"] == 0
    assert statistics()["kept_blocks"] == 0
    assert libgrid.release_memory() == 0


def test_assign_makes_its_columns_in_the_blocks_of_dropped_results(tmp_path):
    grids = [({"code": "G1", "name": "一网格"}, box(0, 0, 1, 1)), ({"code": "G2", "name": "二网格"}, box(1, 0, 2, 1))]
    grid_set = libgrid.import_grid_set([("grid", write_geojson(tmp_path / "grid.geojson", grids))])
    grid_set.set_roster_csv(write_csv(tmp_path / "roster.csv", ["cell_code", "role", "person_id", "name", "phone"],
                                      [("G1", "grid_worker", "P1", "王芳", "13000000002")]))
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"x": rng.uniform(-0.5, 2.5, ROWS), "y": rng.uniform(0, 1, ROWS)})
    first = libgrid.assign(frame, grid_set)
    kept = first.copy()
    assert set(kept["grid"].dropna()) == {"G1", "G2"}
    assert set(kept["grid_worker"].dropna()) == {"王芳"}
    second = libgrid.assign(frame, grid_set)  # the first is alive: nothing of it is reused
    # DataFrame.equals: assert_frame_equal takes seconds a column of a million str.
    assert first.equals(kept)
    assert second.equals(kept)
    reused = statistics()["reused"]
    del first, second
    third = libgrid.assign(frame, grid_set)
    assert statistics()["reused"] > reused
    assert third.equals(kept)
    assert list(third.columns) == list(kept.columns)


def _in_a_child(queue):
    with _libgrid._recycled_arrays():
        values = np.full(ROWS, 2.0)
    total = float(values.sum())
    del values
    queue.put((total, statistics()["kept_blocks"]))


def test_a_forked_child_makes_and_frees_recycled_arrays():
    import multiprocessing

    with _libgrid._recycled_arrays():
        parent = np.ones(ROWS)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_a_child, args=(queue,))
    child.start()
    total, kept = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert total == 2.0 * ROWS
    assert kept == 1
    assert parent.sum() == ROWS


def test_an_array_grown_from_a_small_block_into_a_recycled_one_keeps_its_values():
    # np.fromiter grows its array by realloc: from the C library's block into the pool's.
    with _libgrid._recycled_arrays():
        values = np.fromiter(range(ROWS), dtype=np.int64)
    np.testing.assert_array_equal(values, np.arange(ROWS))
    assert statistics()["taken_blocks"] == 1
