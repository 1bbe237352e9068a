#!/usr/bin/env python3
"""Deterministic generator of the libgrid sample district (示范区).

Python 3 standard library only.  Usage:

    python3 data/samples/generate.py [--seed 2026] [--out data/samples]

The same seed always gives byte-identical files.  See README.md beside this
script for the file formats.

Everything is built on ONE jittered lattice of NX x NY squares.  Lattice node
(i, j) (i = column west->east, j = row south->north) has one fixed coordinate
in EPSG:4548 metres, rounded once to 0.01 m and kept as an integer number of
centimetres.  Every cell at every level is a set of lattice squares and its
rings are traced through the lattice nodes, so neighbouring cells share their
boundaries vertex for vertex with bit-identical coordinates.
"""

import argparse
import bisect
import gzip
import json
import math
import os
import random
import sys

# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------

NX, NY = 84, 56            # lattice squares: columns (west->east), rows (south->north)
DX, DY = 80.0, 86.0        # nominal square size in metres
X0 = 500000.0 - NX * DX / 2.0
Y0 = 4420000.0 - NY * DY / 2.0
JITTER = 14.0              # max random displacement of a node, metres
TARGET_HOUSEHOLDS = 34500  # approximate district total
MAX_SQ_HOUSEHOLDS = 40
ROW_CAP = 20               # households in an ordinary (non-tower) square

DISTRICT_CODE = "110119"
DISTRICT_NAME = "示范区"
CRS_URN = "urn:ogc:def:crs:EPSG::4548"

GRID_BAND = (300, 500)     # households per basic grid
GRID_AIM = 400
MICRO_BAND = (30, 60)      # households per basic microgrid
MICRO_AIM = 55

EVENT_COUNT = 100000
EVENT_OUTSIDE = 500        # 0.5 % of the events fall outside the district
EVENT_FIRST_DAY = (2026, 1, 1)
EVENT_DAYS = 304           # 2026-01-01 .. 2026-10-31

STREET_NAMES = ["和平街道", "建设街道", "胜利街道", "光明街道"]
COMMUNITY_NAMES = [
    "桃园社区", "柳荫社区", "学府社区", "新华社区", "春晖社区", "文苑社区",
    "金台社区", "翠微社区", "枫林社区", "丰收社区", "长安社区", "幸福社区",
    "青年路社区", "东风社区", "朝阳社区", "建华社区",
]
LAKE_COMMUNITY_NAME = "东湖社区"
LAKE_GRID_NAME = "东湖公园网格"
DEDICATED = [
    # (key, grid name, block width, block height, households in the block)
    ("school", "育才学校网格", 3, 3, 8),
    ("hospital", "区人民医院网格", 3, 2, 14),
    ("government", "区政府机关网格", 2, 3, 5),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉"
    "建国志强海燕晓东文博俊杰子涵欣怡浩然思远雨桐佳琪宇航梓萱雅婷振华淑珍凤兰立新"
)
PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139",
                  "150", "151", "152", "155", "157", "158", "159", "177", "180",
                  "186", "187", "188", "189", "199"]


# --------------------------------------------------------------------------
# seeded randomness: only Random.random() is used, so the stream is the same
# under every Python 3 version
# --------------------------------------------------------------------------

class Rng(object):
    def __init__(self, seed, stream):
        self.r = random.Random(seed * 1000 + stream)

    def random(self):
        return self.r.random()

    def uniform(self, a, b):
        return a + (b - a) * self.r.random()

    def randint(self, a, b):
        """Integer in [a, b]."""
        return a + min(b - a, int(self.r.random() * (b - a + 1)))

    def choice(self, seq):
        return seq[self.randint(0, len(seq) - 1)]

    def pick_cum(self, cum):
        """Index drawn with probability proportional to the weights whose
        running sums are cum (zero weights are never drawn)."""
        return bisect.bisect_right(cum, self.r.random() * cum[-1])

    def shuffle(self, seq):
        for k in range(len(seq) - 1, 0, -1):
            m = self.randint(0, k)
            seq[k], seq[m] = seq[m], seq[k]


# --------------------------------------------------------------------------
# lattice square helpers (a square is (i, j); its corners are the nodes
# (i, j), (i+1, j), (i+1, j+1), (i, j+1))
# --------------------------------------------------------------------------

def nb4(s):
    i, j = s
    return ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1))


def nb8(s):
    i, j = s
    return tuple((i + a, j + b) for b in (-1, 0, 1) for a in (-1, 0, 1)
                 if a or b)


def components(sq):
    """4-connected components of the set sq, largest first."""
    seen = set()
    comps = []
    for s in sorted(sq):
        if s in seen:
            continue
        seen.add(s)
        stack = [s]
        comp = []
        while stack:
            c = stack.pop()
            comp.append(c)
            for n in nb4(c):
                if n in sq and n not in seen:
                    seen.add(n)
                    stack.append(n)
        comp.sort()
        comps.append(comp)
    comps.sort(key=lambda c: (-len(c), c[0]))
    return comps


def is_connected(sq):
    if not sq:
        return False
    start = min(sq)
    seen = {start}
    stack = [start]
    while stack:
        c = stack.pop()
        for n in nb4(c):
            if n in sq and n not in seen:
                seen.add(n)
                stack.append(n)
    return len(seen) == len(sq)


def pinch_nodes(sq):
    """Nodes where sq touches itself only diagonally (a pinch vertex)."""
    nodes = set()
    for (i, j) in sq:
        nodes.update(((i, j), (i + 1, j), (i, j + 1), (i + 1, j + 1)))
    out = []
    for (i, j) in nodes:
        a = (i - 1, j - 1) in sq
        b = (i, j - 1) in sq
        c = (i - 1, j) in sq
        d = (i, j) in sq
        if (a and d and not b and not c) or (b and c and not a and not d):
            out.append((i, j))
    out.sort()
    return out


def hole_squares(sq):
    """Squares not in sq that sq encloses."""
    if not sq:
        return []
    imin = min(s[0] for s in sq) - 1
    imax = max(s[0] for s in sq) + 1
    jmin = min(s[1] for s in sq) - 1
    jmax = max(s[1] for s in sq) + 1
    start = (imin, jmin)
    seen = {start}
    stack = [start]
    while stack:
        c = stack.pop()
        for n in nb4(c):
            if (imin <= n[0] <= imax and jmin <= n[1] <= jmax
                    and n not in sq and n not in seen):
                seen.add(n)
                stack.append(n)
    holes = []
    for i in range(imin, imax + 1):
        for j in range(jmin, jmax + 1):
            if (i, j) not in sq and (i, j) not in seen:
                holes.append((i, j))
    return holes


def piece_ok(sq, allowed_holes):
    if not is_connected(sq):
        return False
    if pinch_nodes(sq):
        return False
    for h in hole_squares(sq):
        if h not in allowed_holes:
            return False
    return True


def perimeter(sq):
    return sum(1 for s in sq for n in nb4(s) if n not in sq)


# --------------------------------------------------------------------------
# lattice nodes
# --------------------------------------------------------------------------

