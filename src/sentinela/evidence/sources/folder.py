"""Folder exhibits: a directory tree copied from a seized device, walked without following links.

Symlinks are never followed. One that points outside the folder is recorded as
``symlink_escape`` (the target is named in the message, for the examiner); one that stays
inside is skipped, because its target is walked under its own path anyway. FIFOs, sockets
and devices are recorded as ``special_file`` and never opened (opening a FIFO would block).
A file that cannot be opened is recorded as ``unreadable``. Empty files are ordinary entries.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from sentinela.evidence.entries import (
    Entry,
    EntryFailure,
    FailureCode,
    SourceLimits,
    utc_from_timestamp,
)
from sentinela.evidence.errors import UnreadableEvidenceError
from sentinela.evidence.kinds import ExhibitKind
from sentinela.evidence.sources.base import EvidenceSource
from sentinela.evidence.streams import open_readonly


class FolderSource(EvidenceSource):
    """Walks a folder exhibit recursively, in name order."""

    name: ClassVar[str] = "folder"
    kind: ClassVar[ExhibitKind] = ExhibitKind.FOLDER

    def walk(self, path: Path, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
        """Yield the folder's regular files and what could not be read."""
        root = os.path.realpath(path)
        if not os.path.isdir(root):
            raise UnreadableEvidenceError(f"{path} is not a readable folder")
        pending = [""]
        while pending:
            relative = pending.pop()
            directory = os.path.join(root, relative) if relative else root
            try:
                with os.scandir(directory) as listing:
                    children = sorted(listing, key=lambda child: child.name)
            except OSError as exc:
                yield EntryFailure(
                    _display(relative), FailureCode.UNREADABLE, f"cannot list: {exc.strerror}"
                )
                continue
            subdirectories: list[str] = []
            for child in children:
                child_relative = f"{relative}/{child.name}" if relative else child.name
                if child.is_symlink():
                    failure = _symlink_failure(root, child, child_relative)
                    if failure is not None:
                        yield failure
                elif child.is_dir(follow_symlinks=False):
                    subdirectories.append(child_relative)
                else:
                    yield _file_item(child, child_relative)
            pending.extend(reversed(subdirectories))


def _file_item(child: os.DirEntry[str], relative: str) -> Entry | EntryFailure:
    display = _display(relative)
    try:
        info = child.stat(follow_symlinks=False)
    except OSError as exc:
        return EntryFailure(display, FailureCode.UNREADABLE, f"cannot stat: {exc.strerror}")
    if not stat.S_ISREG(info.st_mode):
        return EntryFailure(
            display, FailureCode.SPECIAL_FILE, "not a regular file (FIFO, socket or device)"
        )
    full = child.path
    try:
        # Prove the file can be opened now, so that an unreadable file is recorded here.
        open_readonly(full, follow_symlinks=False).close()
    except UnreadableEvidenceError as exc:
        return EntryFailure(display, FailureCode.UNREADABLE, str(exc))

    def opener() -> BinaryIO:
        return open_readonly(full, follow_symlinks=False)

    return Entry(
        path=display,
        size=info.st_size,
        opener=opener,
        mtime=utc_from_timestamp(*divmod(info.st_mtime_ns, 1_000_000_000)),
        atime=utc_from_timestamp(*divmod(info.st_atime_ns, 1_000_000_000)),
        ctime=utc_from_timestamp(*divmod(info.st_ctime_ns, 1_000_000_000)),
        crtime=None,
    )


def _symlink_failure(root: str, child: os.DirEntry[str], relative: str) -> EntryFailure | None:
    target = os.path.realpath(child.path)
    if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
        return None
    try:
        shown = os.readlink(child.path)
    except OSError:
        shown = target
    return EntryFailure(
        _display(relative),
        FailureCode.SYMLINK_ESCAPE,
        f"symlink to {shown!r} points outside the exhibit; not followed",
    )


def _display(relative: str) -> str:
    """A path as stored: names that are not UTF-8 keep their bytes as backslash escapes."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")
