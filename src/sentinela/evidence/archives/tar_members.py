"""Members of a tar archive (plain or inside a gzip/bzip2/xz stream), streamed, never extracted.

Only regular files are yielded. Links are not followed: a symlink or hard link whose target
leaves the archive is recorded as ``symlink_escape``; others are skipped, since their target is
listed under its own name. Devices and FIFOs are skipped.

Listing and reading use two handles on the tar: both move forward through a compressed
stream when members are read in order, so a ``.tar.gz`` is decompressed twice in all, not
once per member.
"""

from __future__ import annotations

import posixpath
import tarfile
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from sentinela.evidence.archives.guards import safe_member_name
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

TarOpener = Callable[[], BinaryIO]


def tar_members(
    entry: Entry, limits: SourceLimits, open_tar: TarOpener, budget: int
) -> Iterator[Entry | EntryFailure]:
    """Yield the regular-file members of the tar that ``open_tar`` streams.

    Args:
        entry: the archive entry (its path prefixes the members').
        limits: the walk's limits.
        open_tar: opens a new seekable stream over the (decompressed) tar.
        budget: the most bytes the members may add up to (``zip_bomb`` beyond it).

    Raises:
        tarfile.TarError, SentinelaError: the tar cannot be read.
    """
    listing, closers = _open(open_tar)
    reader: SharedHandle[tarfile.TarFile] = SharedHandle(lambda: _open(open_tar))
    try:
        expanded = 0
        count = 0
        while (member := listing.next()) is not None:
            count += 1
            if count > limits.max_members:
                yield EntryFailure(
                    entry.path,
                    FailureCode.TOO_MANY_MEMBERS,
                    f"more than {limits.max_members} members; the rest were not listed",
                )
                return
            if member.isdir():
                continue
            name = safe_member_name(member.name)
            path = join_member(entry.path, name or member.name)
            if name is None:
                yield EntryFailure(
                    path,
                    FailureCode.PATH_TRAVERSAL,
                    f"member name {member.name!r} points outside the archive; not read",
                )
                continue
            if member.issym() or member.islnk():
                if _link_escapes(name, member):
                    yield EntryFailure(
                        path,
                        FailureCode.SYMLINK_ESCAPE,
                        f"link to {member.linkname!r} points outside the archive; not followed",
                    )
                continue
            if not member.isreg():
                continue
            expanded += member.size
            if expanded > budget:
                yield EntryFailure(
                    entry.path,
                    FailureCode.ZIP_BOMB,
                    f"members expand beyond {budget} bytes; the rest were not listed",
                )
                return
            yield _member(entry, member, path, reader)
    finally:
        for closer in closers:
            closer.close()
        reader.close()


def _open(open_tar: TarOpener) -> tuple[tarfile.TarFile, Sequence[Closeable]]:
    stream = open_tar()
    try:
        archive = tarfile.open(fileobj=stream, mode="r:")
    except BaseException:
        stream.close()
        raise
    return archive, (archive, stream)


def _link_escapes(name: str, member: tarfile.TarInfo) -> bool:
    target = member.linkname.replace("\\", "/")
    if target.startswith("/"):
        return True
    # A hard link names another member; a symlink is relative to the link's own folder.
    base = "" if member.islnk() else posixpath.dirname(name)
    resolved = posixpath.normpath(posixpath.join(base, target))
    return resolved == ".." or resolved.startswith("../")


def _member(
    entry: Entry, member: tarfile.TarInfo, path: str, reader: SharedHandle[tarfile.TarFile]
) -> Entry:
    size = member.size

    def opener() -> BinaryIO:
        archive, lease = reader.lease()
        try:
            inner = archive.extractfile(member)
        except (tarfile.TarError, OSError, EOFError) as exc:
            lease.close()
            raise translate_error(path, exc) from exc
        if inner is None:
            lease.close()
            raise translate_error(path, tarfile.ReadError("member has no data"))
        return guarded(inner, name=path, limit=size, closers=(lease,))

    return Entry(
        path=path,
        size=size,
        opener=opener,
        mtime=utc_from_timestamp(int(member.mtime)),
        deleted=entry.deleted,
        parent_container=entry.path or None,
        depth=entry.depth + 1,
    )