def build_nodes(rng):
    """Node coordinates as integer centimetres: nodes[i][j] = (x_cm, y_cm)."""
    p = [rng.uniform(0.0, 2.0 * math.pi) for _ in range(4)]
    nodes = []
    for i in range(NX + 1):
        col = []
        for j in range(NY + 1):
            wx = (20.0 * math.sin(2.0 * math.pi * j / 37.0 + p[0])
                  + 10.0 * math.sin(2.0 * math.pi * i / 53.0 + p[1]))
            wy = (16.0 * math.sin(2.0 * math.pi * i / 41.0 + p[2])
                  + 9.0 * math.sin(2.0 * math.pi * j / 29.0 + p[3]))
            jx = rng.uniform(-JITTER, JITTER)
            jy = rng.uniform(-JITTER, JITTER)
            x = X0 + i * DX + wx + jx
            y = Y0 + j * DY + wy + jy
            col.append((int(math.floor(x * 100.0 + 0.5)),
                        int(math.floor(y * 100.0 + 0.5))))
        nodes.append(col)
    return nodes


# --------------------------------------------------------------------------
# district outline
# --------------------------------------------------------------------------

def walk(rng, n, lo, hi):
    v = rng.randint(lo, hi)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.3:
            v -= 1
        elif r > 0.7:
            v += 1
        v = max(lo, min(hi, v))
        out.append(v)
    return out


