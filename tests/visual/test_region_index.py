"""The fast region index agrees with the brute-force reference, and saves safely."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sentinela.matching.errors import IndexFileError
from sentinela.visual.candidates import MatchParams
from sentinela.visual.features import Features, Region, extract, grey_array, region_features
from sentinela.visual.region_brute import BruteRegionMatcher, hamming
from sentinela.visual.region_index import RegionIndex
from tests.services.victim_id_helpers import planted, shapes

PLANTED = {0, 7, 13, 21, 34}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[int, Features]]:
    items = []
    for i in range(40):
        img = planted(i)[0] if i in PLANTED else shapes(i)
        items.append((1000 + i, extract(grey_array(img), n_features=300)))
    return items


@pytest.fixture(scope="module")
def query() -> Features:
    img, box = planted(5000)
    return region_features(grey_array(img), img.size, Region(*box))


def test_hamming_matches_a_bit_count() -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (5, 32), dtype=np.uint8)
    b = rng.integers(0, 256, (7, 32), dtype=np.uint8)
    expected = np.unpackbits(a[:, None, :] ^ b[None, :, :], axis=2).sum(axis=2)
    assert np.array_equal(hamming(a, b), expected)


@pytest.mark.parametrize("kind", ["flat", "ivf"])
def test_fast_index_agrees_with_brute_force(
    corpus: list[tuple[int, Features]], query: Features, kind: str
) -> None:
    if kind == "flat":
        fast = RegionIndex.build(corpus)
    else:  # every list probed: the inverted file must then be exact too
        fast = RegionIndex.build(corpus, min_ivf_rows=1, nlist=16, nprobe=16)
    assert fast.kind == kind
    brute = BruteRegionMatcher.build(corpus)
    params = MatchParams()
    fast_hits = fast.search(query, params)
    brute_hits = brute.search(query, params)
    assert {h.media_id for h in fast_hits} == {1000 + i for i in PLANTED}
    assert {h.media_id for h in brute_hits} == {h.media_id for h in fast_hits}
    for f, b in zip(
        sorted(fast_hits, key=lambda h: h.media_id),
        sorted(brute_hits, key=lambda h: h.media_id),
        strict=True,
    ):
        assert abs(f.inliers - b.inliers) <= max(3, b.inliers // 10)


def test_background_only_region_matches_nothing(corpus: list[tuple[int, Features]]) -> None:
    img = shapes(9999)
    q = region_features(grey_array(img), img.size, Region(0.1, 0.1, 0.5, 0.5))
    assert RegionIndex.build(corpus).search(q) == []
    assert BruteRegionMatcher.build(corpus).search(q) == []


def test_save_load_and_tamper(
    tmp_path: Path, corpus: list[tuple[int, Features]], query: Features
) -> None:
    index = RegionIndex.build(corpus[:20], min_ivf_rows=1, nlist=8, nprobe=8)
    index.add(corpus[20:])
    index.save(tmp_path / "regions")
    loaded = RegionIndex.load(tmp_path / "regions")
    assert len(loaded) == len(index) and loaded.kind == "ivf"
    assert loaded.media_ids() == {m for m, _ in corpus}
    assert loaded.search(query) == index.search(query)
    assert loaded.file_bytes(tmp_path / "regions") > len(index) * 32
    owners = tmp_path / "regions" / "owners.npy"
    owners.write_bytes(owners.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(IndexFileError):
        RegionIndex.load(tmp_path / "regions")
    with pytest.raises(IndexFileError):
        RegionIndex.load(tmp_path / "missing")
