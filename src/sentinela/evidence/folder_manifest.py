"""A deterministic manifest of a folder exhibit, whose digest is the folder's container hash.

A folder has no bytes of its own to hash, so its container hash is the SHA-256 (and MD5) of
a manifest that lists everything in it. The manifest is a sequence of records sorted by
relative path (compared as UTF-8 bytes; names that are not UTF-8 keep their raw bytes), each
field ending in a NUL byte (paths cannot contain NUL, so the encoding is unambiguous):

- a regular file: ``f`` NUL path NUL size-in-decimal NUL sha256-hex NUL
- a directory:    ``d`` NUL path NUL
- a symlink:      ``l`` NUL path NUL target NUL (the link itself; it is never followed)
- anything else:  ``o`` NUL path NUL (FIFOs, sockets, devices: listed, not read)

Paths are relative to the folder, ``/``-separated. File times and permissions are left out:
copying a seized folder faithfully must not change its hash.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from sentinela.evidence.digests import Progress, feed
from sentinela.evidence.errors import UnreadableEvidenceError
from sentinela.evidence.streams import open_readonly


def folder_manifest(root: Path, progress: Progress | None = None) -> tuple[bytes, int]:
    """Build the manifest of the folder at ``root``.

    Returns:
        the manifest bytes, and the total size of the regular files in it.

    Raises:
        UnreadableEvidenceError: a directory or file cannot be read.
    """
    records: list[tuple[bytes, bytes]] = []
    total = 0
    pending = [b""]
    base = os.fsencode(root)
    while pending:
        relative = pending.pop()
        directory = os.path.join(base, relative) if relative else base
        try:
            with os.scandir(directory) as listing:
                children = sorted(entry.name for entry in listing)
        except OSError as exc:
            raise UnreadableEvidenceError(
                f"cannot list {os.fsdecode(directory)}: {exc.strerror or exc}"
            ) from exc
        for name in children:
            child = relative + b"/" + name if relative else name
            full = os.path.join(base, child)
            record, size = _record(full, child, progress)
            records.append((child, record))
            total += size
            if record.startswith(b"d\0"):
                pending.append(child)
    records.sort()
    return b"".join(record for _, record in records), total


def _record(full: bytes, child: bytes, progress: Progress | None) -> tuple[bytes, int]:
    try:
        info = os.lstat(full)
    except OSError as exc:
        raise UnreadableEvidenceError(
            f"cannot read {os.fsdecode(full)}: {exc.strerror or exc}"
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        return b"d\0" + child + b"\0", 0
    if stat.S_ISLNK(info.st_mode):
        return b"l\0" + child + b"\0" + os.readlink(full) + b"\0", 0
    if not stat.S_ISREG(info.st_mode):
        return b"o\0" + child + b"\0", 0
    digest = hashlib.sha256()
    with open_readonly(os.fsdecode(full), follow_symlinks=False) as stream:
        size = feed(stream, os.fsdecode(full), [digest], progress)
    return b"f\0%s\0%d\0%s\0" % (child, size, digest.hexdigest().encode("ascii")), size