def build_district(rng):
    top = walk(rng, NX, 0, 5)
    bot = walk(rng, NX, 0, 5)
    left = walk(rng, NY, 0, 4)
    right = walk(rng, NY, 0, 4)
    inside = set()
    for i in range(NX):
        for j in range(NY):
            if j < bot[i] or j >= NY - top[i] or i < left[j] or i >= NX - right[j]:
                continue
            inside.add((i, j))
    # staircase bites out of the corners: two big ones on opposite corners,
    # two small ones on the others
    big = (0, 3) if rng.randint(0, 1) == 0 else (1, 2)
    for corner in range(4):
        if corner in big:
            w, h = rng.randint(16, 22), rng.randint(11, 15)
        else:
            w, h = rng.randint(5, 9), rng.randint(4, 6)
        for di in range(w):
            depth = int(h * (1.0 - float(di) / w) + rng.uniform(-0.6, 0.6))
            for dj in range(max(0, depth)):
                i = di if corner in (0, 2) else NX - 1 - di
                j = dj if corner in (0, 1) else NY - 1 - dj
                inside.discard((i, j))
    # a wedge cut into the east side (a river bend)
    jc = rng.randint(NY // 3, 2 * NY // 3)
    half = rng.randint(6, 9)
    for j in range(jc - half, jc + half + 1):
        depth = int((half - abs(j - jc)) * 0.9 + rng.uniform(0.0, 1.0))
        for i in range(NX - depth, NX):
            inside.discard((i, j))
    # a rectangular notch in the middle of the south side (a rail yard)
    ni = rng.randint(NX // 3, 2 * NX // 3)
    for i in range(ni, ni + rng.randint(4, 6)):
        for j in range(0, rng.randint(7, 9)):
            inside.discard((i, j))
    # repair: one component, no holes, no pinch vertices
    while True:
        inside = set(components(inside)[0])
        changed = False
        for h in hole_squares(inside):
            inside.add(h)
            changed = True
        for (i, j) in pinch_nodes(inside):
            # add an off-diagonal square to fill the pinch
            for s in ((i, j - 1), (i - 1, j), (i - 1, j - 1), (i, j)):
                if s not in inside and 0 <= s[0] < NX and 0 <= s[1] < NY:
                    inside.add(s)
                    changed = True
                    break
        if not changed:
            return inside


# --------------------------------------------------------------------------
# households
# --------------------------------------------------------------------------

def build_households(rng, district):
    centres = []
    for _ in range(5):
        centres.append((rng.uniform(12.0, NX - 12.0), rng.uniform(10.0, NY - 10.0),
                        rng.uniform(20.0, 34.0), rng.uniform(6.0, 12.0)))
    noise = {}
    for i in range(-1, NX + 1):
        for j in range(-1, NY + 1):
            noise[(i, j)] = rng.random()
    empty = set()
    for _ in range(7):   # factories, green belts, sports grounds
        w = rng.randint(3, 7)
        h = rng.randint(2, 5)
        i0 = rng.randint(0, NX - w)
        j0 = rng.randint(0, NY - h)
        for i in range(i0, i0 + w):
            for j in range(j0, j0 + h):
                empty.add((i, j))
    raw = {}
    for s in sorted(district):
        i, j = s
        ci, cj = i + 0.5, j + 0.5
        v = 1.5
        for (x, y, a, sg) in centres:
            d2 = (ci - x) ** 2 + (cj - y) ** 2
            v += a * math.exp(-d2 / (2.0 * sg * sg))
        n = sum(noise[(i + a, j + b)] for a in (-1, 0, 1) for b in (-1, 0, 1)) / 9.0
        v *= 0.45 + 1.1 * n
        if s in empty:
            v *= 0.05
        elif rng.random() < 0.06:
            v = 0.0          # a small park, a car park, a market
        raw[s] = v
    # ordinary squares hold at most ROW_CAP households; a few high-rise
    # "tower" squares in the dense parts hold 30-40 (one microgrid each)
    scale = TARGET_HOUSEHOLDS / sum(raw.values())
    for _ in range(20):
        hh = {}
        for s in sorted(district):
            v = raw[s] * scale
            v = v / (1.0 + (v / ROW_CAP) ** 4) ** 0.25    # soft cap
            hh[s] = int(math.floor(v + 0.5))
        got = sum(hh.values())
        if abs(got - TARGET_HOUSEHOLDS) < 0.002 * TARGET_HOUSEHOLDS:
            break
        scale *= float(TARGET_HOUSEHOLDS) / got
    towers = set()
    for s in sorted(district):
        if hh[s] >= ROW_CAP - 3 and rng.random() < 0.05 and not any(n in towers for n in nb8(s)):
            towers.add(s)
            hh[s] = rng.randint(30, MAX_SQ_HOUSEHOLDS)
    return hh


def distribute(rng, squares, total, cap=MAX_SQ_HOUSEHOLDS):
    """Spread total households over squares (integers, each <= cap)."""
    w = [0.6 + 0.8 * rng.random() for _ in squares]
    sw = sum(w)
    vals = [min(cap, int(total * x / sw)) for x in w]
    k = 0
    while sum(vals) < total:
        if vals[k % len(vals)] < cap:
            vals[k % len(vals)] += 1
        k += 1
    return dict(zip(squares, vals))


# --------------------------------------------------------------------------
# wavy partitions (streets, communities) and their repair
# --------------------------------------------------------------------------

def wave(rng, n, amp):
    p1 = rng.uniform(0.0, 2.0 * math.pi)
    p2 = rng.uniform(0.0, 2.0 * math.pi)
    l1 = rng.uniform(18.0, 30.0)
    l2 = rng.uniform(7.0, 12.0)
    return [int(math.floor(amp * math.sin(2.0 * math.pi * t / l1 + p1)
                           + 0.4 * amp * math.sin(2.0 * math.pi * t / l2 + p2) + 0.5))
            for t in range(n)]


def weighted_cut(values_by_pos, frac):
    """First position whose running sum reaches frac of the total."""
    total = sum(v for _, v in values_by_pos)
    acc = 0
    for pos, v in values_by_pos:
        acc += v
        if acc >= frac * total:
            return pos
    return values_by_pos[-1][0]


def region_of(assign, label):
    return set(s for s, l in assign.items() if l == label)


def fix_partition(parent, assign, labels):
    """Make every region of the partition `assign` (square -> label, over the
    squares of `parent`) 4-connected, hole-free and pinch-free by moving
    squares between neighbouring regions."""
    for _ in range(500):
        changed = False
        regions = dict((l, region_of(assign, l)) for l in labels)
        # 1. stray components go to the neighbour they share most edges with
        for l in labels:
            comps = components(regions[l])
            for comp in comps[1:]:
                cnt = {}
                for s in comp:
                    for n in nb4(s):
                        if n in parent and assign[n] != l:
                            cnt[assign[n]] = cnt.get(assign[n], 0) + 1
                if not cnt:
                    continue
                best = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                for s in comp:
                    assign[s] = best
                changed = True
            if changed:
                break
        if changed:
            continue
        # 2. holes: absorb squares that a region encloses
        for l in labels:
            hs = [h for h in hole_squares(regions[l]) if h in parent]
            if hs:
                for h in hs:
                    assign[h] = l
                changed = True
                break
        if changed:
            continue
        # 3. pinch vertices
        for l in labels:
            pins = pinch_nodes(regions[l])
            if not pins:
                continue
            i, j = pins[0]
            a, b, c, d = (i - 1, j - 1), (i, j - 1), (i - 1, j), (i, j)
            if a in regions[l]:
                others = (b, c)
            else:
                others = (a, d)
            done = False
            for s in others:
                if s in parent:
                    donor = assign[s]
                    rest = regions[donor] - {s}
                    if rest and is_connected(rest):
                        assign[s] = l
                        done = True
                        break
            if not done:
                # give one of the diagonal squares away instead
                mine = (a, d) if a in regions[l] else (b, c)
                for s in mine:
                    for n in nb4(s):
                        if n in parent and assign[n] != l:
                            assign[s] = assign[n]
                            done = True
                            break
                    if done:
                        break
            changed = True
            break
        if not changed:
            return assign
    raise RuntimeError("fix_partition did not converge")


def build_streets(rng, district, hh):
    cols = [(i, sum(hh[(i, j)] for j in range(NY) if (i, j) in district)) for i in range(NX)]
    rows = [(j, sum(hh[(i, j)] for i in range(NX) if (i, j) in district)) for j in range(NY)]
    c0 = max(30, min(60, weighted_cut(cols, 0.5)))
    r0 = max(20, min(40, weighted_cut(rows, 0.5)))
    wv = wave(rng, NY, 2.5)
    wh = wave(rng, NX, 2.5)
    assign = {}
    for s in sorted(district):
        i, j = s
        assign[s] = (0 if j >= r0 + wh[i] else 2) + (0 if i < c0 + wv[j] else 1)
    return fix_partition(district, assign, [0, 1, 2, 3])


def build_communities(rng, district, hh, street_of):
    streets = sorted(set(street_of.values()))
    htot = sum(hh.values())
    hs = dict((s, sum(hh[q] for q in district if street_of[q] == s)) for s in streets)
    counts = dict((s, max(2, min(4, int(math.floor(12.0 * hs[s] / htot + 0.5))))) for s in streets)
    while sum(counts.values()) > 12:
        s = sorted(streets, key=lambda t: (-counts[t], hs[t]))[0]
        counts[s] -= 1
    while sum(counts.values()) < 12:
        s = sorted(streets, key=lambda t: (counts[t], -hs[t]))[0]
        counts[s] += 1
    comm_of = {}
    next_label = 0
    for st in streets:
        sq = set(q for q in district if street_of[q] == st)
        n = counts[st]
        imin = min(q[0] for q in sq)
        imax = max(q[0] for q in sq)
        jmin = min(q[1] for q in sq)
        jmax = max(q[1] for q in sq)
        along_x = (imax - imin) * DX >= (jmax - jmin) * DY
        ax = 0 if along_x else 1
        positions = sorted(set(q[ax] for q in sq))
        prof = [(p, sum(hh[q] for q in sq if q[ax] == p)) for p in positions]
        cuts = [weighted_cut(prof, float(b) / n) for b in range(1, n)]
        waves = [wave(rng, NY if along_x else NX, 2.0) for _ in cuts]
        labels = list(range(next_label, next_label + n))
        assign = {}
        for q in sorted(sq):
            other = q[1 - ax]
            k = sum(1 for b in range(n - 1) if q[ax] >= cuts[b] + waves[b][other])
            assign[q] = labels[k]
        fix_partition(sq, assign, labels)
        comm_of.update(assign)
        next_label += n
    return comm_of


# --------------------------------------------------------------------------
# weighted recursive bisection
# --------------------------------------------------------------------------

class Unit(object):
    __slots__ = ("squares", "weight", "ci", "cj")

    def __init__(self, squares, hh):
        self.squares = tuple(sorted(squares))
        self.weight = sum(hh[s] for s in self.squares)
        self.ci = sum(s[0] for s in self.squares) / float(len(self.squares))
        self.cj = sum(s[1] for s in self.squares) / float(len(self.squares))


class Budget(object):
    def __init__(self, n):
        self.left = n


ORDERS = (
    lambda u: (u.ci, u.cj), lambda u: (u.ci, -u.cj),
    lambda u: (u.cj, u.ci), lambda u: (u.cj, -u.ci),
    lambda u: (u.ci + u.cj, u.ci), lambda u: (u.ci + u.cj, -u.ci),
    lambda u: (u.ci - u.cj, u.ci), lambda u: (u.ci - u.cj, -u.ci),
)
ORDER_AXIS = (0, 0, 1, 1, 2, 2, 2, 2)


def bisect_units(units, k, band, allowed_holes, budget, max_cands=16, leaf_check=None):
    """Split units into k pieces (sets of squares), each with a weight in
    band, 4-connected, pinch-free and without holes other than
    allowed_holes.  Returns a list of square sets or None."""
    budget.left -= 1
    if budget.left < 0:
        return None
    lo, hi = band
    w_total = sum(u.weight for u in units)
    if k == 1:
        sq = set(s for u in units for s in u.squares)
        if lo <= w_total <= hi and piece_ok(sq, allowed_holes):
            if leaf_check is None or leaf_check(sq):
                return [sq]
        return None
    if len(units) < k:
        return None
    all_sq = set(s for u in units for s in u.squares)
    n_sq = len(all_sq)
    iext = (max(u.ci for u in units) - min(u.ci for u in units)) * DX
    jext = (max(u.cj for u in units) - min(u.cj for u in units)) * DY
    long_axis = 0 if iext >= jext else 1
    k1s = sorted(set([k // 2, k - k // 2]))
    cands = []
    for oi, key in enumerate(ORDERS):
        axis = ORDER_AXIS[oi]
        order = sorted(units, key=key)
        in_a = set()
        w_a = 0
        cut = 0
        for c in range(1, len(order)):
            u = order[c - 1]
            if len(u.squares) == 1:
                s = u.squares[0]
                for nb in nb4(s):
                    if nb in all_sq:
                        cut += -1 if nb in in_a else 1
                in_a.add(s)
            else:   # multi-square unit (the lake ring): recount
                in_a.update(u.squares)
                cut = sum(1 for s in in_a for nb in nb4(s) if nb in all_sq and nb not in in_a)
            w_a += u.weight
            for k1 in k1s:
                k2 = k - k1
                if not (lo * k1 <= w_a <= hi * k1 and lo * k2 <= w_total - w_a <= hi * k2):
                    continue
                target = w_total * float(k1) / k
                dev = abs(w_a - target) / (float(w_total) / k)
                score = 2.0 * dev + cut / math.sqrt(n_sq) + (0.0 if axis == long_axis else (0.3 if axis < 2 else 0.2))
                cands.append((score, oi, c, k1))
    cands.sort()
    tried = set()
    n_tried = 0
    for score, oi, c, k1 in cands:
        order = sorted(units, key=ORDERS[oi])
        ua, ub = order[:c], order[c:]
        key_a = frozenset(s for u in ua for s in u.squares)
        if (key_a, k1) in tried:
            continue
        tried.add((key_a, k1))
        sq_b = all_sq - key_a
        if not piece_ok(set(key_a), allowed_holes) or not piece_ok(sq_b, allowed_holes):
            continue
        n_tried += 1
        if n_tried > max_cands:
            break
        pa = bisect_units(ua, k1, band, allowed_holes, budget, max_cands, leaf_check)
        if pa is None:
            continue
        pb = bisect_units(ub, k - k1, band, allowed_holes, budget, max_cands, leaf_check)
        if pb is None:
            continue
        return pa + pb
    return None


def split_weighted(units, band, aim, allowed_holes, prefer=None, budget_n=4000,
                   leaf_check=None):
    """Try piece counts around total/aim; return the first successful split."""
    lo, hi = band
    w = sum(u.weight for u in units)
    ks = list(range(max(1, -(-w // hi)), w // lo + 1))
    if not ks:
        return None

    def rank(k):
        pen = 0.0
        if prefer and not (prefer[0] <= k <= prefer[1]):
            pen = 1000.0
        return (pen + abs(float(w) / k - aim), k)
    ks.sort(key=rank)
    for k in ks[:6]:
        res = bisect_units(units, k, band, allowed_holes, Budget(budget_n),
                           leaf_check=leaf_check)
        if res is not None:
            return res
    if leaf_check is None and len(units) <= 40 and all(len(u.squares) == 1 for u in units):
        # dense blocks where no straight cut works: exhaustive search
        weight = dict((u.squares[0], u.weight) for u in units)
        return exact_partition(weight, band, aim, allowed_holes, Budget(3000))
    return None


def connected_sets(s0, weight, remaining, hi, cap):
    """Connected subsets of `remaining` that contain s0 and weigh at most hi
    (each one once; at most cap of them)."""
    out = []

    def rec(cur, w, ext, excluded):
        out.append((w, cur))
        if len(out) >= cap:
            return
        ext = list(ext)
        excluded = set(excluded)
        while ext:
            u = ext.pop(0)
            wu = w + weight[u]
            if wu <= hi:
                new = [n for n in nb4(u) if n in remaining and n not in cur
                       and n not in excluded and n not in ext and n != u]
                rec(cur | {u}, wu, ext + sorted(new), excluded)
                if len(out) >= cap:
                    return
            excluded.add(u)
    start_ext = sorted(n for n in nb4(s0) if n in remaining)
    rec(frozenset([s0]), weight[s0], start_ext, set([s0]))
    return out


def exact_partition(weight, band, aim, allowed_holes, budget):
    """Backtracking search for a partition of the squares of `weight` into
    4-connected, pinch- and hole-free pieces whose weights lie in band."""
    lo, hi = band

    def rec(remaining):
        budget.left -= 1
        if budget.left < 0:
            return None
        if not remaining:
            return []
        s0 = min(remaining)
        cands = [(abs(w - aim), perimeter(c), sorted(c), c)
                 for w, c in connected_sets(s0, weight, remaining, hi, 200) if w >= lo]
        cands.sort(key=lambda t: t[:3])
        for _, _, _, piece in cands[:12]:
            if not piece_ok(set(piece), allowed_holes):
                continue
            rest = remaining - piece
            if any(sum(weight[s] for s in comp) < lo for comp in components(rest)):
                continue
            res = rec(rest)
            if res is not None:
                return [set(piece)] + res
            if budget.left < 0:
                return None
        return None
    return rec(frozenset(weight))


# --------------------------------------------------------------------------
# placing the special features
# --------------------------------------------------------------------------

def expand(sq, margin):
    out = set(sq)
    for _ in range(margin):
        out |= set(n for s in out for n in nb8(s))
    return out


def rect(i0, j0, w, h):
    return [(i, j) for i in range(i0, i0 + w) for j in range(j0, j0 + h)]


def bfs_dist(sources, passable):
    dist = dict((s, 0) for s in sources)
    frontier = sorted(sources)
    d = 0
    while frontier:
        d += 1
        nxt = []
        for s in frontier:
            for n in nb4(s):
                if n in passable and n not in dist:
                    dist[n] = d
                    nxt.append(n)
        frontier = nxt
    return dist


def place_enclave(rng, comm_of, street_of):
    """Pick an owner community A and a block of squares deep inside a
    neighbouring community B of the same street; returns (A, B, block)."""
    labels = sorted(set(comm_of.values()))
    regions = dict((l, region_of(comm_of, l)) for l in labels)
    best = []
    for a in labels:
        for b in labels:
            if a == b:
                continue
            sa, sb = regions[a], regions[b]
            if street_of[min(sa)] != street_of[min(sb)]:
                continue
            if not any(n in sb for s in sa for n in nb4(s)):
                continue
            dist = bfs_dist(set(n for s in sa for n in nb4(s) if n in sb), sb)
            for (i0, j0) in sorted(sb):
                block = rect(i0, j0, 4, 4)
                if not expand(block, 2) <= sb:
                    continue
                d = min(dist.get(s, 999) for s in block)
                best.append((d, a, b, i0, j0))
    if not best:
        raise RuntimeError("no place for the enclave")
    best.sort()
    dmin = best[0][0]
    cands = [c for c in best if c[0] == dmin]
    _, a, b, i0, j0 = rng.choice(cands)
    return a, b, rect(i0, j0, 4, 4)


def place_lake(rng, comm_of, hh, avoid_labels):
    labels = sorted(set(comm_of.values()))
    cands = []
    for l in labels:
        if l in avoid_labels:
            continue
        sq = region_of(comm_of, l)
        for (i0, j0) in sorted(sq):
            block = rect(i0, j0, 6, 4)
            if not expand(block, 2) <= sq:
                continue
            load = sum(hh[s] for s in expand(block, 1))
            cands.append((load, l, i0, j0))
    if not cands:
        raise RuntimeError("no place for the lake")
    cands.sort()
    load, l, i0, j0 = rng.choice(cands[:5])
    block = rect(i0, j0, 6, 4)
    corner = rng.choice([(i0, j0), (i0 + 5, j0), (i0, j0 + 3), (i0 + 5, j0 + 3)])
    block.remove(corner)   # not a perfect rectangle
    return l, block


def place_dedicated(rng, comm_of, reserved, avoid_labels):
    """Blocks touching their community boundary; returns list of
    (key, name, community label, squares, households)."""
    labels = sorted(set(comm_of.values()))
    out = []
    used_labels = set(avoid_labels)
    taken = set(reserved)
    for key, name, w, h, households in DEDICATED:
        cands = []
        for l in labels:
            if l in used_labels:
                continue
            sq = region_of(comm_of, l)
            for (i0, j0) in sorted(sq):
                block = rect(i0, j0, w, h)
                if not set(block) <= sq or set(block) & taken:
                    continue
                if expand(block, 1) & taken:
                    continue
                touches = [n for s in block for n in nb4(s) if n not in sq and n not in block]
                if not touches:
                    continue
                rest = sq - set(block) - taken
                if not piece_ok(rest, taken):
                    continue
                cands.append((l, i0, j0))
        if not cands:
            raise RuntimeError("no place for " + key)
        l, i0, j0 = rng.choice(cands)
        block = rect(i0, j0, w, h)
        used_labels.add(l)
        taken |= set(block)
        out.append((key, name, l, block, households))
    return out


# --------------------------------------------------------------------------
# geometry output
# --------------------------------------------------------------------------

def trace_rings(sq):
    """Closed rings of lattice nodes around sq, interior on the left (shells
    counter-clockwise, holes clockwise)."""
    nxt = {}

    def add(p, q):
        if p in nxt:
            raise RuntimeError("pinch vertex at node %r" % (p,))
        nxt[p] = q
    for (i, j) in sq:
        if (i, j - 1) not in sq:
            add((i, j), (i + 1, j))
        if (i + 1, j) not in sq:
            add((i + 1, j), (i + 1, j + 1))
        if (i, j + 1) not in sq:
            add((i + 1, j + 1), (i, j + 1))
        if (i - 1, j) not in sq:
            add((i, j + 1), (i, j))
    seen = set()
    rings = []
    for start in sorted(nxt):
        if start in seen:
            continue
        ring = [start]
        seen.add(start)
        p = nxt[start]
        while p != start:
            ring.append(p)
            seen.add(p)
            p = nxt[p]
        ring.append(start)
        rings.append(ring)
    return rings


def index_area2(ring):
    return sum(ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1]
               for k in range(len(ring) - 1))


def polygons_of(sq):
    """List of polygons, each [shell, hole, hole, ...] in lattice nodes."""
    polys = []
    for comp in components(sq):
        rings = trace_rings(set(comp))
        shells = [r for r in rings if index_area2(r) > 0]
        holes = [r for r in rings if index_area2(r) < 0]
        if len(shells) != 1:
            raise RuntimeError("component with %d shells" % len(shells))
        polys.append([shells[0]] + holes)
    return polys


def fmt_cm(v):
    s = "%d.%02d" % (v // 100, v % 100)
    if s.endswith("00"):
        return s[:-3]
    if s.endswith("0"):
        return s[:-1]
    return s


class Geo(object):
    def __init__(self, nodes):
        self.nodes = nodes

    def xy(self, n):
        return self.nodes[n[0]][n[1]]

    def ring_json(self, ring):
        return "[" + ",".join("[%s,%s]" % tuple(fmt_cm(v) for v in self.xy(n)) for n in ring) + "]"

    def geometry_json(self, sq):
        polys = polygons_of(sq)
        if len(polys) == 1:
            body = "[" + ",".join(self.ring_json(r) for r in polys[0]) + "]"
            return '{"type":"Polygon","coordinates":' + body + "}"
        body = "[" + ",".join("[" + ",".join(self.ring_json(r) for r in p) + "]" for p in polys) + "]"
        return '{"type":"MultiPolygon","coordinates":' + body + "}"

    def square_centre(self, s):
        i, j = s
        pts = [self.xy(n) for n in ((i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1))]
        return (sum(p[0] for p in pts) / 400.0, sum(p[1] for p in pts) / 400.0)


def number_children(geo, parent_sq, children):
    """Order children west->east, north->south: split the parent's extent
    into round(sqrt(n)) horizontal bands from the north; sort by band, then
    by centroid x.  children: list of square sets.  Returns sorted list."""
    ys = [geo.square_centre(s)[1] for s in parent_sq]
    ymin, ymax = min(ys), max(ys)
    n = len(children)
    rows = max(1, int(math.floor(math.sqrt(n) + 0.5)))
    band = (ymax - ymin) / rows if ymax > ymin else 1.0

    def key(ch):
        cs = [geo.square_centre(s) for s in ch]
        cx = sum(c[0] for c in cs) / len(cs)
        cy = sum(c[1] for c in cs) / len(cs)
        row = min(rows - 1, max(0, int((ymax - cy) / band)))
        return (row, cx, -cy)
    return sorted(children, key=key)


# --------------------------------------------------------------------------
# people, duty table, events
# --------------------------------------------------------------------------

def person_name(rng):
    s = rng.choice(SURNAMES)
    if rng.random() < 0.55:
        return s + rng.choice(GIVEN) + rng.choice(GIVEN)
    return s + rng.choice(GIVEN)


def phone(rng, used):
    while True:
        p = rng.choice(PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        if p not in used:
            used.add(p)
            return p


DUTY = [
    # event_class, class_name, department, handling_level, deadline, unit, event weight
    ("01", "市容环境", "城管执法局", "street", 3, "working_days", 6),
    ("0101", "暴露垃圾", "城管执法局", "grid", 2, "working_hours", 190),
    ("0102", "积存垃圾渣土", "城管执法局", "community", 1, "working_days", 70),
    ("0103", "道路不洁", "城管执法局", "grid", 4, "working_hours", 95),
    ("0104", "水域不洁", "水务局", "street", 2, "working_days", 14),
    ("0105", "露天焚烧", "生态环境局", "street", 2, "urgent_hours", 9),
    ("02", "宣传广告", "城管执法局", "street", 3, "working_days", 4),
    ("0201", "非法小广告", "城管执法局", "grid", 4, "working_hours", 120),
    ("0202", "违规张贴悬挂", "城管执法局", "community", 1, "working_days", 45),
    ("0203", "违规户外广告", "市场监管所", "street", 5, "working_days", 18),
    ("03", "施工管理", "住建委", "district", 5, "working_days", 3),
    ("0301", "施工扰民", "生态环境局", "street", 4, "urgent_hours", 35),
    ("0302", "工地扬尘", "住建委", "street", 1, "working_days", 40),
    ("0303", "违规占道施工", "交通支队", "street", 2, "working_days", 16),
    ("0304", "违法建设", "城管执法局", "district", 30, "calendar_days", 12),
    ("04", "突发事件", "应急管理局", "district", 1, "urgent_hours", 2),
    ("0401", "路面塌陷", "应急管理局", "district", 2, "urgent_hours", 3),
    ("0402", "供水管道破裂", "水务局", "district", 4, "urgent_hours", 5),
    ("0403", "道路积水", "水务局", "street", 6, "urgent_hours", 11),
    ("05", "街面秩序", "城管执法局", "street", 1, "working_days", 5),
    ("0501", "无照经营游商", "市场监管所", "grid", 2, "working_hours", 110),
    ("0502", "店外经营", "城管执法局", "grid", 4, "working_hours", 150),
    ("0503", "机动车乱停放", "交通支队", "grid", 2, "working_hours", 160),
    ("0504", "非机动车乱停放", "街道办事处", "grid", 1, "working_days", 85),
    ("06", "其他", "街道办事处", "street", 5, "working_days", 8),
    ("0601", "群租房", "街道办事处", "community", 5, "working_days", 22),
    ("0602", "噪声扰民", "生态环境局", "community", 1, "working_days", 55),
]

HOUR_WEIGHTS = [2, 1, 1, 1, 1, 3, 8, 18, 30, 38, 40, 36,
                24, 22, 34, 38, 36, 30, 22, 16, 12, 8, 5, 3]


def civil_from_days(first, k):
    y, m, d = first
    mdays = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
             31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    d += k
    while d > mdays[m - 1]:
        d -= mdays[m - 1]
        m += 1
    return y, m, d


def point_in_ring(x, y, ring):
    inside = False
    for k in range(len(ring) - 1):
        x1, y1 = ring[k]
        x2, y2 = ring[k + 1]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xi > x:
                inside = not inside
    return inside


def dist_to_ring(x, y, ring):
    best = float("inf")
    for k in range(len(ring) - 1):
        x1, y1 = ring[k]
        x2, y2 = ring[k + 1]
        dx, dy = x2 - x1, y2 - y1
        l2 = dx * dx + dy * dy
        t = 0.0 if l2 == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / l2))
        px, py = x1 + t * dx, y1 + t * dy
        d = math.hypot(x - px, y - py)
        if d < best:
            best = d
    return best


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def generate(seed):
    nodes = build_nodes(Rng(seed, 1))
    geo = Geo(nodes)
    district = build_district(Rng(seed, 2))
    hh = build_households(Rng(seed, 3), district)
    street_of = build_streets(Rng(seed, 4), district, hh)
    comm_of = build_communities(Rng(seed, 5), district, hh, street_of)

    rng = Rng(seed, 6)
    # enclave: block of B handed to A
    enc_a, enc_b, enc_block = place_enclave(rng, comm_of, street_of)
    for s in enc_block:
        comm_of[s] = enc_a
    hh.update(distribute(rng, enc_block, rng.randint(360, 440)))
    # lake
    lake_comm, lake = place_lake(rng, comm_of, hh, (enc_a, enc_b))
    for s in lake:
        hh[s] = 0
    lake_ring = sorted(expand(lake, 1) - set(lake))
    # dedicated grids
    reserved = set(enc_block) | set(lake) | set(lake_ring)
    dedicated = place_dedicated(rng, comm_of, reserved, (enc_a, enc_b, lake_comm))
    for key, name, l, block, households in dedicated:
        hh.update(distribute(rng, block, households, cap=6))

    # population per square
    prng = Rng(seed, 7)
    pop = {}
    for s in sorted(district):
        pop[s] = int(math.floor(hh[s] * prng.uniform(2.25, 2.95) + 0.5))

    # ---- grids -----------------------------------------------------------
    micro_cache = {}

    def micro_split(sq):
        key = frozenset(sq)
        if key not in micro_cache:
            units = [Unit([s], hh) for s in sorted(sq)]
            micro_cache[key] = split_weighted(units, MICRO_BAND, MICRO_AIM, set(),
                                              prefer=(5, 10), budget_n=6000)
        return micro_cache[key]

    def micro_ok(sq):
        return micro_split(sq) is not None

    comm_labels = sorted(set(comm_of.values()))
    grids = []   # dicts: squares, comm, kind, name (None for basic), special
    for l in comm_labels:
        sq = region_of(comm_of, l)
        fixed = []
        if l == enc_a:
            fixed.append((set(enc_block), "basic", None, "enclave"))
        if l == lake_comm:
            fixed.append((set(lake), "dedicated", LAKE_GRID_NAME, "lake"))
        for key, name, dl, block, households in dedicated:
            if dl == l:
                fixed.append((set(block), "dedicated", name, key))
        rest = set(sq)
        for f in fixed:
            rest -= f[0]
        units = []
        allowed = set()
        if l == lake_comm:
            ring = set(lake_ring)
            units.append(Unit(ring, hh))
            rest -= ring
            allowed = set(lake)
        if l == enc_b:
            allowed = set(enc_block)
        units.extend(Unit([s], hh) for s in sorted(rest))
        pieces = split_weighted(units, GRID_BAND, GRID_AIM, allowed, budget_n=3000,
                                leaf_check=micro_ok)
        if pieces is None:
            raise RuntimeError("cannot split community %d into grids" % l)
        for p in pieces:
            grids.append({"squares": p, "comm": l, "kind": "basic", "name": None,
                          "special": "lake_surround" if (l == lake_comm and set(lake_ring) <= p) else None})
        for fsq, kind, name, special in fixed:
            grids.append({"squares": fsq, "comm": l, "kind": kind, "name": name, "special": special})

    # ---- microgrids --------------------------------------------------------
    for g in grids:
        if g["kind"] == "dedicated":
            g["micro"] = [set(g["squares"])]
            continue
        pieces = micro_split(g["squares"])
        if pieces is None:
            raise RuntimeError("cannot split a grid into microgrids")
        g["micro"] = pieces

    # ---- codes and names ---------------------------------------------------
    cells = {"district": [], "street": [], "community": [], "grid": [], "microgrid": []}

    def totals(sq):
        return sum(hh[s] for s in sq), sum(pop[s] for s in sq)

    def add(level, code, name, parent_code, sq, kind, extra=None):
        h, p = totals(sq)
        c = {"code": code, "name": name, "parent_code": parent_code, "households": h,
             "population": p, "kind": kind, "squares": sq}
        if extra:
            c.update(extra)
        cells[level].append(c)
        return c

    add("district", DISTRICT_CODE, DISTRICT_NAME, "", set(district), "basic")
    street_sqs = [region_of(street_of, l) for l in sorted(set(street_of.values()))]
    street_sqs = number_children(geo, district, street_sqs)
    name_pool = [n for n in COMMUNITY_NAMES]
    Rng(seed, 8).shuffle(name_pool)
    specials = {}
    for si, ssq in enumerate(street_sqs):
        scode = DISTRICT_CODE + "%03d" % (si + 1)
        add("street", scode, STREET_NAMES[si], DISTRICT_CODE, ssq, "basic")
        labs = sorted(set(comm_of[s] for s in ssq))
        csqs = number_children(geo, ssq, [region_of(comm_of, l) for l in labs])
        for ci, csq in enumerate(csqs):
            l = comm_of[min(csq)]
            ccode = scode + "%03d" % (ci + 1)
            cname = LAKE_COMMUNITY_NAME if l == lake_comm else name_pool.pop(0)
            add("community", ccode, cname, scode, csq, "basic")
            if l == enc_a:
                specials["enclave_owner"] = ccode
            if l == enc_b:
                specials["enclave_host"] = ccode
            gl = [g for g in grids if g["comm"] == l]
            ordered = number_children(geo, csq, [g["squares"] for g in gl])
            for gi, gsq in enumerate(ordered):
                g = [x for x in gl if x["squares"] is gsq][0]
                gcode = ccode + "%03d" % (gi + 1)
                gname = g["name"] or "%s第%d网格" % (cname, gi + 1)
                add("grid", gcode, gname, ccode, gsq, g["kind"], {"special": g["special"]})
                if g["special"]:
                    specials[g["special"]] = gcode
                mic = number_children(geo, gsq, g["micro"])
                for mi, msq in enumerate(mic):
                    add("microgrid", gcode + "%03d" % (mi + 1), "%s第%d微网格" % (gname, mi + 1),
                        gcode, msq, g["kind"])
    return geo, cells, specials, hh, district


def write_geojson(path, geo, cells):
    parts = ['{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"%s"}},"features":[' % CRS_URN]
    feats = []
    for c in cells:
        props = json.dumps({"code": c["code"], "name": c["name"], "parent_code": c["parent_code"],
                            "households": c["households"], "population": c["population"],
                            "kind": c["kind"]}, ensure_ascii=False, separators=(",", ":"))
        feats.append('{"type":"Feature","properties":%s,"geometry":%s}'
                     % (props, geo.geometry_json(c["squares"])))
    parts.append(",".join(feats))
    parts.append("]}\n")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(parts))


def write_roster(path, seed, cells, specials):
    rng = Rng(seed, 9)
    used = set()
    rows = ["cell_code,role,person_id,name,phone"]
    counter = [0]

    def person(code, role):
        counter[0] += 1
        rows.append("%s,%s,P%06d,%s,%s" % (code, role, counter[0], person_name(rng), phone(rng, used)))
    by_parent = {}
    for level in ("community", "grid"):
        for c in cells[level]:
            by_parent.setdefault(c["parent_code"], []).append(c)
    for st in cells["street"]:
        person(st["code"], "grid_leader")
        for cm in by_parent.get(st["code"], []):
            person(cm["code"], "grid_leader")
            for g in by_parent.get(cm["code"], []):
                person(g["code"], "grid_leader")
                if g["code"] != specials["lake"]:
                    person(g["code"], "grid_worker")
                for _ in range(rng.randint(1, 3)):
                    person(g["code"], "info_worker")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rows) + "\n")


def write_duty(path):
    rows = ["event_class,class_name,department,handling_level,deadline,deadline_unit"]
    for r in DUTY:
        rows.append("%s,%s,%s,%s,%d,%s" % r[:6])
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rows) + "\n")


# The State Council's 2026 public holidays (days off) and make-up working days (调休 on a weekend),
# the year of the sample events.
HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
]
WORKDAYS_2026 = [("2026-01-04", "元旦"), ("2026-02-14", "春节"), ("2026-02-28", "春节"),
                 ("2026-05-09", "劳动节"), ("2026-09-20", "国庆节"), ("2026-10-10", "国庆节")]


def write_calendar(path):
    rows = []
    for first, last, name in HOLIDAYS_2026:
        start = tuple(int(part) for part in first.split("-"))
        k = 0
        while True:
            date = "%04d-%02d-%02d" % civil_from_days(start, k)
            rows.append((date, "holiday", name))
            if date == last:
                break
            k += 1
    for date, name in WORKDAYS_2026:
        rows.append((date, "workday", name + "调休"))
    rows.sort()
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("date,kind,name\n")
        f.write("".join("%s,%s,%s\n" % r for r in rows))


EVENT_LATE = 0.14          # share of closed events closed after their deadline
EVENT_OPEN = 0.03          # share still open, more among the last fortnight's events
EVENT_REWORK = (0.06, 0.01)  # shares returned for rework once, and twice


def working_day_set():
    """The 2026 calendar as two sets of (y, m, d): days off and make-up working days."""
    off, on = set(), set()
    for first, last, _ in HOLIDAYS_2026:
        start = tuple(int(part) for part in first.split("-"))
        k = 0
        while True:
            day = civil_from_days(start, k)
            off.add(day)
            if "%04d-%02d-%02d" % day == last:
                break
            k += 1
    for date, _ in WORKDAYS_2026:
        on.add(tuple(int(part) for part in date.split("-")))
    return off, on


def add_minutes(t, minutes, working, calendar):
    """t (minutes since 2026-01-01T00:00) plus `minutes`, counted on the clock or, when
    `working`, inside 09:00-12:00 and 13:00-18:00 of the calendar's working days."""
    if not working:
        return t + minutes
    off, on = calendar
    day = t // 1440
    while True:
        if day > EVENT_DAYS:  # past the period: open at its end whatever the exact time
            return day * 1440
        date = civil_from_days(EVENT_FIRST_DAY, day)
        weekday = (day + 3) % 7  # 2026-01-01 was a Thursday; 0 is Monday
        if (weekday < 5 and date not in off) or date in on:
            for start, end in ((540, 720), (780, 1080)):
                begin = max(t, day * 1440 + start)
                if begin >= day * 1440 + end:
                    continue
                take = min(day * 1440 + end - begin, minutes)
                t = begin + take
                minutes -= take
                if minutes == 0:
                    return t
        day += 1
        t = day * 1440


def event_life(seed, events):
    """When each event was closed (empty while open) and how often it was returned for rework:
    most within their deadline on the 2026 calendar, some late, a few still open at the end of
    the period. A stream of its own, so the other columns keep their values."""
    rng = Rng(seed, 12)
    calendar = working_day_set()
    rule = dict((r[0], r) for r in DUTY)
    per_unit = {"urgent_hours": (60, False), "working_hours": (60, True),
                "working_days": (480, True), "calendar_days": (1440, False)}
    end = EVENT_DAYS * 1440
    day_of = dict(("%04d-%02d-%02d" % civil_from_days(EVENT_FIRST_DAY, k), k)
                  for k in range(EVENT_DAYS))
    life = []
    for t, _, _, c in events:
        day = day_of[t[:10]]
        reported = day * 1440 + int(t[11:13]) * 60 + int(t[14:16])
        _, _, _, _, deadline, unit, _ = rule[c]
        scale, working = per_unit[unit]
        allowed = deadline * scale
        r = rng.random()
        share = rng.uniform(0.05, 1.0) if r >= EVENT_LATE else rng.uniform(1.02, 3.0)
        closed = add_minutes(reported, max(1, int(allowed * share)), working, calendar)
        recent = end - reported < 14 * 1440
        if rng.random() < (0.35 if recent else EVENT_OPEN) or closed >= end:
            closed_text = ""
        else:
            cy, cm, cd = civil_from_days(EVENT_FIRST_DAY, closed // 1440)
            closed_text = "%04d-%02d-%02dT%02d:%02d" % (cy, cm, cd, closed % 1440 // 60,
                                                        closed % 60)
        r = rng.random()
        reopened = 2 if r < EVENT_REWORK[1] else (1 if r < sum(EVENT_REWORK) else 0)
        life.append((closed_text, reopened))
    return life


def write_events(path, seed, geo, hh, district):
    rng = Rng(seed, 10)
    squares = [s for s in sorted(district) if hh[s] > 0]
    cum = []
    acc = 0
    for s in squares:
        acc += hh[s]
        cum.append(acc)
    polys = polygons_of(district)
    shell = [(geo.xy(n)[0] / 100.0, geo.xy(n)[1] / 100.0) for n in polys[0][0]]
    edge_sq = set(s for s in district if any(n not in district for n in nb8(s)))
    ccum = []
    acc = 0
    for w in (r[6] for r in DUTY):
        acc += w
        ccum.append(acc)
    hcum = []
    acc = 0
    for w in HOUR_WEIGHTS:
        acc += w
        hcum.append(acc)

    def when():
        day = rng.randint(0, EVENT_DAYS - 1)
        y, m, d = civil_from_days(EVENT_FIRST_DAY, day)
        h = rng.pick_cum(hcum)
        mi = rng.randint(0, 59)
        return "%04d-%02d-%02dT%02d:%02d" % (y, m, d, h, mi)

    events = []
    for _ in range(EVENT_COUNT - EVENT_OUTSIDE):
        s = squares[rng.pick_cum(cum)]
        i, j = s
        p00, p10 = geo.xy((i, j)), geo.xy((i + 1, j))
        p01, p11 = geo.xy((i, j + 1)), geo.xy((i + 1, j + 1))
        while True:
            u, v = rng.random(), rng.random()
            x = ((1 - u) * (1 - v) * p00[0] + u * (1 - v) * p10[0]
                 + (1 - u) * v * p01[0] + u * v * p11[0]) / 100.0
            y = ((1 - u) * (1 - v) * p00[1] + u * (1 - v) * p10[1]
                 + (1 - u) * v * p01[1] + u * v * p11[1]) / 100.0
            xr, yr = int(math.floor(x + 0.5)), int(math.floor(y + 0.5))
            if s in edge_sq and (not point_in_ring(xr, yr, shell)
                                 or dist_to_ring(xr, yr, shell) < 1.0):
                continue
            break
        events.append((when(), xr, yr, DUTY[rng.pick_cum(ccum)][0]))
    xs = [p[0] for p in shell]
    ys = [p[1] for p in shell]
    n_out = 0
    while n_out < EVENT_OUTSIDE:
        xr = int(math.floor(rng.uniform(min(xs) - 1000.0, max(xs) + 1000.0) + 0.5))
        yr = int(math.floor(rng.uniform(min(ys) - 1000.0, max(ys) + 1000.0) + 0.5))
        if point_in_ring(xr, yr, shell):
            continue
        d = dist_to_ring(xr, yr, shell)
        if d < 1.0 or d > 1000.0:
            continue
        events.append((when(), xr, yr, DUTY[rng.pick_cum(ccum)][0]))
        n_out += 1
    events.sort()
    life = event_life(seed, events)
    rows = ["event_id,x,y,event_class,reported_at,closed_at,reopened"]
    for k, ((t, x, y, c), (closed, reopened)) in enumerate(zip(events, life)):
        rows.append("%d,%d,%d,%s,%s,%s,%d" % (k + 1, x, y, c, t, closed, reopened))
    # gzip'd (2.8 MB of text in ~1 MB); no file name and a zero time in the header keep the
    # bytes the same on every run.
    data = ("\n".join(rows) + "\n").encode("utf-8")
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(data)


def write_units(path, seed, geo, hh, district):
    """Address points carrying households (the units a partition balances): one to three
    buildings per lattice square, placed well inside it, sharing its households."""
    rng = Rng(seed, 11)
    rows = ["unit_id,x,y,households"]
    for s in sorted(district):
        if hh[s] <= 0:
            continue
        i, j = s
        p00, p10 = geo.xy((i, j)), geo.xy((i + 1, j))
        p01, p11 = geo.xy((i, j + 1)), geo.xy((i + 1, j + 1))
        n = min(hh[s], rng.randint(1, 3))
        shares = [1] * n
        for _ in range(hh[s] - n):
            shares[rng.randint(0, n - 1)] += 1
        for h in shares:
            u, v = rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85)
            x = ((1 - u) * (1 - v) * p00[0] + u * (1 - v) * p10[0]
                 + (1 - u) * v * p01[0] + u * v * p11[0]) / 100.0
            y = ((1 - u) * (1 - v) * p00[1] + u * (1 - v) * p10[1]
                 + (1 - u) * v * p01[1] + u * v * p11[1]) / 100.0
            rows.append("%d,%.2f,%.2f,%d" % (len(rows), x, y, h))
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(rows) + "\n")


ROAD_EVERY = (6, 5)        # a road along every 6th lattice column line and every 5th row line


def write_roads(path, geo, district):
    """Roads along lattice lines (so along square edges), across the district and a square
    beyond it: the barriers a partition follows."""
    i0 = max(0, min(i for i, _ in district) - 1)
    i1 = min(NX, max(i for i, _ in district) + 2)
    j0 = max(0, min(j for _, j in district) - 1)
    j1 = min(NY, max(j for _, j in district) + 2)
    lines = []
    for i in range(i0 + 1, i1, ROAD_EVERY[0]):
        lines.append([geo.xy((i, j)) for j in range(j0, j1 + 1)])
    for j in range(j0 + 1, j1, ROAD_EVERY[1]):
        lines.append([geo.xy((i, j)) for i in range(i0, i1 + 1)])
    features = []
    for k, line in enumerate(lines):
        coords = ",".join("[%s,%s]" % (fmt_cm(x), fmt_cm(y)) for x, y in line)
        features.append('{"type":"Feature","properties":{"road_id":%d},'
                        '"geometry":{"type":"LineString","coordinates":[%s]}}' % (k + 1, coords))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"%s"}},'
                '"features":[\n%s\n]}\n' % (CRS_URN, ",\n".join(features)))


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Generate the libgrid sample district.")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default=here)
    args = ap.parse_args(argv)
    if not os.path.isdir(args.out):
        os.makedirs(args.out)
    geo, cells, specials, hh, district = generate(args.seed)
    for level in ("district", "street", "community", "grid", "microgrid"):
        write_geojson(os.path.join(args.out, level + ".geojson"), geo, cells[level])
    write_roster(os.path.join(args.out, "roster.csv"), args.seed, cells, specials)
    write_duty(os.path.join(args.out, "duty.csv"))
    write_calendar(os.path.join(args.out, "calendar.csv"))
    write_events(os.path.join(args.out, "events.csv.gz"), args.seed, geo, hh, district)
    write_units(os.path.join(args.out, "units.csv"), args.seed, geo, hh, district)
    write_roads(os.path.join(args.out, "roads.geojson"), geo, district)
    for level in ("district", "street", "community", "grid", "microgrid"):
        sys.stdout.write("%-10s %4d cells\n" % (level, len(cells[level])))
    for k in sorted(specials):
        sys.stdout.write("%-14s %s\n" % (k, specials[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
