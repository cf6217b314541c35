"""The multi-index returns exactly the brute-force reference's pairs, and survives changes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sentinela.errors import InvalidInputError
from sentinela.matching import (
    BrutePdqIndex,
    IndexChecksumError,
    IndexFileError,
    Matches,
    PdqIndex,
    UnsupportedIndexVersionError,
)
from sentinela.matching.layout import Plan, split
from tests.matching.helpers import clustered_codes, flip_bits, random_codes

RADII = [0, 8, 31, 40, 48]


def same(a: Matches, b: Matches) -> None:
    assert np.array_equal(a.query_index, b.query_index)
    assert np.array_equal(a.ids, b.ids)
    assert np.array_equal(a.distances, b.distances)


@pytest.fixture(scope="module")
def random_set() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    codes = random_codes(rng, 50_000)
    ids = rng.permutation(10**6)[: len(codes)].astype(np.int64)
    picked = codes[rng.integers(0, len(codes), 300)]
    queries = np.concatenate((flip_bits(rng, picked, 48), random_codes(rng, 300)))
    return codes, ids, queries


@pytest.fixture(scope="module")
def clustered_set() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    codes = clustered_codes(rng, clusters=400, per_cluster=50, max_flips=48)
    ids = np.arange(len(codes), dtype=np.int64) * 7 - 5000
    queries = flip_bits(rng, codes[rng.integers(0, len(codes), 200)], 31)
    return codes, ids, queries


@pytest.mark.parametrize("radius", RADII)
@pytest.mark.parametrize("dataset", ["random_set", "clustered_set"])
def test_mih_equals_brute_force(dataset: str, radius: int, request: pytest.FixtureRequest) -> None:
    codes, ids, queries = request.getfixturevalue(dataset)
    fast = PdqIndex.build(codes, ids).search(queries, radius)
    slow = BrutePdqIndex.build(codes, ids).search(queries, radius)
    same(fast, slow)
    if radius >= 31:
        assert len(slow) > 0


def test_every_sub_radius_path_is_exact() -> None:
    # Narrow keys and many tables force probes at sub-radius 0, 1, 2 and skipped tables.
    rng = np.random.default_rng(3)
    codes = clustered_codes(rng, clusters=50, per_cluster=40, max_flips=20)
    ids = np.arange(len(codes), dtype=np.int64)
    queries = flip_bits(rng, codes[:100], 20)
    brute = BrutePdqIndex.build(codes, ids)
    for m, key_bits in [(8, 12), (16, 10), (32, 8)]:
        index = PdqIndex.build(codes, ids, plan=Plan(split(m, key_bits), 31, len(codes)))
        for radius in (0, 5, 17, 31, 70):
            same(index.search(queries, radius), brute.search(queries, radius))


def test_add_and_remove_match_brute_force(random_set: tuple[np.ndarray, ...]) -> None:
    codes, ids, queries = random_set
    index = PdqIndex.build(codes[:20_000], ids[:20_000], delta_limit=1000)
    brute = BrutePdqIndex.build(codes[:20_000], ids[:20_000])
    for start in range(20_000, 26_000, 1500):  # crosses the buffer limit several times
        index.add(codes[start : start + 1500], ids[start : start + 1500])
        brute.add(codes[start : start + 1500], ids[start : start + 1500])
    index.add(codes[26_000:26_001], ids[26_000:26_001])  # one code stays buffered
    brute.add(codes[26_000:26_001], ids[26_000:26_001])
    gone = np.concatenate((ids[:500], ids[25_900:26_001], np.array([-1], dtype=np.int64)))
    assert index.remove(gone) == brute.remove(gone) == 601
    assert len(index) == len(brute) == 26_001 - 601
    same(index.search(queries, 40), brute.search(queries, 40))
    index.compact()
    same(index.search(queries, 40), brute.search(queries, 40))


def test_growth_replans_and_stays_exact(random_set: tuple[np.ndarray, ...]) -> None:
    codes, ids, queries = random_set
    index = PdqIndex.build(codes[:100], ids[:100], delta_limit=2000)
    index.add(codes[100:10_000], ids[100:10_000])
    assert index.plan.planned_rows == 10_000
    same(
        index.search(queries, 31),
        BrutePdqIndex.build(codes[:10_000], ids[:10_000]).search(queries, 31),
    )


def test_empty_index_and_empty_queries() -> None:
    empty = PdqIndex.build(np.empty((0, 32), np.uint8), np.empty(0, np.int64))
    assert len(empty.search(random_codes(np.random.default_rng(1), 3), 31)) == 0
    empty.add(np.zeros((1, 32), np.uint8), np.array([9]))
    assert empty.search(np.zeros((1, 32), np.uint8), 0).as_tuples() == [(0, 9, 0)]
    assert len(empty.search(np.empty((0, 32), np.uint8), 31)) == 0


def test_bad_radius_raises() -> None:
    index = PdqIndex.build(np.zeros((1, 32), np.uint8), np.array([1]))
    for radius in (-1, 257, 3.5):
        with pytest.raises(InvalidInputError):
            index.search(np.zeros((1, 32), np.uint8), radius)  # type: ignore[arg-type]


def test_save_load_round_trip(tmp_path: Path, clustered_set: tuple[np.ndarray, ...]) -> None:
    codes, ids, queries = clustered_set
    index = PdqIndex.build(codes, ids, delta_limit=100)
    index.add(random_codes(np.random.default_rng(5), 10), np.arange(10, dtype=np.int64))
    index.remove(ids[:50])
    expected = index.search(queries, 31)
    index.save(tmp_path / "idx")
    for mmap in (True, False):
        loaded = PdqIndex.load(tmp_path / "idx", mmap=mmap)
        assert len(loaded) == len(index)
        same(loaded.search(queries, 31), expected)
    loaded = PdqIndex.load(tmp_path / "idx")
    loaded.add(codes[:5], np.arange(5, dtype=np.int64) + 10**9)
    loaded.flush()  # mutating a memory-mapped index copies, never writes the files
    PdqIndex.load(tmp_path / "idx")
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["format_version"] == 1 and manifest["hash_type"] == "pdq"
    assert manifest["count"] == len(index)


def _saved(tmp_path: Path) -> Path:
    rng = np.random.default_rng(2)
    PdqIndex.build(random_codes(rng, 2000), np.arange(2000, dtype=np.int64)).save(tmp_path / "i")
    return tmp_path / "i"


def test_corrupt_data_file_raises(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    path = directory / "table00_perm.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(IndexChecksumError):
        PdqIndex.load(directory)


def test_edited_manifest_raises(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["ids.npy"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexChecksumError):
        PdqIndex.load(directory)


@pytest.mark.parametrize(
    ("field", "value"), [("format_version", 99), ("hash_type", "md5"), ("index", "pdq_brute")]
)
def test_unknown_version_or_kind_raises(tmp_path: Path, field: str, value: object) -> None:
    directory = _saved(tmp_path)
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest[field] = value
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(UnsupportedIndexVersionError):
        PdqIndex.load(directory)


def test_missing_or_garbled_manifest_raises(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    (directory / "manifest.json").write_text("{not json")
    with pytest.raises(IndexFileError):
        PdqIndex.load(directory)
    (directory / "manifest.json").unlink()
    with pytest.raises(IndexFileError):
        PdqIndex.load(directory)
