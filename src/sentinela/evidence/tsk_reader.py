"""A read-only stream over a file on a disk image, read through TSK's ``read_random``."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from sentinela.evidence.errors import UnreadableEvidenceError
from sentinela.evidence.streams import Closeable


class TskFileReader(io.RawIOBase):
    """Read-only, seekable raw stream over a ``pytsk3.File``.

    It never reads past ``size`` (the size the walker reported), and turns TSK's I/O errors
    (common for deleted files whose clusters were reused) into
    :class:`~sentinela.evidence.errors.UnreadableEvidenceError`.
    """

    def __init__(
        self, handle: Any, size: int, *, name: str, closers: Sequence[Closeable] = ()
    ) -> None:
        super().__init__()
        self._handle = handle
        self._closers = closers
        self._size = size
        self._name = name
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        want = min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        try:
            data = self._handle.read_random(self._pos, want)
        except OSError as exc:
            raise UnreadableEvidenceError(
                f"{self._name}: cannot read at byte {self._pos}: {exc}"
            ) from exc
        if not data:
            raise UnreadableEvidenceError(
                f"{self._name}: data ends at byte {self._pos} of {self._size}"
            )
        count = len(data)
        buffer[:count] = data
        self._pos += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        elif whence == io.SEEK_END:
            target = self._size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if target < 0:
            raise ValueError("negative seek position")
        self._pos = target
        return target

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            try:
                for closer in self._closers:
                    closer.close()
            finally:
                self._handle = None
                super().close()
