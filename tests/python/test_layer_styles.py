"""Every map layer of the GeoPackages libgrid writes carries one default QGIS style in the
layer_styles table, whose QML is well-formed XML naming fields the layer has and whose classes
span the layer's values. Read with sqlite3 and ElementTree, independently of libgrid and QGIS.

The grid set is written through the Python module; the problems, evaluation and zone files by
gridtool (found beside the module in the build tree; those cases skip without it)."""

import pathlib
import re
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import pytest

import libgrid

LEVELS = ["district", "street", "community", "grid", "microgrid"]
GRIDTOOL = pathlib.Path(libgrid.__file__).resolve().parents[2] / "tools" / "gridtool"


@pytest.fixture(scope="module")
def city_path(samples_dir, tmp_path_factory):
    grid_set = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    grid_set.set_roster_csv(samples_dir / "roster.csv")
    grid_set.set_duty_csv(samples_dir / "duty.csv")
    path = tmp_path_factory.mktemp("styles") / "city.gpkg"
    grid_set.write(path)
    return path


def gridtool(*args):
    if not GRIDTOOL.is_file():
        pytest.skip(f"gridtool not built at {GRIDTOOL}")
    run = subprocess.run([str(GRIDTOOL), *map(str, args)], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr  # validate exits 1 when it finds problems


def styles_of(path):
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
            "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time "
            "FROM layer_styles").fetchall()
        feature_tables = [r[0] for r in db.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
        columns = {t: [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')]
                   for t in feature_tables}
    return rows, columns


def fields_named(qml_root):
    """The field names a QML style uses: the renderer's attribute, the label field, and the
    double-quoted names in its expressions."""
    names = set()
    renderer = qml_root.find("renderer-v2")
    if renderer is not None and renderer.get("attr"):
        names.add(renderer.get("attr"))
    for text_style in qml_root.iter("text-style"):
        names.add(text_style.get("fieldName"))
    expressions = [o.get("value") for o in qml_root.iter("Option") if o.get("name") == "expression"]
    expressions += [c.text for c in qml_root.iter("orderByClause")]
    for e in expressions:
        names.update(m.replace('""', '"') for m in re.findall(r'"((?:[^"]|"")*)"', e))
    return names


def check_styles(path, value_field=None):
    """One default style per feature table, its QML well-formed and naming existing fields, its
    graduated classes spanning the value field's values; returns the parsed QMLs by table."""
    rows, columns = styles_of(path)
    assert sorted(r[2] for r in rows if r[7] == 1) == sorted(columns), "one default per map layer"
    parsed = {}
    with sqlite3.connect(path) as db:
        for catalog, schema, table, geometry_column, name, qml, sld, default, description, *_ in rows:
            assert (catalog, schema, geometry_column) == ("", "", "geom")
            assert description
            root = ET.fromstring(qml)
            ET.fromstring(sld)
            assert root.tag == "qgis"
            assert fields_named(root) <= set(columns[table]), table
            if default != 1:
                assert name == "libgrid outline"
                continue
            assert name == "libgrid"
            assert root.tag == "qgis"
            renderer = root.find("renderer-v2")
            if value_field and renderer.get("type") == "graduatedSymbol":
                assert renderer.get("attr") == value_field
                ranges = renderer.findall("ranges/range")
                values = [v for (v,) in db.execute(
                    f'SELECT "{value_field}" FROM "{table}" WHERE "{value_field}" IS NOT NULL')]
                if table == "zone_cells":
                    # The finest level is the one filled, its values make the classes; the
                    # outer ranges are open so that every level's outline is drawn.
                    assert float(ranges[0].get("lower")) <= min(values)
                    assert float(ranges[-1].get("upper")) >= max(values)
                    values = [v for (v,) in db.execute(
                        f'SELECT "{value_field}" FROM "{table}" WHERE level = ?', (LEVELS[-1],))]
                    assert ranges[0].get("label").startswith(f"{min(values):.6g} - ")
                    assert ranges[-1].get("label").endswith(f" - {max(values):.6g}")
                else:
                    assert float(ranges[0].get("lower")) == min(values)
                    assert float(ranges[-1].get("upper")) == max(values)
                for a, b in zip(ranges, ranges[1:]):
                    assert a.get("upper") == b.get("lower")
            parsed[table] = root
    return parsed


def test_grid_set_levels_styled_by_households_and_outlined_by_level(city_path):
    parsed = check_styles(city_path, "households")
    assert sorted(parsed) == sorted(LEVELS)
    rows, _ = styles_of(city_path)
    outlines = [r for r in rows if r[4] == "libgrid outline"]
    assert sorted(r[2] for r in outlines) == sorted(LEVELS)
    for r in outlines:
        symbol = ET.fromstring(r[5]).find("renderer-v2/symbols/symbol/layer/Option")
        assert {o.get("name"): o.get("value") for o in symbol}["style"] == "no"
    widths = []
    for level in LEVELS:
        root = parsed[level]
        assert root.find("renderer-v2").get("type") == "graduatedSymbol"
        assert root.find("labeling/settings/text-style").get("fieldName") == "name"
        width = next(o.get("value") for o in root.iter("Option") if o.get("name") == "outline_width")
        widths.append(float(width))
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == len(LEVELS)


def test_problems_evaluation_and_zone_files_styled(city_path, samples_dir, tmp_path):
    gridtool("validate", city_path, "-o", tmp_path / "problems.gpkg")
    assert sorted(check_styles(tmp_path / "problems.gpkg")) == ["problems"]
    gridtool("stats", city_path, "--events", samples_dir / "events.csv.gz", "--by", "grid",
             "-o", tmp_path / "stats.gpkg")
    check_styles(tmp_path / "stats.gpkg", "events_per_100_households")
    gridtool("area", city_path, "--circle", "500000,4420000,600", "-o", tmp_path / "zone.gpkg")
    zone = check_styles(tmp_path / "zone.gpkg", "households")
    assert zone["zone_cells"].find("renderer-v2").get("enableorderby") == "1"
