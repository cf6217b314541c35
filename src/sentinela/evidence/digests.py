"""Feed a read-only stream through several hash functions in one pass."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from sentinela.evidence.errors import UnreadableEvidenceError

#: Bytes read per call.
CHUNK = 4 << 20

#: Progress callback: receives the number of bytes just hashed.
Progress = Callable[[int], None]


def new_hashers(*algorithms: str) -> dict[str, hashlib._Hash]:
    """Fresh hash objects by name (``"md5"``, ``"sha1"``, ``"sha256"``)."""
    return {name: hashlib.new(name, usedforsecurity=False) for name in algorithms}


def feed(
    stream: BinaryIO,
    name: Path | str,
    hashers: Iterable[hashlib._Hash],
    progress: Progress | None = None,
) -> int:
    """Read ``stream`` to its end into every hasher; return the number of bytes read.

    Raises:
        UnreadableEvidenceError: reading fails.
    """
    targets = list(hashers)
    total = 0
    while True:
        try:
            chunk = stream.read(CHUNK)
        except OSError as exc:
            raise UnreadableEvidenceError(
                f"cannot read {name} at byte {total}: {exc.strerror or exc}"
            ) from exc
        if not chunk:
            return total
        for hasher in targets:
            hasher.update(chunk)
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
