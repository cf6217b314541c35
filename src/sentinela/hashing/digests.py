"""MD5, SHA-1 and SHA-256 of a file, with its size, in one pass over its bytes.

Exhibits run to hundreds of gigabytes, so every byte is read once: each chunk goes to the
three hash objects in turn while it is still in the CPU cache. MD5 and SHA-1 are broken as
cryptographic hashes; they are kept because the hash sets we match against (NSRL, VICS,
NCMEC, ICSE) are keyed by them. SHA-256 is the identity of a media item in the national store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO, Final

#: Read size for streams: large enough to amortise call overhead, small enough to stay cheap.
CHUNK_SIZE: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class Digests:
    """The cryptographic identity of some bytes. Digests are lower-case hex."""

    md5: str
    sha1: str
    sha256: str
    size: int


#: The digests of zero bytes; a zero-byte file is common evidence (placeholders, wiped files).
EMPTY_DIGESTS: Final = Digests(
    md5="d41d8cd98f00b204e9800998ecf8427e",
    sha1="da39a3ee5e6b4b0d3255bfef95601890afd80709",
    sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    size=0,
)


class DigestAccumulator:
    """Feeds each chunk to MD5, SHA-1 and SHA-256 and counts the bytes.

    Use it when the caller already reads the stream for another reason (type detection,
    keeping an image in memory, encrypting into the vault), so the bytes are not read twice.
    """

    __slots__ = ("_md5", "_sha1", "_sha256", "_size")

    def __init__(self) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._sha1 = hashlib.sha1(usedforsecurity=False)
        self._sha256 = hashlib.sha256()
        self._size = 0

    def update(self, chunk: bytes | bytearray | memoryview) -> None:
        """Add the next chunk of the content."""
        self._md5.update(chunk)
        self._sha1.update(chunk)
        self._sha256.update(chunk)
        self._size += len(chunk) if not isinstance(chunk, memoryview) else chunk.nbytes

    def finish(self) -> Digests:
        """The digests of everything added so far."""
        return Digests(
            md5=self._md5.hexdigest(),
            sha1=self._sha1.hexdigest(),
            sha256=self._sha256.hexdigest(),
            size=self._size,
        )


def compute_digests(
    source: BinaryIO | bytes | bytearray | memoryview, *, chunk_size: int = CHUNK_SIZE
) -> Digests:
    """Hash a binary stream (read to its end in ``chunk_size`` reads) or a bytes-like object.

    Args:
        source: an open binary stream positioned at the start of the content, or the bytes.
        chunk_size: read size for streams.

    Returns:
        MD5, SHA-1 and SHA-256 as lower-case hex, and the size in bytes.

    Raises:
        OSError: reading the stream failed.
    """
    acc = DigestAccumulator()
    if isinstance(source, bytes | bytearray | memoryview):
        acc.update(source)
        return acc.finish()
    while chunk := source.read(chunk_size):
        acc.update(chunk)
    return acc.finish()
