"""libgrid.assign: a frame in, the same frame with gridtool assign's columns out.

Checked against gridtool assign itself on the sample city (same columns, same text), on a small
hand-made grid set for the naming rules and the errors, and for the GIL being released."""

import copy
import os
import pathlib
import subprocess
import sys
import threading
import warnings

import numpy as np
import pandas as pd
import pytest

import libgrid
from grid_fixtures import box, write_csv, write_geojson

LEVELS = ["district", "street", "community", "grid", "microgrid"]

# Two grids of one community, EPSG:3857 (metres), with a roster and two duty rules.
COMMUNITY = [({"code": "C1", "name": "桃园社区"}, box(0, 0, 2, 1))]
GRIDS = [
    ({"code": "C1G1", "name": "一网格"}, box(0, 0, 1, 1)),
    ({"code": "C1G2", "name": "二网格"}, box(1, 0, 2, 1)),
]
ROSTER = [
    ("C1", "grid_leader", "P1", "张三", "13000000001"),
    ("C1G1", "grid_worker", "P2", "王芳", "13000000002"),
]
DUTY = [
    ("01", "市容环境", "城管局", "community", 8, "working_hours"),
    ("0102", "违法建设", "住建委", "grid", 2, "working_days"),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("assign")
    grids = libgrid.import_grid_set([
        ("community", write_geojson(folder / "community.geojson", COMMUNITY)),
        ("grid", write_geojson(folder / "grid.geojson", GRIDS)),
    ])
    grids.set_roster_csv(write_csv(folder / "roster.csv", ["cell_code", "role", "person_id", "name", "phone"], ROSTER))
    grids.set_duty_csv(write_csv(
        folder / "duty.csv",
        ["event_class", "class_name", "department", "handling_level", "deadline", "deadline_unit"], DUTY))
    return grids


POINTS = pd.DataFrame(
    {
        "x": [0.5, 1.5, np.nan, 9.0],
        "y": [0.5, 0.5, 0.5, 9.0],
        "cls": ["0102", "01", "01", None],
        "at": ["2026-01-05T17:00", "2026-01-05T17:00", "", "2026-01-05T17:00"],
    },
    index=[10, 11, 12, 13],
)


def test_assign_adds_the_columns_to_a_copy(small):
    out = libgrid.assign(POINTS, small, event_class="cls", time="at")
    assert list(out.columns) == list(POINTS.columns) + [
        "community", "grid", "grid_worker", "grid_worker_id", "grid_worker_phone", "grid_leader",
        "info_workers", "department", "handling_level", "handling_cell", "deadline",
        "deadline_unit", "escalation", "due",
    ]
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out[list(POINTS.columns)].equals(POINTS) and list(POINTS.columns) == ["x", "y", "cls", "at"]
    assert out["grid"].tolist() == ["C1G1", "C1G2", None, None]
    assert out["grid_worker"].tolist() == ["王芳", None, None, None]
    assert out["grid_leader"].tolist() == ["张三", "张三", None, None]
    assert out["department"].tolist() == ["住建委", "城管局", "城管局", None]
    assert out["handling_cell"].tolist() == ["C1G1", "C1", None, None]
    assert out["deadline"].tolist()[:3] == [2.0, 8.0, 8.0] and np.isnan(out["deadline"].iloc[3])
    # Monday 17:00: 2 working days -> Wednesday 17:00; 8 working hours -> Tuesday 17:00.
    assert out["due"].tolist() == ["2026-01-07T17:00", "2026-01-06T17:00", None, None]
    # A copy: changing the result leaves the frame as it was.
    out.loc[10, "x"] = -1.0
    assert POINTS.loc[10, "x"] != -1.0 and not np.shares_memory(out["x"].to_numpy(), POINTS["x"].to_numpy())


def test_the_added_columns_are_the_arrays_made_for_them(small):
    # Inserted as they are: a copy of each column cost half a second at 20 M rows.
    frame = POINTS.copy()
    values = np.array(["a", None, "b", "c"], dtype=object)
    libgrid._insert_uncopied(frame, 2, "added", values)
    assert list(frame.columns) == ["x", "y", "added", "cls", "at"]
    assert np.shares_memory(frame["added"].to_numpy(), values)
    assert frame["added"].tolist() == ["a", None, "b", "c"]


def test_dask_partitions_are_answered_uncopied_and_stay_unchanged(small):
    # libgrid.dask answers each partition without copying it first; the partition itself keeps
    # its columns and values, and the answer is libgrid.assign's.
    partition = POINTS.copy()
    out = libgrid._assign_frame(partition, small, "x", "y", None, "cls", "at", 1, deep_copy=False)
    assert partition.equals(POINTS) and list(partition.columns) == list(POINTS.columns)
    assert out.equals(libgrid.assign(POINTS, small, event_class="cls", time="at"))


def test_assign_without_class_or_time_and_from_an_index(small, tmp_path):
    plain = libgrid.assign(POINTS[["x", "y"]], small)
    assert "department" not in plain.columns and "due" not in plain.columns
    assert plain["escalation"].tolist() == ["C1G1 > C1 张三", "C1G2 > C1 张三", None, None]
    small.index().save(tmp_path / "small.lgi")
    loaded = small.load_index(tmp_path / "small.lgi")
    assert libgrid.assign(POINTS, loaded, event_class="cls", time="at").equals(
        libgrid.assign(POINTS, small, event_class="cls", time="at"))
    with pytest.raises(ValueError, match="does not know its grid set"):
        libgrid.assign(POINTS, libgrid.Index.load(tmp_path / "small.lgi"))


def test_times_and_classes_in_any_pandas_form_answer_alike(small):
    text = libgrid.assign(POINTS, small, event_class="cls", time="at")
    typed = POINTS.assign(cls=POINTS["cls"].astype("category"), at=pd.to_datetime(POINTS["at"]))
    answer = libgrid.assign(typed, small, event_class="cls", time="at")
    same = [c for c in text.columns[4:] if c != "due"]
    assert answer[same].equals(text[same])
    # datetime64 times give datetime64 due times (NaT for none), text times give text.
    assert answer["due"].dtype == "datetime64[ns]" and text["due"].dtype == object
    assert answer["due"].equals(pd.to_datetime(text["due"]))
    assert answer["due"].isna().tolist() == [False, False, True, True]


def test_typed_due_times_past_datetime64_range_name_the_row(small):
    late = POINTS.assign(at=pd.to_datetime(["2262-04-10T17:00", None, None, None]))
    with pytest.raises(ValueError, match=r"points: feature 1: field at: due 2262-04-1\dT\d\d:\d\d is outside the datetime64\[ns\] range"):
        libgrid.assign(late, small, event_class="cls", time="at")
    # As text, the same time has its due time.
    as_text = late.assign(at=["2262-04-10T17:00", "", "", ""])
    assert libgrid.assign(as_text, small, event_class="cls", time="at")["due"].iloc[0] == "2262-04-14T17:00"


def test_names_taken_by_the_frame(small):
    named = POINTS.assign(grid="mine")
    out = libgrid.assign(named, small)
    assert out["grid"].tolist() == ["mine"] * 4 and out["grid_code"].tolist() == ["C1G1", "C1G2", None, None]
    with pytest.raises(ValueError) as e:
        libgrid.assign(POINTS.assign(department="x"), small, event_class="cls")
    assert str(e.value) == ("points: field department: the points already have a column of this name, "
                            "which assign adds: rename or drop it")


def test_the_core_checks_and_messages(small):
    with pytest.raises(ValueError) as e:
        libgrid.assign(POINTS, small, x="lon")
    assert str(e.value) == "points: field lon: no such column"
    with pytest.raises(ValueError) as e:
        libgrid.assign(POINTS, small, event_class="kind")
    assert str(e.value) == "points: field kind: no such column"
    with pytest.raises(ValueError) as e:
        libgrid.assign(POINTS.assign(y=[0.5, np.inf, 0.5, 0.5]), small)
    assert str(e.value) == "points: feature 2: field y: not a finite number: 'inf'"
    with pytest.raises(ValueError) as e:
        libgrid.assign(POINTS.assign(at=["2026-01-05T17:00", "soon", "", ""]), small, event_class="cls", time="at")
    assert str(e.value) == "points: feature 2: field at: not a time 'YYYY-MM-DDTHH:MM': 'soon'"
    with pytest.raises(TypeError, match="leading zeros"):
        libgrid.assign(POINTS.assign(cls=[102, 1, 1, 1]), small, event_class="cls")
    with pytest.raises(TypeError, match="DataFrame"):
        libgrid.assign(POINTS.to_numpy(), small)


def test_geodataframe_of_points_in_another_crs(small):
    geopandas = pytest.importorskip("geopandas")
    frame = geopandas.GeoDataFrame(
        {"cls": POINTS["cls"]},
        geometry=geopandas.points_from_xy(POINTS["x"], POINTS["y"]),
        crs="EPSG:3857",
        index=POINTS.index,
    )
    frame.loc[12, "geometry"] = None
    expected = libgrid.assign(POINTS, small, event_class="cls")
    for points in (frame, frame.to_crs("EPSG:4326")):
        out = libgrid.assign(points, small, event_class="cls")
        assert isinstance(out, geopandas.GeoDataFrame) and out.crs == points.crs
        assert out[expected.columns[4:]].equals(expected[expected.columns[4:]])
    with pytest.raises(ValueError, match="not a point but a Polygon"):
        libgrid.assign(geopandas.GeoDataFrame(geometry=geopandas.GeoSeries.from_wkt(
            ["POINT (0.5 0.5)", "POLYGON ((0 0, 1 0, 1 1, 0 0))"]), crs="EPSG:3857"), small)


def test_responsible_is_assign_on_bare_arrays(small):
    responsible = small.responsible(POINTS["x"], POINTS["y"], POINTS["cls"], POINTS["at"])
    assigned = libgrid.assign(POINTS, small, event_class="cls", time="at")
    assert responsible.equals(assigned[responsible.columns].rename(columns={}))
    assert list(responsible.columns) == list(assigned.columns[4:])


def test_the_same_columns_and_first_error_on_any_number_of_threads(small):
    # 30,000 rows: 2, 3 or 7 threads assign as many chunks of them at once.
    rng = np.random.default_rng(5)
    n = 30_000
    frame = pd.DataFrame({
        "x": rng.uniform(-0.1, 2.1, n),
        "y": rng.uniform(-0.1, 1.1, n),
        "cls": rng.choice(["01", "0102"], n),
        "at": "2026-01-05T17:00",
    })
    one = libgrid.assign(frame, small, event_class="cls", time="at", threads=1)
    inside = (frame["y"] > 0) & (frame["y"] < 1) & (frame["x"] > 0) & (frame["x"] < 2)
    expected = np.where(inside, np.where(frame["x"] < 1, "C1G1", "C1G2"), None)
    assert one["grid"].tolist() == expected.tolist()
    for threads in (2, 3, 7, 0):
        assert one.equals(libgrid.assign(frame, small, event_class="cls", time="at", threads=threads)), threads
    # Two bad rows in different chunks: the first is the one named, whatever the threads.
    frame.loc[[14_000, 29_000], "x"] = np.inf
    for threads in (1, 2, 3, 7):
        with pytest.raises(ValueError, match="feature 14001: field x: not a finite number") as raised:
            libgrid.assign(frame, small, threads=threads)
        assert "29001" not in str(raised.value), threads


def test_swapped_axes_are_reported_before_a_later_bad_row(small):
    # The first 10,000 points, all outside with x and y swapped, are enough to tell; a bad row
    # after them comes after, whatever the threads (one chunk or several).
    n = 30_000
    frame = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 1.5)})
    frame.loc[20_000, "x"] = np.inf
    for threads in (1, 2, 3):
        with pytest.raises(ValueError, match="fall inside with x and y swapped"):
            libgrid.assign(frame, small, threads=threads)
    # A bad row among the sample's own comes first.
    frame.loc[5, "x"] = np.inf
    for threads in (1, 2, 3):
        with pytest.raises(ValueError, match="feature 6: field x: not a finite number"):
            libgrid.assign(frame, small, threads=threads)


