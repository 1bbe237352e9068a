"""The sample city in data/samples (five levels, roster, duty table, 100,000 events): imported,
completed with its roster and duty table, written, read back, and asked who is responsible.
Skipped until data/samples has been generated."""

import json
import time

import numpy as np
import pandas as pd
import pytest
import shapely.vectorized
from shapely.geometry import Point, shape
from shapely.prepared import prep

import libgrid

LEVELS = ["district", "street", "community", "grid", "microgrid"]


@pytest.fixture(scope="module")
def city(samples_dir, tmp_path_factory):
    imported = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    imported.set_roster_csv(samples_dir / "roster.csv")
    imported.set_duty_csv(samples_dir / "duty.csv")
    path = tmp_path_factory.mktemp("sample") / "city.gpkg"
    imported.write(path)
    return libgrid.GridSet.read(path)


@pytest.fixture(scope="module")
def events(samples_dir):
    return pd.read_csv(samples_dir / "events.csv.gz", dtype={"event_class": str, "reported_at": str})


@pytest.fixture(scope="module")
def roster(samples_dir):
    return pd.read_csv(samples_dir / "roster.csv", dtype=str)


@pytest.fixture(scope="module")
def duty(samples_dir):
    return pd.read_csv(samples_dir / "duty.csv", dtype={"event_class": str})


@pytest.fixture(scope="module")
def shapes(samples_dir):
    out = {}
    for level in LEVELS:
        with open(samples_dir / f"{level}.geojson", encoding="utf-8") as f:
            out[level] = {ft["properties"]["code"]: shape(ft["geometry"]) for ft in json.load(f)["features"]}
    return out


def test_sample_survives_the_round_trip(city, shapes, roster, duty):
    assert city.levels == LEVELS
    assert city.crs == "EPSG:4548"
    cells = city.cells()
    for level in LEVELS:
        assert sorted(cells.loc[cells["level"] == level, "code"]) == sorted(shapes[level])
    assert (cells["parent_code"].isna() == (cells["level"] == "district")).all()
    back = city.roster()
    assert back["cell_code"].tolist() == roster["cell_code"].tolist()
    assert back["name"].tolist() == roster["name"].tolist()
    assert city.duty_table()["department"].tolist() == duty["department"].tolist()


def test_sample_event_paths_nest_by_code(city, events, shapes):
    x, y = events["x"].to_numpy(float), events["y"].to_numpy(float)
    path = city.path(city.index().lookup(x, y))
    assert list(path.columns) == LEVELS
    assert len(path) == len(events)
    for row in path.itertuples(index=False):
        codes = [c for c in row if c is not None]
        assert list(row[: len(codes)]) == codes, f"path with a gap: {row}"
        for coarse, fine in zip(codes, codes[1:]):
            assert fine.startswith(coarse), f"{fine} does not nest in {coarse}"
    # Events are at least 1 m from the district's outline: inside and outside are clear-cut.
    (district,) = shapes["district"].values()
    inside = shapely.vectorized.contains(prep(district), x, y)
    assert np.array_equal(path["district"].notna().to_numpy(), inside)
    assert path["microgrid"].notna().sum() > 0.9 * len(events)


@pytest.mark.parametrize("level", LEVELS)
def test_sample_lookup_agrees_with_shapely_off_boundaries(city, events, shapes, level):
    x, y = events["x"].to_numpy(float), events["y"].to_numpy(float)
    idx = city.index()
    ours = city.codes(idx.lookup_level(x, y, level))
    assert idx.count_holding(x, y, level).max() <= 1
    theirs = np.full(x.size, None, dtype=object)
    for code, geometry in shapes[level].items():
        minx, miny, maxx, maxy = geometry.bounds
        near = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        theirs[near[shapely.vectorized.contains(prep(geometry), x[near], y[near])]] = code
    for i in np.flatnonzero(ours != theirs):
        p = Point(x[i], y[i])
        involved = [c for c in (ours[i], theirs[i]) if c is not None]
        assert max(shapes[level][c].boundary.distance(p) for c in involved) <= 1e-9


def expected_rule(duty, event_class):
    """The duty rule whose class is the longest prefix of event_class, as a row, or None."""
    matches = duty[[event_class.startswith(c) for c in duty["event_class"]]]
    if matches.empty:
        return None
    return matches.loc[matches["event_class"].str.len().idxmax()]


def test_sample_responsible_names_the_department_and_the_grid_worker(city, events, roster, duty, report):
    started = time.perf_counter()
    answer = city.responsible(events["x"], events["y"], events["event_class"], events["reported_at"])
    report(f"sample city: responsible() for {len(events):,} events in {time.perf_counter() - started:.2f} s")
    assert answer.index.equals(events.index)
    people = roster.groupby(["cell_code", "role"])["name"].apply(list).to_dict()

    def deepest(row, role):
        """The names holding `role` in the deepest cell of the row's path that has any."""
        for level in reversed(LEVELS):
            names = people.get((row[level], role)) if row[level] is not None else None
            if names:
                return names
        return None

    def joined(names):
        return ";".join(names) if names else None

    rng = np.random.default_rng(5)
    sample = rng.choice(np.flatnonzero(answer["grid"].notna()), 200, replace=False)
    for i in sample:
        row, event = answer.iloc[i], events.iloc[i]
        rule = expected_rule(duty, event["event_class"])
        assert row["department"] == rule["department"]
        assert row["handling_level"] == rule["handling_level"]
        assert row["handling_cell"] == row[rule["handling_level"]]
        assert row["deadline"] == rule["deadline"] and row["deadline_unit"] == rule["deadline_unit"]
        assert row["due"] is not None and row["due"] > event["reported_at"][:16]
        # The grid worker listed in roster.csv for the event's grid (or the deepest cell above).
        grid_workers = people.get((row["grid"], "grid_worker"))
        if grid_workers:
            assert row["grid_worker"] == grid_workers[0]
        assert row["grid_worker"] == (deepest(row, "grid_worker") or [None])[0]
        assert row["grid_leader"] == joined(deepest(row, "grid_leader"))
        assert row["info_workers"] == joined(deepest(row, "info_worker"))
        finest = row["microgrid"] or row["grid"]
        assert row["escalation"].split(" > ")[0].split(" ")[0] == finest
        assert len(row["escalation"].split(" > ")) == row[LEVELS].notna().sum()
    outside = answer["district"].isna()
    assert outside.any()
    assert answer.loc[outside, "grid_worker"].isna().all() and answer.loc[outside, "escalation"].isna().all()


def test_sample_grid_without_a_worker(city, roster, shapes):
    """A grid the roster gives no worker (the lake park): nobody on its path has one either."""
    with_worker = set(roster.loc[roster["role"] == "grid_worker", "cell_code"])
    lonely = [code for code in shapes["grid"] if code not in with_worker]
    if not lonely:
        pytest.skip("every grid of the sample has a worker")
    point = shapes["grid"][lonely[0]].representative_point()
    row = city.responsible([point.x], [point.y]).iloc[0]
    assert row["grid"] == lonely[0]
    assert row["grid_worker"] is None


def test_sample_errors(city, samples_dir):
    missing = samples_dir / "no_such_city.gpkg"
    with pytest.raises(OSError, match="no_such_city.gpkg"):
        libgrid.GridSet.read(missing)
    with pytest.raises(ValueError, match="same length"):
        city.index().lookup([500000.0, 500001.0], [4420000.0])
