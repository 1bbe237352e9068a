"""The boundary rule seen from Python, on grid sets small enough to know every answer exactly.

The rule (libgrid/geometry/predicates.h): a point belongs to the cell whose interior holds the
point an infinitesimal step north of it, nudged an even smaller step east. Shapely's `contains`
gives a boundary point to nobody; a nudged point lies on no edge, so shapely answers it without
ambiguity, and on these dyadic coordinates no other edge passes between a point and its nudge.
"""

import numpy as np
import pytest
from shapely.geometry import Point, shape
from shapely.prepared import prep

import libgrid
from grid_fixtures import box, polygon, write_geojson

NUDGE_X, NUDGE_Y = 1e-12, 1e-6  # (d^2, d) with d = 1e-6


def rule_answer(shapes, x, y):
    """The code of the shape holding (x, y) under the boundary rule, via shapely on the nudged
    point; None when none holds it."""
    p = Point(x + NUDGE_X, y + NUDGE_Y)
    held = [code for code, s in shapes.items() if s.contains(p)]
    assert len(held) <= 1, f"test fixture overlaps at {(x, y)}: {held}"
    return held[0] if held else None


def import_one_level(tmp_path, name, features):
    path = write_geojson(tmp_path / f"{name}.geojson", [({"code": c, "name": c}, g) for c, g in features])
    gs = libgrid.import_grid_set([(name, path)])
    shapes = {c: prep(shape(g)) for c, g in features}
    return gs, shapes


# Two unit squares side by side sharing the edge x = 1, and a 2 x 1 rectangle above both:
# the point (1, 1) is a vertex of A and B and lies on C's bottom edge.
SQUARES = [("A", box(0, 0, 1, 1)), ("B", box(1, 0, 2, 1)), ("C", box(0, 1, 2, 2))]

# (x, y, expected code) written out by hand from the rule.
SQUARE_CASES = [
    (0.5, 0.5, "A"), (1.5, 0.5, "B"), (1.0, 1.5, "C"),  # interiors
    (1.0, 0.5, "B"),   # vertical shared edge: the cell east of it
    (0.5, 1.0, "C"),   # horizontal shared edge A|C: the cell north of it
    (1.5, 1.0, "C"),   # horizontal shared edge B|C
    (1.0, 1.0, "C"),   # vertex of A and B on C's edge: the cell just north
    (1.0, 0.0, "B"),   # south rim vertex shared by A and B: north, nudged east
    (0.0, 1.0, "C"),   # west rim vertex shared by A and C
    (0.0, 0.0, "A"), (0.0, 0.5, "A"), (0.5, 0.0, "A"), (0.0, 1.5, "C"),  # south and west rims
    (2.0, 0.5, None), (2.0, 0.0, None), (2.0, 1.0, None),  # east rim: nobody's
    (0.5, 2.0, None), (1.0, 2.0, None), (0.0, 2.0, None), (2.0, 2.0, None),  # north rim
    (-0.5, 0.5, None), (3.0, 3.0, None),  # outside
]


@pytest.fixture
def squares(tmp_path):
    return import_one_level(tmp_path, "grid", SQUARES)


def test_points_on_shared_edges_and_vertices_go_to_one_cell(squares):
    gs, _ = squares
    x = np.array([c[0] for c in SQUARE_CASES])
    y = np.array([c[1] for c in SQUARE_CASES])
    got = gs.codes(gs.index().lookup(x, y))
    for (px, py, expected), code in zip(SQUARE_CASES, got):
        assert code == expected, f"point ({px}, {py}): expected {expected}, got {code}"


def test_squares_agree_with_the_rule_on_a_fine_lattice(squares):
    gs, shapes = squares
    ticks = np.arange(-0.5, 2.5 + 1e-9, 0.125)
    x, y = (a.ravel() for a in np.meshgrid(ticks, ticks))
    idx = gs.index()
    got = gs.codes(idx.lookup(x, y))
    expected = [rule_answer(shapes, px, py) for px, py in zip(x, y)]
    assert list(got) == expected
    holding = idx.count_holding(x, y, "grid")
    assert np.array_equal(holding, np.array([e is not None for e in expected], dtype=np.int32))


