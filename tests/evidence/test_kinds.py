"""Exhibit kind detection by content, segment listing, and the errors for bad paths."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
from pathlib import Path

import py7zr
import pytest

from sentinela.errors import EvidenceError, UnsupportedSourceError
from sentinela.evidence.errors import ExhibitNotFoundError, UnreadableEvidenceError
from sentinela.evidence.kinds import ExhibitKind, detect_kind, exhibit_segments
from tests.evidence.helpers import DD, E01, make_unreadable, run_unprivileged, simple_zip


def _tar(mode: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:  # type: ignore[call-overload]
        info = tarfile.TarInfo("a.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"a"))
    return out.getvalue()


def _7z() -> bytes:
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.writestr(b"a", "a.txt")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.zip", simple_zip({"a.txt": b"a"})),
        ("a.tar", _tar("w")),
        ("a.tar.gz", _tar("w:gz")),
        ("a.tar.bz2", _tar("w:bz2")),
        ("a.tar.xz", _tar("w:xz")),
        ("a.7z", _7z()),
        ("a.txt.gz", gzip.compress(b"text", mtime=0)),
        ("renamed.jpg", simple_zip({"a.txt": b"a"})),
    ],
    # Ids from the names: compressed bytes may hold a timestamp, and pytest-xdist workers
    # must collect the same ids.
    ids=lambda value: value if isinstance(value, str) else "data",
)
def test_archives_are_detected_by_content(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_kind(path) is ExhibitKind.ARCHIVE


def test_folder_raw_and_e01(tmp_path: Path) -> None:
    assert detect_kind(tmp_path) is ExhibitKind.FOLDER
    assert detect_kind(DD) is ExhibitKind.RAW
    assert detect_kind(E01) is ExhibitKind.E01
    disguised = tmp_path / "photo.jpg"
    shutil.copyfile(E01, disguised)
    assert detect_kind(disguised) is ExhibitKind.E01


def test_split_raw_segments_in_order(tmp_path: Path) -> None:
    for number in (1, 2, 3):
        (tmp_path / f"disk.{number:03d}").write_bytes(bytes([number]) * 512)
    (tmp_path / "disk.005").write_bytes(b"x" * 512)  # not contiguous: not a segment
    first = tmp_path / "disk.001"
    assert detect_kind(first) is ExhibitKind.RAW
    assert [p.name for p in exhibit_segments(first, ExhibitKind.RAW)] == [
        "disk.001",
        "disk.002",
        "disk.003",
    ]
    with pytest.raises(UnsupportedSourceError, match=r"segment 2 .*disk\.001"):
        detect_kind(tmp_path / "disk.002")


def test_e01_segments(tmp_path: Path) -> None:
    assert [p.name for p in exhibit_segments(E01, ExhibitKind.E01)] == ["EXH-001.E01"]
    data = bytearray(E01.read_bytes())
    data[9] = 2  # claims to be the second segment
    second = tmp_path / "img.E02"
    second.write_bytes(bytes(data))
    with pytest.raises(UnsupportedSourceError, match="first segment"):
        exhibit_segments(second, ExhibitKind.E01)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ExhibitNotFoundError, match="does not exist") as info:
        detect_kind(tmp_path / "nowhere.E01")
    assert "\n" not in str(info.value)


def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked.dd"
    locked.write_bytes(b"x" * 512)
    make_unreadable(locked)
    folder = tmp_path / "folder"
    folder.mkdir()
    folder.chmod(0)

    def attempt(path: Path) -> list[str]:
        try:
            detect_kind(path)
        except EvidenceError as exc:
            return [type(exc).__name__, str(exc)]
        return ["no error", ""]

    try:
        for path in (locked, folder):
            name, message = run_unprivileged(lambda p=path: attempt(p))  # type: ignore[misc]
            assert name == UnreadableEvidenceError.__name__
            assert str(path) in message and "\n" not in message
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"", "empty"),
        (b"KDMV" + bytes(508), "VMDK"),
        (b"EVF2\r\n\x81\x00" + bytes(100), "Ex01"),
        (b"LVF\x09\x0d\x0a\xff\x00" + bytes(100), "L01"),
    ],
)
def test_unsupported_files(tmp_path: Path, content: bytes, what: str) -> None:
    path = tmp_path / "exhibit.bin"
    path.write_bytes(content)
    with pytest.raises(UnsupportedSourceError, match=what):
        detect_kind(path)


def test_fifo_is_unsupported(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedSourceError, match="not a file, folder or block device"):
        detect_kind(fifo)