def test_the_lookup_runs_without_the_gil(small):
    # With a switch interval far longer than the test, the thread that holds the GIL keeps it
    # until it releases it itself: the main thread, woken by `started`, can only read "calling"
    # if the assign releases the GIL while it works.
    # Long enough (about 0.1 s) that the main thread wakes first even on a loaded machine.
    x = np.full(2_000_000, 0.5)
    small.index()  # built beforehand: the lookup itself is what is checked
    state = {"now": "waiting"}
    started = threading.Event()

    def work():
        started.set()
        state["now"] = "calling"
        libgrid._libgrid._assign_columns(small, x, x, None, None, "", [], "x", "y", "c", "t", 1)
        state["now"] = "done"

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        started.wait()
        seen = state["now"]
    finally:
        sys.setswitchinterval(interval)
    worker.join()
    assert seen == "calling"


def gridtool():
    path = os.environ.get("LIBGRID_GRIDTOOL") or pathlib.Path(libgrid.__file__).resolve().parents[2] / "tools" / "gridtool"
    if not pathlib.Path(path).is_file():
        pytest.skip(f"gridtool not found at {path} (set LIBGRID_GRIDTOOL)")
    return str(path)


def test_sample_city_answers_as_gridtool_assign(samples_dir, tmp_path):
    city = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    city.set_roster_csv(samples_dir / "roster.csv")
    city.set_duty_csv(samples_dir / "duty.csv")
    city.write(tmp_path / "city.gpkg")
    subprocess.run([gridtool(), "assign", str(tmp_path / "city.gpkg"), "--points",
                    str(samples_dir / "events.csv.gz"), "-o", str(tmp_path / "out.csv")],
                   check=True, capture_output=True)
    cli = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    events = pd.read_csv(samples_dir / "events.csv.gz", dtype={"event_class": str, "reported_at": str,
                                                                "closed_at": str})
    out = libgrid.assign(events, city, event_class="event_class", time="reported_at")
    assert list(out.columns) == list(cli.columns)
    for name in out.columns[len(events.columns):]:
        if name == "deadline":
            mine = [("" if np.isnan(v) else f"{v:g}") for v in out[name]]
        else:
            mine = [("" if v is None else v) for v in out[name]]
        assert mine == cli[name].tolist(), name


