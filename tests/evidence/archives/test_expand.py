"""Archive expansion over a folder exhibit: every hostile archive is recorded, the walk goes on."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import py7zr
import pytest

from sentinela.errors import CorruptEvidenceError
from sentinela.evidence.archives.expand import archive_members, expand_archives
from sentinela.evidence.entries import Entry, FailureCode, SourceLimits
from sentinela.evidence.sources.folder import FolderSource
from tests.contracts.test_evidence_sources import entries, failures, walk
from tests.evidence.helpers import (
    RawMember,
    deflate_zeros,
    gzip_zeros,
    nested_zip,
    raw_zip,
    simple_zip,
    zip_bomb,
)


def _tar(members: list[tarfile.TarInfo | tuple[str, bytes]], mode: str = "w") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:  # type: ignore[call-overload]
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
            else:
                info = tarfile.TarInfo(member[0])
                info.size = len(member[1])
                archive.addfile(info, io.BytesIO(member[1]))
    return out.getvalue()


def _codes(items: list[object]) -> dict[str, FailureCode]:
    return {f.path: f.code for f in failures(items)}


@pytest.fixture
def exhibit(tmp_path: Path) -> Path:
    root = tmp_path / "exhibit"
    root.mkdir()
    (root / "ordinary.txt").write_text("an ordinary file")
    return root


def test_entry_with_dotdot_and_absolute_paths(exhibit: Path) -> None:
    (exhibit / "t.zip").write_bytes(
        simple_zip({"../evil.txt": b"x", "/abs.txt": b"y", "ok.txt": b"z", "a\\..\\..\\w": b"w"})
    )
    (exhibit / "t.tar").write_bytes(
        _tar([("../../up.txt", b"u"), ("/etc/x", b"e"), ("in.txt", b"i")])
    )
    items = walk(FolderSource(), exhibit)
    codes = _codes(items)
    assert codes == {
        "t.zip!/../evil.txt": FailureCode.PATH_TRAVERSAL,
        "t.zip!//abs.txt": FailureCode.PATH_TRAVERSAL,
        "t.zip!/a\\..\\..\\w": FailureCode.PATH_TRAVERSAL,
        "t.tar!/../../up.txt": FailureCode.PATH_TRAVERSAL,
        "t.tar!//etc/x": FailureCode.PATH_TRAVERSAL,
    }
    found = entries(items)
    assert {"ordinary.txt", "t.zip", "t.zip!/ok.txt", "t.tar", "t.tar!/in.txt"} == set(found)


def test_zip_nested_fifty_deep(exhibit: Path) -> None:
    (exhibit / "level1.zip").write_bytes(nested_zip(50))
    items = walk(FolderSource(), exhibit)
    deep = [f for f in failures(items) if f.code is FailureCode.NESTING_TOO_DEEP]
    assert len(deep) == 1
    assert deep[0].path.endswith("level9.zip")
    found = entries(items)
    assert max(e.depth for e in found.values()) == 8
    assert sum(1 for p in found if p.endswith(".txt") and "note" in p) == 8
    assert "ordinary.txt" in found


def test_depth_limit_is_configurable(exhibit: Path) -> None:
    (exhibit / "level1.zip").write_bytes(nested_zip(5))
    limits = SourceLimits(max_depth=2)
    items = list(expand_archives(FolderSource().iter_entries(exhibit, limits), limits))
    deep = [f.path for f in failures(items) if f.code is FailureCode.NESTING_TOO_DEEP]
    assert deep == ["level1.zip!/level2.zip!/level3.zip"]


def test_encrypted_zip_member_is_recorded_as_encrypted(exhibit: Path) -> None:
    (exhibit / "e.zip").write_bytes(
        raw_zip([RawMember("secret.txt", b"\x00" * 24, flags=0x1), RawMember("plain.txt", b"p")])
    )
    items = walk(FolderSource(), exhibit)
    assert _codes(items) == {"e.zip!/secret.txt": FailureCode.ENCRYPTED}
    assert "e.zip!/plain.txt" in entries(items)


def test_encrypted_7z_is_recorded_as_encrypted(exhibit: Path) -> None:
    with py7zr.SevenZipFile(exhibit / "e.7z", "w", password="benign-test") as archive:
        archive.writestr(b"secret", "s.txt")
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password="benign-test", header_encryption=True) as archive:
        archive.writestr(b"secret", "s.txt")
    (exhibit / "eh.7z").write_bytes(out.getvalue())
    items = walk(FolderSource(), exhibit)
    assert _codes(items) == {"e.7z": FailureCode.ENCRYPTED, "eh.7z": FailureCode.ENCRYPTED}


def test_zip_bomb_is_refused_from_declared_sizes(exhibit: Path) -> None:
    (exhibit / "bomb.zip").write_bytes(zip_bomb(1024))  # 1 GiB of zeros in about 1 MiB
    items = walk(FolderSource(), exhibit)
    assert _codes(items) == {"bomb.zip!/zeros.bin": FailureCode.ZIP_BOMB}
    assert {"bomb.zip!/note.txt", "ordinary.txt"} <= set(entries(items))


def test_zip_bomb_total_size_limit(exhibit: Path) -> None:
    files = {f"part{n}.bin": bytes(range(256)) * 400 for n in range(5)}
    (exhibit / "big.zip").write_bytes(simple_zip(files, zipfile.ZIP_STORED))
    limits = SourceLimits(max_expanded_bytes=250_000)
    items = list(expand_archives(FolderSource().iter_entries(exhibit, limits), limits))
    assert _codes(items) == {"big.zip": FailureCode.ZIP_BOMB}
    assert {"big.zip!/part0.bin", "big.zip!/part1.bin"} <= set(entries(items))


def test_member_lying_about_its_size_cannot_expand(exhibit: Path) -> None:
    data, crc = deflate_zeros(10)  # 10 MiB of zeros, declared as 1000 bytes
    (exhibit / "lie.zip").write_bytes(raw_zip([RawMember("lie.bin", data, 8, crc, 1000)]))
    member = entries(walk(FolderSource(), exhibit))["lie.zip!/lie.bin"]
    assert member.size == 1000
    with member.open() as stream, pytest.raises(CorruptEvidenceError):
        while stream.read(100):
            assert stream.tell() <= 1000


def test_tar_gz_bomb_is_refused(exhibit: Path) -> None:
    header = tarfile.TarInfo("zeros.bin")
    header.size = 1024 << 20
    (exhibit / "bomb.tar.gz").write_bytes(gzip_zeros(1024, header.tobuf(), bytes(1024)))
    (exhibit / "bomb.gz").write_bytes(gzip_zeros(1024))
    items = walk(FolderSource(), exhibit)
    assert _codes(items) == {"bomb.tar.gz": FailureCode.ZIP_BOMB, "bomb.gz": FailureCode.ZIP_BOMB}
    assert "ordinary.txt" in entries(items)


def test_7z_bomb_is_refused_from_declared_sizes(exhibit: Path) -> None:
    with py7zr.SevenZipFile(exhibit / "b.7z", "w") as archive:
        archive.writestr(bytes(30 << 20), "zeros.bin")
    items = walk(FolderSource(), exhibit)
    assert _codes(items) == {"b.7z": FailureCode.ZIP_BOMB}


def test_corrupt_archives_are_recorded(exhibit: Path) -> None:
    (exhibit / "cut.zip").write_bytes(simple_zip({"a.txt": b"a" * 1000})[:-30])
    noise = hashlib.shake_256(b"incompressible").digest(100_000)
    (exhibit / "cut.tar.gz").write_bytes(
        _tar([("a.bin", noise), ("b.bin", noise)], "w:gz")[:50_000]
    )
    (exhibit / "cut.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(40))
    items = walk(FolderSource(), exhibit)
    assert _codes(items) == {
        "cut.zip": FailureCode.CORRUPT_ARCHIVE,
        "cut.tar.gz": FailureCode.CORRUPT_ARCHIVE,
        "cut.7z": FailureCode.CORRUPT_ARCHIVE,
    }
    found = entries(items)
    assert {"cut.zip", "cut.tar.gz", "cut.7z", "ordinary.txt"} <= set(found)
    # The member listed before the damage is yielded; reading it reports the damage.
    with found["cut.tar.gz!/a.bin"].open() as stream, pytest.raises(CorruptEvidenceError):
        stream.read()


def test_archives_inside_archives_of_every_format(exhibit: Path) -> None:
    inner_zip = simple_zip({"deep.txt": b"deepest"})
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.writestr(inner_zip, "inner.zip")
    (exhibit / "outer.tar.gz").write_bytes(_tar([("x/packed.7z", out.getvalue())], "w:gz"))
    found = entries(walk(FolderSource(), exhibit))
    deep = found["outer.tar.gz!/x/packed.7z!/inner.zip!/deep.txt"]
    assert deep.depth == 3
    assert deep.parent_container == "outer.tar.gz!/x/packed.7z!/inner.zip"
    with deep.open() as stream:
        assert stream.read() == b"deepest"


def test_archive_detection_is_by_content_not_name(exhibit: Path) -> None:
    (exhibit / "holiday.jpg").write_bytes(simple_zip({"hidden.txt": b"hidden"}))
    (exhibit / "real.zip").write_bytes(b"not an archive at all")
    found = entries(walk(FolderSource(), exhibit))
    assert "holiday.jpg!/hidden.txt" in found
    assert not any(p.startswith("real.zip!/") for p in found)


def test_deleted_flag_is_inherited_by_members() -> None:
    data = simple_zip({"a.txt": b"a"})
    container = Entry(
        path="gone.zip", size=len(data), opener=lambda: io.BytesIO(data), deleted=True
    )
    members = [m for m in archive_members(container, SourceLimits()) if isinstance(m, Entry)]
    assert [(m.path, m.deleted) for m in members] == [("gone.zip!/a.txt", True)]
