#!/usr/bin/python3
"""Verify the libgrid sample data (needs shapely 1.8; run with /usr/bin/python3).

    /usr/bin/python3 data/samples/check.py [--dir data/samples] [--regen]

Checks: file formats, codes, OGC validity, ring orientation, no repeated
vertices inside a feature, nesting of every child in its parent, full
coverage without overlaps at every level, households/population conserved up
the levels, vertex-for-vertex sharing of boundaries, household bands, the
lake / enclave / missing-worker features, roster, duty table and events.
With --regen it also runs generate.py twice into temporary folders and
compares the sha256 of every file with the files in --dir.
"""

import argparse
import csv
import decimal
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

from shapely.geometry import shape, Point
from shapely.ops import unary_union
from shapely.prepared import prep

LEVELS = ["district", "street", "community", "grid", "microgrid"]
CODE_LEN = {"district": 6, "street": 9, "community": 12, "grid": 15, "microgrid": 18}
PROPS = ["code", "name", "parent_code", "households", "population", "kind"]
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}}
AREA_TOL = 1e-6
OUTPUT_FILES = ["district.geojson", "street.geojson", "community.geojson", "grid.geojson",
                "microgrid.geojson", "roster.csv", "duty.csv", "calendar.csv", "events.csv.gz"]

errors = []


def fail(msg):
    errors.append(msg)
    if len(errors) <= 50:
        print("FAIL:", msg)


def signed_area(ring):
    return sum(ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1]
               for k in range(len(ring) - 1)) / 2.0


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    return geom["coordinates"]


def to_float(obj):
    if isinstance(obj, list):
        return [to_float(o) for o in obj]
    return float(obj)


def load_level(d, level):
    path = os.path.join(d, level + ".geojson")
    with open(path, encoding="utf-8") as f:
        fc = json.load(f, parse_float=decimal.Decimal)
    if fc.get("type") != "FeatureCollection":
        fail("%s: not a FeatureCollection" % level)
    if fc.get("crs") != CRS:
        fail("%s: crs member %r" % (level, fc.get("crs")))
    cells = []
    for feat in fc["features"]:
        p = feat["properties"]
        if list(p.keys()) != PROPS:
            fail("%s: properties %r" % (level, list(p.keys())))
        g = feat["geometry"]
        if g["type"] not in ("Polygon", "MultiPolygon"):
            fail("%s %s: geometry type %s" % (level, p["code"], g["type"]))
        for poly in polygons(g):
            for ring in poly:
                for pt in ring:
                    if len(pt) != 2:
                        fail("%s %s: point %r" % (level, p["code"], pt))
                    for v in pt:
                        if isinstance(v, decimal.Decimal) and v.as_tuple().exponent < -2:
                            fail("%s %s: more than 2 decimals in %s" % (level, p["code"], v))
        g = {"type": g["type"], "coordinates": to_float(g["coordinates"])}
        cells.append({"props": p, "geom": g, "shape": shape(g)})
    return cells


def check_cell_geometry(level, c):
    p, g, shp = c["props"], c["geom"], c["shape"]
    code = p["code"]
    if not shp.is_valid:
        from shapely.validation import explain_validity
        fail("%s %s: invalid: %s" % (level, code, explain_validity(shp)))
    seen = set()
    for poly in polygons(g):
        for k, ring in enumerate(poly):
            if ring[0] != ring[-1] or len(ring) < 4:
                fail("%s %s: ring not closed" % (level, code))
            a = signed_area(ring)
            if k == 0 and a <= 0:
                fail("%s %s: shell not counter-clockwise" % (level, code))
            if k > 0 and a >= 0:
                fail("%s %s: hole not clockwise" % (level, code))
            for pt in ring[:-1]:
                t = (pt[0], pt[1])
                if t in seen:
                    fail("%s %s: repeated vertex %r (self-touching)" % (level, code, t))
                seen.add(t)
            for pt in ring:
                if not (496000 <= pt[0] <= 504000 and 4417000 <= pt[1] <= 4423000):
                    fail("%s %s: coordinate out of range %r" % (level, code, pt))


