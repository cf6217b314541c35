"""Shared safety pieces for archive readers: member names and random access."""

from __future__ import annotations

import re
from typing import BinaryIO

from sentinela.errors import CorruptEvidenceError
from sentinela.evidence.entries import Entry, SourceLimits
from sentinela.evidence.streams import readonly_bytes

_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_member_name(name: str) -> str | None:
    """A member name made relative and ``/``-separated, or None if it escapes the archive.

    Backslashes count as separators (archives made on Windows). A name that is absolute
    (``/etc/x``, ``C:\\x``) or climbs with ``..`` returns None; callers record it as
    ``path_traversal`` and never yield it. ``.`` and empty components are dropped.
    """
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or _DRIVE.match(normalized):
        return None
    parts = [part for part in normalized.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def random_access(entry: Entry, limits: SourceLimits) -> BinaryIO:
    """A seekable stream over ``entry``, for archive formats that read out of order.

    Files of the exhibit itself (depth 0) are seekable as they are. A member of an archive is
    read into memory when it fits ``max_member_bytes``, because seeking backwards in a
    decompressed stream means decompressing again from the start.

    Raises:
        CorruptEvidenceError: the member does not fit in memory and cannot seek.
    """
    stream = entry.open()
    if entry.depth == 0:
        return stream
    if entry.size <= limits.max_member_bytes:
        with stream:
            return readonly_bytes(stream.read(), name=entry.path)
    if not stream.seekable():
        stream.close()
        raise CorruptEvidenceError(f"{entry.path}: too large to read as a nested archive")
    return stream
