"""The TSK walker: deleted files, partition tables, disks without a file system."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from sentinela.evidence.disk_image import ImageSession, raw_factory
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode
from sentinela.evidence.tsk_walk import walk_image
from tests.evidence.helpers import DD, PNG_PATH, PNG_SHA256, delete_fat_file, mbr_disk


def _walk(image: Path) -> list[Entry | EntryFailure]:
    session = ImageSession(raw_factory([image]))
    try:
        return list(walk_image(session))
    finally:
        session.close()


def test_deleted_file_is_listed_flagged_and_recovered(tmp_path: Path) -> None:
    image = tmp_path / "deleted.dd"
    image.write_bytes(delete_fat_file(DD.read_bytes(), b"SYNTHE~1PNG"))
    found = [item for item in _walk(image) if isinstance(item, Entry)]
    assert [(e.path, e.deleted) for e in found] == [(PNG_PATH, True)]
    with found[0].open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256


def test_partitioned_disk_prefixes_paths_with_the_partition(tmp_path: Path) -> None:
    image = tmp_path / "disk.dd"
    image.write_bytes(mbr_disk(DD.read_bytes()))
    found = {item.path: item for item in _walk(image) if isinstance(item, Entry)}
    assert set(found) == {f"p1/{PNG_PATH}"}
    with found[f"p1/{PNG_PATH}"].open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256


def test_partition_without_file_system_is_recorded(tmp_path: Path) -> None:
    image = tmp_path / "disk.dd"
    image.write_bytes(mbr_disk(bytes(64 * 1024), partition_type=0x83))
    items = _walk(image)
    assert [(i.path, i.code) for i in items if isinstance(i, EntryFailure)] == [
        ("p1", FailureCode.NO_FILESYSTEM)
    ]


def test_empty_disk_has_no_file_system(tmp_path: Path) -> None:
    image = tmp_path / "zeros.dd"
    image.write_bytes(bytes(128 * 1024))
    items = _walk(image)
    assert len(items) == 1 and isinstance(items[0], EntryFailure)
    assert items[0].code is FailureCode.NO_FILESYSTEM


def test_stream_open_during_walk_survives_the_session_closing(tmp_path: Path) -> None:
    session = ImageSession(raw_factory([DD]))
    entry = next(item for item in walk_image(session) if isinstance(item, Entry))
    stream = entry.open()
    session.close()  # the walk ends while a reader is still busy
    assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256
    stream.close()
    with entry.open() as again:  # opened afresh after the close
        assert hashlib.sha256(again.read()).hexdigest() == PNG_SHA256


@pytest.mark.skipif(shutil.which("mkfs.ext4") is None, reason="needs mkfs.ext4 (e2fsprogs)")
def test_ext4_image_built_by_mkfs(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "DCIM").mkdir(parents=True)
    (tree / "docs").mkdir()
    (tree / "DCIM" / "a.bin").write_bytes(bytes(range(256)) * 50)
    (tree / "docs" / "empty").write_bytes(b"")
    (tree / "docs" / "link").symlink_to("../DCIM/a.bin")
    image = tmp_path / "ext4.img"
    subprocess.run(
        ["mkfs.ext4", "-q", "-F", "-b", "1024", "-d", str(tree), str(image), "1M"],
        check=True,
        capture_output=True,
    )
    found = {item.path: item for item in _walk(image) if isinstance(item, Entry)}
    assert set(found) == {"DCIM/a.bin", "docs/empty"}  # the symlink is not followed
    with found["DCIM/a.bin"].open() as stream:
        assert stream.read() == bytes(range(256)) * 50
    assert found["docs/empty"].size == 0
    assert found["DCIM/a.bin"].crtime is not None
