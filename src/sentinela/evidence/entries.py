"""What evidence sources yield: entries (files found in an exhibit) and recorded failures.

Why failures are values and not exceptions: an exhibit of several hundred gigabytes holds
damaged, hostile and odd files. Ingest must record each problem against its exhibit and path
and carry on, so a source yields an :class:`EntryFailure` where it cannot yield an
:class:`Entry`, and never lets one bad file end the walk.

Why an entry carries an opener rather than bytes: files can be large and archives nest, so
bytes are read only when a consumer asks, through a read-only stream. Nothing is ever written
to disk; archive members are streamed or held in memory within :class:`SourceLimits`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import BinaryIO

from sentinela.errors import (
    CorruptEvidenceError,
    DecompressionBombError,
    SentinelaError,
)

#: Separator between an archive's path and a path inside it, as in ``DCIM/a.zip!/b.jpg``.
NESTING_SEPARATOR = "!/"

Opener = Callable[[], BinaryIO]


class FailureCode(StrEnum):
    """Why an entry could not be yielded. The values are persisted: never change one."""

    CORRUPT_ARCHIVE = "corrupt_archive"
    ZIP_BOMB = "zip_bomb"
    PATH_TRAVERSAL = "path_traversal"
    SYMLINK_ESCAPE = "symlink_escape"
    NESTING_TOO_DEEP = "nesting_too_deep"
    ENCRYPTED = "encrypted"
    UNREADABLE = "unreadable"
    SPECIAL_FILE = "special_file"
    MEMBER_TOO_LARGE = "member_too_large"
    TOO_MANY_MEMBERS = "too_many_members"
    TRUNCATED_IMAGE = "truncated_image"
    CORRUPT_IMAGE = "corrupt_image"
    NO_FILESYSTEM = "no_filesystem"


@dataclass(frozen=True)
class SourceLimits:
    """Safety limits applied while walking an exhibit.

    Attributes:
        max_depth: how many archives may enclose an entry. An archive whose members would sit
            deeper is recorded as ``nesting_too_deep`` and not expanded.
        max_ratio: the largest expanded/compressed size ratio accepted for an archive member
            (or a compressed stream) of at least ``ratio_floor_bytes``.
        ratio_floor_bytes: members smaller than this are exempt from the ratio check (a few
            kilobytes of zeros legitimately compress a thousandfold).
        max_expanded_bytes: the most bytes one archive may expand to, members added up.
        max_member_bytes: the largest member held in memory. Members of 7z archives (which
            cannot be streamed) and nested archives read for random access must fit.
        max_members: the most members listed from one archive.
    """

    max_depth: int = 8
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 << 20
    max_expanded_bytes: int = 64 << 30
    max_member_bytes: int = 512 << 20
    max_members: int = 1_000_000

    def expansion_cap(self, compressed_size: int) -> int:
        """The most bytes a stream of ``compressed_size`` bytes may expand to."""
        by_ratio = max(int(compressed_size * self.max_ratio), self.ratio_floor_bytes)
        return min(by_ratio, self.max_expanded_bytes)


@dataclass(frozen=True)
class Entry:
    """One file found in an exhibit.

    Attributes:
        path: where the file is inside the exhibit, ``/``-separated with no leading slash;
            members of archives are shown as ``DCIM/a.zip!/b.jpg``.
        size: the number of bytes :meth:`open` gives.
        mtime: last modification, timezone-aware UTC, or None when unknown.
        atime: last access.
        ctime: metadata change (POSIX, NTFS) or None where the file system has none.
        crtime: creation.
        deleted: the file system lists the file as deleted (unallocated).
        parent_container: path of the archive that holds this entry, or None at top level.
        depth: how many archives enclose this entry (0 for a file of the exhibit itself).
    """

    path: str
    size: int
    opener: Opener = field(repr=False, compare=False)
    mtime: datetime | None = None
    atime: datetime | None = None
    ctime: datetime | None = None
    crtime: datetime | None = None
    deleted: bool = False
    parent_container: str | None = None
    depth: int = 0

    def open(self) -> BinaryIO:
        """Open a new read-only stream over the entry's bytes.

        May be called any number of times, also after the walk has moved on. Reading may raise
        a :class:`~sentinela.errors.SentinelaError` (for example
        :class:`~sentinela.errors.DecompressionBombError` or
        :class:`~sentinela.errors.CorruptEvidenceError`); consumers record it with
        :func:`failure_for_error` and carry on.
        """
        return self.opener()

    @property
    def name(self) -> str:
        """The last component of the path."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class EntryFailure:
    """A file or region of an exhibit that could not be yielded as an :class:`Entry`.

    Attributes:
        path: the path inside the exhibit (as for :attr:`Entry.path`); an empty string means
            the exhibit as a whole.
        code: a stable :class:`FailureCode` value.
        message: one line for a person.
    """

    path: str
    code: FailureCode
    message: str


def failure_for_error(path: str, error: SentinelaError | OSError) -> EntryFailure:
    """Turn an error raised while reading an entry's bytes into a recorded failure.

    A decompression bomb gives ``zip_bomb``; corrupt data inside an archive member gives
    ``corrupt_archive``; anything else (I/O errors, damaged images) gives ``unreadable``.
    """
    code = FailureCode.UNREADABLE
    if isinstance(error, DecompressionBombError):
        code = FailureCode.ZIP_BOMB
    elif isinstance(error, CorruptEvidenceError) and NESTING_SEPARATOR in path:
        code = FailureCode.CORRUPT_ARCHIVE
    message = str(error) or type(error).__name__
    return EntryFailure(path, code, message.splitlines()[0])


def join_member(container_path: str, member: str) -> str:
    """The path of ``member`` inside the archive at ``container_path`` ('' = the exhibit)."""
    return f"{container_path}{NESTING_SEPARATOR}{member}" if container_path else member


def utc_from_timestamp(seconds: int | None, nanos: int = 0) -> datetime | None:
    """A UTC datetime from POSIX seconds (+ nanoseconds); 0 or None (unset) gives None."""
    if not seconds and not nanos:
        return None
    try:
        moment = datetime.fromtimestamp(seconds or 0, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment + timedelta(microseconds=nanos // 1000)
