"""Index and GridSet pickled (by file path and checksum, else by value) and libgrid.dask.assign on
a two-process Dask cluster, checked against the single-process answers on the sample city."""

import copy
import os
import pathlib
import pickle

import pandas as pd
import pytest

import libgrid
from grid_fixtures import box, write_geojson

LEVELS = ["district", "street", "community", "grid", "microgrid"]


@pytest.fixture(scope="module")
def city_files(samples_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    imported = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    imported.set_roster_csv(samples_dir / "roster.csv")
    imported.set_duty_csv(samples_dir / "duty.csv")
    imported.write(folder / "city.gpkg")
    city = libgrid.GridSet.read(folder / "city.gpkg")
    city.index().save(folder / "city.lgi")
    return folder


@pytest.fixture(scope="module")
def events(samples_dir):
    return pd.read_csv(samples_dir / "events.csv.gz", dtype={"event_class": str, "reported_at": str, "closed_at": str})


def assigned(events, grid_set):
    return libgrid.assign(events, grid_set, event_class="event_class", time="reported_at")


def test_a_grid_set_read_from_a_file_pickles_by_path(city_files, events):
    city = libgrid.GridSet.read(city_files / "city.gpkg")
    data = pickle.dumps(city)
    assert len(data) < 1000 and b"city.gpkg" in data
    back = pickle.loads(data)
    sample = events.head(20_000)
    assert assigned(sample, back).equals(assigned(sample, city))


def test_each_unpickled_or_copied_grid_set_is_its_own(city_files, samples_dir, events, tmp_path):
    # Read once per process, yet every unpickling and copy is a set of its own: replacing one's
    # duty table leaves the others' as they were.
    source = tmp_path / "city.gpkg"
    source.write_bytes((city_files / "city.gpkg").read_bytes())
    city = libgrid.GridSet.read(source)
    data = pickle.dumps(city)
    first, second = pickle.loads(data), pickle.loads(data)
    copies = [copy.copy(city), copy.deepcopy(city)]
    assert len({id(g) for g in [city, first, second, *copies]}) == 5
    duty = pd.read_csv(samples_dir / "duty.csv", dtype=str).assign(department="改过的")
    duty.to_csv(tmp_path / "duty.csv", index=False)
    first.set_duty_csv(tmp_path / "duty.csv")
    copies[1].set_duty_csv(tmp_path / "duty.csv")
    sample = events.head(1000)
    expected = assigned(sample, city)
    for unchanged in (city, second, copies[0]):
        assert assigned(sample, unchanged).equals(expected)
    for changed in (first, copies[1]):
        assert set(assigned(sample, changed)["department"].dropna()) == {"改过的"}
    # Not read again: the file is replaced, and the set read before is what unpickling gives.
    source.write_bytes(b"not a grid set any more")
    assert assigned(sample, pickle.loads(data)).equals(expected)


def test_a_changed_grid_set_pickles_by_value(city_files, samples_dir, events):
    city = libgrid.GridSet.read(city_files / "city.gpkg")
    city.set_duty_csv(samples_dir / "duty.csv")  # no longer what the file holds
    data = pickle.dumps(city)
    assert len(data) > 100_000
    back = pickle.loads(data)
    assert back.levels == city.levels and len(back) == len(city)
    assert back.roster().equals(city.roster()) and back.duty_table().equals(city.duty_table())
    sample = events.head(20_000)
    assert assigned(sample, back).equals(assigned(sample, city))


def test_a_loaded_index_pickles_by_path_with_its_grid_set(city_files, events):
    city = libgrid.GridSet.read(city_files / "city.gpkg")
    for map_file in (False, True):
        idx = city.load_index(city_files / "city.lgi", map_file=map_file)
        data = pickle.dumps(idx)
        assert len(data) < 2000 and b"city.lgi" in data
        back = pickle.loads(data)
        assert back.levels == idx.levels and len(back) == len(idx)
        sample = events.head(20_000)
        assert (back.lookup(sample.x, sample.y) == idx.lookup(sample.x, sample.y)).all()
        assert assigned(sample, back).equals(assigned(sample, city))


def test_an_index_built_here_pickles_by_value(city_files, events):
    idx = libgrid.GridSet.read(city_files / "city.gpkg").index()
    data = pickle.dumps(idx)
    assert len(data) > 100_000
    back = pickle.loads(data)
    assert (back.lookup(events.x, events.y) == idx.lookup(events.x, events.y)).all()


def test_changed_files_are_refused(city_files, tmp_path):
    other = libgrid.import_grid_set([("grid", write_geojson(tmp_path / "g.geojson", [({"code": "A"}, box(0, 0, 1, 1))]))])
    (tmp_path / "copy.lgi").write_bytes((city_files / "city.lgi").read_bytes())
    city = libgrid.GridSet.read(city_files / "city.gpkg")
    data = pickle.dumps(city.load_index(tmp_path / "copy.lgi"))
    other.index().save(tmp_path / "copy.lgi")
    with pytest.raises(ValueError) as e:
        pickle.loads(data)
    assert str(e.value) == (f"{tmp_path / 'copy.lgi'}: the index file has changed since it was first loaded: "
                            "copy the same file to every machine, or start again with the new one")

    (tmp_path / "copy.gpkg").write_bytes((city_files / "city.gpkg").read_bytes())
    data = pickle.dumps(libgrid.GridSet.read(tmp_path / "copy.gpkg"))
    other.write(tmp_path / "copy.gpkg")
    with pytest.raises(ValueError) as e:
        pickle.loads(data)
    assert str(e.value) == (f"{tmp_path / 'copy.gpkg'}: the grid set file has changed since it was read: "
                            "copy the same file to every machine, or start again with the new one")


@pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")
def test_dask_assign_on_two_worker_processes_answers_as_one_process(city_files, events):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import libgrid.dask

    # The worker processes import libgrid from where this process did.
    package_root = str(pathlib.Path(libgrid.__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    city = libgrid.GridSet.read(city_files / "city.gpkg")
    idx = city.load_index(city_files / "city.lgi", map_file=True)
    expected = assigned(events, city)
    frame = dd.from_pandas(events, npartitions=6)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for source in (idx, city):
            lazy = libgrid.dask.assign(frame, source, event_class="event_class", time="reported_at")
            assert list(lazy.columns) == list(expected.columns)
            assert (lazy.dtypes == expected.dtypes).all()
            got = lazy.compute()
            pd.testing.assert_frame_equal(got, expected)
        assert len({pid for pid in client.run(os.getpid).values()}) == 2


def test_dask_errors_name_the_partition_and_its_row(city_files, events):
    dd = pytest.importorskip("dask.dataframe")
    import libgrid.dask

    city = libgrid.GridSet.read(city_files / "city.gpkg")
    broken = events.head(6000).copy()
    broken.loc[4500, "reported_at"] = "garbage"
    lazy = libgrid.dask.assign(dd.from_pandas(broken, npartitions=3), city, event_class="event_class",
                               time="reported_at")
    with pytest.raises(ValueError) as e:
        lazy.compute(scheduler="sync")
    assert str(e.value) == ("partition 2: points: feature 501: field reported_at: "
                            "not a time 'YYYY-MM-DDTHH:MM': 'garbage'")


def test_dask_meta_of_datetime_objects_is_what_partitions_give(city_files, events):
    dd = pytest.importorskip("dask.dataframe")
    import libgrid.dask

    city = libgrid.GridSet.read(city_files / "city.gpkg")
    sample = events.head(2000)
    held = sample.assign(reported_at=pd.Series(list(pd.to_datetime(sample["reported_at"])), dtype=object,
                                               index=sample.index))
    lazy = libgrid.dask.assign(dd.from_pandas(held, npartitions=2), city, event_class="event_class",
                               time="reported_at")
    got = lazy.compute(scheduler="sync")
    assert lazy.dtypes["due"] == got.dtypes["due"] == object
    assert got["due"].equals(assigned(sample, city)["due"])
