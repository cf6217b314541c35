"""Archive source: contract, and archive exhibits with hostile content."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import py7zr
import pytest

from sentinela.evidence.entries import FailureCode
from sentinela.evidence.sources.archive import ArchiveSource
from tests.contracts.test_evidence_sources import (
    EvidenceSourceContract,
    entries,
    failures,
    walk,
)
from tests.evidence.helpers import nested_zip, simple_zip


class TestArchiveSourceZip(EvidenceSourceContract):
    source_name = "archive"
    expected_paths = frozenset({"DCIM/a.txt", "DCIM/inner.zip", "DCIM/inner.zip!/b.txt"})

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        inner = simple_zip({"b.txt": b"bravo"})
        target = tmp_path / "seized.zip"
        target.write_bytes(simple_zip({"DCIM/a.txt": b"alpha", "DCIM/inner.zip": inner}))
        return target


class TestArchiveSourceTarGz(EvidenceSourceContract):
    source_name = "archive"
    expected_paths = frozenset({"photos/one.bin", "photos/two.bin"})

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz") as archive:
            for name, data in (("photos/one.bin", b"1" * 5000), ("photos/two.bin", b"2" * 7)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = 1_700_000_000
                archive.addfile(info, io.BytesIO(data))
        target = tmp_path / "seized.tar.gz"
        target.write_bytes(out.getvalue())
        return target


class TestArchiveSource7z(EvidenceSourceContract):
    source_name = "archive"
    expected_paths = frozenset({"a/one.txt", "two.txt"})

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        target = tmp_path / "seized.7z"
        with py7zr.SevenZipFile(target, "w") as archive:
            archive.writestr(b"one", "a/one.txt")
            archive.writestr(b"two" * 100, "two.txt")
        return target


def test_members_of_an_archive_exhibit_are_at_depth_one(tmp_path: Path) -> None:
    target = tmp_path / "x.zip"
    target.write_bytes(simple_zip({"a.txt": b"a"}))
    entry = entries(walk(ArchiveSource(), target))["a.txt"]
    assert entry.depth == 1
    assert entry.parent_container is None


def test_bare_gzip_exhibit_yields_the_file_it_holds(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt.gz"
    target.write_bytes(gzip.compress(b"plain notes"))
    found = entries(walk(ArchiveSource(), target))
    assert set(found) == {"notes.txt"}
    with found["notes.txt"].open() as stream:
        assert stream.read() == b"plain notes"


def test_archive_exhibit_nested_fifty_deep(tmp_path: Path) -> None:
    target = tmp_path / "level1.zip"
    target.write_bytes(nested_zip(50))
    items = walk(ArchiveSource(), target)
    found = entries(items)
    deep = [f for f in failures(items) if f.code is FailureCode.NESTING_TOO_DEEP]
    assert len(deep) == 1
    assert deep[0].path.count("!/") == 7  # level9.zip, inside levels 2..8 of the exhibit
    notes = sorted(p.rsplit("/", 1)[-1] for p in found if p.rsplit("/", 1)[-1].startswith("note"))
    assert notes == sorted(f"note{n}.txt" for n in range(1, 9))


def test_corrupt_archive_exhibit_is_one_failure(tmp_path: Path) -> None:
    target = tmp_path / "broken.zip"
    target.write_bytes(simple_zip({"a.txt": b"a" * 1000})[:-30])
    items = walk(ArchiveSource(), target)
    assert [(f.path, f.code) for f in failures(items)] == [("", FailureCode.CORRUPT_ARCHIVE)]
