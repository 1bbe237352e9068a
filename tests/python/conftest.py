"""Shared fixtures of the libgrid Python tests.

The compiled package is found through LIBGRID_PYTHONPATH (os.pathsep-separated folders, put in
front of sys.path) or PYTHONPATH: point either at <build>/python, e.g.

    PYTHONPATH=build-py/python /usr/bin/python3 -m pytest tests/python -q

Real third-party data is read from ../shared/data beside the repository and never copied into
it; tests that need it skip when it is absent.
"""

import os
import pathlib
import sys

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SAMPLES = REPO_ROOT / "data" / "samples"

for _folder in reversed(os.environ.get("LIBGRID_PYTHONPATH", "").split(os.pathsep)):
    if _folder:
        sys.path.insert(0, _folder)

try:
    import libgrid  # noqa: F401
except ImportError as error:  # pragma: no cover - a setup problem, not a test result
    raise ImportError(
        "cannot import libgrid: build it (cmake -S . -B build-py -DPython_EXECUTABLE=/usr/bin/python3 "
        "-DPYTHON_EXECUTABLE=/usr/bin/python3 && cmake --build build-py) and set LIBGRID_PYTHONPATH "
        f"or PYTHONPATH to build-py/python ({error})"
    ) from error

# Lines the tests want shown at the end of the run (counts worth knowing, timings).
_REPORT = []


@pytest.fixture
def report():
    """Call report("text") to have a line printed in the summary at the end of the run."""
    return _REPORT.append


def pytest_terminal_summary(terminalreporter):
    if _REPORT:
        terminalreporter.section("libgrid report")
        for line in _REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data beside the repository; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (../shared/data from the repository root)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def nyc_dir(shared_data):
    folder = shared_data / "nyc"
    names = ["boroughs.geojson", "community_districts.geojson", "police_precincts.geojson"]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        pytest.skip(f"NYC data missing from {folder}: {', '.join(missing)}")
    return folder


@pytest.fixture(scope="session")
def samples_dir():
    """The sample city in data/samples (LIBGRID_SAMPLES_DIR overrides); skips when absent."""
    folder = pathlib.Path(os.environ.get("LIBGRID_SAMPLES_DIR", SAMPLES))
    names = [f"{level}.geojson" for level in ("district", "street", "community", "grid", "microgrid")]
    names += ["roster.csv", "duty.csv", "events.csv.gz"]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        pytest.skip(f"sample city not generated yet: {folder} lacks {', '.join(missing)}")
    return folder
