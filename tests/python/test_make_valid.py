"""import_grid_set(..., make_valid=True): invalid polygons repaired and reported, checked against
shapely's make_valid (the same GEOS MakeValid, called independently)."""

import json
import warnings

import pytest
import shapely.wkt
from shapely.geometry import shape
from shapely.validation import make_valid

import libgrid
from grid_fixtures import box, polygon, write_geojson

BOW_TIE = polygon((0, 0), (2, 2), (2, 0), (0, 2))


def import_repaired(levels, **options):
    """The grid set and the RepairedPolygonWarnings issued while importing it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grids = libgrid.import_grid_set(levels, make_valid=True, **options)
    repairs = [w.message for w in caught if isinstance(w.message, libgrid.RepairedPolygonWarning)]
    return grids, repairs


def polygonal_area(geometry):
    """The area of shapely's make_valid of a GeoJSON geometry (its lines have none)."""
    return make_valid(shape(geometry)).area


def cells_with_a_bow_tie(folder):
    """Feature 0 a square, feature 1 (code "bad") a bow-tie crossing itself at (1 1)."""
    return write_geojson(folder / "cells.geojson", [({"code": "ok"}, box(0, 0, 1, 1)), ({"code": "bad"}, BOW_TIE)])


def test_without_make_valid_the_error_names_the_feature_and_suggests_it(tmp_path):
    path = cells_with_a_bow_tie(tmp_path)
    message = (
        f"{path}: layer cells: feature 1: cell 'bad': self-intersecting polygon at (1 1); "
        "repair it or import with make-valid"
    )
    with pytest.raises(ValueError) as raised:
        libgrid.import_grid_set([("grid", path)])
    assert str(raised.value) == message


def test_bow_tie_is_repaired_and_reported(tmp_path):
    path = cells_with_a_bow_tie(tmp_path)
    grids, repairs = import_repaired([("grid", path)])
    assert len(grids) == 2
    [repair] = repairs
    assert isinstance(repair, libgrid.GridSetWarning)
    assert (repair.file, repair.layer, repair.feature, repair.code) == (str(path), "cells", 1, "bad")
    assert repair.problem == "self-intersecting polygon at (1 1)"
    assert (repair.area_before, repair.area_after, repair.share_changed) == (0.0, 2.0, 1.0)
    assert str(repair) == (
        f"{path}: layer cells: feature 1: cell 'bad': repaired self-intersecting polygon at (1 1); "
        "area 0 -> 2 (100% changed)"
    )
    repaired = shapely.wkt.loads(grids.wkt(1))
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon" and len(repaired.geoms) == 2
    assert repaired.area == polygonal_area(BOW_TIE) == 2.0


def test_valid_polygons_are_not_reported(tmp_path):
    path = write_geojson(tmp_path / "cells.geojson", [({"code": "ok"}, box(0, 0, 1, 1))])
    grids, repairs = import_repaired([("grid", path)])
    assert len(grids) == 1 and repairs == []


@pytest.mark.parametrize(
    "name, count, repaired",
    [("110100_full.json", 16, 1), ("100000_full.json", 35, 20)],
    ids=["beijing_districts", "chinese_provinces"],
)
def test_datav_boundaries_import_and_agree_with_shapely(shared_data, name, count, repaired):
    source = shared_data / "beijing" / name
    if not source.exists():
        pytest.skip(f"{source} is absent")
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    grids, repairs = import_repaired([("level", source, "adcode")], crs="GCJ-02")
    assert len(grids) == count and len(repairs) == repaired
    problems = libgrid.validate(grids)
    assert (problems["kind"] == "invalid_geometry").sum() == 0
    cells = grids.cells().set_index("code")
    for repair in repairs:
        geometry = features[repair.feature]["geometry"]
        assert str(features[repair.feature]["properties"]["adcode"]) == repair.code
        assert repair.area_before == pytest.approx(shape(geometry).area, rel=1e-12)
        expected = polygonal_area(geometry)
        assert repair.area_after == pytest.approx(expected, rel=1e-9), repair.code
        imported = shapely.wkt.loads(grids.wkt(int(cells.loc[repair.code, "id"])))
        assert imported.is_valid, repair.code
        assert imported.area == pytest.approx(expected, rel=1e-9), repair.code
    if name == "110100_full.json":
        [shunyi] = repairs
        assert (shunyi.feature, shunyi.code) == (9, "110113")
        assert cells.loc["110113", "name"] == "顺义区"
        assert shunyi.share_changed < 0.001
