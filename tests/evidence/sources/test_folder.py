"""Folder source: contract, symlinks, unreadable, empty and special files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sentinela.evidence.entries import FailureCode
from sentinela.evidence.sources.folder import FolderSource
from tests.contracts.test_evidence_sources import (
    EvidenceSourceContract,
    entries,
    failures,
    walk,
)
from tests.evidence.helpers import make_unreadable, run_unprivileged, simple_zip


class TestFolderSource(EvidenceSourceContract):
    source_name = "folder"
    expected_paths = frozenset({"a.txt", "DCIM/b.bin", "DCIM/empty.dat", "DCIM/c.zip!/inner.txt"})

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        root = tmp_path / "exhibit"
        (root / "DCIM").mkdir(parents=True)
        (root / "a.txt").write_text("alpha")
        (root / "DCIM" / "b.bin").write_bytes(bytes(range(256)) * 4)
        (root / "DCIM" / "empty.dat").write_bytes(b"")
        (root / "DCIM" / "c.zip").write_bytes(simple_zip({"inner.txt": b"inside"}))
        return root


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "exhibit"
    (root / "sub").mkdir(parents=True)
    (root / "keep.txt").write_text("kept")
    (root / "sub" / "deep.txt").write_text("deep")
    return root


def test_zero_byte_file_is_an_ordinary_entry(folder: Path) -> None:
    (folder / "empty.jpg").write_bytes(b"")
    found = entries(walk(FolderSource(), folder))
    assert found["empty.jpg"].size == 0
    with found["empty.jpg"].open() as stream:
        assert stream.read() == b""


def test_symlink_out_of_the_folder_is_recorded_not_followed(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of the exhibit")
    (folder / "escape").symlink_to(outside)
    (folder / "escape_dir").symlink_to(tmp_path)
    items = walk(FolderSource(), folder)
    found = entries(items)
    assert {"keep.txt", "sub/deep.txt"} <= set(found)
    assert not any(path.startswith("escape") for path in found)
    escapes = {f.path: f for f in failures(items) if f.code is FailureCode.SYMLINK_ESCAPE}
    assert set(escapes) == {"escape", "escape_dir"}
    assert str(outside) in escapes["escape"].message


def test_symlink_inside_the_folder_is_skipped(folder: Path) -> None:
    (folder / "alias.txt").symlink_to(folder / "keep.txt")
    items = walk(FolderSource(), folder)
    assert "alias.txt" not in entries(items)
    assert not failures(items)


def test_unreadable_file_is_recorded_and_the_walk_goes_on(folder: Path) -> None:
    secret = folder / "sub" / "locked.jpg"
    secret.write_bytes(b"locked")
    make_unreadable(secret)

    def scan() -> list[list[str]]:
        items = walk(FolderSource(), folder)
        return [[f.path, f.code] for f in failures(items)] + [[p, "entry"] for p in entries(items)]

    outcome = run_unprivileged(scan)
    assert ["sub/locked.jpg", "unreadable"] in outcome
    assert ["keep.txt", "entry"] in outcome
    assert ["sub/deep.txt", "entry"] in outcome


def test_unreadable_folder_is_recorded(folder: Path) -> None:
    (folder / "sub").chmod(0)

    def scan() -> list[list[str]]:
        items = walk(FolderSource(), folder)
        return [[f.path, f.code] for f in failures(items)] + [[p, "entry"] for p in entries(items)]

    try:
        outcome = run_unprivileged(scan)
    finally:
        (folder / "sub").chmod(0o755)
    assert ["sub", "unreadable"] in outcome
    assert ["keep.txt", "entry"] in outcome


def test_fifo_is_recorded_and_never_opened(folder: Path) -> None:
    os.mkfifo(folder / "pipe")
    items = walk(FolderSource(), folder)
    assert [f.code for f in failures(items)] == [FailureCode.SPECIAL_FILE]
    assert "keep.txt" in entries(items)


def test_paths_keep_undecodable_names(folder: Path) -> None:
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("latin-1 name")
    found = entries(walk(FolderSource(), folder))
    assert "caf\\xe9.txt" in found
    with found["caf\\xe9.txt"].open() as stream:
        assert stream.read() == b"latin-1 name"
