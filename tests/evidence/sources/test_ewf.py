"""E01 source: contract on the FAT12 fixture, truncated and damaged images."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sentinela.evidence.entries import FailureCode
from sentinela.evidence.sources.ewf import EwfSource
from tests.contracts.test_evidence_sources import (
    EvidenceSourceContract,
    entries,
    failures,
    walk,
)
from tests.evidence.helpers import E01, PNG_PATH, PNG_SHA256, tree_listing


class TestEwfSource(EvidenceSourceContract):
    source_name = "ewf"
    expected_paths = frozenset({PNG_PATH})

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        target = tmp_path / "EXH-001.E01"
        shutil.copyfile(E01, target)
        return target


def test_fixture_png_comes_out_with_its_hash() -> None:
    found = entries(walk(EwfSource(), E01))
    assert set(found) == {PNG_PATH}
    with found[PNG_PATH].open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256


@pytest.mark.parametrize("keep", [10, 1000, 5000, 13600, 15100])
def test_truncated_e01_is_one_recorded_failure(tmp_path: Path, keep: int) -> None:
    cut = tmp_path / "cut.E01"
    cut.write_bytes(E01.read_bytes()[:keep])
    items = walk(EwfSource(), cut)
    assert len(items) == 1
    assert failures(items)[0].code is FailureCode.TRUNCATED_IMAGE
    assert "cut.E01" in failures(items)[0].message


def test_damaged_descriptor_is_a_corrupt_image(tmp_path: Path) -> None:
    data = bytearray(E01.read_bytes())
    data[13 + 40] ^= 0xFF  # inside the first section descriptor, covered by its checksum
    damaged = tmp_path / "damaged.E01"
    damaged.write_bytes(bytes(data))
    items = walk(EwfSource(), damaged)
    assert [f.code for f in failures(items)] == [FailureCode.CORRUPT_IMAGE]


def test_nothing_is_written_next_to_the_image(tmp_path: Path) -> None:
    image = tmp_path / "EXH-001.E01"
    shutil.copyfile(E01, image)
    before = tree_listing(tmp_path)
    for entry in entries(walk(EwfSource(), image)).values():
        with entry.open() as stream:
            stream.read()
    assert tree_listing(tmp_path) == before
