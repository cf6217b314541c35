"""File type detection from content (magic bytes), never from the name.

A file's extension is whatever its owner chose; renaming ``holiday.jpg`` to ``invoice.pdf`` is
a known way to hide material from a search by extension. Sentinela therefore decides what a
file is from its first bytes only, and reports separately whether the name agrees
(:func:`extension_mismatch`).

:func:`detect` needs at most :data:`HEAD_BYTES` bytes from the start of the file. Every
signature lies in the first 4 KiB except ISO 9660's ``CD001`` at offset 0x8001, which sets the
constant. Giving fewer bytes is fine (short files are common); a signature that would lie past
the end of ``head`` is simply not recognised.
"""

from __future__ import annotations

import struct
from pathlib import PurePosixPath
from typing import Final

from sentinela.hashing.signatures import (
    BMP,
    EMPTY,
    KNOWN_BINARY_EXTENSIONS,
    OCTET_STREAM,
    QUICKTIME,
    SIGNATURES,
    TEXT,
    Family,
    FileType,
    ftyp_type,
    riff_type,
    sniff_ebml,
    sniff_mz,
    sniff_zip,
)

__all__ = ["HEAD_BYTES", "Family", "FileType", "detect", "extension_mismatch"]

#: Bytes of the file's start that :func:`detect` may look at (ISO 9660 needs 0x8001 + 5).
HEAD_BYTES: Final = 0x8006

#: How much of the head the plain-text fallback inspects.
_TEXT_SNIFF_BYTES: Final = 4096


def detect(head: bytes) -> FileType:
    """Identify a file from the first bytes of its content.

    Args:
        head: the start of the file; :data:`HEAD_BYTES` bytes are enough, fewer are accepted.

    Returns:
        The detected type; ``application/octet-stream`` (family ``other``) when nothing matches
        and the bytes do not look like text, ``application/x-empty`` for zero bytes.
    """
    if not head:
        return EMPTY
    for offset, magic, ftype in SIGNATURES:
        if head.startswith(magic, offset):
            return ftype
    structured = _detect_structured(head)
    if structured is not None:
        return structured
    if _looks_like_text(head[:_TEXT_SNIFF_BYTES]):
        return TEXT
    return OCTET_STREAM


def _detect_structured(head: bytes) -> FileType | None:
    """Signatures that need more than a fixed prefix: box, chunk and header parsing."""
    if head[4:8] == b"ftyp":
        return ftyp_type(head)
    if head.startswith(b"RIFF") and len(head) >= 12:
        return riff_type(head[8:12])
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return sniff_ebml(head)
    if head.startswith(b"PK"):
        return sniff_zip(head)
    if head.startswith(b"MZ"):
        return sniff_mz(head)
    if head.startswith(b"BM") and _plausible_bmp(head):
        return BMP
    if _plausible_quicktime(head):
        return QUICKTIME
    return None


_BMP_DIB_SIZES: Final = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_QT_ATOMS: Final = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})


def _plausible_bmp(head: bytes) -> bool:
    """``BM`` alone is too weak: also require a known DIB header size at offset 14."""
    if len(head) < 18:
        return False
    (dib_size,) = struct.unpack_from("<I", head, 14)
    return dib_size in _BMP_DIB_SIZES


def _plausible_quicktime(head: bytes) -> bool:
    """Old QuickTime files have no ``ftyp`` box and start with a top-level atom."""
    if len(head) < 8 or head[4:8] not in _QT_ATOMS:
        return False
    (size,) = struct.unpack_from(">I", head, 0)
    return size in (0, 1) or size >= 8


def _looks_like_text(sample: bytes) -> bool:
    """UTF-8 (or UTF-16 with a BOM) without control characters other than whitespace."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still text.
        if exc.start < len(sample) - 3:
            return False
        text = sample[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    return controls <= len(text) // 100


def extension_mismatch(filename: str, ftype: FileType) -> bool:
    """Whether ``filename``'s extension disagrees with the detected content type.

    A name without an extension, or content of an unknown type, never mismatches. Plain text
    constrains no extension (source code, logs and configuration files are all text), but a
    text file named like a binary format we recognise (``notes.jpg``) does mismatch.

    Args:
        filename: a file name or a path; only the last component is used. Nested paths such
            as ``DCIM/a.zip!/b.jpg`` are accepted.
        ftype: the type :func:`detect` returned for the content.

    Returns:
        True when the name's extension is not one expected for ``ftype``.
    """
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    ext = PurePosixPath(base).suffix.lower().lstrip(".")
    if not ext:
        return False
    if ftype.extensions:
        return ext not in ftype.extensions
    if ftype.family == "text":
        return ext in KNOWN_BINARY_EXTENSIONS
    return False