def edge_interior_check(all_cells, vertices):
    """No vertex of any cell may lie inside an edge of any cell: boundaries
    are shared vertex for vertex."""
    cs = 200.0
    buckets = defaultdict(list)
    for v in vertices:
        buckets[(int(v[0] // cs), int(v[1] // cs))].append(v)
    bad = 0
    checked = set()
    for level, c in all_cells:
        for poly in polygons(c["geom"]):
            for ring in poly:
                for k in range(len(ring) - 1):
                    a, b = tuple(ring[k]), tuple(ring[k + 1])
                    key = (a, b) if a < b else (b, a)
                    if key in checked:
                        continue
                    checked.add(key)
                    x0, x1 = min(a[0], b[0]), max(a[0], b[0])
                    y0, y1 = min(a[1], b[1]), max(a[1], b[1])
                    dx, dy = b[0] - a[0], b[1] - a[1]
                    l2 = dx * dx + dy * dy
                    for bx in range(int(x0 // cs), int(x1 // cs) + 1):
                        for by in range(int(y0 // cs), int(y1 // cs) + 1):
                            for v in buckets.get((bx, by), ()):
                                if v == a or v == b:
                                    continue
                                if not (x0 - 1e-6 <= v[0] <= x1 + 1e-6 and y0 - 1e-6 <= v[1] <= y1 + 1e-6):
                                    continue
                                cross = (v[0] - a[0]) * dy - (v[1] - a[1]) * dx
                                if abs(cross) / (l2 ** 0.5) < 1e-4:
                                    t = ((v[0] - a[0]) * dx + (v[1] - a[1]) * dy) / l2
                                    if 0.0 < t < 1.0:
                                        bad += 1
                                        if bad <= 5:
                                            fail("%s %s: vertex %r lies inside edge %r-%r"
                                                 % (level, c["props"]["code"], v, a, b))
    if bad:
        fail("%d vertices lie inside edges instead of being shared" % bad)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=here)
    ap.add_argument("--regen", action="store_true",
                    help="also regenerate twice and compare sha256 with --dir")
    args = ap.parse_args()
    d = args.dir

    cells = dict((lv, load_level(d, lv)) for lv in LEVELS)
    by_code = {}
    for lv in LEVELS:
        for c in cells[lv]:
            code = c["props"]["code"]
            if code in by_code:
                fail("duplicate code %s" % code)
            by_code[code] = (lv, c)

    # ---- properties and codes ------------------------------------------------
    for li, lv in enumerate(LEVELS):
        for c in cells[lv]:
            p = c["props"]
            if not isinstance(p["code"], str) or not re.match(r"^\d+$", p["code"]) \
                    or len(p["code"]) != CODE_LEN[lv]:
                fail("%s: bad code %r" % (lv, p["code"]))
            if not isinstance(p["households"], int) or not isinstance(p["population"], int):
                fail("%s %s: households/population not int" % (lv, p["code"]))
            if p["kind"] not in ("basic", "dedicated"):
                fail("%s %s: kind %r" % (lv, p["code"], p["kind"]))
            if not p["name"]:
                fail("%s %s: empty name" % (lv, p["code"]))
            if li == 0:
                if p["parent_code"] != "":
                    fail("district parent_code must be empty")
            else:
                if not p["code"].startswith(p["parent_code"]) or \
                        p["parent_code"] not in by_code or by_code[p["parent_code"]][0] != LEVELS[li - 1]:
                    fail("%s %s: bad parent %r" % (lv, p["code"], p["parent_code"]))
    if len(cells["district"]) != 1:
        fail("district level must have one cell")

    # ---- geometry ------------------------------------------------------------
    for lv in LEVELS:
        for c in cells[lv]:
            check_cell_geometry(lv, c)
    district = cells["district"][0]["shape"]
    darea = district.area
    for li in range(1, len(LEVELS)):
        lv = LEVELS[li]
        children = defaultdict(list)
        for c in cells[lv]:
            children[c["props"]["parent_code"]].append(c)
        for pc in cells[LEVELS[li - 1]]:
            pcode = pc["props"]["code"]
            ch = children.get(pcode, [])
            if not ch:
                fail("%s %s has no children" % (LEVELS[li - 1], pcode))
                continue
            for c in ch:
                outside = c["shape"].difference(pc["shape"]).area
                if outside > AREA_TOL:
                    fail("%s %s: %.6f m2 outside its parent" % (lv, c["props"]["code"], outside))
            u = unary_union([c["shape"] for c in ch])
            gap = pc["shape"].symmetric_difference(u).area
            if gap > AREA_TOL:
                fail("%s %s: children do not cover it (%.6f m2)" % (LEVELS[li - 1], pcode, gap))
            s = sum(c["shape"].area for c in ch)
            if abs(s - pc["shape"].area) > AREA_TOL * max(1, len(ch)):
                fail("%s %s: children overlap (sum %.6f vs %.6f)" % (LEVELS[li - 1], pcode, s, pc["shape"].area))
            for key in ("households", "population"):
                tot = sum(c["props"][key] for c in ch)
                if tot != pc["props"][key]:
                    fail("%s %s: %s %d != sum of children %d" % (LEVELS[li - 1], pcode, key, pc["props"][key], tot))
        s = sum(c["shape"].area for c in cells[lv])
        if abs(s - darea) > AREA_TOL * len(cells[lv]):
            fail("%s: level area %.6f != district area %.6f" % (lv, s, darea))
    all_cells = [(lv, c) for lv in LEVELS for c in cells[lv]]
    vertices = set()
    for lv, c in all_cells:
        for poly in polygons(c["geom"]):
            for ring in poly:
                for pt in ring:
                    vertices.add((pt[0], pt[1]))
    edge_interior_check(all_cells, vertices)

    # ---- bands and special features -------------------------------------------
    basic_grids = [c for c in cells["grid"] if c["props"]["kind"] == "basic"]
    for c in basic_grids:
        h = c["props"]["households"]
        if not 300 <= h <= 500:
            fail("basic grid %s has %d households" % (c["props"]["code"], h))
    basic_micro = [c for c in cells["microgrid"] if c["props"]["kind"] == "basic"]
    for c in basic_micro:
        h = c["props"]["households"]
        if not 30 <= h <= 60:
            fail("basic microgrid %s has %d households" % (c["props"]["code"], h))
    micro_per_grid = Counter(c["props"]["parent_code"] for c in cells["microgrid"])
    lake = [c for c in cells["grid"] if c["props"]["name"] == "东湖公园网格"]
    if len(lake) != 1 or lake[0]["props"]["kind"] != "dedicated" or lake[0]["props"]["households"] != 0:
        fail("lake grid missing or wrong")
    lake_code = lake[0]["props"]["code"] if lake else None
    if lake and micro_per_grid[lake_code] != 1:
        fail("lake grid must have exactly one microgrid")
    if lake:
        m = [c for c in cells["microgrid"] if c["props"]["parent_code"] == lake_code][0]
        if m["shape"].symmetric_difference(lake[0]["shape"]).area > AREA_TOL:
            fail("lake microgrid differs from the lake grid")
    holes = dict((lv, [c["props"]["code"] for c in cells[lv]
                       if any(len(p) > 1 for p in polygons(c["geom"]))]) for lv in LEVELS)
    multi = dict((lv, [c["props"]["code"] for c in cells[lv] if c["geom"]["type"] == "MultiPolygon"])
                 for lv in LEVELS)
    lake_surround = None
    if lake:
        for c in cells["grid"]:
            for p in polygons(c["geom"]):
                for ring in p[1:]:
                    if shape({"type": "Polygon", "coordinates": [ring[::-1]]}).symmetric_difference(
                            lake[0]["shape"]).area < AREA_TOL:
                        lake_surround = c
        if lake_surround is None or lake_surround["props"]["kind"] != "basic":
            fail("no basic grid has the lake as a hole")
    if len(multi["community"]) != 1:
        fail("expected exactly one multipart community, got %r" % multi["community"])
    if not holes["community"]:
        fail("expected a community with a hole (the enclave host)")
    dedicated = [c for c in cells["grid"] if c["props"]["kind"] == "dedicated"]
    if len(dedicated) < 4:
        fail("expected the lake plus at least 3 more dedicated grids")

    # ---- roster ----------------------------------------------------------------
    with open(os.path.join(d, "roster.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != ["cell_code", "role", "person_id", "name", "phone"]:
        fail("roster header %r" % rows[0])
    roles = defaultdict(Counter)
    pids = set()
    for r in rows[1:]:
        code, role, pid, name, ph = r
        if code not in by_code:
            fail("roster: unknown cell %s" % code)
        if role not in ("grid_worker", "grid_leader", "info_worker"):
            fail("roster: role %s" % role)
        if not re.match(r"^P\d{6}$", pid) or pid in pids:
            fail("roster: person id %s" % pid)
        pids.add(pid)
        if not re.match(r"^1\d{10}$", ph):
            fail("roster: phone %s" % ph)
        if not name:
            fail("roster: empty name")
        roles[code][role] += 1
    no_worker = []
    for c in cells["grid"]:
        code = c["props"]["code"]
        r = roles[code]
        if r["grid_worker"] == 0:
            no_worker.append(code)
        elif r["grid_worker"] != 1:
            fail("grid %s has %d grid workers" % (code, r["grid_worker"]))
        if r["grid_leader"] != 1:
            fail("grid %s has %d grid leaders" % (code, r["grid_leader"]))
        if not 1 <= r["info_worker"] <= 3:
            fail("grid %s has %d info workers" % (code, r["info_worker"]))
    if no_worker != [lake_code]:
        fail("grids without a grid worker: %r (expected only the lake)" % no_worker)
    for lv in ("street", "community"):
        for c in cells[lv]:
            if roles[c["props"]["code"]]["grid_leader"] != 1:
                fail("%s %s needs one grid_leader" % (lv, c["props"]["code"]))

    # ---- duty ------------------------------------------------------------------
    with open(os.path.join(d, "duty.csv"), encoding="utf-8", newline="") as f:
        duty = list(csv.reader(f))
    if duty[0] != ["event_class", "class_name", "department", "handling_level", "deadline", "deadline_unit"]:
        fail("duty header %r" % duty[0])
    classes = set()
    for r in duty[1:]:
        if r[0] in classes or not re.match(r"^\d\d(\d\d)?$", r[0]):
            fail("duty: class %s" % r[0])
        classes.add(r[0])
        if r[3] not in ("grid", "community", "street", "district"):
            fail("duty: level %s" % r[3])
        if r[5] not in ("urgent_hours", "working_hours", "working_days", "calendar_days"):
            fail("duty: unit %s" % r[5])
        if not r[4].isdigit() or int(r[4]) <= 0:
            fail("duty: deadline %s" % r[4])
    for r in duty[1:]:
        if len(r[0]) == 4 and r[0][:2] not in classes:
            fail("duty: subclass %s without major class" % r[0])

    # ---- events ------------------------------------------------------------------
    with gzip.open(os.path.join(d, "events.csv.gz"), "rt", encoding="utf-8", newline="") as f:
        ev = list(csv.reader(f))
    if ev[0] != ["event_id", "x", "y", "event_class", "reported_at", "closed_at", "reopened"]:
        fail("events header %r" % ev[0])
    if len(ev) - 1 != 100000:
        fail("events: %d rows" % (len(ev) - 1))
    pd = prep(district)
    outside = 0
    ids = set()
    hours = Counter()
    still_open = reworked = 0
    for r in ev[1:]:
        eid, x, y, cls, t, closed, reopened = r
        if closed == "":
            still_open += 1
        elif not re.match(r"^2026-(0[1-9]|1[0-2])-\d\dT\d\d:\d\d$", closed) or closed < t:
            fail("events: %s closed at %r, reported at %s" % (eid, closed, t))
        if reopened not in ("0", "1", "2"):
            fail("events: %s reopened %r" % (eid, reopened))
        reworked += reopened != "0"
        if eid in ids:
            fail("events: duplicate id %s" % eid)
        ids.add(eid)
        if cls not in classes:
            fail("events: class %s" % cls)
        if not re.match(r"^2026-(0[1-9]|10)-\d\dT\d\d:\d\d$", t):
            fail("events: time %s" % t)
        hours[int(t[11:13])] += 1
        for v in (x, y):
            if "." in v and len(v.split(".")[1]) > 1:
                fail("events: more than 1 decimal in %s" % v)
        if not pd.contains(Point(float(x), float(y))):
            outside += 1
    if not 400 <= outside <= 600:
        fail("events: %d outside the district (expected ~500)" % outside)
    if not 3000 <= still_open <= 7000 or not 5000 <= reworked <= 9000:
        fail("events: %d open, %d reworked (expected ~4,800 and ~7,000)" % (still_open, reworked))

    # ---- determinism -----------------------------------------------------------
    if args.regen:
        def digests(folder):
            out = {}
            for name in OUTPUT_FILES:
                with open(os.path.join(folder, name), "rb") as f:
                    out[name] = hashlib.sha256(f.read()).hexdigest()
            return out
        ref = digests(d)
        for py in (sys.executable, "python3"):
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.check_call([py, os.path.join(here, "generate.py"), "--out", tmp],
                                      stdout=subprocess.DEVNULL)
                got = digests(tmp)
            for name in OUTPUT_FILES:
                if got[name] != ref[name]:
                    fail("regenerated %s with %s differs" % (name, py))

    # ---- summary -------------------------------------------------------------------
    print("files:")
    total = 0
    for name in sorted(os.listdir(d)):
        pth = os.path.join(d, name)
        if os.path.isfile(pth):
            total += os.path.getsize(pth)
            print("  %-20s %9d bytes" % (name, os.path.getsize(pth)))
    print("  %-20s %9d bytes" % ("total", total))
    print("cells:", ", ".join("%s %d" % (lv, len(cells[lv])) for lv in LEVELS))
    gh = [c["props"]["households"] for c in basic_grids]
    mh = [c["props"]["households"] for c in basic_micro]
    print("basic grid households: %d..%d; basic microgrid households: %d..%d" % (min(gh), max(gh), min(mh), max(mh)))
    print("microgrids per basic grid: %d..%d" % (min(micro_per_grid[c["props"]["code"]] for c in basic_grids),
                                                max(micro_per_grid[c["props"]["code"]] for c in basic_grids)))
    for c in dedicated:
        print("dedicated grid %s %s households %d" % (c["props"]["code"], c["props"]["name"], c["props"]["households"]))
    print("cells with holes:", dict((lv, v) for lv, v in holes.items() if v))
    print("multipart cells:", dict((lv, v) for lv, v in multi.items() if v))
    print("lake grid %s inside basic grid %s; grids without grid_worker: %s"
          % (lake_code, lake_surround["props"]["code"] if lake_surround else None, no_worker))
    print("events outside the district: %d; by hour: %s" % (outside, [hours[h] for h in range(24)]))
    # sample shared vertices for tests
    def owners_of(level):
        own = defaultdict(set)
        for c in cells[level]:
            for poly in polygons(c["geom"]):
                for ring in poly:
                    for pt in ring:
                        own[(pt[0], pt[1])].add(c["props"]["code"])
        return own
    dist_vertices = set()
    for poly in polygons(cells["district"][0]["geom"]):
        for ring in poly:
            for pt in ring:
                dist_vertices.add((pt[0], pt[1]))
    for level in ("grid", "microgrid"):
        own = owners_of(level)
        inner = [v for v in own if v not in dist_vertices]
        top = max(len(own[v]) for v in inner)
        many = sorted(v for v in inner if len(own[v]) == top)
        print("%s vertices shared by %d %ss (not on the district outline): %d, e.g."
              % (level, top, level, len(many)))
        for v in many[:2]:
            print("  %.2f %.2f %s" % (v[0], v[1], sorted(own[v])))
    gown = owners_of("grid")
    if lake_surround:
        ring = polygons(lake[0]["geom"])[0][0]
        print("lake ring (%d vertices), e.g. %.2f %.2f %s"
              % (len(ring) - 1, ring[0][0], ring[0][1], sorted(gown[(ring[0][0], ring[0][1])])))
    if multi["community"]:
        owner = multi["community"][0]
        small = [c for c in cells["grid"] if c["props"]["parent_code"] == owner
                 and not c["shape"].intersects(max(by_code[owner][1]["shape"].geoms, key=lambda g: g.area))]
        for c in small:
            ring = polygons(c["geom"])[0][0]
            print("enclave grid %s (%d vertices), e.g. %.2f %.2f %s"
                  % (c["props"]["code"], len(ring) - 1, ring[0][0], ring[0][1], sorted(gown[(ring[0][0], ring[0][1])])))
    if errors:
        print("FAILED: %d problem(s)" % len(errors))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
