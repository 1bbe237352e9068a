"""The copy libgrid.assign makes of a frame's columns (copy=True), on every core: the same values
and layout as NumPy's own copy, no memory shared, and one new reference per object slot."""

import sys

import numpy as np
import pandas as pd
import pytest

import libgrid
from libgrid import _libgrid

# Large enough for several pieces: pieces are at least 4 MB.
ROWS = 3_000_000


@pytest.mark.parametrize("threads", [1, 2, 0])
def test_numbers_are_copied_whole_on_any_thread_count(threads):
    source = np.arange(ROWS, dtype=np.int64) * 7 - 5
    copy = _libgrid._copy_array(source, threads)
    assert copy.dtype == source.dtype and copy.shape == source.shape
    assert np.array_equal(copy, source)
    assert not np.shares_memory(copy, source)
    copy[0] = 99
    assert source[0] == -5


def test_a_block_of_columns_keeps_its_layout():
    # pandas keeps a block's columns as rows of a 2-D array, in C or Fortran order.
    rows = np.arange(2 * ROWS, dtype=np.float64).reshape(2, ROWS)
    for source in (rows, np.asfortranarray(rows)):
        copy = _libgrid._copy_array(source, 2)
        assert np.array_equal(copy, source)
        assert copy.flags.c_contiguous == source.flags.c_contiguous
        assert copy.flags.f_contiguous == source.flags.f_contiguous
        assert copy.strides == source.strides


def test_an_array_that_is_not_contiguous_is_copied_by_numpy():
    source = np.arange(20, dtype=np.int32)[::3]
    copy = _libgrid._copy_array(source, 2)
    assert np.array_equal(copy, source) and not np.shares_memory(copy, source)


def test_each_object_slot_takes_one_reference():
    shared = "".join(["shared", "-text"])  # a str of its own, not an interned constant
    unique = [f"row {i}" for i in range(1000)]
    first = unique[0]
    source = np.empty(ROWS, dtype=object)
    source[:] = shared
    source[: len(unique)] = unique
    source[-1] = None
    # Counted outside the assertions, whose rewriting holds references of its own.
    before = sys.getrefcount(shared), sys.getrefcount(first)
    copy = _libgrid._copy_array(source, 2)
    during = sys.getrefcount(shared), sys.getrefcount(first)
    assert during == (before[0] + ROWS - len(unique) - 1, before[1] + 1)
    assert copy[-1] is None and copy[0] is first and copy[ROWS // 2] is shared
    del copy
    after = sys.getrefcount(shared), sys.getrefcount(first)
    assert after == before


def test_records_holding_objects_are_copied_by_numpy():
    text = "".join(["record", "-text"])
    source = np.array([(1, text), (2, text)], dtype=[("n", np.int64), ("s", object)])
    before = sys.getrefcount(text)
    copy = _libgrid._copy_array(source, 2)
    during = sys.getrefcount(text)
    assert during == before + 2
    assert copy.tolist() == source.tolist() and not np.shares_memory(copy, source)


def test_empty_and_zero_dimensional_arrays():
    for source in (np.array([], dtype=np.float64), np.array(3.5), np.array([], dtype=object)):
        copy = _libgrid._copy_array(source, 0)
        assert copy.shape == source.shape and np.array_equal(copy, source)


def test_threads_are_checked_as_everywhere():
    with pytest.raises(ValueError, match="threads"):
        _libgrid._copy_array(np.zeros(3), -1)
    with pytest.raises(TypeError, match="threads"):
        _libgrid._copy_array(np.zeros(3), 1.5)


def test_every_kind_of_column_is_copied_as_pandas_copies_it(monkeypatch):
    # NumPy blocks, the arrays behind datetime64 (with and without a zone) and timedelta64
    # columns, and extension arrays (categorical, nullable integers) that copy themselves.
    n = 5
    frame = pd.DataFrame({
        "number": np.arange(n, dtype=np.int64),
        "x": np.linspace(0, 1, n),
        "text": [f"t{i}" for i in range(n)],
        "at": pd.date_range("2026-01-01", periods=n, freq="h"),
        "zoned": pd.date_range("2026-01-01", periods=n, freq="h", tz="Asia/Shanghai"),
        "took": pd.to_timedelta(np.arange(n), unit="min"),
        "kind": pd.Categorical(["a", "b"] * 2 + ["a"]),
        "count": pd.array([1, None, 3, 4, 5], dtype="Int64"),
    })
    # Each block through _copied_values once, not pandas' own copy (its fallback).
    copied = []
    by_block = libgrid._copied_values
    monkeypatch.setattr(libgrid, "_copied_values", lambda values, threads: copied.append(
        type(values).__name__) or by_block(values, threads))
    copy = libgrid._copy_frame(frame, added=0, threads=2)
    assert len(copied) == frame._mgr.nblocks == copy._mgr.nblocks
    assert {"ndarray", "DatetimeArray", "TimedeltaArray", "Categorical"} <= set(copied)
    pd.testing.assert_frame_equal(copy, frame.copy())
    for column in frame.columns:
        ours, theirs = copy[column].array, frame[column].array
        backing = [getattr(a, "_ndarray", getattr(a, "_data", None)) for a in (ours, theirs)]
        if isinstance(backing[0], np.ndarray):
            assert not np.shares_memory(backing[0], backing[1]), column
    copy.loc[0, "at"] = pd.Timestamp("2030-01-01")
    assert frame.loc[0, "at"] == pd.Timestamp("2026-01-01")