def test_every_row_holds_one_reference_to_its_shared_answer(small):
    # The rows of a cell share its answers' str objects, their references added in bulk: each
    # str is held once per row (and by nothing else once the call returns), None likewise.
    n = 1000
    points = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 0.5)})
    out = libgrid.assign(points, small)
    code = out["grid"].iloc[0]
    assert code == "C1G1" and all(v is code for v in out["grid"])
    assert sys.getrefcount(code) == n + 2  # the rows, `code` and getrefcount's argument
    # None: the frame itself holds a few (index and column names), the rows one each.
    far = libgrid.assign(pd.DataFrame({"x": np.full(n, 50.0), "y": np.full(n, 50.0)}), small)
    per_row = int(far.iloc[0].isna().sum())
    assert per_row == len(far.columns) - 2
    held = sys.getrefcount(None)
    del far
    released = held - sys.getrefcount(None)
    assert n * per_row <= released < n * per_row + 100


def test_every_row_holds_one_reference_to_its_rule_answers(small):
    # The columns of the event class and handling_cell share their str objects too: half the rows
    # have rule 0102 (handled at their grid), half none (None in every duty column).
    n = 1000
    points = pd.DataFrame({
        "x": np.full(n, 0.5), "y": np.full(n, 0.5), "cls": ["0102", None] * (n // 2),
        "at": pd.to_datetime(["2026-01-05T17:00"] * n)})
    out = libgrid.assign(points, small, event_class="cls", time="at")
    for name, value in [("department", "住建委"), ("handling_level", "grid"), ("handling_cell", "C1G1"),
                        ("deadline_unit", "working_days")]:
        shared = out[name].iloc[0]
        assert shared == value and all(v is shared for v in out[name].iloc[::2]), name
        assert sys.getrefcount(shared) == n // 2 + 2, name
    assert out["due"].iloc[0] == pd.Timestamp("2026-01-07T17:00") and out["due"].iloc[1::2].isna().all()
    # Every None slot of the frame (the rule's four text columns on half the rows, info_workers
    # on all, the copied cls) holds one reference, dropped with the frame.
    slots = sum(sum(v is None for v in out[c]) for c in out.columns if out[c].dtype == object)
    assert slots == 4 * (n // 2) + n + n // 2
    held = sys.getrefcount(None)
    del out
    released = held - sys.getrefcount(None)
    assert slots <= released < slots + 100


class _Code(str):
    """A str subclass: its text is not in the compact form read without the GIL."""


def test_event_classes_in_every_text_form_answer_alike(small):
    # Plain ASCII str is read without the GIL; a str subclass, non-ASCII text, NaN and pd.NA
    # with it. Each answers as its plain text (or None) would.
    forms = ["0102", _Code("0102"), "市容", np.nan, pd.NA, None, _Code("01"), "01"]
    plain = ["0102", "0102", "市容", None, None, None, "01", "01"]
    n = len(forms)
    points = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 0.5), "at": ["2026-01-05T17:00"] * n})
    out = libgrid.assign(points.assign(cls=np.array(forms, dtype=object)), small, event_class="cls", time="at")
    expected = libgrid.assign(points.assign(cls=plain), small, event_class="cls", time="at")
    added = list(out.columns[4:])
    assert out[added].equals(expected[added])
    assert out["department"].tolist() == ["住建委", "住建委", None, None, None, None, "城管局", "城管局"]


