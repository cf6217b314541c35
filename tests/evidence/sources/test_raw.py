"""Raw source: contract on the FAT12 fixture, split segments, no file system."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from pathlib import Path

import pytest

from sentinela.evidence.entries import EntryFailure, FailureCode
from sentinela.evidence.sources.raw import RawSource
from tests.contracts.test_evidence_sources import EvidenceSourceContract, entries, walk
from tests.evidence.helpers import DD, PNG_PATH, PNG_SHA256, PNG_SIZE, tree_listing


class TestRawSource(EvidenceSourceContract):
    source_name = "raw"
    expected_paths = frozenset({PNG_PATH})

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        target = tmp_path / "EXH-001.dd"
        shutil.copyfile(DD, target)
        return target


def test_fixture_png_comes_out_with_its_hash() -> None:
    found = entries(walk(RawSource(), DD))
    png = found[PNG_PATH]
    assert png.size == PNG_SIZE
    assert not png.deleted
    with png.open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256
    assert png.mtime is not None and png.mtime.year == 2024
    assert set(found) == {PNG_PATH}  # no $MBR, $FAT1, $OrphanFiles or volume label


def test_split_raw_reads_across_segments(tmp_path: Path) -> None:
    data = DD.read_bytes()
    # Uneven segment sizes, so that the PNG straddles a boundary.
    cuts = [0, 20_000, 21_000, 70_000, len(data)]
    for number, (start, end) in enumerate(itertools.pairwise(cuts), start=1):
        (tmp_path / f"disk.{number:03d}").write_bytes(data[start:end])
    png = entries(walk(RawSource(), tmp_path / "disk.001"))[PNG_PATH]
    with png.open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256


def test_random_bytes_give_one_no_filesystem_failure(tmp_path: Path) -> None:
    image = tmp_path / "random.dd"
    image.write_bytes(hashlib.shake_256(b"no file system here").digest(256 * 1024))
    items = walk(RawSource(), image)
    assert items == [
        EntryFailure("", FailureCode.NO_FILESYSTEM, items[0].message)  # type: ignore[union-attr]
    ]


def test_nothing_is_written_next_to_the_image(tmp_path: Path) -> None:
    image = tmp_path / "EXH-001.dd"
    shutil.copyfile(DD, image)
    before = tree_listing(tmp_path)
    mtime = os.stat(image).st_mtime_ns
    for entry in entries(walk(RawSource(), image)).values():
        with entry.open() as stream:
            stream.read()
    assert tree_listing(tmp_path) == before
    assert os.stat(image).st_mtime_ns == mtime
