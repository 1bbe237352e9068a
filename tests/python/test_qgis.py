"""The QGIS Processing provider (qgis/libgrid_processing) run headless by qgis_process, and the
styles libgrid writes as PyQGIS applies them. Skipped, saying so, where QGIS is not installed
(scripts/install-deps.sh installs it: Debian's qgis and python3-qgis).

qgis_process runs with its own settings folder (QGIS_CUSTOM_CONFIG_PATH) in which the plugin is
enabled, the plugin found through QGIS_PLUGINPATH and the libgrid module through PYTHONPATH.
Debian's /usr/bin/qgis_process wrapper passes an option qgis_process refuses
(--noversioncheck, from /etc/default/qgis), so the binary beside it is run when present."""

import json
import os
import pathlib
import shutil
import subprocess
import textwrap

import geopandas
import pandas as pd
import pytest
import shapely.geometry
import shapely.wkt
from shapely.geometry import Point
from shapely.ops import unary_union

import libgrid

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
PLUGINS = REPO_ROOT / "qgis"
MODULE_DIR = pathlib.Path(libgrid.__file__).resolve().parents[1]
ALGORITHMS = ["import", "validate", "partition", "rebalance", "assign", "stats", "area"]
LEVELS = ["district", "street", "community", "grid", "microgrid"]
PARENTS = ["110119001001", "110119001002"]


def qgis_process_path():
    for name in ("qgis_process.bin", "qgis_process"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def qgis(tmp_path_factory):
    """Runs qgis_process with the plugin enabled; returns run(*args) -> CompletedProcess."""
    executable = qgis_process_path()
    if executable is None:
        pytest.skip("QGIS is not installed (no qgis_process): apt-get install qgis python3-qgis")
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "QGIS_PLUGINPATH": str(PLUGINS),
        "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path_factory.mktemp("qgis-profile")),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(MODULE_DIR), env.get("PYTHONPATH")])),
        "XDG_RUNTIME_DIR": str(tmp_path_factory.mktemp("xdg-runtime")),
    })

    def run(*args):
        return subprocess.run([executable, *map(str, args)], env=env, capture_output=True,
                              text=True, timeout=300)

    enabled = run("plugins", "enable", "libgrid_processing")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    return run


def run_algorithm(qgis, name, **parameters):
    args = ["--json", "run", f"libgrid:{name}"]
    for key, value in parameters.items():
        for v in value if isinstance(value, list) else [value]:
            args.append(f"--{key}={v}")
    done = qgis(*args)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout[done.stdout.index("{"):])["results"]


@pytest.fixture(scope="module")
def city_path(samples_dir, tmp_path_factory):
    grid_set = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    grid_set.set_roster_csv(samples_dir / "roster.csv")
    grid_set.set_duty_csv(samples_dir / "duty.csv")
    path = tmp_path_factory.mktemp("qgis") / "city.gpkg"
    grid_set.write(path)
    return path


def test_the_algorithms_are_listed(qgis):
    listed = qgis("list")
    assert listed.returncode == 0, listed.stderr
    for name in ALGORITHMS:
        assert f"libgrid:{name}" in listed.stdout, listed.stdout[:2000]


def test_validate_gives_the_problems_libgrid_finds(qgis, city_path, tmp_path):
    results = run_algorithm(qgis, "validate", INPUT=city_path, OUTPUT=tmp_path / "problems.gpkg")
    expected = libgrid.validate(libgrid.GridSet.read(city_path))
    assert results["PROBLEMS"] == len(expected)
    assert results["REAL_PROBLEMS"] == int((~expected["sliver"]).sum())
    written = geopandas.read_file(results["OUTPUT"])
    assert sorted(written["kind"]) == sorted(expected["kind"])
    assert sorted(written["cell_code"]) == sorted(expected["cell_code"])
    located = expected[expected["wkt"].notna()]
    areas = [g for g in written.geometry if g is not None and not g.is_empty]
    assert len(areas) == len(located)
    # The areas agree with Shapely's reading of libgrid's own locations.
    assert sorted(round(g.area, 6) for g in areas) == sorted(
        round(shapely.wkt.loads(w).area, 6) for w in located["wkt"])