@pytest.mark.parametrize("bad_rows, named", [([7000, 9000], 7000), ([100, 7000], 100), ([9999], 9999)])
def test_the_first_row_that_is_not_text_is_named_whatever_its_chunk(small, bad_rows, named):
    # 10,000 rows on two threads go in two chunks of 5,000: the error names the first bad row.
    n = 10000
    classes = np.array(["01"] * n, dtype=object)
    for row in bad_rows:
        classes[row] = b"01"
    points = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 0.5), "cls": classes})
    with pytest.raises(TypeError, match=rf"^cls\[{named}\] must be a str or None, not bytes b'01'"):
        libgrid.assign(points, small, event_class="cls", threads=2)


def test_text_due_times_share_a_str_per_minute_and_match_the_typed_ones(small):
    # Report times in random order over a day (due times spanning fewer minutes than the chunk
    # has rows: counted per chunk), over a year (more: one by one), and over ten years: the
    # window of shared due texts (about four years) grows forwards and backwards, and due times
    # outside it get a str of their own. Either way the text is the typed due time's.
    rng = np.random.default_rng(7)
    for n, days in ((20000, 1), (4000, 365), (4000, 10 * 365)):
        years = days // 365
        minutes = np.datetime64("2020-01-01T00:00", "m") + rng.integers(0, days * 1440, n)
        minutes[:1000] = minutes[0]  # a thousand rows reported in the same minute
        points = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 0.5), "cls": ["0102", "01"] * (n // 2),
                               "at": np.datetime_as_string(minutes).astype(object)})
        points.loc[5, "at"] = None
        text = libgrid.assign(points, small, event_class="cls", time="at")["due"]
        typed = libgrid.assign(points.assign(at=pd.to_datetime(points["at"])), small,
                               event_class="cls", time="at")["due"]
        assert text[5] is None and pd.isna(typed[5])
        assert text.drop(index=5).tolist() == typed.drop(index=5).dt.strftime("%Y-%m-%dT%H:%M").tolist()
        # One str for the rows due in the same minute, held once by each (+2: `first`, the call).
        first = text[0]
        rows = sum(v == first for v in text)
        assert rows >= 500 and sum(v is first for v in text) == rows
        assert sys.getrefcount(first) == rows + 2
        if years < 4:
            assert len({id(v) for v in text if v is not None}) == len(set(text.dropna()))


