"""The signature table and the container sniffers."""

from __future__ import annotations

import struct

import pytest

from sentinela.hashing.signatures import (
    KNOWN_BINARY_EXTENSIONS,
    SIGNATURES,
    ftyp_type,
    riff_type,
    sniff_mz,
    sniff_zip,
)


def test_table_entries_are_well_formed() -> None:
    for offset, magic, ftype in SIGNATURES:
        assert offset >= 0 and magic, ftype
        assert all(ext == ext.lower() and not ext.startswith(".") for ext in ftype.extensions)


def test_binary_extensions_cover_common_formats_but_not_text() -> None:
    assert {"jpg", "png", "heic", "mp4", "zip", "exe", "e01", "pdf"} <= KNOWN_BINARY_EXTENSIONS
    assert "txt" not in KNOWN_BINARY_EXTENSIONS


@pytest.mark.parametrize(
    ("major", "compatible", "mime"),
    [
        (b"heix", b"", "image/heic"),
        (b"msf1", b"hevc", "image/heic"),
        (b"mif1", b"avif", "image/avif"),
        (b"M4A ", b"", "audio/mp4"),
        (b"crx ", b"", "image/x-canon-cr3"),
        (b"mp42", b"isom", "video/mp4"),
        (b"zzzz", b"", "video/mp4"),
    ],
)
def test_ftyp_brands(major: bytes, compatible: bytes, mime: str) -> None:
    body = major + bytes(4) + compatible
    head = struct.pack(">I", 8 + len(body)) + b"ftyp" + body
    assert ftyp_type(head).mime == mime


def test_unknown_riff_form() -> None:
    assert riff_type(b"CDXA") is None


def test_zip_documents_by_first_entry() -> None:
    def local_header(name: bytes, body: bytes) -> bytes:
        return b"PK\x03\x04" + bytes(22) + struct.pack("<HH", len(name), 0) + name + body

    epub = sniff_zip(local_header(b"mimetype", b"application/epub+zip"))
    odt = sniff_zip(local_header(b"mimetype", b"application/vnd.oasis.opendocument.text"))
    assert epub is not None and epub.mime == "application/epub+zip"
    assert odt is not None and odt.family == "document"
    assert sniff_zip(b"PK\x01\x02") is None


def test_mz_without_pe_header_is_dos() -> None:
    head = bytearray(0x100)
    head[0:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0xF0)
    assert sniff_mz(bytes(head)).mime == "application/x-dosexec"