def test_import_then_partition_on_the_sample(qgis, samples_dir, tmp_path):
    sources = [samples_dir / f"{level}.geojson" for level in LEVELS[:3]]
    imported = run_algorithm(qgis, "import", LEVELS=sources, LEVEL_NAMES=",".join(LEVELS[:3]),
                             OUTPUT=tmp_path / "communities.gpkg")
    assert imported["LAYERS"] == [f"{tmp_path / 'communities.gpkg'}|layername={level}"
                                  for level in LEVELS[:3]]
    units = pd.read_csv(samples_dir / "units.csv")
    geopandas.GeoDataFrame(units, geometry=[Point(xy) for xy in zip(units.x, units.y)],
                           crs="EPSG:4548").to_file(tmp_path / "units.gpkg")
    results = run_algorithm(
        qgis, "partition", INPUT=imported["OUTPUT"], PARENT_LEVEL="community", NEW_LEVEL="grid",
        UNITS=tmp_path / "units.gpkg", WEIGHT_FIELD="households",
        BARRIERS=samples_dir / "roads.geojson", TARGET_MIN=300, TARGET_MAX=500,
        PARENTS=",".join(PARENTS), OUTPUT=tmp_path / "partitioned.gpkg")
    assert results["LAYERS"][-1] == f"{tmp_path / 'partitioned.gpkg'}|layername=grid"
    partitioned = libgrid.GridSet.read(results["OUTPUT"])
    assert partitioned.levels == LEVELS[:4]
    grids = partitioned.cells("grid")
    assert len(grids) == results["CELLS"] > 0
    assert set(grids["parent_code"]) == set(PARENTS)
    # The new cells tile their parents: Shapely finds the same area, none of it overlapping.
    cells = geopandas.read_file(results["OUTPUT"], layer="grid")
    parents = geopandas.read_file(results["OUTPUT"], layer="community").set_index("code")
    for code in PARENTS:
        mine = cells[cells["parent_code"] == code].geometry
        assert mine.area.sum() == pytest.approx(parents.geometry[code].area, rel=1e-9)
        assert unary_union(list(mine)).area == pytest.approx(mine.area.sum(), rel=1e-9)
    # The households of the cells in the band lie in it.
    in_band = grids[(grids["households"] >= 300) & (grids["households"] <= 500)]
    assert len(in_band) == results["CELLS_IN_BAND"]


PYQGIS_CHECK = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    out = {}
    for layer in sys.argv[2:]:
        vl = QgsVectorLayer(f"{sys.argv[1]}|layername={layer}", layer, "ogr")
        r = vl.renderer()
        graduated = r.type() == "graduatedSymbol"
        ranges = r.ranges() if graduated else []
        symbol = ranges[0].symbol() if graduated else r.symbol()
        out[layer] = {
            "valid": vl.isValid(), "renderer": r.type(),
            "attr": r.classAttribute() if graduated else None,
            "ranges": [[g.lowerValue(), g.upperValue(), g.symbol().color().name()] for g in ranges],
            "labels": vl.labelsEnabled(),
            "label_field": vl.labeling().settings().fieldName if vl.labeling() else None,
            "stroke_mm": symbol.symbolLayer(0).strokeWidth(),
        }
    print(json.dumps(out), flush=True)
    os._exit(0)  # QGIS may crash tearing down in a headless interpreter; the answer is out
