"""Walk every file system TSK finds on a disk image, raw or E01 alike.

Layout of paths: a bare file system (no partition table) gives paths from its root, such as
``DCIM/a.png``. A partitioned disk prefixes each file system's paths with ``pN/``, where N
counts the allocated partitions from 1 in table order (``p1/DCIM/a.png``), as dfvfs does.

What is yielded: regular files, allocated or deleted. Deleted files that TSK still lists
(name or metadata marked unallocated) come with ``deleted=True``; their bytes are whatever
TSK recovers. Skipped: ``.`` and ``..``; TSK's virtual entries (``$MBR``, ``$FAT1``,
``$OrphanFiles``...); names without metadata; symlinks and special files; a FAT volume label
(TSK lists it as an empty regular file). Unpartitioned space and slack are not carved.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import pytsk3

from sentinela.errors import CorruptEvidenceError, EvidenceError
from sentinela.evidence.disk_image import ImageSession
from sentinela.evidence.entries import (
    Entry,
    EntryFailure,
    FailureCode,
    utc_from_timestamp,
)
from sentinela.evidence.errors import TruncatedImageError, UnreadableEvidenceError
from sentinela.evidence.streams import buffered, readonly_bytes
from sentinela.evidence.tsk_reader import TskFileReader

_FAT = int(pytsk3.TSK_FS_TYPE_FAT12) | int(pytsk3.TSK_FS_TYPE_FAT16) | int(pytsk3.TSK_FS_TYPE_FAT32)
_VOLUME_LABEL = "(Volume Label Entry)"


def walk_image(session: ImageSession) -> Iterator[Entry | EntryFailure]:
    """Yield every file on every file system of the image, or why there are none.

    A disk with no file system TSK knows yields one ``no_filesystem`` failure (path ``""``);
    an allocated partition whose file system TSK does not know yields one for ``pN``.
    """
    try:
        image = session.image()
    except TruncatedImageError as exc:
        yield EntryFailure("", FailureCode.TRUNCATED_IMAGE, str(exc))
        return
    except CorruptEvidenceError as exc:
        yield EntryFailure("", FailureCode.CORRUPT_IMAGE, str(exc))
        return
    except (OSError, EvidenceError) as exc:
        yield EntryFailure("", FailureCode.UNREADABLE, f"cannot open the image: {exc}")
        return
    partitions = _partition_offsets(image)
    found: list[tuple[str, int]] = []
    failures: list[EntryFailure] = []
    for prefix, offset in partitions:
        try:
            session.filesystem(offset)
        except OSError:
            failures.append(
                EntryFailure(
                    prefix,
                    FailureCode.NO_FILESYSTEM,
                    f"partition {prefix} at byte {offset} holds no file system TSK recognises",
                )
            )
        else:
            found.append((prefix, offset))
    if not found:
        try:
            session.filesystem(0)
        except OSError:
            yield from failures or [
                EntryFailure(
                    "",
                    FailureCode.NO_FILESYSTEM,
                    "no partition table or file system that The Sleuth Kit recognises",
                )
            ]
            return
        found, failures = [("", 0)], []
    yield from failures
    for prefix, offset in found:
        yield from _walk_filesystem(session, prefix, offset)


def _partition_offsets(image: pytsk3.Img_Info) -> list[tuple[str, int]]:
    try:
        volumes = pytsk3.Volume_Info(image)
    except OSError:
        return []
    block = int(volumes.info.block_size)
    offsets: list[tuple[str, int]] = []
    for part in volumes:
        if int(part.flags) & int(pytsk3.TSK_VS_PART_FLAG_ALLOC):
            offsets.append((f"p{len(offsets) + 1}", int(part.start) * block))
    return offsets


def _walk_filesystem(
    session: ImageSession, prefix: str, offset: int
) -> Iterator[Entry | EntryFailure]:
    fs = session.filesystem(offset)
    is_fat = bool(int(fs.info.ftype) & _FAT)
    root = int(fs.info.root_inum)
    visited = {root}
    pending: list[tuple[int, str]] = [(root, prefix)]
    while pending:
        inode, directory = pending.pop()
        try:
            children = sorted(_children(fs, inode), key=lambda c: c[0])
        except OSError as exc:
            yield EntryFailure(directory, FailureCode.UNREADABLE, f"cannot list: {exc}")
            continue
        subdirectories: list[tuple[int, str]] = []
        for name, meta, deleted in children:
            path = f"{directory}/{name}" if directory else name
            kind = meta.type
            if kind == pytsk3.TSK_FS_META_TYPE_DIR:
                if int(meta.addr) not in visited:
                    visited.add(int(meta.addr))
                    subdirectories.append((int(meta.addr), path))
            elif kind == pytsk3.TSK_FS_META_TYPE_REG:
                size = int(meta.size)
                if is_fat and size == 0 and name.endswith(_VOLUME_LABEL):
                    continue
                yield _entry(session, offset, meta, path, size, deleted)
        pending.extend(reversed(subdirectories))


def _children(fs: pytsk3.FS_Info, inode: int) -> list[tuple[str, Any, bool]]:
    found: list[tuple[str, Any, bool]] = []
    for item in fs.open_dir(inode=inode):
        name = item.info.name
        meta = item.info.meta
        raw = bytes(name.name)
        if raw in (b".", b"..") or meta is None:
            continue
        deleted = bool(int(name.flags) & int(pytsk3.TSK_FS_NAME_FLAG_UNALLOC)) or bool(
            int(meta.flags) & int(pytsk3.TSK_FS_META_FLAG_UNALLOC)
        )
        found.append((raw.decode("utf-8", "backslashreplace"), meta, deleted))
    return found


def _entry(
    session: ImageSession, offset: int, meta: Any, path: str, size: int, deleted: bool
) -> Entry:
    inode = int(meta.addr)

    def opener() -> BinaryIO:
        if size == 0:
            return readonly_bytes(b"", name=path)
        opened, lease = session.lease()
        try:
            handle = opened.filesystem(offset).open_meta(inode=inode)
        except OSError as exc:
            lease.close()
            raise UnreadableEvidenceError(f"{path}: cannot open: {exc}") from exc
        return buffered(TskFileReader(handle, size, name=path, closers=(lease,)))

    return Entry(
        path=path,
        size=size,
        opener=opener,
        mtime=utc_from_timestamp(int(meta.mtime), int(getattr(meta, "mtime_nano", 0) or 0)),
        atime=utc_from_timestamp(int(meta.atime), int(getattr(meta, "atime_nano", 0) or 0)),
        ctime=utc_from_timestamp(int(meta.ctime), int(getattr(meta, "ctime_nano", 0) or 0)),
        crtime=utc_from_timestamp(int(meta.crtime), int(getattr(meta, "crtime_nano", 0) or 0)),
        deleted=deleted,
    )
