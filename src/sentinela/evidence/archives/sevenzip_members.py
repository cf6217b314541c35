"""Members of a 7z archive, decompressed by py7zr into memory (never to disk).

py7zr cannot stream one member, so members are extracted in batches of up to
``max_member_bytes`` into memory, in archive order, when the first member of a batch is
opened. A member larger than ``max_member_bytes`` is recorded as ``member_too_large``. An
archive whose declared sizes add up past the expansion cap is recorded as ``zip_bomb`` and
not read; an encrypted one as ``encrypted``. Symlink members are skipped (never followed).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import py7zr
import py7zr.exceptions
import py7zr.helpers
import py7zr.io

from sentinela.errors import CorruptEvidenceError, DecompressionBombError
from sentinela.evidence.archives.guards import random_access, safe_member_name
from sentinela.evidence.entries import (
    Entry,
    EntryFailure,
    FailureCode,
    SourceLimits,
    join_member,
)
from sentinela.evidence.streams import readonly_bytes

#: py7zr errors that mean the archive is damaged or uses something it cannot decode.
SEVENZIP_ERRORS = (py7zr.exceptions.ArchiveError, py7zr.exceptions.AbsolutePathError)


def sevenzip_members(entry: Entry, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
    """Yield the members of the 7z ``entry``, or failures for those that cannot be read.

    Raises:
        py7zr.exceptions.ArchiveError, SentinelaError, OSError: the archive cannot be read.
    """
    try:
        with _open(entry, limits) as archive:
            encrypted = archive.needs_password()
            infos = [] if encrypted else [i for i in archive.list() if not i.is_directory]
    except py7zr.exceptions.PasswordRequired:
        encrypted, infos = True, []
    if encrypted:
        yield EntryFailure(entry.path, FailureCode.ENCRYPTED, "archive is encrypted; not read")
        return
    declared = sum(int(i.uncompressed or 0) for i in infos)
    cap = limits.expansion_cap(entry.size)
    if declared > cap:
        yield EntryFailure(
            entry.path,
            FailureCode.ZIP_BOMB,
            f"members declare {declared} bytes from {entry.size} compressed "
            f"(more than the limit of {cap}); not read",
        )
        return
    batches = _Batches(entry, limits, [(i.filename, int(i.uncompressed or 0)) for i in infos])
    for index, info in enumerate(infos):
        if index >= limits.max_members:
            yield EntryFailure(
                entry.path,
                FailureCode.TOO_MANY_MEMBERS,
                f"more than {limits.max_members} members; the rest were not listed",
            )
            return
        if info.is_symlink:
            continue
        yield _member(entry, info.filename, int(info.uncompressed or 0), limits, batches)


def _member(
    entry: Entry, raw_name: str, size: int, limits: SourceLimits, batches: _Batches
) -> Entry | EntryFailure:
    name = safe_member_name(raw_name)
    path = join_member(entry.path, name or raw_name)
    if name is None:
        return EntryFailure(
            path,
            FailureCode.PATH_TRAVERSAL,
            f"member name {raw_name!r} points outside the archive; not read",
        )
    if size > limits.max_member_bytes:
        return EntryFailure(
            path,
            FailureCode.MEMBER_TOO_LARGE,
            f"{size} bytes is more than the {limits.max_member_bytes} a 7z member may "
            "take in memory; raise max_member_bytes to read it",
        )

    def opener() -> BinaryIO:
        if size == 0:
            return readonly_bytes(b"", name=path)
        return readonly_bytes(batches.read(raw_name, path), name=path)

    return Entry(
        path=path,
        size=size,
        opener=opener,
        deleted=entry.deleted,
        parent_container=entry.path or None,
        depth=entry.depth + 1,
    )


@contextmanager
def _open(entry: Entry, limits: SourceLimits) -> Iterator[py7zr.SevenZipFile]:
    # py7zr does not close a file object it was given, so both are closed here.
    with random_access(entry, limits) as stream, py7zr.SevenZipFile(stream, mode="r") as archive:
        yield archive


class _Batches:
    """Extracts members into memory a batch at a time, in archive order."""

    def __init__(self, entry: Entry, limits: SourceLimits, members: list[tuple[str, int]]):
        self._entry = entry
        self._limits = limits
        self._members = members
        self._cache: dict[str, bytes] = {}

    def read(self, raw_name: str, path: str) -> bytes:
        if raw_name not in self._cache:
            self._cache = self._extract(self._batch_from(raw_name), path)
        data = self._cache.get(raw_name)
        if data is None:
            raise CorruptEvidenceError(f"{path}: 7z member could not be extracted")
        return data

    def _batch_from(self, raw_name: str) -> list[tuple[str, int]]:
        start = next(i for i, (name, _) in enumerate(self._members) if name == raw_name)
        batch: list[tuple[str, int]] = []
        total = 0
        for name, size in self._members[start:]:
            if batch and total + size > self._limits.max_member_bytes:
                break
            if size <= self._limits.max_member_bytes and safe_member_name(name) is not None:
                batch.append((name, size))
                total += size
        return batch

    def _extract(self, batch: list[tuple[str, int]], path: str) -> dict[str, bytes]:
        keys = {_factory_key(name): name for name, _ in batch}
        factory = _MemoryFactory({_factory_key(name): size for name, size in batch}, path)
        try:
            with _open(self._entry, self._limits) as archive:
                archive.extract(targets=[name for name, _ in batch], factory=factory)
        except py7zr.exceptions.DecompressionBombError as exc:
            raise DecompressionBombError(f"{path}: {exc}") from exc
        except (*SEVENZIP_ERRORS, EOFError, OSError, ValueError) as exc:
            raise CorruptEvidenceError(f"{path}: corrupt 7z data: {exc}") from exc
        return {keys[key]: data for key, data in factory.products.items() if key in keys}


def _factory_key(name: str) -> str:
    return str(py7zr.helpers.get_sanitized_output_path(name, None).as_posix())


class _MemoryFactory(py7zr.io.WriterFactory):
    """Collects extracted members in memory, refusing more bytes than each declared."""

    def __init__(self, sizes: dict[str, int], label: str) -> None:
        self._sizes = sizes
        self._label = label
        self._writers: dict[str, _MemoryWriter] = {}

    def create(self, filename: str) -> py7zr.io.Py7zIO:
        writer = _MemoryWriter(self._label, filename, self._sizes.get(filename, 0))
        self._writers[filename] = writer
        return writer

    @property
    def products(self) -> dict[str, bytes]:
        """What each member's writer received."""
        return {name: writer.value() for name, writer in self._writers.items()}


class _MemoryWriter(py7zr.io.Py7zIO):
    def __init__(self, label: str, filename: str, limit: int) -> None:
        self._label = label
        self._filename = filename
        self._limit = limit
        self._buffer = io.BytesIO()

    def write(self, s: Any) -> int:
        if self._buffer.tell() + len(s) > self._limit:
            raise DecompressionBombError(
                f"{self._label}: 7z member {self._filename!r} expands past its "
                f"declared {self._limit} bytes"
            )
        return self._buffer.write(s)

    def read(self, size: int | None = None) -> bytes:
        return self._buffer.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._buffer.seek(offset, whence)

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self._buffer.getbuffer().nbytes

    def value(self) -> bytes:
        return self._buffer.getvalue()
