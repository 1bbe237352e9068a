"""Small grid sets written as GeoJSON for the tests: readable coordinates, exact expectations."""

import json

CRS_URN = "urn:ogc:def:crs:EPSG::3857"


def box(x0, y0, x1, y1):
    """A rectangle as a GeoJSON Polygon."""
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def polygon(*points):
    """A polygon through the given (x, y) points (the ring is closed here)."""
    ring = [list(p) for p in points] + [list(points[0])]
    return {"type": "Polygon", "coordinates": [ring]}


def write_geojson(path, features, crs=CRS_URN):
    """Writes [(properties, geometry), ...] as a FeatureCollection; returns the path."""
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
    }
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(path, header, rows):
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
