"""The Python API on a small hand-made grid set: frames, codes, responsibility, errors, docs."""

import inspect
import math
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest

import libgrid
from grid_fixtures import box, write_csv, write_geojson

# street S1 = [0,2]x[0,2]; communities S1C1 (south half) and S1C2 (north half); grids: two unit
# squares in S1C1 and the north half whole in S1C2. Parents found by code prefix.
STREETS = [({"code": "S1", "name": "和平街道", "households": 900, "population": 2000}, box(0, 0, 2, 2))]
COMMUNITIES = [
    ({"code": "S1C1", "name": "桃园社区", "households": 500, "population": 1100}, box(0, 0, 2, 1)),
    ({"code": "S1C2", "name": "柳荫社区", "households": 400, "population": 900}, box(0, 1, 2, 2)),
]
GRIDS = [
    ({"code": "S1C1G1", "name": "一网格", "kind": "basic", "households": 300, "population": 700, "note": "东"}, box(0, 0, 1, 1)),
    ({"code": "S1C1G2", "name": "学校网格", "kind": "dedicated", "households": 200, "population": 400}, box(1, 0, 2, 1)),
    ({"code": "S1C2G1", "name": "三网格", "kind": "basic", "households": 400, "population": 900}, box(0, 1, 2, 2)),
]
ROSTER = [
    ("S1", "grid_leader", "P1", "张三", "13000000001"),
    ("S1C1", "grid_leader", "P2", "李四", "13000000002"),
    ("S1C1G1", "grid_leader", "P3", "赵六", "13000000003"),
    ("S1C1G1", "grid_worker", "P4", "王芳", "13000000004"),
    ("S1C1G1", "info_worker", "P5", "钱七", "13000000005"),
    ("S1C1G1", "info_worker", "P6", "孙八", "13000000006"),
    ("S1C1G2", "grid_leader", "P7", "周九", "13000000007"),
    ("S1C2G1", "grid_worker", "P8", "吴十", "13000000008"),
]
DUTY = [
    ("01", "市容环境", "城管局", "community", 8, "working_hours"),
    ("0102", "违法建设", "住建委", "street", 2, "working_days"),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    return {
        "street": write_geojson(folder / "street.geojson", STREETS),
        "community": write_geojson(folder / "community.geojson", COMMUNITIES),
        "grid": write_geojson(folder / "grid.geojson", GRIDS),
        "roster": write_csv(folder / "roster.csv", ["cell_code", "role", "person_id", "name", "phone"], ROSTER),
        "duty": write_csv(
            folder / "duty.csv",
            ["event_class", "class_name", "department", "handling_level", "deadline", "deadline_unit"],
            DUTY,
        ),
        "folder": folder,
    }


@pytest.fixture(scope="module")
def gs(files):
    grids = libgrid.import_grid_set([(level, files[level]) for level in ("street", "community", "grid")])
    grids.set_roster_csv(files["roster"])
    grids.set_duty_csv(str(files["duty"]))
    return grids


def test_properties_and_repr(gs):
    assert gs.levels == ["street", "community", "grid"]
    assert len(gs) == 6
    assert gs.crs == "EPSG:3857"
    assert gs.extent == (0.0, 0.0, 2.0, 2.0)
    assert repr(gs) == "<libgrid.GridSet levels=[street, community, grid] cells=6 crs=EPSG:3857>"
    idx = gs.index()
    assert repr(idx) == "<libgrid.Index levels=[street, community, grid] cells=6 crs=EPSG:3857>"
    assert idx.levels == gs.levels and len(idx) == 6 and idx.crs == gs.crs
    assert type(gs).__module__ == "libgrid" and type(idx).__module__ == "libgrid"


def test_cells_frame(gs):
    cells = gs.cells()
    assert list(cells.columns[:8]) == ["id", "code", "name", "level", "parent_code", "households", "population", "kind"]
    assert cells["id"].tolist() == list(range(6))
    assert cells["code"].tolist() == ["S1", "S1C1", "S1C2", "S1C1G1", "S1C1G2", "S1C2G1"]
    assert cells["parent_code"].tolist() == [None, "S1", "S1", "S1C1", "S1C1", "S1C2"]
    assert cells["level"].tolist() == ["street", "community", "community", "grid", "grid", "grid"]
    assert cells["households"].dtype == np.int64 and cells["households"].sum() == 900 + 900 + 900
    grids = gs.cells("grid")
    assert grids["name"].tolist() == ["一网格", "学校网格", "三网格"]
    assert grids["kind"].tolist() == ["basic", "dedicated", "basic"]
    assert grids["note"].tolist() == ["东", None, None]  # an extra source field kept as text
    assert gs.cells(-1)["code"].tolist() == gs.cells(2)["code"].tolist() == grids["code"].tolist()
    assert gs.cells(0)["code"].tolist() == ["S1"]
    with pytest.raises(ValueError, match=r"^level=: no level named 'block' \(levels: "):
        gs.cells("block")


def test_code_find_wkt(gs):
    assert gs.code(3) == "S1C1G1"
    assert gs.find("S1C1G2") == 4 and gs.find("nope") == -1
    assert gs.wkt(3) == "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)))"
    with pytest.raises(ValueError, match="no cell with id 6"):
        gs.code(6)


def test_lookup_codes_and_path(gs):
    idx = gs.index()
    x = [0.5, 1.0, 1.0, 5.0, 1.5]
    y = [0.5, 0.5, 1.0, 5.0, 1.5]
    cells = idx.lookup(x, y)
    assert cells.dtype == np.int32
    assert gs.codes(cells).tolist() == ["S1C1G1", "S1C1G2", "S1C2G1", None, "S1C2G1"]
    assert gs.codes(cells, "community").tolist() == ["S1C1", "S1C1", "S1C2", None, "S1C2"]
    assert gs.codes(cells, level=0).tolist() == ["S1", "S1", "S1", None, "S1"]
    # A coarser cell has no code at a finer level.
    assert gs.codes([0, 1, -1], "grid").tolist() == [None, None, None]
    assert gs.codes([0, 1], "street").tolist() == ["S1", "S1"]
    path = gs.path(cells)
    assert list(path.columns) == ["street", "community", "grid"]
    assert path.index.tolist() == [0, 1, 2, 3, 4]
    assert path.loc[0].tolist() == ["S1", "S1C1", "S1C1G1"]
    assert path.loc[3].tolist() == [None, None, None]
    assert gs.path([1]).loc[0].tolist() == ["S1", "S1C1", None]  # the path stops at community
    assert idx.path(3) == [0, 1, 3]
    with pytest.raises(ValueError, match="no cell with id 99"):
        gs.codes([99])
    with pytest.raises(ValueError, match="no cell with id -2"):
        gs.path([-2])


@pytest.mark.parametrize(
    "ids", [[0.0, 1.0], np.array([2.7]), [True], ["3"], None, [None]], ids=repr
)
def test_cell_ids_must_be_integers(gs, ids):
    # A float id would be truncated (2.7 -> cell 2) and read as another cell's code.
    with pytest.raises(TypeError, match="cell ids must be integers"):
        gs.codes(ids)
    if ids is not None:  # path() wants one dimension first
        with pytest.raises(TypeError, match="cell ids must be integers"):
            gs.path(ids)


def test_cell_ids_of_any_integer_type(gs):
    for ids in ([3, 4], np.array([3, 4], dtype=np.uint8), np.array([3, 4], dtype=np.int64)):
        assert gs.codes(ids).tolist() == ["S1C1G1", "S1C1G2"]
    assert gs.codes([]).tolist() == []


def test_lookup_takes_array_likes_and_keeps_the_shape(gs):
    idx = gs.index()
    as_list = idx.lookup([0.5, 1.5], [0.5, 0.5])
    as_int_array = idx.lookup(np.array([0, 1]), np.array([0, 0]))
    as_float32 = idx.lookup(np.array([0.5, 1.5], np.float32), np.array([0.5, 0.5], np.float32))
    as_series = idx.lookup(pd.Series([0.5, 1.5]), pd.Series([0.5, 0.5]))
    assert as_list.tolist() == [3, 4] == as_int_array.tolist() == as_float32.tolist() == as_series.tolist()
    gx, gy = np.meshgrid([0.5, 1.5], [0.5, 1.5])
    assert idx.lookup(gx, gy).tolist() == [[3, 4], [5, 5]]
    assert idx.lookup(np.array([]), np.array([])).shape == (0,)
    strided = np.array([[0.5, 9.0], [1.5, 9.0]])[:, 0]  # not contiguous
    assert idx.lookup(strided, [0.5, 0.5]).tolist() == [3, 4]


def test_responsible(gs):
    x = [0.5, 1.5, 1.0, 5.0, 0.5]
    y = [0.5, 0.5, 1.5, 5.0, 0.5]
    classes = ["0101", "0102", "0201", "0101", None]
    frame = gs.responsible(x, y, classes, reported_at="2026-01-05T17:00")
    assert list(frame.columns) == [
        "street", "community", "grid", "grid_worker", "grid_worker_id", "grid_worker_phone",
        "grid_leader", "info_workers", "department", "handling_level", "handling_cell",
        "deadline", "deadline_unit", "escalation", "due",
    ]
    first = frame.loc[0]
    assert first[["street", "community", "grid"]].tolist() == ["S1", "S1C1", "S1C1G1"]
    assert (first["grid_worker"], first["grid_worker_id"], first["grid_worker_phone"]) == ("王芳", "P4", "13000000004")
    assert first["grid_leader"] == "赵六"
    assert first["info_workers"] == "钱七;孙八"
    # "0101" has no rule of its own: the longest prefix with one, "01", answers.
    assert (first["department"], first["handling_level"], first["handling_cell"]) == ("城管局", "community", "S1C1")
    assert (first["deadline"], first["deadline_unit"]) == (8.0, "working_hours")
    assert first["escalation"] == "S1C1G1 赵六 > S1C1 李四 > S1 张三"
    # Monday 17:00 + 8 working hours: 1 h on Monday, 7 h on Tuesday from 09:00 with lunch off.
    assert first["due"] == "2026-01-06T17:00"

    second = frame.loc[1]  # the dedicated grid has a leader but no worker, nor has any cell above
    assert second["grid"] == "S1C1G2"
    assert second["grid_worker"] is None and second["grid_worker_phone"] is None
    assert second["grid_leader"] == "周九"
    assert second["info_workers"] is None
    assert (second["department"], second["handling_cell"]) == ("住建委", "S1")
    assert (second["deadline"], second["deadline_unit"]) == (2.0, "working_days")
    assert second["escalation"] == "S1C1G2 周九 > S1C1 李四 > S1 张三"
    assert second["due"] == "2026-01-07T17:00"

    third = frame.loc[2]  # a class without any rule; a grid whose leader is the street's
    assert third["grid_worker"] == "吴十"
    assert third["grid_leader"] == "张三"  # the deepest cell on the path with a leader
    assert third["department"] is None and math.isnan(third["deadline"]) and third["due"] is None
    assert third["escalation"] == "S1C2G1 > S1C2 > S1 张三"

    outside = frame.loc[3]  # outside every cell: no codes, no people, still its class's department
    assert outside[["street", "community", "grid", "grid_worker", "escalation", "handling_cell"]].isna().all()
    assert outside["department"] == "城管局"

    assert frame.loc[4, "department"] is None  # no class given for this point

    none = gs.responsible(x, y)  # no event class: no duty columns (as gridtool assign)
    assert "department" not in none.columns and "due" not in none.columns
    assert none["grid_worker"].tolist() == ["王芳", None, "吴十", None, "王芳"]
    one_class = gs.responsible(x, y, "0102")
    assert one_class["department"].tolist() == ["住建委"] * 5

    indexed = pd.DataFrame({"x": x, "y": y}, index=list("abcde"))
    assert gs.responsible(indexed.x, indexed.y).index.tolist() == list("abcde")


def test_responsible_rejects_bad_arguments(gs):
    with pytest.raises(ValueError, match="event_class has 2 values for 3 points"):
        gs.responsible([0, 1, 2], [0, 1, 2], ["01", "02"])
    with pytest.raises(TypeError, match="leading zeros"):
        gs.responsible([0.5], [0.5], [101])
    with pytest.raises(ValueError, match="not a time"):
        gs.responsible([0.5], [0.5], "01", reported_at="yesterday")
    with pytest.raises(ValueError, match="same length"):
        gs.responsible([0.5, 1.0], [0.5], None)


def test_roster_and_duty_frames(gs):
    roster = gs.roster()
    assert list(roster.columns) == ["cell_code", "role", "person_id", "name", "phone"]
    assert [tuple(r) for r in roster.itertuples(index=False)] == ROSTER
    duty = gs.duty_table()
    assert duty["event_class"].tolist() == ["01", "0102"]
    assert duty["department"].tolist() == ["城管局", "住建委"]
    assert duty["deadline"].tolist() == [8.0, 2.0]


def test_write_and_read_back(gs, tmp_path):
    path = tmp_path / "small.gpkg"
    gs.write(path)
    back = libgrid.GridSet.read(path)
    assert back.levels == gs.levels and len(back) == len(gs) and back.crs == gs.crs
    assert back.cells()[["code", "parent_code", "households", "kind"]].equals(
        gs.cells()[["code", "parent_code", "households", "kind"]]
    )
    assert back.roster().equals(gs.roster())
    assert back.duty_table().equals(gs.duty_table())
    x, y = [0.5, 1.5, 1.0], [0.5, 0.5, 1.5]
    assert back.responsible(x, y, "01").equals(gs.responsible(x, y, "01"))
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_index_outlives_its_grid_set(files):
    grids = libgrid.import_grid_set([("grid", files["grid"])])
    idx = grids.index()
    assert grids.index().lookup([0.5], [0.5]).tolist() == idx.lookup([0.5], [0.5]).tolist()
    del grids
    import gc

    gc.collect()
    assert idx.lookup([0.5, 1.5, 1.0], [0.5, 0.5, 1.5]).tolist() == [0, 1, 2]


# ---------------------------------------------------------------------------------------------
# Errors: libgrid's own messages, as ValueError (bad input) or OSError (files).
# ---------------------------------------------------------------------------------------------


def test_reading_a_missing_file_raises_oserror_naming_it(tmp_path):
    missing = tmp_path / "nowhere.gpkg"
    with pytest.raises(OSError) as caught:
        libgrid.GridSet.read(missing)
    assert str(missing) in str(caught.value)
    assert not isinstance(caught.value, ValueError)


def test_lookup_with_x_and_y_of_different_lengths_raises_valueerror(gs):
    idx = gs.index()
    with pytest.raises(ValueError, match="x and y must have the same length: 3 != 2"):
        idx.lookup([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="same shape"):
        idx.lookup(np.zeros((2, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="threads"):
        idx.lookup([1.0], [1.0], threads=-1)
    with pytest.raises(ValueError, match="no level named 'nope'"):
        idx.count_holding([1.0], [1.0], "nope")
    with pytest.raises(ValueError, match="out of range"):
        idx.lookup_level([1.0], [1.0], 3)


def test_import_errors_name_the_file_and_field(files, tmp_path):
    with pytest.raises(ValueError) as caught:
        libgrid.import_grid_set([("grid", files["grid"], "no_such_field")])
    message = str(caught.value)
    assert str(files["grid"]) in message and "no_such_field" in message
    with pytest.raises(OSError, match="missing.geojson"):
        libgrid.import_grid_set([("grid", tmp_path / "missing.geojson")])
    with pytest.raises(ValueError, match="each level is"):
        libgrid.import_grid_set([("grid",)])
    with pytest.raises(ValueError, match="unknown CRS"):
        libgrid.import_grid_set([("grid", files["grid"])], crs="EPSG:999999999")


def test_roster_errors_name_file_row_and_field(files, tmp_path):
    grids = libgrid.import_grid_set([("grid", files["grid"])])
    bad = write_csv(tmp_path / "roster.csv", ["cell_code", "role", "person_id", "name", "phone"],
                    [("S1C1G1", "grid_worker", "P1", "王芳", "1"), ("S1C1G1", "boss", "P2", "李四", "2")])
    with pytest.raises(ValueError) as caught:
        grids.set_roster_csv(bad)
    assert str(bad) in str(caught.value) and "role" in str(caught.value)
    with pytest.raises(OSError):
        grids.set_roster_csv(tmp_path / "absent.csv")
    assert grids.roster().empty  # a failed read changes nothing


def test_import_warnings_go_through_the_warnings_module(tmp_path):
    # A grid whose code no community code prefixes and that overlaps none has no parent.
    community = write_geojson(tmp_path / "c.geojson", [({"code": "C1"}, box(0, 0, 1, 1))])
    grid = write_geojson(tmp_path / "g.geojson", [({"code": "C1G1"}, box(0, 0, 1, 1)), ({"code": "X9"}, box(5, 5, 6, 6))])
    with pytest.warns(libgrid.GridSetWarning, match="'X9' has no parent") as record:
        grids = libgrid.import_grid_set([("community", community), ("grid", grid)])
    assert record[0].filename == __file__  # points at the caller, not at libgrid
    assert grids.cells("grid")["parent_code"].tolist() == ["C1", None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        libgrid.import_grid_set([("community", community)])  # nothing to warn about


def test_transform():
    x, y = libgrid.transform([116.397, 0.0], [39.909, 0.0], "EPSG:4326", "EPSG:3857")
    assert x[1] == 0.0 and y[1] == 0.0
    radius = 6378137.0  # spherical Mercator
    assert x[0] == pytest.approx(radius * math.radians(116.397), abs=1e-6)
    assert y[0] == pytest.approx(radius * math.log(math.tan(math.pi / 4 + math.radians(39.909) / 2)), abs=1e-6)
    assert libgrid.is_known_crs("EPSG:4548") and not libgrid.is_known_crs("EPSG:999999999")
    assert libgrid.is_geographic_crs("EPSG:4326") and not libgrid.is_geographic_crs("EPSG:4548")
    with pytest.raises(ValueError):
        libgrid.transform([1.0], [1.0], "EPSG:999999999", "EPSG:4326")


# ---------------------------------------------------------------------------------------------
# Documentation: docstrings on everything public, and stubs that list it all.
# ---------------------------------------------------------------------------------------------


def public_callables():
    for name in dir(libgrid):
        if name.startswith("_"):
            continue
        value = getattr(libgrid, name)
        if inspect.ismodule(value) or not callable(value):
            continue
        yield name, value
        if inspect.isclass(value) and value.__module__ == "libgrid":
            for member_name, member in vars(value).items():
                if member_name.startswith("_") or not (callable(member) or isinstance(member, property)
                                                        or isinstance(member, staticmethod)):
                    continue
                yield f"{name}.{member_name}", getattr(value, member_name)


def test_every_public_callable_has_a_docstring():
    names = dict(public_callables())
    for expected in ["GridSet", "GridSet.read", "GridSet.cells", "GridSet.responsible", "Index.lookup",
                     "Index.count_holding", "import_grid_set", "transform"]:
        assert expected in names
    undocumented = []
    for name, value in names.items():
        doc = inspect.getdoc(value) or ""
        # pybind11 puts the signature first; a documented function has prose after it.
        prose = [line for line in doc.splitlines() if line.strip() and not line.lstrip().startswith(name.split(".")[-1] + "(")]
        if not prose:
            undocumented.append(name)
    assert undocumented == []
    for prop in ["levels", "crs", "extent"]:
        assert inspect.getdoc(getattr(libgrid.GridSet, prop))
    assert libgrid.__doc__ and "boundary rule" in libgrid.__doc__


def test_saved_index_loads_and_answers_as_built(gs, tmp_path):
    idx = gs.index()
    path = tmp_path / "set.lgi"
    idx.save(path)
    loaded = libgrid.Index.load(path)
    assert loaded.levels == idx.levels and loaded.crs == idx.crs and len(loaded) == len(idx)
    rng = np.random.default_rng(3)
    x0, y0, x1, y1 = gs.extent
    x = rng.uniform(x0 - 1, x1 + 1, 50_000)
    y = rng.uniform(y0 - 1, y1 + 1, 50_000)
    np.testing.assert_array_equal(loaded.lookup(x, y), idx.lookup(x, y))
    assert loaded.memory_bytes > 0


def test_damaged_index_file_raises_value_error_naming_it(gs, tmp_path):
    path = tmp_path / "set.lgi"
    gs.index().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=str(path)):
        libgrid.Index.load(path)
    with pytest.raises(OSError):
        libgrid.Index.load(tmp_path / "missing.lgi")
