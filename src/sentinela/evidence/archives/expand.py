"""Expand archives found among any source's entries, recursively and within limits.

Ingest applies :func:`expand_archives` to the output of every evidence source, so a zip on
a disk image, a tar in a folder or a 7z inside a zip are all read. Each archive entry is
yielded itself (it is a file of the exhibit too) and then followed by its members, whose
paths nest as ``DCIM/a.zip!/b.jpg``. Archives are recognised by content, not by name.

What stops expansion, each recorded as an :class:`EntryFailure` while the walk goes on:
``nesting_too_deep`` (more than ``max_depth`` archives deep), ``zip_bomb`` (ratio or total
expanded size), ``path_traversal``, ``encrypted``, ``corrupt_archive``, ``too_many_members``,
``member_too_large`` (7z only).
"""

from __future__ import annotations

import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from sentinela.errors import DecompressionBombError, SentinelaError
from sentinela.evidence.archives.compressed import compressed_members
from sentinela.evidence.archives.guards import random_access
from sentinela.evidence.archives.sevenzip_members import SEVENZIP_ERRORS, sevenzip_members
from sentinela.evidence.archives.sniff import (
    COMPRESSED_STREAMS,
    SNIFF_BYTES,
    ArchiveFormat,
    sniff_archive,
)
from sentinela.evidence.archives.tar_members import tar_members
from sentinela.evidence.archives.zip_members import zip_members
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits

Item = Entry | EntryFailure

_LISTING_ERRORS = (
    SentinelaError,
    OSError,
    EOFError,
    ValueError,
    zipfile.BadZipFile,
    tarfile.TarError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    *SEVENZIP_ERRORS,
)


def expand_archives(items: Iterable[Item], limits: SourceLimits) -> Iterator[Item]:
    """Yield ``items``, each archive entry followed by its (recursively expanded) members.

    An entry's own :attr:`Entry.depth` says how deep it already is, so this can be applied to
    any source's output, including the archive source's members (depth 1).
    """
    for item in items:
        if isinstance(item, EntryFailure):
            yield item
        else:
            yield from _expand(item, limits)


def archive_format(entry: Entry) -> ArchiveFormat | None:
    """The archive format of ``entry``'s content, or None (also when it cannot be read:
    whoever reads the entry next records that)."""
    if entry.size == 0:
        return None
    try:
        with entry.open() as stream:
            return sniff_archive(stream.read(SNIFF_BYTES))
    except (SentinelaError, OSError):
        return None


def archive_members(
    entry: Entry,
    limits: SourceLimits,
    fmt: ArchiveFormat | None = None,
    *,
    name_hint: str | None = None,
) -> Iterator[Item]:
    """Yield the members of the archive ``entry`` (one level, not expanded further).

    Damage found while listing ends the listing with one failure (``corrupt_archive`` or
    ``zip_bomb``) after the members already yielded.

    Args:
        entry: an archive; its path prefixes the members' (empty for an archive exhibit).
        limits: the walk's limits.
        fmt: the format, if already sniffed.
        name_hint: file name of the archive when ``entry.path`` is empty (names the member of
            a bare ``.gz``).
    """
    fmt = fmt or archive_format(entry)
    if fmt is None:
        yield EntryFailure(entry.path, FailureCode.CORRUPT_ARCHIVE, "not a known archive format")
        return
    members = _lister(entry, limits, fmt, name_hint)
    while True:
        try:
            item = next(members)
        except StopIteration:
            return
        except DecompressionBombError as exc:
            yield EntryFailure(entry.path, FailureCode.ZIP_BOMB, _line(exc))
            return
        except _LISTING_ERRORS as exc:
            yield EntryFailure(
                entry.path, FailureCode.CORRUPT_ARCHIVE, f"corrupt {fmt} archive: {_line(exc)}"
            )
            return
        yield item


def _lister(
    entry: Entry, limits: SourceLimits, fmt: ArchiveFormat, name_hint: str | None
) -> Iterator[Item]:
    if fmt is ArchiveFormat.ZIP:
        return zip_members(entry, limits)
    if fmt is ArchiveFormat.SEVEN_ZIP:
        return sevenzip_members(entry, limits)
    if fmt in COMPRESSED_STREAMS:
        return compressed_members(entry, limits, fmt, name_hint)
    # A plain tar: its members' sizes are real (no compression), so the total is the only cap.
    return tar_members(
        entry, limits, lambda: random_access(entry, limits), limits.max_expanded_bytes
    )


def _expand(entry: Entry, limits: SourceLimits) -> Iterator[Item]:
    yield entry
    fmt = archive_format(entry)
    if fmt is None:
        return
    if entry.depth >= limits.max_depth:
        yield EntryFailure(
            entry.path,
            FailureCode.NESTING_TOO_DEEP,
            f"archive nested {entry.depth} deep; the limit is {limits.max_depth}, not expanded",
        )
        return
    for item in archive_members(entry, limits, fmt):
        if isinstance(item, EntryFailure):
            yield item
        else:
            yield from _expand(item, limits)


def _line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
