"""Recognise archive and compressed-stream formats by their leading bytes, never by name."""

from __future__ import annotations

from enum import StrEnum

#: How many leading bytes :func:`sniff_archive` needs (tar's magic sits at offset 257).
SNIFF_BYTES = 512


class ArchiveFormat(StrEnum):
    """Container formats Sentinela expands."""

    ZIP = "zip"
    TAR = "tar"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    XZ = "xz"
    SEVEN_ZIP = "7z"


#: Formats that are a single compressed stream (which may hold a tar).
COMPRESSED_STREAMS = frozenset({ArchiveFormat.GZIP, ArchiveFormat.BZIP2, ArchiveFormat.XZ})

_PREFIXES: tuple[tuple[bytes, ArchiveFormat], ...] = (
    (b"PK\x03\x04", ArchiveFormat.ZIP),
    (b"PK\x05\x06", ArchiveFormat.ZIP),  # an empty zip: only the end-of-directory record
    (b"PK\x07\x08", ArchiveFormat.ZIP),  # spanning marker before the first local header
    (b"7z\xbc\xaf\x27\x1c", ArchiveFormat.SEVEN_ZIP),
    (b"\x1f\x8b\x08", ArchiveFormat.GZIP),
    (b"\xfd7zXZ\x00", ArchiveFormat.XZ),
)

# bzip2: "BZh" + block size digit + the magic of the first block or of the end of stream,
# so that a text file starting with "BZh" is not mistaken for one.
_BZIP2_BLOCKS = (b"1AY&SY", b"\x17rE8P\x90")


def sniff_archive(head: bytes) -> ArchiveFormat | None:
    """The archive format whose signature ``head`` starts with, or None.

    Args:
        head: the first :data:`SNIFF_BYTES` bytes (fewer for a short file).
    """
    for prefix, fmt in _PREFIXES:
        if head.startswith(prefix):
            return fmt
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in _BZIP2_BLOCKS:
        return ArchiveFormat.BZIP2
    if head[257:262] == b"ustar":
        return ArchiveFormat.TAR
    return None
