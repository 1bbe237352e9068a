"""Writes every distinct vertex of a grid set level as a points CSV, coordinates exact.

    /usr/bin/python3 bench/assign/vertex_points.py GRID_SET.gpkg LEVEL OUT.csv

The columns are those of the benchmark's points (event_id, lon, lat, event_class, reported_at).
Every point lies exactly on a cell boundary, where the peers' predicates and libgrid's boundary
rule answer differently; coordinates are written in Python's shortest round-trip form, so every
reader that parses correctly rounded gets the vertex itself.
"""

import csv
import sys

import geopandas as gpd


def rings(geometry):
    for polygon in getattr(geometry, "geoms", [geometry]):
        yield polygon.exterior
        yield from polygon.interiors


def main() -> None:
    grid_set, level, out_path = sys.argv[1:4]
    vertices = set()
    for geometry in gpd.read_file(grid_set, layer=level).geometry:
        for ring in rings(geometry):
            vertices.update(ring.coords)
    with open(out_path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["event_id", "lon", "lat", "event_class", "reported_at"])
        for i, (x, y) in enumerate(sorted(vertices), start=1):
            writer.writerow([f"V{i}", repr(x), repr(y), "01", "2026-11-02T10:00"])


if __name__ == "__main__":
    main()