@pytest.mark.parametrize("case", ["inf first", "swapped axes", "not text first"])
def test_the_error_raised_is_the_same_for_any_threads(small, case):
    # A row that is not text ends the rows assigned: an error before it (a bad coordinate, a
    # wrong CRS told by the first 10,000 points) comes first, and it comes before any after it.
    n = 30_000
    frame = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 0.5), "cls": np.array(["01"] * n, dtype=object)})
    frame.loc[15_000, "cls"] = b"01"
    if case == "inf first":
        frame.loc[5, "x"] = np.inf
        expected = (ValueError, "feature 6: field x: not a finite number")
    elif case == "swapped axes":
        frame["y"] = 1.5
        expected = (ValueError, "fall inside with x and y swapped")
    else:
        frame.loc[25_000, "x"] = np.inf
        expected = (TypeError, r"cls\[15000\] must be a str or None, not bytes")
    for threads in (1, 2, 3, 7):
        with pytest.raises(expected[0], match=expected[1]):
            libgrid.assign(frame, small, event_class="cls", threads=threads)


def test_strided_text_columns_are_read_in_order(small):
    # A reversed array and a column of a 2-D object array are views with strides: read as the
    # rows they show, not as the memory beneath.
    classes = np.array(["0102", "01"] * 5000, dtype=object)[::-1]
    answer = small.responsible(np.full(10000, 0.5), np.full(10000, 0.5), event_class=classes)
    assert answer["department"].tolist() == ["城管局", "住建委"] * 5000
    frame = pd.DataFrame(np.array([["0102", "a"], ["01", "b"], ["0102", "c"]], dtype=object), columns=["cls", "name"])
    frame["x"], frame["y"] = 0.5, 0.5
    assert frame["cls"].to_numpy().strides != (8,)
    assert libgrid.assign(frame, small, event_class="cls")["department"].tolist() == ["住建委", "城管局", "住建委"]


