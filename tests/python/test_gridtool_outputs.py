"""gridtool's -o as a shell uses it: /dev/stdout streams like "-" whether standard output is a
pipe or a file, build-index streams too, and a symbolic link is written through and kept."""

import os
import pathlib
import subprocess

import pytest

import libgrid
from grid_fixtures import box, write_csv, write_geojson

GRIDTOOL = pathlib.Path(libgrid.__file__).resolve().parents[2] / "tools" / "gridtool"
HEADER = "x,y,grid"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    if not GRIDTOOL.is_file():
        pytest.skip(f"gridtool not built at {GRIDTOOL}")
    folder = tmp_path_factory.mktemp("outputs")
    grids = [({"code": "G1"}, box(0, 0, 1, 1)), ({"code": "G2"}, box(1, 0, 2, 1))]
    libgrid.import_grid_set([("grid", write_geojson(folder / "grid.geojson", grids))]).write(
        folder / "city.gpkg")
    write_csv(folder / "points.csv", ["x", "y"], [(0.5, 0.5), (1.5, 0.5), (1.5, 0.25)])
    return folder


def assign(city, output, **streams):
    return subprocess.run([str(GRIDTOOL), "assign", str(city / "city.gpkg"), "--points",
                           str(city / "points.csv"), "-o", str(output)], **streams)


def test_assign_to_dev_stdout_streams_through_a_pipe(city):
    run = assign(city, "/dev/stdout", capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [HEADER, "0.5,0.5,G1", "1.5,0.5,G2", "1.5,0.25,G2"]
    assert run.stderr.startswith("assigned 3 points from ")  # the summary keeps out of the rows


def test_assign_to_dev_stdout_redirected_to_a_file_keeps_the_link(city, tmp_path):
    with open(tmp_path / "rows.csv", "w") as rows:
        run = assign(city, "/dev/stdout", stdout=rows, stderr=subprocess.PIPE, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "rows.csv").read_text().splitlines()[0] == HEADER
    assert os.path.islink("/dev/stdout"), "a rename onto /dev/stdout replaced the link"


def test_build_index_streams_the_file_it_writes(city, tmp_path):
    streamed = subprocess.run([str(GRIDTOOL), "build-index", str(city / "city.gpkg"), "-o", "-"],
                              capture_output=True)
    assert streamed.returncode == 0, streamed.stderr
    assert streamed.stderr.decode().startswith("wrote standard output\n")
    subprocess.run([str(GRIDTOOL), "build-index", str(city / "city.gpkg"), "-o",
                    str(tmp_path / "city.lgi")], check=True, capture_output=True)
    assert streamed.stdout == (tmp_path / "city.lgi").read_bytes()


def test_a_symbolic_link_is_written_through_and_kept(city, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rows.csv").write_text("old\n")
    (tmp_path / "rows.csv").symlink_to("data/rows.csv")
    run = assign(city, tmp_path / "rows.csv", capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "rows.csv").is_symlink()
    assert (tmp_path / "data" / "rows.csv").read_text().splitlines()[0] == HEADER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "rows.csv"]
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["rows.csv"]
