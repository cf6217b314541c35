"""Content type detection from magic bytes, and the extension check."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sqlite3
import struct
import tarfile
import zipfile
from pathlib import Path

import pytest

from sentinela.hashing.filetype import HEAD_BYTES, FileType, detect, extension_mismatch
from tests.hashing.helpers import PATTERN_PNG, encode, gradient_shapes, jpeg, png


def _tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    return out.getvalue()


def _zip(first_name: str = "a.txt", body: bytes = b"x") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(first_name, body)
    return out.getvalue()


def _pe() -> bytes:
    header = bytearray(0x100)
    header[0:2] = b"MZ"
    struct.pack_into("<I", header, 0x3C, 0x80)
    header[0x80:0x84] = b"PE\x00\x00"
    return bytes(header)


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00" * 32


def _sqlite(tmp_path: Path) -> bytes:
    path = tmp_path / "chat.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    return path.read_bytes()


_EBML = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82"
_OOXML = "application/vnd.openxmlformats-officedocument"

_CASES: list[tuple[str, bytes, str, str]] = [
    ("jpeg", jpeg(32, 24), "image/jpeg", "image"),
    ("png", png(32, 24), "image/png", "image"),
    ("gif", encode(gradient_shapes(32, 24), "GIF"), "image/gif", "image"),
    ("bmp", encode(gradient_shapes(32, 24), "BMP"), "image/bmp", "image"),
    ("webp", encode(gradient_shapes(32, 24), "WEBP"), "image/webp", "image"),
    ("tiff", encode(gradient_shapes(32, 24), "TIFF"), "image/tiff", "image"),
    ("heic", _ftyp(b"heic", b"mif1", b"heic"), "image/heic", "image"),
    ("heif", _ftyp(b"mif1", b"mif1", b"miaf"), "image/heif", "image"),
    ("heic-mif1", _ftyp(b"mif1", b"mif1", b"heic"), "image/heic", "image"),
    ("avif", _ftyp(b"avif", b"mif1", b"avif"), "image/avif", "image"),
    ("mp4", _ftyp(b"isom", b"isom", b"mp41"), "video/mp4", "video"),
    ("mov", _ftyp(b"qt  ", b"qt  "), "video/quicktime", "video"),
    ("3gp", _ftyp(b"3gp5", b"3gp5"), "video/3gpp", "video"),
    ("old-mov", struct.pack(">I", 32) + b"moov" + b"\x00" * 24, "video/quicktime", "video"),
    ("avi", b"RIFF\x00\x10\x00\x00AVI LIST", "video/x-msvideo", "video"),
    ("wav", b"RIFF\x00\x10\x00\x00WAVEfmt ", "audio/wav", "audio"),
    (
        "mkv",
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska",
        "video/x-matroska",
        "video",
    ),
    ("webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm", "video"),
    ("zip", _zip(), "application/zip", "archive"),
    ("empty-zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip", "archive"),
    (
        "docx",
        _zip("[Content_Types].xml"),
        "application/vnd.openxmlformats-officedocument",
        "document",
    ),
    ("gzip", gzip.compress(b"hello", mtime=0), "application/gzip", "archive"),
    ("bzip2", bz2.compress(b"hello"), "application/x-bzip2", "archive"),
    ("xz", lzma.compress(b"hello"), "application/x-xz", "archive"),
    ("7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 24, "application/x-7z-compressed", "archive"),
    ("tar", _tar(), "application/x-tar", "archive"),
    ("rar4", b"Rar!\x1a\x07\x00" + b"\x00" * 16, "application/vnd.rar", "archive"),
    ("rar5", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 16, "application/vnd.rar", "archive"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "document"),
    ("elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 57, "application/x-elf", "executable"),
    ("pe", _pe(), "application/vnd.microsoft.portable-executable", "executable"),
    ("dos", b"MZ" + b"\x00" * 100, "application/x-dosexec", "executable"),
    ("ewf", b"EVF\x09\x0d\x0a\xff\x00\x01\x01\x00", "application/x-ewf", "disk_image"),
    ("iso", b"\x00" * 0x8001 + b"CD001\x01", "application/x-iso9660-image", "disk_image"),
    ("text", b"Hello, examiner.\nLine two\ttabbed.\n", "text/plain", "text"),
    ("utf8", "Relatório apreensão nº 7\n".encode(), "text/plain", "text"),
    ("binary", bytes(range(256)) * 4, "application/octet-stream", "other"),
    ("empty", b"", "application/x-empty", "other"),
]


@pytest.mark.parametrize(("label", "head", "mime", "family"), _CASES, ids=[c[0] for c in _CASES])
def test_detect(label: str, head: bytes, mime: str, family: str) -> None:
    ftype = detect(head[:HEAD_BYTES])
    assert (ftype.mime, ftype.family) == (mime, family), label


def test_detect_sqlite(tmp_path: Path) -> None:
    assert detect(_sqlite(tmp_path)).mime == "application/vnd.sqlite3"


def test_detect_raw_fat_volume() -> None:
    boot = bytearray(512)
    boot[0:3] = b"\xeb\x3c\x90"
    boot[0x36:0x3E] = b"FAT12   "
    boot[510:512] = b"\x55\xaa"
    assert detect(bytes(boot)).mime == "application/x-raw-disk-image"


def test_detect_fixture_png() -> None:
    assert detect(PATTERN_PNG.read_bytes()).mime == "image/png"


def test_detect_ignores_signature_past_the_head() -> None:
    # Tar's magic at 257 needs at least 262 bytes; a shorter head is not tar.
    assert detect(_tar()[:200]).mime != "application/x-tar"


def test_bmp_needs_a_plausible_header() -> None:
    assert detect(b"BM" + b"\xff" * 40).mime != "image/bmp"


def test_multibyte_character_cut_at_the_end_is_still_text() -> None:
    assert detect("ação".encode()[:-1]).family == "text"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("photo.jpg", png(8, 8), True),  # a PNG disguised as a JPEG
        ("photo.PNG", png(8, 8), False),
        ("photo.jpeg", jpeg(8, 8), False),
        ("DCIM/a.zip!/b.png", jpeg(8, 8), True),
        ("C:\\Users\\x\\holiday.pdf", jpeg(8, 8), True),
        ("IMG_0001", jpeg(8, 8), False),  # no extension
        ("archive.tar.gz", gzip.compress(b"x", mtime=0), False),
        ("EXH-001.E05", b"EVF\x09\x0d\x0a\xff\x00", False),
        ("notes.jpg", b"just some text\n", True),  # text pretending to be a photo
        ("script.py", b"print('hi')\n", False),  # text constrains no extension
        ("blob.jpg", bytes(range(256)), False),  # unknown content never mismatches
        (".bashrc", b"export X=1\n", False),
    ],
)
def test_extension_mismatch(name: str, content: bytes, expected: bool) -> None:
    assert extension_mismatch(name, detect(content)) is expected


def test_filetype_is_frozen() -> None:
    ftype = FileType("image/png", "image", ("png",))
    with pytest.raises(AttributeError):
        ftype.mime = "x"  # type: ignore[misc]