# A unit square cut along its diagonal, and one beside it cut along its anti-diagonal: sloping
# shared edges, where the rule gives a point the cell its northward continuation leaves on its
# east side.
TRIANGLES = [
    ("LOW", polygon((0, 0), (1, 0), (1, 1))),
    ("UP", polygon((0, 0), (1, 1), (0, 1))),
    ("SW", polygon((1, 0), (2, 0), (1, 1))),
    ("NE", polygon((2, 0), (2, 1), (1, 1))),
]

TRIANGLE_CASES = [
    (0.5, 0.5, "UP"), (0.25, 0.25, "UP"),  # on the diagonal y = x: north of it is UP
    (0.0, 0.0, "UP"),    # the diagonal's south-west end
    (0.5, 0.0, "LOW"),   # south rim
    (1.0, 0.5, "SW"),    # vertical edge LOW|SW: east
    (1.5, 0.5, "NE"),    # on the anti-diagonal x + y = 2: north of it is NE
    (1.0, 1.0, None),    # the north-east corner of UP, LOW, SW and NE: north of it is outside
    (2.0, 0.0, None),    # east rim
]


def test_points_on_sloping_edges(tmp_path):
    gs, shapes = import_one_level(tmp_path, "grid", TRIANGLES)
    x = np.array([c[0] for c in TRIANGLE_CASES])
    y = np.array([c[1] for c in TRIANGLE_CASES])
    got = gs.codes(gs.index().lookup(x, y))
    assert list(got) == [c[2] for c in TRIANGLE_CASES]
    ticks = np.arange(-0.25, 2.25 + 1e-9, 0.0625)
    x, y = (a.ravel() for a in np.meshgrid(ticks, ticks))
    got = gs.codes(gs.index().lookup(x, y))
    assert list(got) == [rule_answer(shapes, px, py) for px, py in zip(x, y)]


def test_nan_and_infinite_points_are_in_no_cell(squares):
    gs, _ = squares
    x = np.array([np.nan, 0.5, np.inf, -np.inf, 0.5])
    y = np.array([0.5, np.nan, 0.5, 0.5, np.inf])
    assert gs.index().lookup(x, y).tolist() == [-1] * 5


# ------------------------------------------------------------------------------------------
# A lattice of N x N squares of side S, grouped into blocks of B x B squares, each square cut
# into two triangles along its diagonal: three levels, 200,000 points, a large share of them
# exactly on edges and vertices, every expected answer computed exactly with floor().
# ------------------------------------------------------------------------------------------

N, B, S = 32, 8, 0.5
X0, Y0 = 1000.0, 2000.0  # x - X0 is exact (Sterbenz) and / S is exact (a power of two)


def square_code(i, j):
    return f"B{i // B}{j // B}S{i:02d}{j:02d}"


