"""Compares the codes a peer gave every point with libgrid's, row by row.

    /usr/bin/python3 bench/assign/compare_assign.py GRID_SET.gpkg LIBGRID.csv NAME=PEER.csv...

Every file has the points' rows in the same order with an event_id column and a code column per
level (borough, district). Prints, per peer and level, how many points agree and how many do not,
and explains each disagreement with Shapely (GEOS):
- libgrid reads a point's coarser codes from its finest cell's parents (one lookup, all levels);
  the peers join every level on its own. Where a district sticks out of its borough (the layers
  were digitised apart), a point in that sliver gets the district's parent from libgrid and the
  borough whose polygon holds it from the peers; on a borough's boundary, the peers' predicate
  decides and libgrid still gives the district's parent;
- a point on the boundary of a cell: the peers' predicates give it to no cell (within) or to
  both (covers, lowest code kept); libgrid's boundary rule gives it the cell holding the point an
  infinitesimal step north (and a smaller step east), which is checked here exactly, on the
  first RULE_CHECKS (5,000, or LIBGRID_BENCH_RULE_CHECKS) such points of each level.
Exits 1 when a disagreement has none of these explanations.
"""

import csv
import os
import sys
from collections import Counter

import geopandas as gpd
import numpy as np
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.prepared import prep

LEVELS = ("borough", "district")
SHOWN = 2  # examples of each kind of disagreement
# LIBGRID_BENCH_RULE_CHECKS=100000 checks every vertex of NYC's districts (about 2 minutes).
RULE_CHECKS = int(os.environ.get("LIBGRID_BENCH_RULE_CHECKS", "5000"))


def translated(geometry, x, y):
    """The geometry moved by (-x, -y), exactly: every coordinate is within a factor of 2 of x
    (or y), so each difference is exact (Sterbenz)."""
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        shell = np.asarray(polygon.exterior.coords) - (x, y)
        holes = [np.asarray(ring.coords) - (x, y) for ring in polygon.interiors]
        parts.append(Polygon(shell, holes))
    return MultiPolygon(parts)


class Level:
    def __init__(self, layer):
        self.cells = [
            (code, geom, prep(geom), geom.bounds) for code, geom in zip(layer["code"], layer.geometry)
        ]
        self.rules = {}

    def near(self, x, y):
        for code, geom, prepared, (x0, y0, x1, y1) in self.cells:
            if x0 <= x <= x1 and y0 <= y <= y1:
                yield code, geom, prepared

    def on_boundary_of(self, x, y):
        point = Point(x, y)
        return [
            code
            for code, _, prepared in self.near(x, y)
            if prepared.covers(point) and not prepared.contains(point)
        ]

    def rule(self, x, y):
        """The cell libgrid's boundary rule gives (x, y), the one holding (x, y) + (d*d, d) for
        every small d > 0: in coordinates moved to put (x, y) at the origin, (1e-30, 1e-15) is
        exactly that point for d = 1e-15, nearer than any other vertex or edge and steeper than
        any edge. None once RULE_CHECKS points were checked."""
        if (x, y) not in self.rules:
            if len(self.rules) >= RULE_CHECKS:
                return None
            probe = Point(1e-30, 1e-15)
            held = [c for c, geom, _ in self.near(x, y) if translated(geom, x, y).contains(probe)]
            self.rules[x, y] = ",".join(held)
        return self.rules[x, y]


def main() -> int:
    grid_set, libgrid_path = sys.argv[1:3]
    peers = [arg.split("=", 1) for arg in sys.argv[3:]]
    layers = {level: gpd.read_file(grid_set, layer=level) for level in LEVELS}
    levels = {level: Level(layer) for level, layer in layers.items()}
    parent = dict(zip(layers["district"]["code"], layers["district"]["parent_code"]))
    borough_of = {code: prep(geom) for code, geom in zip(layers["borough"]["code"], layers["borough"].geometry)}
    unexplained = 0
    for name, path in peers:
        counts = Counter()
        kinds = Counter()
        examples = {}
        with open(libgrid_path, newline="") as ours, open(path, newline="") as theirs:
            for row, (mine, other) in enumerate(zip(csv.DictReader(ours), csv.DictReader(theirs))):
                if mine["event_id"] != other["event_id"]:
                    print(f"{name}: row {row + 1} is {other['event_id']}, libgrid's {mine['event_id']}")
                    return 1
                counts["rows"] += 1
                for level in LEVELS:
                    a, b = mine[level], other[level]
                    if a == b:
                        counts[level, "same"] += 1
                        counts[level, "covered" if a else "uncovered"] += 1
                        continue
                    counts[level, "differ"] += 1
                    x, y = float(mine["lon"]), float(mine["lat"])
                    on = levels[level].on_boundary_of(x, y)
                    rule = None
                    from_parent = level == "borough" and a and a == parent.get(mine["district"])
                    if from_parent and not borough_of[a].covers(Point(x, y)):
                        kind = "in a district outside its borough (libgrid: the district's parent)"
                    elif from_parent and on:
                        kind = "on a borough boundary (libgrid: the parent of its district)"
                    elif on:
                        rule = levels[level].rule(x, y)
                        if rule is None:
                            kind = "on a boundary (rule not checked)"
                        elif rule == a:
                            kind = "on a boundary, libgrid's answer is the boundary rule's"
                        else:
                            kind = "UNEXPLAINED: on a boundary, libgrid's answer is NOT the rule's"
                    else:
                        kind = "UNEXPLAINED"
                    unexplained += kind.startswith("UNEXPLAINED")
                    kinds[level, kind] += 1
                    shown = examples.setdefault((level, kind), [])
                    if len(shown) < SHOWN or kind.startswith("UNEXPLAINED"):
                        shown.append(
                            f"      {mine['event_id']} ({mine['lon']}, {mine['lat']}): libgrid "
                            f"{a or '-'} (district {mine['district'] or '-'}), {name} {b or '-'}; "
                            f"on the boundary of {','.join(on) or 'no cell'}"
                            + ("" if rule is None else f"; the rule gives {rule or 'none'}")
                        )
        print(f"{name} against libgrid, {counts['rows']:,} rows:")
        for level in LEVELS:
            print(
                f"  {level:<9} same code {counts[level, 'same']:>10,} "
                f"({counts[level, 'covered']:,} in a cell, {counts[level, 'uncovered']:,} in none), "
                f"different {counts[level, 'differ']:,}"
            )
        for (level, kind), n in sorted(kinds.items()):
            print(f"    {level}: {n:,} {kind}, e.g.")
            print("\n".join(examples[level, kind]))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
