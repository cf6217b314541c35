"""Contract every PDQ index keeps, run for each registered index, and proof all are registered.

An index's checks subclass :class:`IndexContract` and name the index; the cases here then run
against it, with the brute-force faiss reference as the oracle.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

import sentinela.matching as matching_package
from sentinela.errors import InvalidHashError
from sentinela.matching import (
    BrutePdqIndex,
    IndexChecksumError,
    IndexType,
    PdqIndexBase,
    UnsupportedIndexVersionError,
    build_index_registry,
)
from tests.matching.helpers import clustered_codes, flip_bits, random_codes


class IndexContract:
    """Checks every index must pass. Subclasses set ``index_name``."""

    index_name: ClassVar[str]

    @pytest.fixture
    def index_type(self) -> IndexType:
        return build_index_registry().get(self.index_name)

    @pytest.fixture
    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(42)
        codes = np.concatenate(
            (
                random_codes(rng, 3000),
                clustered_codes(rng, clusters=30, per_cluster=40, max_flips=40),
            )
        )
        ids = rng.permutation(10**7)[: len(codes)].astype(np.int64)
        queries = flip_bits(rng, codes[rng.integers(0, len(codes), 150)], 40)
        return codes, ids, queries

    def test_a_code_matches_itself_at_distance_zero(
        self, index_type: IndexType, data: tuple
    ) -> None:
        codes, ids, _ = data
        found = index_type.build(codes, ids).search(codes[:50], 0)
        pairs = set(found.as_tuples())
        assert {(i, int(ids[i]), 0) for i in range(50)} <= pairs
        assert set(found.distances.tolist()) == {0}

    @pytest.mark.parametrize("radius", [0, 10, 31, 40])
    def test_agrees_with_the_reference(
        self, index_type: IndexType, data: tuple, radius: int
    ) -> None:
        codes, ids, queries = data
        got = index_type.build(codes, ids).search(queries, radius).as_tuples()
        assert got == BrutePdqIndex.build(codes, ids).search(queries, radius).as_tuples()

    def test_results_are_sorted_and_within_radius(self, index_type: IndexType, data: tuple) -> None:
        codes, ids, queries = data
        found = index_type.build(codes, ids).search(queries, 31)
        assert found.as_tuples() == sorted(found.as_tuples())
        assert found.distances.max() <= 31

    def test_add_then_remove(self, index_type: IndexType, data: tuple) -> None:
        codes, ids, queries = data
        index = index_type.build(codes[:1000], ids[:1000])
        index.add(codes[1000:], ids[1000:])
        assert len(index) == len(codes)
        assert index.remove(ids[::2]) == len(ids[::2])
        assert len(index) == len(codes) - len(ids[::2])
        expected = BrutePdqIndex.build(codes[1::2], ids[1::2]).search(queries, 31).as_tuples()
        assert index.search(queries, 31).as_tuples() == expected

    def test_bad_codes_raise(self, index_type: IndexType) -> None:
        with pytest.raises(InvalidHashError):
            index_type.build(np.zeros((2, 31), np.uint8), np.arange(2))
        index = index_type.build(np.zeros((2, 32), np.uint8), np.arange(2))
        with pytest.raises(InvalidHashError):
            index.search(np.zeros((2, 32), np.int16), 3)  # type: ignore[arg-type]

    def test_save_load_round_trip(self, index_type: IndexType, data: tuple, tmp_path: Path) -> None:
        codes, ids, queries = data
        index = index_type.build(codes, ids)
        index.save(tmp_path / "index")
        loaded = index_type.load(tmp_path / "index")
        assert type(loaded) is type(index) and len(loaded) == len(index)
        assert loaded.search(queries, 31).as_tuples() == index.search(queries, 31).as_tuples()

    def test_tampering_is_detected(
        self, index_type: IndexType, data: tuple, tmp_path: Path
    ) -> None:
        codes, ids, _ = data
        directory = tmp_path / "index"
        index_type.build(codes, ids).save(directory)
        manifest = json.loads((directory / "manifest.json").read_text())
        victim = directory / sorted(manifest["files"])[0]
        raw = bytearray(victim.read_bytes())
        raw[len(raw) // 2] ^= 0x40
        victim.write_bytes(bytes(raw))
        with pytest.raises(IndexChecksumError):
            index_type.load(directory)
        manifest["format_version"] = 2
        (directory / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(UnsupportedIndexVersionError):
            index_type.load(directory)


class TestPdqMih(IndexContract):
    index_name = "pdq_mih"


class TestPdqBrute(IndexContract):
    index_name = "pdq_brute"


def test_every_index_module_is_registered() -> None:
    registered = {t.index_class for t in build_index_registry()}
    found = set()
    for info in pkgutil.iter_modules(matching_package.__path__):
        module = importlib.import_module(f"sentinela.matching.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, PdqIndexBase) and not inspect.isabstract(obj):
                found.add(obj)
    assert found == registered
    assert build_index_registry().names() == ["pdq_brute", "pdq_mih"]


def test_every_registered_index_has_a_contract_test() -> None:
    tested = {cls.index_name for cls in IndexContract.__subclasses__()}
    assert tested == set(build_index_registry().names())