@pytest.fixture(scope="module")
def lattice(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lattice")
    blocks, squares, triangles = [], [], []
    for bi in range(N // B):
        for bj in range(N // B):
            geometry = box(X0 + bi * B * S, Y0 + bj * B * S, X0 + (bi + 1) * B * S, Y0 + (bj + 1) * B * S)
            blocks.append(({"code": f"B{bi}{bj}"}, geometry))
    for i in range(N):
        for j in range(N):
            x0, y0, x1, y1 = X0 + i * S, Y0 + j * S, X0 + (i + 1) * S, Y0 + (j + 1) * S
            code = square_code(i, j)
            squares.append(({"code": code, "parent_code": f"B{i // B}{j // B}"}, box(x0, y0, x1, y1)))
            triangles.append(({"code": code + "L", "parent_code": code}, polygon((x0, y0), (x1, y0), (x1, y1))))
            triangles.append(({"code": code + "U", "parent_code": code}, polygon((x0, y0), (x1, y1), (x0, y1))))
    gs = libgrid.import_grid_set(
        [
            ("block", write_geojson(folder / "block.geojson", blocks)),
            ("square", write_geojson(folder / "square.geojson", squares)),
            ("triangle", write_geojson(folder / "triangle.geojson", triangles)),
        ]
    )
    return gs


@pytest.fixture(scope="module")
def lattice_points():
    rng = np.random.default_rng(7)
    half = 100_000
    # On the lattice of quarter squares: edges, vertices, diagonals, rims and beyond.
    qx = X0 + rng.integers(-8, 4 * N + 9, half) * (S / 4)
    qy = Y0 + rng.integers(-8, 4 * N + 9, half) * (S / 4)
    ux = rng.uniform(X0 - 1, X0 + N * S + 1, half)
    uy = rng.uniform(Y0 - 1, Y0 + N * S + 1, half)
    return np.concatenate([qx, ux]), np.concatenate([qy, uy])


def expected_lattice_ids(gs, x, y):
    """Expected cell ids at each level, by the rule: floor() for the squares' half-open sides,
    and for the diagonal y = x inside a square, the upper triangle when v >= u."""
    fx, fy = (x - X0) / S, (y - Y0) / S
    i, j = np.floor(fx).astype(int), np.floor(fy).astype(int)
    inside = (i >= 0) & (i < N) & (j >= 0) & (j < N)
    u, v = fx - i, fy - j
    find = np.vectorize(gs.find, otypes=[np.int32])
    square_ids = find(np.array([[square_code(a, b) for b in range(N)] for a in range(N)]))
    block_ids = find(np.array([[f"B{a}{b}" for b in range(N // B)] for a in range(N // B)]))
    lower = find(np.array([[square_code(a, b) + "L" for b in range(N)] for a in range(N)]))
    upper = find(np.array([[square_code(a, b) + "U" for b in range(N)] for a in range(N)]))
    ic, jc = np.where(inside, i, 0), np.where(inside, j, 0)
    none = np.int32(-1)
    return {
        "block": np.where(inside, block_ids[ic // B, jc // B], none),
        "square": np.where(inside, square_ids[ic, jc], none),
        "triangle": np.where(inside, np.where(v >= u, upper[ic, jc], lower[ic, jc]), none),
    }


def test_lattice_every_point_in_exactly_one_cell_per_level(lattice, lattice_points):
    gs, (x, y) = lattice, lattice_points
    assert gs.levels == ["block", "square", "triangle"]
    assert len(gs) == (N // B) ** 2 + 3 * N * N
    idx = gs.index()
    expected = expected_lattice_ids(gs, x, y)
    for level, ids in expected.items():
        got = idx.lookup_level(x, y, level)
        wrong = np.flatnonzero(got != ids)
        assert wrong.size == 0, (
            f"level {level}: {wrong.size} points differ from the rule, e.g. "
            f"({x[wrong[0]]!r}, {y[wrong[0]]!r}) -> {got[wrong[0]]}, expected {ids[wrong[0]]}"
        )
        holding = idx.count_holding(x, y, level)
        assert np.array_equal(holding, (ids != -1).astype(np.int32)), f"level {level}"
    assert np.array_equal(idx.lookup(x, y), expected["triangle"])
    # The path of every covered point nests by parent code all the way up.
    path = gs.path(idx.lookup(x, y))
    covered = path["triangle"].notna()
    assert covered.sum() == (expected["triangle"] != -1).sum()
    assert all(t.startswith(s) for s, t in zip(path["square"][covered], path["triangle"][covered]))
    assert list(path["block"][covered]) == list(gs.codes(expected["block"][covered.to_numpy()]))


def test_lattice_lookup_is_the_same_on_any_number_of_threads(lattice, lattice_points):
    x, y = lattice_points
    idx = lattice.index()
    one = idx.lookup(x, y, threads=1)
    holding = idx.count_holding(x, y, "square", threads=1)
    block = idx.lookup_level(x, y, "block", threads=1)
    for threads in (2, 3, 7, 0):
        assert np.array_equal(one, idx.lookup(x, y, threads=threads)), threads
        assert np.array_equal(block, idx.lookup_level(x, y, "block", threads=threads)), threads
        assert np.array_equal(holding, idx.count_holding(x, y, "square", threads=threads)), threads
