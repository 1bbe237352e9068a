"""libgrid.stats (考核) on the sample city against an independent pandas computation: due times
on the 2026 calendar counted here minute by minute of working time, and the closure, on-time and
rework figures of every grid recomputed from the events."""

import datetime
import pathlib

import numpy as np
import pandas as pd
import pytest

import libgrid

LEVELS = ["district", "street", "community", "grid", "microgrid"]
PERIODS = ((9 * 60, 12 * 60), (13 * 60, 18 * 60))
EPOCH = datetime.date(1970, 1, 1)


@pytest.fixture(scope="module")
def city(samples_dir):
    gs = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    gs.set_roster_csv(samples_dir / "roster.csv")
    gs.set_duty_csv(samples_dir / "duty.csv")
    return gs


@pytest.fixture(scope="module")
def events(samples_dir):
    return pd.read_csv(samples_dir / "events.csv.gz",
                       dtype={"event_class": str, "reported_at": str, "closed_at": str})


class Calendar:
    """Working days from calendar.csv, read here without libgrid."""

    def __init__(self, path):
        table = pd.read_csv(path, dtype=str)
        self.off = {self.day(d) for d in table.loc[table["kind"] == "holiday", "date"]}
        self.on = {self.day(d) for d in table.loc[table["kind"] == "workday", "date"]}

    @staticmethod
    def day(text):
        return (datetime.date.fromisoformat(text) - EPOCH).days

    def working(self, day):
        if day in self.on:
            return True
        return day not in self.off and (day + 3) % 7 < 5  # 1970-01-01 was a Thursday

    def add(self, t, minutes):
        day = t // 1440
        while True:
            if self.working(day):
                for start, end in PERIODS:
                    begin = max(t, day * 1440 + start)
                    if begin < day * 1440 + end:
                        take = min(day * 1440 + end - begin, minutes)
                        t, minutes = begin + take, minutes - take
                        if minutes == 0:
                            return t
            day += 1
            t = day * 1440

    def between(self, a, b):
        total = 0
        for day in range(a // 1440, b // 1440 + 1):
            if self.working(day):
                for start, end in PERIODS:
                    total += max(0, min(b, day * 1440 + end) - max(a, day * 1440 + start))
        return total


def minutes(column):
    return (pd.to_datetime(column).astype("int64") // 60_000_000_000).where(column.notna())


def rule_of(duty, event_class):
    matches = duty[[event_class.startswith(c) for c in duty["event_class"]]]
    return matches.loc[matches["event_class"].str.len().idxmax()]


def test_stats_agree_with_pandas_on_the_sample_events(city, events, samples_dir):
    calendar_path = samples_dir / "calendar.csv"
    result = libgrid.stats(city, events, by="grid", calendar=calendar_path,
                           from_date="2026-01-01", to_date="2026-10-31")
    summary = result.attrs["summary"]
    assert summary["as_of"] == "2026-11-01T00:00"
    as_of = Calendar.day("2026-11-01") * 1440

    calendar = Calendar(calendar_path)
    duty = pd.read_csv(samples_dir / "duty.csv", dtype=str)
    rules = {c: rule_of(duty, c) for c in events["event_class"].unique()}
    per_unit = {"urgent_hours": (60, False), "working_hours": (60, True),
                "working_days": (480, True), "calendar_days": (1440, False)}
    frame = pd.DataFrame({
        "grid": city.path(city.index().lookup(events["x"].to_numpy(float),
                                              events["y"].to_numpy(float)))["grid"],
        "reported": minutes(events["reported_at"]).astype("int64"),
        "closed": minutes(events["closed_at"]),
        "reopened": events["reopened"],
        "unit": [rules[c]["deadline_unit"] for c in events["event_class"]],
        "allowed": [int(rules[c]["deadline"]) * per_unit[rules[c]["deadline_unit"]][0]
                    for c in events["event_class"]],
    })
    frame = frame[frame["grid"].notna()].copy()
    frame["due"] = [calendar.add(t, a) if per_unit[u][1] else t + a
                    for t, a, u in zip(frame["reported"], frame["allowed"], frame["unit"])]
    frame["is_closed"] = frame["closed"].notna() & (frame["closed"] <= as_of)
    frame["on_time"] = frame["is_closed"] & (frame["closed"] <= frame["due"])
    frame["overdue"] = ~frame["is_closed"] & (frame["due"] < as_of)
    frame["reworked"] = frame["reopened"] > 0
    expected = frame.groupby("grid").agg(events=("reported", "size"), closed=("is_closed", "sum"),
                                         closed_on_time=("on_time", "sum"),
                                         overdue=("overdue", "sum"), reworked=("reworked", "sum"))

    got = result.set_index("code").loc[expected.index]
    for column in ("events", "closed", "closed_on_time", "overdue", "reworked"):
        np.testing.assert_array_equal(got[column].to_numpy(), expected[column].to_numpy(), column)
    settle = expected["closed"] + expected["overdue"]
    np.testing.assert_allclose(got["on_time_rate"], expected["closed_on_time"] / settle)
    np.testing.assert_allclose(got["closure_rate"], expected["closed"] / expected["events"])
    np.testing.assert_allclose(got["rework_rate"], expected["reworked"] / expected["events"])
    assert summary["not_covered"] == 500
    assert summary["evaluated"] == len(frame)

    # Median handling time in each grid's most common deadline unit, for a few grids.
    unit_order = list(per_unit)
    for code in expected.index[:6]:
        rows = frame[(frame["grid"] == code) & frame["is_closed"]]
        counts = frame.loc[frame["grid"] == code, "unit"].value_counts()
        unit = min(counts[counts == counts.max()].index, key=unit_order.index)
        scale, working = per_unit[unit]
        times = [(calendar.between(a, int(b)) if working else b - a) / scale
                 for a, b in zip(rows["reported"], rows["closed"])]
        assert got.loc[code, "handling_unit"] == unit
        assert got.loc[code, "median_handling"] == pytest.approx(np.median(times))


def constructed_events():
    return pd.DataFrame({
        "event_id": ["A", "B", "C"],
        "x": [500025.0, 500050.0, 500150.0],
        "y": [4420050.0, 4420050.0, 4420025.0],
        "event_class": ["0101", "0101", "0102"],
        "reported_at": ["2026-11-20T17:00", "2026-11-20T10:00", "2026-11-21T09:00"],
        "closed_at": ["2026-11-23T09:30", "2026-11-20T15:00", None],
        "reopened": [0, 1, 0],
    })


@pytest.fixture(scope="module")
def fixture_city():
    fixtures = pathlib.Path(__file__).resolve().parents[1] / "cli" / "fixtures"
    gs = libgrid.import_grid_set([("community", fixtures / "community.geojson"),
                                  ("grid", fixtures / "grid.geojson")])
    gs.set_roster_csv(fixtures / "roster.csv")
    gs.set_duty_csv(fixtures / "duty.csv")
    return gs


def test_datetime_columns_and_text_columns_agree(fixture_city):
    text = constructed_events()
    as_times = text.assign(reported_at=pd.to_datetime(text["reported_at"]),
                           closed_at=pd.to_datetime(text["closed_at"]))
    a = libgrid.stats(fixture_city, text, as_of="2026-11-25T12:00")
    b = libgrid.stats(fixture_city, as_times, as_of="2026-11-25T12:00")
    pd.testing.assert_frame_equal(a, b)
    grid = a.set_index("code")
    assert grid.loc["110119001001002", "closed_on_time"] == 0  # B: due 12:00, closed 15:00
    assert grid.loc["110119001001001", "on_time_rate"] == 1.0
    assert grid.loc["110119001002001", "overdue"] == 1


def test_calendar_as_a_frame(fixture_city):
    events = constructed_events()
    holiday = pd.DataFrame({"date": ["2026-11-23"], "kind": ["holiday"]})
    plain = libgrid.stats(fixture_city, events, as_of="2026-11-25T12:00").set_index("code")
    off = libgrid.stats(fixture_city, events, calendar=holiday, as_of="2026-11-25T12:00")
    # A's deadline moves from Monday 23 to Tuesday 24: still on time; C's from Tuesday 24 18:00
    # to Wednesday 25 18:00, so it is no longer overdue at noon on the 25th.
    assert off.set_index("code").loc["110119001002001", "overdue"] == 0
    assert plain.loc["110119001002001", "overdue"] == 1
    with pytest.raises(ValueError, match="calendar: feature 1: field kind: unknown kind 'x'"):
        libgrid.stats(fixture_city, events, calendar=pd.DataFrame({"date": ["2026-11-23"],
                                                                   "kind": ["x"]}))


@pytest.mark.parametrize("column, value, message", [
    ("reported_at", "2026-11-20 25:00", "events: feature 2: field reported_at: not a time"),
    ("reported_at", None, "events: feature 2: field reported_at: no report time"),
    ("closed_at", "2026-11-19T10:00", "events: feature 2: field closed_at: closed at 2026-11-19T10:00, before"),
    ("reopened", -1, "events: feature 2: field reopened: not a count"),
    ("reopened", 1.5, "events: feature 2: field reopened: not a count"),
])
def test_bad_events_name_the_row_and_field(fixture_city, column, value, message):
    events = constructed_events().astype({"reopened": object})
    events.loc[1, column] = value
    with pytest.raises(ValueError, match=message):
        libgrid.stats(fixture_city, events)


def test_unknown_classes_and_groups(fixture_city):
    events = constructed_events()
    events.loc[2, "event_class"] = "99"
    result = libgrid.stats(fixture_city, events, by="department")
    assert result.attrs["summary"]["unknown_class"] == 1
    assert result.attrs["summary"]["first_unknown_class_row"] == 3
    assert list(result["department"]) == ["环卫所"]
    with pytest.raises(ValueError, match="cannot group by 'building'"):
        libgrid.stats(fixture_city, events, by="building")
