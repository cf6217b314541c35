"""Open an object file and decrypt its chunks, sequentially or at random.

Every chunk is authenticated before a byte of it is returned. A reader that streams a large
object can still meet a bad chunk late, after earlier chunks were handed out: consumers must
treat a :class:`~sentinela.vault.errors.CorruptObjectError` mid-stream as a failure of the
whole object (``Vault.export_to`` deletes its partial output).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sentinela.errors import VaultError
from sentinela.vault.errors import CorruptObjectError
from sentinela.vault.format import HEADER_BYTES, TAG_BYTES, Header, parse_header
from sentinela.vault.keys import MasterKey

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


def _pread_full(fd: int, size: int, offset: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < size:
        part = os.pread(fd, size - got, offset + got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


class SealedObject:
    """An open, header-checked object whose key has been unwrapped.

    Attributes:
        header: the parsed header.
        name: how errors name the object (``media <sha256>``).
    """

    def __init__(
        self,
        path: Path,
        *,
        name: str,
        kind: str,
        address: bytes,
        keys: Mapping[bytes, MasterKey],
    ) -> None:
        """Open ``path`` and check that it is the object filed there.

        Raises:
            CorruptObjectError: bad header, wrong size, misplaced object or altered key slot.
            VaultError: the object's master key is not among ``keys``.
        """
        self.name = name
        self._file = open(path, "rb", buffering=0)
        try:
            self.header = self._check(kind, address)
            self._aead = AESGCM(self._unwrap(keys))
        except BaseException:
            self._file.close()
            raise

    def _check(self, kind: str, address: bytes) -> Header:
        fd = self._file.fileno()
        header = parse_header(_pread_full(fd, HEADER_BYTES, 0), name=self.name)
        if header.kind != kind or header.address != address:
            raise CorruptObjectError(
                f"vault object {self.name} holds {header.kind} {header.address.hex()} "
                "(misplaced or renamed)"
            )
        actual, expected = os.fstat(fd).st_size, header.file_size()
        if actual < expected:
            raise CorruptObjectError(
                f"vault object {self.name} is truncated ({actual} of {expected} bytes)"
            )
        if actual > expected:
            raise CorruptObjectError(
                f"vault object {self.name} has {actual - expected} unexpected trailing bytes"
            )
        return header

    def _unwrap(self, keys: Mapping[bytes, MasterKey]) -> bytes:
        slot = self.header.slot
        master = keys.get(slot.key_id)
        if master is None:
            raise VaultError(
                f"vault object {self.name} is wrapped under master key {slot.key_id.hex()}, "
                "which is not loaded"
            )
        try:
            return master.unwrap(slot.wrapped_key)
        except VaultError:
            raise CorruptObjectError(
                f"vault object {self.name}: key slot fails to unwrap (altered header)"
            ) from None

    @property
    def plaintext_size(self) -> int:
        """The object's plaintext size in bytes."""
        return self.header.plaintext_size

    def read_chunk(self, index: int) -> bytes:
        """Decrypt and authenticate chunk ``index``.

        Raises:
            CorruptObjectError: the chunk was altered, moved or cut.
        """
        header = self.header
        count = header.chunk_count()
        if not 0 <= index < count:
            raise IndexError(f"chunk {index} out of range 0..{count - 1}")
        final = index == count - 1
        length = header.chunk_plain_len(index) + TAG_BYTES
        sealed = _pread_full(self._file.fileno(), length, header.chunk_offset(index))
        if len(sealed) != length:
            raise CorruptObjectError(f"vault object {self.name} is truncated at chunk {index}")
        try:
            return self._aead.decrypt(
                header.nonce(index, final=final), sealed, header.associated_data(final=final)
            )
        except InvalidTag:
            raise CorruptObjectError(
                f"vault object {self.name} fails authentication at chunk {index} "
                "(tampered, truncated or reordered)"
            ) from None

    def iter_chunks(self) -> Iterator[bytes]:
        """Decrypt every chunk in order."""
        for index in range(self.header.chunk_count()):
            yield self.read_chunk(index)

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> SealedObject:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class VaultReader(io.RawIOBase):
    """A read-only, seekable stream of an object's plaintext (decrypted chunk by chunk).

    Seeking decrypts only the chunk that holds the new position, so Pillow, ffmpeg pipes and
    hashers can read a 4 GB video without it ever sitting in memory or on disk.
    """

    def __init__(self, sealed: SealedObject) -> None:
        """Take ownership of ``sealed``; closing the reader closes it."""
        super().__init__()
        self._sealed = sealed
        self._pos = 0
        self._cached_index = -1
        self._cached = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos}.get(whence)
        if whence == io.SEEK_END:
            base = self._sealed.plaintext_size
        if base is None:
            raise ValueError(f"invalid whence {whence}")
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed vault reader")
        size = self._sealed.plaintext_size
        if self._pos >= size:
            return 0
        chunk_size = self._sealed.header.chunk_size
        index, within = divmod(self._pos, chunk_size)
        if index != self._cached_index:
            self._cached = self._sealed.read_chunk(index)
            self._cached_index = index
        target = memoryview(buffer).cast("B")
        piece = self._cached[within : within + len(target)]
        target[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def close(self) -> None:
        if not self.closed:
            self._sealed.close()
            self._cached = b""
        super().close()
