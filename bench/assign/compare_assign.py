"""Compares the codes a peer gave every point with libgrid's, row by row.

    /usr/bin/python3 bench/assign/compare_assign.py GRID_SET.gpkg LIBGRID.csv NAME=PEER.csv...

Every file has the points' rows in the same order with an event_id column and a code column per
level (borough, district). Prints, per peer and level, how many points agree and how many do not,
and explains each disagreement with Shapely (GEOS):
- libgrid reads a point's coarser codes from its finest cell's parents (one lookup, all levels);
  the peers join every level on its own. Where a district sticks out of its borough (the layers
  were digitised apart), a point in that sliver gets the district's parent from libgrid and the
  borough whose polygon holds it from the peers;
- a point on the boundary of a cell: the peers' predicates give it to no cell (within) or to
  both (covers, lowest code kept); libgrid's boundary rule gives it the cell holding the point an
  infinitesimal step north (and a smaller step east), which is checked here.
Exits 1 when a disagreement has neither explanation.
"""

import csv
import sys
from collections import Counter

import geopandas as gpd
from shapely.geometry import Point

LEVELS = ("borough", "district")
SHOWN = 5


def cell_holding(cells, point):
    held = [code for code, geom in cells if geom.contains(point)]
    return ",".join(held) or "none"


def main() -> int:
    grid_set, libgrid_path = sys.argv[1:3]
    peers = [arg.split("=", 1) for arg in sys.argv[3:]]
    layers = {level: gpd.read_file(grid_set, layer=level) for level in LEVELS}
    cells = {
        level: list(layer[["code", "geometry"]].itertuples(False)) for level, layer in layers.items()
    }
    parent = dict(zip(layers["district"]["code"], layers["district"]["parent_code"]))
    borough_of = dict(zip(layers["borough"]["code"], layers["borough"]["geometry"]))
    unexplained = 0
    for name, path in peers:
        counts = Counter()
        kinds = Counter()
        examples = []
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
                    point = Point(x, y)
                    on = [code for code, geom in cells[level] if geom.touches(point)]
                    # The boundary rule: the cell holding p + (d*d, d) for every small d > 0.
                    north = cell_holding(cells[level], Point(x + 1e-12, y + 1e-7))
                    sliver = (
                        level == "borough"
                        and a == parent.get(mine["district"])
                        and not borough_of[a].covers(point)
                    )
                    if sliver:
                        kind = "in a district outside its borough (libgrid: the district's parent)"
                    elif on:
                        rule = "agrees" if north == (a or "none") else "DIFFERS"
                        kind = f"on a boundary (libgrid's rule {rule})"
                    else:
                        kind = "UNEXPLAINED"
                        unexplained += 1
                    kinds[level, kind] += 1
                    if len(examples) < SHOWN or kind == "UNEXPLAINED":
                        examples.append(
                            f"    {mine['event_id']} ({mine['lon']}, {mine['lat']}) {level}: "
                            f"libgrid {a or '-'} (district {mine['district'] or '-'}), {name} "
                            f"{b or '-'}; on the boundary of {','.join(on) or 'no cell'}; "
                            f"a step north-east is in {north}"
                        )
        print(f"{name} against libgrid, {counts['rows']:,} rows:")
        for level in LEVELS:
            print(
                f"  {level:<9} same code {counts[level, 'same']:>10,} "
                f"({counts[level, 'covered']:,} in a cell, {counts[level, 'uncovered']:,} in none), "
                f"different {counts[level, 'differ']:,}"
            )
        for (level, kind), n in sorted(kinds.items()):
            print(f"    {level}: {n:,} {kind}")
        print("\n".join(examples))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
