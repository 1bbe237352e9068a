"""The type stubs: generated from the built module, checked in as generated, and usable.

_libgrid.pyi is written by scripts/generate-stubs.py from the signatures pybind11 puts into the
compiled module's docstrings; the pure-Python modules carry their types inline. mypy (Debian's
python3-mypy) checks the package against the stub and a typed program using it.
"""

import difflib
import os
import pathlib
import subprocess
import sys

import pytest

import libgrid

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKED_IN = REPO_ROOT / "bindings" / "python" / "libgrid" / "_libgrid.pyi"
GENERATOR = REPO_ROOT / "scripts" / "generate-stubs.py"
PACKAGE_PARENT = pathlib.Path(libgrid.__file__).resolve().parents[1]


def generated_stub() -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_PARENT), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(GENERATOR)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_checked_in_stub_is_the_generated_one():
    fresh = generated_stub()
    assert CHECKED_IN.is_file(), f"{CHECKED_IN} is missing"
    kept = CHECKED_IN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(kept.splitlines(True), fresh.splitlines(True),
                                        "checked in", "generated"))
    assert kept == fresh, (
        "bindings/python/libgrid/_libgrid.pyi is not what the module's signatures give; update it with\n"
        f"  PYTHONPATH={PACKAGE_PARENT} {sys.executable} scripts/generate-stubs.py "
        f"bindings/python/libgrid/_libgrid.pyi\n{diff}")


def test_build_tree_has_the_generated_stub_beside_the_module():
    built = PACKAGE_PARENT / "libgrid" / "_libgrid.pyi"
    assert built.is_file()
    assert built.read_text(encoding="utf-8") == generated_stub()
    assert (PACKAGE_PARENT / "libgrid" / "py.typed").is_file()
    # The pure-Python modules are typed inline: no second, hand-kept copy of their signatures.
    assert sorted(p.name for p in (PACKAGE_PARENT / "libgrid").glob("*.pyi")) == ["_libgrid.pyi"]


def test_stub_names_every_public_member():
    import ast

    tree = ast.parse(generated_stub())
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    for cls in (libgrid.GridSet, libgrid.Index):
        members = {n.name for n in classes[cls.__name__].body if isinstance(n, ast.FunctionDef)}
        public = {n for n in vars(cls) if not n.startswith("_")}
        assert public <= members, f"{cls.__name__}: not in the stub: {public - members}"
    assert {"transform", "is_known_crs", "is_geographic_crs"} <= functions
    # No parameter or result left untyped, and no C++ name pybind11 could not translate.
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            untyped = [a.arg for a in args if a.annotation is None and a.arg != "self"]
            assert untyped == [] and node.returns is not None, node.name


MYPY_CONFIG = """\
[mypy]
strict_optional = True
warn_unused_ignores = True
disallow_untyped_defs = True
disallow_incomplete_defs = True
no_implicit_optional = True
# Third-party packages without types (pandas, geopandas, shapely on Debian) count as Any; Dask is
# typed but slow to analyse, and only its DataFrame is named.
[mypy-pandas.*,geopandas.*,shapely.*,pyproj.*]
ignore_missing_imports = True
[mypy-dask.*]
follow_imports = skip
follow_imports_for_stubs = True
"""


def run_mypy(tmp_path, *targets):
    pytest.importorskip("mypy", reason="mypy not installed (Debian: python3-mypy)")
    config = tmp_path / "mypy.ini"
    config.write_text(MYPY_CONFIG, encoding="utf-8")
    env = dict(os.environ, MYPYPATH=str(PACKAGE_PARENT))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(tmp_path / "cache"),
         "--no-error-summary", "--show-error-codes", *targets],
        env=env, capture_output=True, text=True, cwd=tmp_path)
    return done.returncode, done.stdout + done.stderr


def test_package_type_checks_against_its_stub(tmp_path):
    # The package's own code, typed inline, calls the compiled module as its stub says.
    status, output = run_mypy(tmp_path, "-p", "libgrid")
    assert status == 0, output


def test_typed_program_gets_precise_types_and_refusals(tmp_path):
    status, output = run_mypy(tmp_path, str(REPO_ROOT / "tests" / "python" / "typing_example.py"))
    assert status == 0, output