def test_a_frame_of_many_blocks_is_merged_as_pandas_merges_it(small):
    # The added columns would take a frame of many blocks past pandas' 100: it is copied (and
    # merged) as DataFrame.copy() does, without a PerformanceWarning.
    frame = POINTS.copy()
    for k in range(95):
        frame[f"v{k}"] = float(k)
    assert frame._mgr.nblocks > 90
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = libgrid.assign(frame, small, event_class="cls", time="at")
    pd.testing.assert_frame_equal(out[frame.columns], frame)
    assert out._mgr.nblocks < 40


def test_a_copy_takes_each_block_once_and_is_the_frames_copy(small):
    # A frame of several blocks of one dtype (as DataFrame.assign leaves them) is copied block by
    # block: the same frame as DataFrame.copy(), sharing no column with the original.
    frame = POINTS.assign(cls=POINTS["cls"].astype(object), name=["a", "b", "c", "d"])
    assert frame._mgr.nblocks > len(set(frame.dtypes))
    out = libgrid.assign(frame, small, event_class="cls", time="at")
    pd.testing.assert_frame_equal(out[frame.columns], frame.copy())
    for column in frame.columns:
        assert not np.shares_memory(out[column].to_numpy(), frame[column].to_numpy()), column
    out.loc[10, "name"] = "z"
    assert frame.loc[10, "name"] == "a"


def test_copy_false_shares_the_frames_own_columns(small):
    frame = POINTS.copy()
    shared = libgrid.assign(frame, small, event_class="cls", time="at", copy=False)
    assert shared.equals(libgrid.assign(POINTS, small, event_class="cls", time="at"))
    assert np.shares_memory(shared["x"].to_numpy(), frame["x"].to_numpy())
    assert list(frame.columns) == list(POINTS.columns)  # the frame gains no column
    copied = libgrid.assign(frame, small, event_class="cls", time="at")
    assert not np.shares_memory(copied["x"].to_numpy(), frame["x"].to_numpy())


def test_zoned_times_are_taken_at_their_clock_time_and_due_is_given_in_their_zone(small):
    text = libgrid.assign(POINTS, small, event_class="cls", time="at")
    for zone in ("Asia/Shanghai", "America/New_York"):
        zoned = POINTS.assign(at=pd.to_datetime(POINTS["at"]).dt.tz_localize(zone))
        out = libgrid.assign(zoned, small, event_class="cls", time="at")
        assert str(out["due"].dtype) == f"datetime64[ns, {zone}]"
        assert out["due"].equals(pd.to_datetime(text["due"]).dt.tz_localize(zone))
        responsible = small.responsible(POINTS["x"], POINTS["y"], POINTS["cls"], zoned["at"])
        assert responsible["due"].equals(out["due"])