""")


def test_pyqgis_applies_the_default_style(city_path):
    pytest.importorskip("qgis.core", reason="PyQGIS is not installed: apt-get install python3-qgis")
    done = subprocess.run(["/usr/bin/python3", "-c", PYQGIS_CHECK, str(city_path), *LEVELS],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    layers = json.loads(done.stdout.strip().splitlines()[-1])
    grid_set = libgrid.GridSet.read(city_path)
    for depth, level in enumerate(LEVELS):
        seen = layers[level]
        assert seen["valid"] and seen["renderer"] == "graduatedSymbol", seen
        assert seen["attr"] == "households" and seen["labels"] and seen["label_field"] == "name"
        households = grid_set.cells(level)["households"]
        assert seen["ranges"][0][0] == households.min()
        assert seen["ranges"][-1][1] == households.max()
        colours = [colour for _, _, colour in seen["ranges"]]
        assert len(set(colours)) == len(colours)
    strokes = [layers[level]["stroke_mm"] for level in LEVELS]
    assert strokes == sorted(strokes, reverse=True)


def test_assign_stats_and_area_agree_with_the_module(qgis, city_path, samples_dir, tmp_path):
    events = pd.read_csv(samples_dir / "events.csv.gz", nrows=500, dtype={"event_class": str})
    geopandas.GeoDataFrame(events, geometry=[Point(xy) for xy in zip(events.x, events.y)],
                           crs="EPSG:4548").to_file(tmp_path / "events.gpkg")
    grid_set = libgrid.GridSet.read(city_path)

    assigned = run_algorithm(qgis, "assign", INPUT=city_path, POINTS=tmp_path / "events.gpkg",
                             EVENT_CLASS_FIELD="event_class", REPORTED_AT_FIELD="reported_at",
                             OUTPUT=tmp_path / "assigned.gpkg")
    written = geopandas.read_file(assigned["OUTPUT"])
    expected = grid_set.responsible(events.x, events.y, events.event_class, events.reported_at)
    for column in ("grid", "microgrid", "grid_worker", "department", "due"):
        assert written[column].fillna("").tolist() == expected[column].fillna("").tolist(), column

    stats = run_algorithm(qgis, "stats", INPUT=city_path, EVENTS=tmp_path / "events.gpkg", BY="grid",
                          OUTPUT=tmp_path / "stats.gpkg")
    written = geopandas.read_file(stats["OUTPUT"])
    expected = libgrid.stats(grid_set, events, by="grid")
    assert written["code"].tolist() == expected["code"].tolist()
    assert written["events"].tolist() == expected["events"].tolist()
    assert written.geometry.notna().all()

    zone = tmp_path / "zone.geojson"
    square = [[499500, 4419500], [500500, 4419500], [500500, 4420500], [499500, 4420500],
              [499500, 4419500]]
    geopandas.GeoDataFrame(geometry=[shapely.geometry.Polygon(square)], crs="EPSG:4548").to_file(zone)
    area = run_algorithm(qgis, "area", INPUT=city_path, ZONE=zone, OUTPUT=tmp_path / "area.gpkg")
    written = geopandas.read_file(area["OUTPUT"])
    expected = grid_set.cells_in(shapely.geometry.Polygon(square))
    assert written["code"].tolist() == expected["code"].tolist()
    assert written["share"].round(12).tolist() == expected["share"].round(12).tolist()


def test_libgrids_refusal_is_the_algorithms_error(qgis, city_path, tmp_path):
    """libgrid's own one-line message reaches the Processing log; nothing is written."""
    output = tmp_path / "never.gpkg"
    done = qgis("run", "libgrid:partition", f"--INPUT={city_path}", "--PARENT_LEVEL=nope",
                "--NEW_LEVEL=block", "--METHOD=1", "--SIZE=100", f"--OUTPUT={output}")
    assert done.returncode != 0
    with pytest.raises(ValueError, match="nope") as refused:
        libgrid.partition(libgrid.GridSet.read(city_path), "nope", "block", method="square",
                          size=100)
    assert str(refused.value) in done.stdout + done.stderr
    assert not output.exists()
