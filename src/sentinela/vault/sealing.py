"""Encrypt a plaintext stream into an object file, chunk by chunk, hashing as it goes.

Only ciphertext is ever written: each plaintext chunk is encrypted in memory and the result
goes to the output. At most two plaintext chunks are held at once (the look-ahead needed to
know which chunk is the final one), so the memory used does not depend on the object's size.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sentinela.errors import VaultError
from sentinela.vault.format import (
    MAX_CHUNKS,
    NONCE_PREFIX_BYTES,
    SIZE_OFFSET,
    Header,
    KeySlot,
    chunk_count,
    chunk_nonce,
    final_associated_data,
    pack_size,
)
from sentinela.vault.keys import KEY_BYTES, MasterKey

Plaintext = bytes | bytearray | memoryview | BinaryIO


@dataclass(frozen=True, slots=True)
class SealResult:
    """What was written: the plaintext size and its SHA-256 (lowercase hex)."""

    plaintext_size: int
    sha256: str


def _read_full(stream: BinaryIO, size: int) -> bytes:
    """Read up to ``size`` bytes, looping over short reads; fewer only at end of stream."""
    first = stream.read(size)
    if not first or len(first) == size:
        return first or b""
    parts = [first]
    got = len(first)
    while got < size:
        part = stream.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _buffer_chunks(view: memoryview, chunk_size: int) -> Iterator[tuple[memoryview, bool]]:
    count = chunk_count(len(view), chunk_size)
    for index in range(count):
        yield view[index * chunk_size : (index + 1) * chunk_size], index == count - 1


def _stream_chunks(stream: BinaryIO, chunk_size: int) -> Iterator[tuple[bytes, bool]]:
    current = _read_full(stream, chunk_size)
    while True:
        if len(current) < chunk_size:
            yield current, True
            return
        following = _read_full(stream, chunk_size)
        if not following:
            yield current, True
            return
        yield current, False
        current = following


def plaintext_chunks(data: Plaintext, chunk_size: int) -> Iterator[tuple[bytes | memoryview, bool]]:
    """Split ``data`` into ``(chunk, is_final)`` pairs; an empty input gives one empty chunk."""
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        if view.ndim != 1 or view.itemsize != 1:
            view = view.cast("B")
        yield from _buffer_chunks(view, chunk_size)
    else:
        yield from _stream_chunks(data, chunk_size)


def seal(
    out: BinaryIO,
    data: Plaintext,
    *,
    kind: str,
    address: bytes,
    chunk_size: int,
    master: MasterKey,
) -> SealResult:
    """Write one complete object (header and encrypted body) to ``out``.

    Args:
        out: a new, empty, seekable binary file opened for writing.
        data: the plaintext, as bytes or a binary stream read to its end.
        kind: ``media`` or ``thumbnail``.
        address: the 32-byte SHA-256 the object is filed under.
        chunk_size: plaintext bytes per chunk.
        master: the master key that wraps the new object key.

    Returns:
        The plaintext size and SHA-256, for the caller to check against the address.

    Raises:
        VaultError: the plaintext needs more chunks than the format allows.
    """
    data_key = secrets.token_bytes(KEY_BYTES)
    prefix = secrets.token_bytes(NONCE_PREFIX_BYTES)
    header = Header(
        kind=kind,
        chunk_size=chunk_size,
        address=address,
        nonce_prefix=prefix,
        plaintext_size=0,  # filled in once known; the final chunk authenticates it
        slot=KeySlot(master.key_id_bytes, master.wrap(data_key)),
    )
    fixed = header.fixed()
    aead = AESGCM(data_key)
    digest = hashlib.sha256()
    out.write(header.pack())
    total = 0
    for index, (chunk, final) in enumerate(plaintext_chunks(data, chunk_size)):
        if index >= MAX_CHUNKS:
            raise VaultError(f"object is too large for chunk size {chunk_size}")
        digest.update(chunk)
        total += len(chunk)
        aad = final_associated_data(fixed, total) if final else fixed
        out.write(aead.encrypt(chunk_nonce(prefix, index, final=final), chunk, aad))
    out.seek(SIZE_OFFSET)
    out.write(pack_size(total))
    out.flush()
    return SealResult(plaintext_size=total, sha256=digest.hexdigest())
