"""Folder tree digest: deterministic, sensitive to content and names, blind to times."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sentinela.evidence.container_hashes import hash_container
from sentinela.evidence.folder_manifest import folder_manifest


def _tree(root: Path) -> Path:
    (root / "b").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a.txt").write_bytes(b"alpha")
    (root / "b" / "c.bin").write_bytes(b"\x00\x01")
    (root / "link").symlink_to("a.txt")
    return root


def test_manifest_layout(tmp_path: Path) -> None:
    manifest, total = folder_manifest(_tree(tmp_path / "x"))
    alpha = hashlib.sha256(b"alpha").hexdigest().encode()
    c = hashlib.sha256(b"\x00\x01").hexdigest().encode()
    assert manifest == (
        b"f\0a.txt\0" + b"5\0" + alpha + b"\0"
        b"d\0b\0"
        b"f\0b/c.bin\0" + b"2\0" + c + b"\0"
        b"d\0empty\0"
        b"l\0link\0a.txt\0"
    )
    assert total == 7


def test_same_content_same_digest_whatever_the_times(tmp_path: Path) -> None:
    first = hash_container(_tree(tmp_path / "one"), "folder")
    second_root = _tree(tmp_path / "two")
    os.utime(second_root / "a.txt", (1, 1))
    assert hash_container(second_root, "folder").sha256 == first.sha256


def test_content_and_names_change_the_digest(tmp_path: Path) -> None:
    root = _tree(tmp_path / "x")
    before = hash_container(root, "folder").sha256
    (root / "a.txt").write_bytes(b"alphA")
    changed = hash_container(root, "folder").sha256
    (root / "a.txt").rename(root / "A.txt")
    renamed = hash_container(root, "folder").sha256
    assert len({before, changed, renamed}) == 3
