"""Read-only streams over evidence: files opened without updating them, guarded readers.

Every byte Sentinela reads from an exhibit goes through one of these. Files are opened with
``O_RDONLY`` (and ``O_NOATIME`` where the kernel allows it, so that reading does not even change
the access time); readers over decompressed data enforce a byte cap while reading, so a member
that lies about its size cannot expand without bound, and they translate library errors into
:mod:`sentinela.errors` types.
"""

from __future__ import annotations

import gzip
import io
import lzma
import os
import tarfile
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

from sentinela.errors import CorruptEvidenceError, DecompressionBombError, SentinelaError
from sentinela.evidence.errors import UnreadableEvidenceError

_BUFFER = 1 << 16
# Most bytes asked of a wrapped stream at once. Decompressors raise on a truncated stream
# instead of returning what they decoded so far, so smaller reads keep more of a damaged
# member readable before the error.
_INNER_READ = 1 << 15

# Errors that mean "the data is damaged" rather than "the disk could not be read"
# (``BadGzipFile`` is an ``OSError`` subclass, so it is listed before OSError is considered).
_CORRUPT = (
    zipfile.BadZipFile,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    lzma.LZMAError,
    tarfile.TarError,
)


class Closeable(Protocol):
    """Anything with a ``close()``."""

    def close(self) -> None:
        """Release the resource."""


class Readable(Protocol):
    """A binary stream to wrap: a file, a decompressor, an archive member."""

    def read(self, size: int = ..., /) -> bytes:
        """Read up to ``size`` bytes."""

    def seek(self, offset: int, whence: int = ..., /) -> int:
        """Move to ``offset``."""

    def seekable(self) -> bool:
        """Whether :meth:`seek` works."""

    def close(self) -> None:
        """Release the stream."""


def open_readonly(path: Path | str, *, follow_symlinks: bool = True) -> BinaryIO:
    """Open a file of an exhibit for reading only, without updating its access time.

    Args:
        path: the file.
        follow_symlinks: when False, a symlink at ``path`` is refused (``O_NOFOLLOW``).

    Raises:
        UnreadableEvidenceError: the file cannot be opened.
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOATIME", 0)
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    try:
        try:
            fd = os.open(path, flags)
        except PermissionError:
            # O_NOATIME needs ownership or CAP_FOWNER; retry without it.
            fd = os.open(path, flags & ~getattr(os, "O_NOATIME", 0))
    except OSError as exc:
        raise UnreadableEvidenceError(f"cannot open {path}: {exc.strerror or exc}") from exc
    return os.fdopen(fd, "rb", buffering=_BUFFER)


def translate_error(name: str, exc: BaseException) -> SentinelaError:
    """Map a library error raised while reading ``name`` to a Sentinela error."""
    if isinstance(exc, SentinelaError):
        return exc
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, _CORRUPT):
        return CorruptEvidenceError(f"{name}: corrupt data: {detail}")
    return UnreadableEvidenceError(f"{name}: cannot read: {detail}")


class GuardedReader(io.RawIOBase):
    """A read-only raw stream over another binary stream.

    It refuses writes, stops with :class:`DecompressionBombError` once more than ``limit``
    bytes come out, turns library errors into Sentinela errors, and closes ``closers`` (for
    example the archive and the outer stream a member was read from) when it is closed.
    """

    def __init__(
        self,
        inner: Readable,
        *,
        name: str,
        limit: int | None = None,
        closers: Sequence[Closeable] = (),
    ) -> None:
        super().__init__()
        self._inner = inner
        self._name = name
        self._limit = limit
        self._closers = closers
        self._pos = 0

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def seekable(self) -> bool:
        try:
            return self._inner.seekable()
        except (OSError, ValueError):
            return False

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        want = min(len(buffer), _INNER_READ)
        if self._limit is not None:
            # Ask for one byte past the limit so that an overrun is seen, not hidden.
            want = min(want, self._limit - self._pos + 1)
        try:
            data = self._inner.read(want) if want > 0 else b""
        except (OSError, EOFError, ValueError, RuntimeError, *_CORRUPT) as exc:
            raise translate_error(self._name, exc) from exc
        count = len(data)
        self._pos += count
        if self._limit is not None and self._pos > self._limit:
            raise DecompressionBombError(
                f"{self._name}: expands beyond the limit of {self._limit} bytes"
            )
        buffer[:count] = data
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        try:
            self._pos = self._inner.seek(offset, whence)
        except (OSError, EOFError, ValueError, RuntimeError, *_CORRUPT) as exc:
            raise translate_error(self._name, exc) from exc
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            try:
                self._inner.close()
                for closer in self._closers:
                    closer.close()
            finally:
                super().close()


def buffered(raw: io.RawIOBase) -> BinaryIO:
    """Wrap a raw read-only stream in a buffered reader."""
    return io.BufferedReader(raw, buffer_size=_BUFFER)


def guarded(
    inner: Readable,
    *,
    name: str,
    limit: int | None = None,
    closers: Sequence[Closeable] = (),
) -> BinaryIO:
    """A buffered, read-only :class:`GuardedReader` over ``inner``."""
    return buffered(GuardedReader(inner, name=name, limit=limit, closers=closers))


def readonly_bytes(data: bytes, *, name: str = "<memory>") -> BinaryIO:
    """A read-only stream over bytes held in memory."""
    return guarded(io.BytesIO(data), name=name)
