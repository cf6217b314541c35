"""Single compressed streams (gzip, bzip2, xz): a tar inside, or one compressed file.

The decompressed stream is capped at ``SourceLimits.expansion_cap`` of the compressed size
while it is read, so a gzip of a terabyte of zeros stops after a bounded amount of work and
is recorded as ``zip_bomb``.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Iterator
from typing import BinaryIO

from sentinela.evidence.archives.guards import random_access
from sentinela.evidence.archives.sniff import SNIFF_BYTES, ArchiveFormat, sniff_archive
from sentinela.evidence.archives.tar_members import tar_members
from sentinela.evidence.entries import Entry, EntryFailure, SourceLimits, join_member
from sentinela.evidence.streams import Readable, guarded

_SUFFIXES = {
    ArchiveFormat.GZIP: ((".tgz", ".tar"), (".gz", ""), (".gzip", "")),
    ArchiveFormat.BZIP2: ((".tbz2", ".tar"), (".tbz", ".tar"), (".bz2", "")),
    ArchiveFormat.XZ: ((".txz", ".tar"), (".xz", "")),
}


def compressed_members(
    entry: Entry, limits: SourceLimits, fmt: ArchiveFormat, name_hint: str | None = None
) -> Iterator[Entry | EntryFailure]:
    """Yield the tar members inside a compressed stream, or the one file it holds.

    Args:
        entry: the compressed entry.
        limits: the walk's limits.
        fmt: gzip, bzip2 or xz.
        name_hint: the file name to derive the member's name from when ``entry.path`` is
            empty (an archive exhibit).

    Raises:
        SentinelaError, OSError, EOFError, lzma.LZMAError: the stream is damaged or a bomb.
    """
    cap = limits.expansion_cap(entry.size)
    label = entry.path or name_hint or "exhibit"

    def open_plain() -> BinaryIO:
        raw = random_access(entry, limits)
        # The decompressors do not close a file object they were given: the guard does.
        return guarded(_decompressor(fmt, raw), name=label, limit=cap, closers=(raw,))

    with open_plain() as stream:
        head = stream.read(SNIFF_BYTES)
    if sniff_archive(head) is ArchiveFormat.TAR:
        yield from tar_members(entry, limits, open_plain, cap)
        return
    with open_plain() as stream:
        size = 0
        while chunk := stream.read(1 << 20):
            size += len(chunk)
    name = _member_name(entry.name or name_hint or "", fmt)
    path = join_member(entry.path, name)

    def opener() -> BinaryIO:
        return guarded(open_plain(), name=path, limit=size)

    yield Entry(
        path=path,
        size=size,
        opener=opener,
        mtime=entry.mtime,
        deleted=entry.deleted,
        parent_container=entry.path or None,
        depth=entry.depth + 1,
    )


def _decompressor(fmt: ArchiveFormat, raw: BinaryIO) -> Readable:
    if fmt is ArchiveFormat.GZIP:
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if fmt is ArchiveFormat.BZIP2:
        return bz2.BZ2File(raw, mode="rb")
    return lzma.LZMAFile(raw, mode="rb")


def _member_name(name: str, fmt: ArchiveFormat) -> str:
    lowered = name.lower()
    for suffix, replacement in _SUFFIXES.get(fmt, ()):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + replacement
    return f"{name}.decompressed" if name else "decompressed"