def test_a_due_clock_time_a_zone_shows_twice_or_skips(small, tmp_path):
    urgent = copy.copy(small)
    urgent.set_duty_csv(write_csv(
        tmp_path / "duty.csv",
        ["event_class", "class_name", "department", "handling_level", "deadline", "deadline_unit"],
        [("03", "噪音", "公安", "grid", 1, "urgent_hours")]))
    times = pd.to_datetime(["2026-11-01T00:30", "2026-03-08T01:30"]).tz_localize("America/New_York")
    frame = pd.DataFrame({"x": [0.5, 0.5], "y": [0.5, 0.5], "cls": ["03", "03"], "at": times})
    due = libgrid.assign(frame, urgent, event_class="cls", time="at")["due"].tolist()
    # 01:30 on the night clocks go back: its first (summer) showing; 02:30 on the night they go
    # forward does not exist: the first time that does, 03:00.
    assert due == [pd.Timestamp("2026-11-01T01:30-04:00"), pd.Timestamp("2026-03-08T03:00-04:00")]
    assert small.duty_table()["event_class"].tolist() == ["01", "0102"]  # the copy's own table


def test_datetime_objects_in_a_column_give_text_due_times_whatever_its_name(small):
    text = libgrid.assign(POINTS.rename(columns={"at": "opened"}), small, event_class="cls", time="opened")
    as_objects = pd.Series([pd.Timestamp("2026-01-05T17:00"), pd.Timestamp("2026-01-05T17:00").to_pydatetime(),
                            None, pd.NaT], index=POINTS.index, dtype=object)
    for name in ("opened", "at"):
        frame = POINTS.drop(columns="at").assign(**{name: as_objects})
        out = libgrid.assign(frame, small, event_class="cls", time=name)
        assert out["due"].dtype == object
        assert out["due"].tolist() == text["due"].tolist()[:2] + [None, None]


def test_column_labels_that_are_not_text(small):
    expected = libgrid.assign(POINTS, small, event_class="cls", time="at")
    numbered = POINTS.set_axis([0, 1, 2, 3], axis=1)
    out = libgrid.assign(numbered, small, x=0, y=1, event_class=2, time=3)
    assert out.iloc[:, 4:].equals(expected.iloc[:, 4:])
    assert libgrid.assign(numbered, small, x="0", y="1")["grid"].equals(expected["grid"])
    # Columns of two levels: a label is a tuple; a plain name added there is (name, "").
    tiered = POINTS.set_axis(pd.MultiIndex.from_product([["p"], POINTS.columns]), axis=1)
    tiered[("grid", "")] = "mine"
    out = libgrid.assign(tiered, small, x=("p", "x"), y=("p", "y"), event_class=("p", "cls"))
    assert out[("grid", "")].tolist() == ["mine"] * 4
    assert out[("grid_code", "")].tolist() == expected["grid"].tolist()
    with pytest.raises(ValueError, match=r"^points: field \('p', 'lon'\): no such column$"):
        libgrid.assign(tiered, small, x=("p", "lon"), y=("p", "y"))


def test_coordinates_held_as_objects_are_numbers_or_none(small):
    expected = libgrid.assign(POINTS[["x", "y"]], small)
    held = POINTS[["x", "y"]].astype(object)
    held.loc[12, "x"] = None
    held.loc[13, "y"] = __import__("decimal").Decimal("9")
    assert libgrid.assign(held, small)["grid"].equals(expected["grid"])
    assert libgrid.assign(pd.DataFrame(columns=["x", "y"]), small)["grid"].tolist() == []
    held.loc[11, "y"] = "0.5"
    with pytest.raises(TypeError) as e:
        libgrid.assign(held, small)
    assert str(e.value) == "y[1] must be a number or None, not str"


def test_only_the_event_classes_rows_hold_are_read(small):
    # A category no row holds may be anything; one a row holds must be text.
    classes = pd.Categorical(["0102", "01", "01", None], categories=["0102", "01", 99])
    out = libgrid.assign(POINTS.assign(cls=classes), small, event_class="cls")
    assert out["department"].tolist() == ["住建委", "城管局", "城管局", None]
    with pytest.raises(TypeError, match="leading zeros"):
        libgrid.assign(POINTS.assign(cls=pd.Categorical(["0102", 99, "01", None])), small, event_class="cls")


