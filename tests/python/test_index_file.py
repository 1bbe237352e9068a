"""The saved index file as README.md documents it: its checksum, checked here with engines other
than libgrid's own (python3-xxhash, and the xxhsum command), and the refusal of older formats."""

import pickle
import shutil
import struct
import subprocess

import pytest

import libgrid

xxhash = pytest.importorskip("xxhash", reason="python3-xxhash (Debian) verifies the checksum independently")

LEVELS = ["district", "street", "community", "grid", "microgrid"]
CHECKSUM_AT = 24  # the little-endian 64-bit checksum
CHECKSUMMED_FROM = 32  # XXH3-64, seed 0, of every byte from here to the end of the file


@pytest.fixture(scope="module")
def saved(samples_dir, tmp_path_factory):
    gs = libgrid.import_grid_set([(level, samples_dir / f"{level}.geojson") for level in LEVELS])
    path = tmp_path_factory.mktemp("index_file") / "city.lgi"
    gs.index().save(path)
    return gs, path


def stored_checksum(data):
    return struct.unpack_from("<Q", data, CHECKSUM_AT)[0]


def test_checksum_is_xxh3_of_every_byte_after_it(saved):
    gs, path = saved
    data = path.read_bytes()
    assert data[:8] == b"LGRIDIDX" and struct.unpack_from("<I", data, 8)[0] == 3
    assert stored_checksum(data) == xxhash.xxh3_64_intdigest(data[CHECKSUMMED_FROM:], seed=0)
    # The checksum a pickled index carries, to be matched by every process that loads the file.
    loaded = gs.load_index(path)
    assert loaded.__reduce__()[1][:2] == (str(path), stored_checksum(data))
    assert pickle.loads(pickle.dumps(loaded)).lookup([0.0], [0.0]).tolist() == [-1]


@pytest.mark.skipif(shutil.which("xxhsum") is None, reason="xxhsum (Debian package xxhash) not installed")
def test_documented_shell_check_agrees(saved):
    _, path = saved
    # README.md: tail -c +33 city.lgi | xxhsum -H3   and   od -An -tx8 -j24 -N8 city.lgi
    printed = subprocess.run(f"tail -c +33 '{path}' | xxhsum -H3", shell=True, check=True, capture_output=True, text=True)
    stored = subprocess.run(["od", "-An", "-tx8", "-j24", "-N8", str(path)], check=True, capture_output=True, text=True)
    assert printed.stdout.split()[-1] == stored.stdout.strip() == f"{stored_checksum(path.read_bytes()):016x}"


def test_a_byte_changed_after_the_checksum_is_refused(saved, tmp_path):
    _, path = saved
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    bad = tmp_path / "bad.lgi"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupted index: checksum mismatch"):
        libgrid.Index.load(bad)


@pytest.mark.parametrize("version", [1, 2])
def test_index_of_an_older_format_is_refused_to_be_built_again(saved, tmp_path, version):
    _, path = saved
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 8, version)
    old = tmp_path / f"format{version}.lgi"
    old.write_bytes(bytes(data))
    message = (
        f"{old}: index written by an older version of libgrid (file format {version}, "
        "this version reads format 3): build the index again with this version"
    )
    for load in (lambda: libgrid.Index.load(old), lambda: libgrid.Index.load(old, map_file=True)):
        with pytest.raises(ValueError) as error:
            load()
        assert str(error.value) == message
