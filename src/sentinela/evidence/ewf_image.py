"""E01 (EWF version 1) images: structural check, read-only handle, stored hashes and headers.

Why a structural check of our own: libewf opens some truncated images without complaint. Cut
after the chunk table and it reads the media but reports no stored hash; cut inside the
volume section and it reports a media size of zero. So before trusting an image we walk each
segment's chain of section descriptors (libyal's EWF notes: a 13-byte file header, then
76-byte descriptors holding type, next offset, size and an Adler-32 of the first 72 bytes)
and require every descriptor to lie inside the file, every checksum to hold, every segment but
the last to end with a ``next`` section and the last one with ``done``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyewf

from sentinela.errors import CorruptEvidenceError
from sentinela.evidence.errors import TruncatedImageError
from sentinela.evidence.kinds import EWF_SIGNATURE
from sentinela.evidence.streams import open_readonly

_FILE_HEADER = 13
_DESCRIPTOR = 76


def check_ewf_structure(segments: Sequence[Path]) -> None:
    """Check that every segment of an E01 is complete and its section chain is intact.

    Raises:
        TruncatedImageError: a segment ends before its sections do, or the last ``done``
            section is missing.
        CorruptEvidenceError: a signature, segment number or descriptor checksum is wrong.
    """
    if not segments:
        raise CorruptEvidenceError("E01 image has no segment files")
    for number, segment in enumerate(segments, start=1):
        last = number == len(segments)
        _check_segment(segment, number, last)


def _check_segment(segment: Path, number: int, last: bool) -> None:
    with open_readonly(segment) as stream:
        size = stream.seek(0, os.SEEK_END)
        stream.seek(0)
        header = stream.read(_FILE_HEADER)
        if len(header) < _FILE_HEADER:
            raise TruncatedImageError(f"{segment}: truncated E01 (file header incomplete)")
        if not header.startswith(EWF_SIGNATURE):
            raise CorruptEvidenceError(f"{segment}: not an EWF segment (bad signature)")
        found = int.from_bytes(header[9:11], "little")
        if found != number:
            raise CorruptEvidenceError(f"{segment}: segment number {found}, expected {number}")
        offset = _FILE_HEADER
        while True:
            stream.seek(offset)
            descriptor = stream.read(_DESCRIPTOR)
            if len(descriptor) < _DESCRIPTOR:
                raise TruncatedImageError(
                    f"{segment}: truncated E01 (section descriptor at byte {offset} is cut off)"
                )
            checksum = int.from_bytes(descriptor[72:76], "little")
            if zlib.adler32(descriptor[:72]) != checksum:
                raise CorruptEvidenceError(
                    f"{segment}: corrupt E01 (bad checksum in section descriptor at byte {offset})"
                )
            kind = descriptor[:16].rstrip(b"\x00").decode("ascii", "replace")
            following = int.from_bytes(descriptor[16:24], "little")
            length = int.from_bytes(descriptor[24:32], "little")
            if offset + max(length, _DESCRIPTOR) > size:
                raise TruncatedImageError(
                    f"{segment}: truncated E01 (section {kind!r} at byte {offset} "
                    f"runs past the end of the file)"
                )
            if kind in ("done", "next"):
                if (kind == "done") != last:
                    raise TruncatedImageError(
                        f"{segment}: E01 segment ends with {kind!r}; "
                        "a segment file is missing or was cut"
                    )
                return
            if following <= offset:
                raise CorruptEvidenceError(f"{segment}: corrupt E01 (section chain loops)")
            if following > size:
                raise TruncatedImageError(
                    f"{segment}: truncated E01 (next section at byte {following} lies past "
                    f"the end of the file, {size} bytes)"
                )
            offset = following


@contextmanager
def open_ewf(segments: Sequence[Path]) -> Iterator[Any]:
    """Open an E01's segments read-only with libewf, after :func:`check_ewf_structure`.

    Yields:
        a ``pyewf.handle``.

    Raises:
        TruncatedImageError, CorruptEvidenceError: the image is damaged.
    """
    check_ewf_structure(segments)
    handle = pyewf.handle()
    try:
        handle.open([os.fspath(s) for s in segments], "r")
    except OSError as exc:
        raise CorruptEvidenceError(f"{segments[0]}: libewf cannot open the image: {exc}") from exc
    try:
        if handle.get_media_size() <= 0:
            raise CorruptEvidenceError(f"{segments[0]}: E01 declares no media")
        yield handle
    finally:
        handle.close()


def stored_hash(handle: Any, algorithm: str) -> str | None:
    """The acquisition hash (``"MD5"`` or ``"SHA1"``) stored in the image, lowercase, or None."""
    try:
        value = handle.get_hash_value(algorithm)
    except (OSError, KeyError):
        return None
    return str(value).lower() if value else None


def header_values(handle: Any) -> dict[str, str]:
    """The case metadata stored in the image (case number, evidence number, examiner...)."""
    try:
        values = handle.get_header_values()
    except OSError:
        return {}
    return {str(k): str(v) for k, v in values.items() if v is not None}