def test_threads_past_the_most_are_refused(small):
    with pytest.raises(ValueError) as e:
        libgrid.assign(POINTS, small, threads=10**7)
    assert str(e.value) == "threads=: must be a whole number from 0 to 4096 (0: every core), not 10000000"


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s", "m", "10s", "h", "D", "7m"])
def test_datetime64_times_of_any_unit_answer_as_their_minutes(small, unit):
    # Units down to the minute are floored to it row by row (before 1970 too, as NumPy casts),
    # coarser ones and those that do not divide a minute are cast first; NaT is no time.
    seconds = np.array(["2026-01-05T17:00:59", "1969-12-31T23:59:30", "2026-01-05T16:59:01",
                        "NaT", "1969-12-31T08:00:00"], dtype="datetime64[s]")
    times = seconds.astype(f"datetime64[{unit}]")
    n = len(times)
    x, y = np.full(n, 0.5), np.full(n, 0.5)
    classes = ["0102"] * n
    typed = small.responsible(x, y, classes, times)
    as_text = [None if np.isnat(t) else str(t.astype("datetime64[m]")) for t in times]
    text = small.responsible(x, y, classes, np.array(as_text, dtype=object))
    assert typed["due"].dtype == "datetime64[ns]"
    assert typed["due"].isna().tolist() == [t is None for t in as_text]
    assert typed["due"].dropna().dt.strftime("%Y-%m-%dT%H:%M").tolist() == text["due"].dropna().tolist()


@pytest.mark.parametrize("categories", [10, 300, 40_000])
def test_categorical_classes_answer_alike_whatever_the_width_of_their_codes(small, categories):
    # pandas keeps codes as int8, int16 or int32 by the number of categories: each is read as it is.
    names = ["0102", "01"] + [f"9{k:05d}" for k in range(categories - 2)]
    values = ["0102", "01", None, names[-1], "01"] * 20
    classes = pd.Categorical(values, categories=names)
    assert classes.codes.dtype.itemsize == (1 if categories < 128 else 2 if categories < 32_768 else 4)
    n = len(values)
    points = pd.DataFrame({"x": np.full(n, 0.5), "y": np.full(n, 0.5), "at": ["2026-01-05T17:00"] * n})
    out = libgrid.assign(points.assign(cls=classes), small, event_class="cls", time="at")
    expected = libgrid.assign(points.assign(cls=np.array(values, dtype=object)), small, event_class="cls", time="at")
    added = list(out.columns[4:])
    assert out[added].equals(expected[added])
    assert out["department"].tolist()[:5] == ["住建委", "城管局", None, None, "城管局"]


def test_times_and_codes_in_the_other_byte_order_answer_as_in_this_machines(small):
    times = np.array(["2026-01-05T17:00", "NaT", "2026-01-05T09:30"], dtype="datetime64[ns]")
    x, y, classes = np.full(3, 0.5), np.full(3, 0.5), ["0102"] * 3
    native = small.responsible(x, y, classes, times)
    swapped = small.responsible(x, y, classes, times.astype(times.dtype.newbyteorder()))
    assert native["due"].notna().tolist() == [True, False, True]
    assert swapped.equals(native)
    # The same for a Categorical's codes, as the compiled half takes them (categories, codes).
    names = ["x", "y", "crs", "cls", "at"]
    categories = np.array(["01", "0102"], dtype=object)
    for codes in (np.array([1, -1, 0], dtype=np.int8), np.array([1, -1, 0], dtype=">i4"),
                  np.array([1, 0, 0], dtype=np.uint16), np.array([1, -1, 0], dtype=np.int64)):
        columns = libgrid._libgrid._assign_columns(small, x, y, (categories, codes), None, "", names,
                                                   "x", "y", "cls", "at", 1)
        expected = ["住建委", "城管局" if codes[1] == 0 else None, "城管局"]
        assert columns["department"].tolist() == expected, codes.dtype


def test_codes_past_the_categories_and_times_not_one_a_point_are_refused(small):
    x, y = np.full(2, 0.5), np.full(2, 0.5)
    names = ["x", "y"]
    categories = np.array(["01"], dtype=object)
    with pytest.raises(ValueError, match="cls has a code 5 for 1 categories"):
        libgrid._libgrid._assign_columns(small, x, y, (categories, np.array([0, 5], dtype=np.int8)), None, "",
                                         names, "x", "y", "cls", "at", 1)
    times = np.array([["2026-01-05T17:00", "2026-01-05T18:00"]], dtype="datetime64[m]")
    with pytest.raises(ValueError, match=r"at must be one value or one per point, not of shape \(1, 2\)"):
        libgrid._libgrid._assign_columns(small, x, y, None, times, "", names, "x", "y", "cls", "at", 1)
