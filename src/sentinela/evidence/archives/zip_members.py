"""Members of a zip archive, streamed (never extracted) and guarded against zip bombs."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from sentinela.evidence.archives.guards import random_access, safe_member_name
from sentinela.evidence.entries import (
    Entry,
    EntryFailure,
    FailureCode,
    SourceLimits,
    join_member,
    utc_from_timestamp,
)
from sentinela.evidence.leases import SharedHandle
from sentinela.evidence.streams import Closeable, guarded, translate_error

_SUPPORTED = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_ENCRYPTED = 0x1
_EXTENDED_TIMESTAMP = 0x5455


def zip_members(entry: Entry, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
    """Yield the members of the zip ``entry``, or failures for those that cannot be read.

    Bomb guards: a member of at least ``ratio_floor_bytes`` whose declared size exceeds
    ``max_ratio`` times its compressed size is refused as ``zip_bomb``; so is the rest of the
    archive once declared sizes add up past ``max_expanded_bytes``. Reading a member stops
    with :class:`~sentinela.errors.DecompressionBombError` past its declared size, so a member
    that lies about its size cannot expand without bound either.

    Raises:
        zipfile.BadZipFile, CorruptEvidenceError, OSError: the archive cannot be opened.
    """
    handle: SharedHandle[zipfile.ZipFile] = SharedHandle(lambda: _open(entry, limits))
    try:
        infos = handle.get().infolist()
        expanded = 0
        for index, info in enumerate(infos):
            if index >= limits.max_members:
                yield EntryFailure(
                    entry.path,
                    FailureCode.TOO_MANY_MEMBERS,
                    f"more than {limits.max_members} members; the rest were not listed",
                )
                return
            if info.is_dir():
                continue
            failure = _refusal(entry, info, limits)
            if failure is not None:
                yield failure
                continue
            expanded += info.file_size
            if expanded > limits.max_expanded_bytes:
                yield EntryFailure(
                    entry.path,
                    FailureCode.ZIP_BOMB,
                    f"members expand beyond {limits.max_expanded_bytes} bytes; "
                    "the rest were not listed",
                )
                return
            yield _member(entry, info, handle)
    finally:
        handle.close()


def _open(entry: Entry, limits: SourceLimits) -> tuple[zipfile.ZipFile, Sequence[Closeable]]:
    stream = random_access(entry, limits)
    try:
        archive = zipfile.ZipFile(stream)
    except BaseException:
        stream.close()
        raise
    return archive, (archive, stream)


def _refusal(entry: Entry, info: zipfile.ZipInfo, limits: SourceLimits) -> EntryFailure | None:
    name = safe_member_name(info.filename)
    path = join_member(entry.path, name or info.filename)
    if name is None:
        return EntryFailure(
            path,
            FailureCode.PATH_TRAVERSAL,
            f"member name {info.filename!r} points outside the archive; not read",
        )
    if info.flag_bits & _ENCRYPTED:
        return EntryFailure(path, FailureCode.ENCRYPTED, "member is encrypted; not read")
    if info.compress_type not in _SUPPORTED:
        return EntryFailure(
            path,
            FailureCode.CORRUPT_ARCHIVE,
            f"unsupported zip compression method {info.compress_type}",
        )
    ratio_limit = max(info.compress_size, 1) * limits.max_ratio
    if info.file_size >= limits.ratio_floor_bytes and info.file_size > ratio_limit:
        return EntryFailure(
            path,
            FailureCode.ZIP_BOMB,
            f"declares {info.file_size} bytes from {info.compress_size} compressed "
            f"(ratio above {limits.max_ratio:g}); not read",
        )
    return None


def _member(entry: Entry, info: zipfile.ZipInfo, handle: SharedHandle[zipfile.ZipFile]) -> Entry:
    path = join_member(entry.path, safe_member_name(info.filename) or info.filename)
    size = info.file_size

    def opener() -> BinaryIO:
        archive, lease = handle.lease()
        try:
            inner = archive.open(info)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError) as exc:
            lease.close()
            raise translate_error(path, exc) from exc
        return guarded(inner, name=path, limit=size, closers=(lease,))

    return Entry(
        path=path,
        size=size,
        opener=opener,
        mtime=_modified(info),
        deleted=entry.deleted,
        parent_container=entry.path or None,
        depth=entry.depth + 1,
    )


def _modified(info: zipfile.ZipInfo) -> datetime | None:
    """The member's mtime: the UTC "extended timestamp" if present, else the DOS time.

    DOS times carry no time zone; they are recorded as if they were UTC.
    """
    extra = info.extra
    offset = 0
    while offset + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4 : offset + 4 + length]
        if tag == _EXTENDED_TIMESTAMP and len(body) >= 5 and body[0] & 1:
            return utc_from_timestamp(struct.unpack_from("<i", body, 1)[0])
        offset += 4 + length
    try:
        return datetime(*info.date_time, tzinfo=UTC)
    except ValueError:
        return None
