"""The on-disk object format, version 1 (the byte layout is documented in ``docs/vault.md``).

An object file is a fixed 108-byte header followed by the body::

    fixed part (52 bytes, the associated data of every chunk; never rewritten)
      magic "SVLT" | version u16 | kind u8 | reserved u8 | chunk size u32
      | address (the SHA-256 the object is filed under, 32 bytes) | nonce prefix (7) | reserved
    plaintext size u64 (authenticated by the final chunk)
    key slot (48 bytes, rewritten by master key rotation)
      master key id (8) | wrapped object key (RFC 3394, 40)
    body: chunks of ``chunk size`` plaintext bytes (the last may be shorter, or empty), each
      AES-256-GCM ciphertext followed by its 16-byte tag.

Why this shape: chunking keeps a 4 GB video out of memory and allows random access; the nonce
of chunk ``i`` is ``prefix || i || final`` (the STREAM construction), so reordering, dropping
or appending chunks fails authentication; the key slot sits outside the associated data so
rotation can replace it without touching a byte of ciphertext.

Integers are big-endian. All integers are unsigned.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Literal

from sentinela.vault.errors import CorruptObjectError
from sentinela.vault.keys import KEY_ID_BYTES, WRAPPED_KEY_BYTES

MAGIC = b"SVLT"
VERSION = 1
TAG_BYTES = 16
NONCE_PREFIX_BYTES = 7
MIN_CHUNK_SIZE = 1024
MAX_CHUNK_SIZE = 64 * 1024 * 1024
DEFAULT_CHUNK_SIZE = 1024 * 1024
MAX_CHUNKS = 2**32

Kind = Literal["media", "thumbnail"]
KIND_CODES: dict[str, int] = {"media": 1, "thumbnail": 2}
KIND_DIRS: dict[str, str] = {"media": "media", "thumbnail": "thumbnails"}

_FIXED = struct.Struct(">4sHBBI32s7sB")
_SIZE = struct.Struct(">Q")
_SLOT = struct.Struct(f">{KEY_ID_BYTES}s{WRAPPED_KEY_BYTES}s")
_NONCE = struct.Struct(f">{NONCE_PREFIX_BYTES}sIB")

FIXED_BYTES = _FIXED.size
SIZE_OFFSET = FIXED_BYTES
SLOT_OFFSET = SIZE_OFFSET + _SIZE.size
SLOT_BYTES = _SLOT.size
HEADER_BYTES = SLOT_OFFSET + SLOT_BYTES


@dataclass(frozen=True, slots=True)
class KeySlot:
    """Which master key wrapped the object key, and the wrapped key itself."""

    key_id: bytes
    wrapped_key: bytes

    def pack(self) -> bytes:
        """Return the 48 bytes stored at :data:`SLOT_OFFSET`."""
        return _SLOT.pack(self.key_id, self.wrapped_key)

    @classmethod
    def unpack(cls, raw: bytes) -> KeySlot:
        """Parse 48 slot bytes."""
        key_id, wrapped = _SLOT.unpack(raw)
        return cls(key_id, wrapped)


@dataclass(frozen=True, slots=True)
class Header:
    """A parsed object header."""

    kind: str
    chunk_size: int
    address: bytes
    nonce_prefix: bytes
    plaintext_size: int
    slot: KeySlot

    def fixed(self) -> bytes:
        """The immutable part: the associated data of every chunk."""
        return _FIXED.pack(
            MAGIC,
            VERSION,
            KIND_CODES[self.kind],
            0,
            self.chunk_size,
            self.address,
            self.nonce_prefix,
            0,
        )

    def pack(self) -> bytes:
        """Return all :data:`HEADER_BYTES` header bytes."""
        return self.fixed() + _SIZE.pack(self.plaintext_size) + self.slot.pack()

    def chunk_count(self) -> int:
        """Number of chunks in the body (an empty object has one empty chunk)."""
        return chunk_count(self.plaintext_size, self.chunk_size)

    def file_size(self) -> int:
        """The exact size of a well-formed object file with this header."""
        return HEADER_BYTES + self.plaintext_size + TAG_BYTES * self.chunk_count()

    def chunk_offset(self, index: int) -> int:
        """Offset of chunk ``index`` in the file."""
        return HEADER_BYTES + index * (self.chunk_size + TAG_BYTES)

    def chunk_plain_len(self, index: int) -> int:
        """Plaintext length of chunk ``index``."""
        return min(self.chunk_size, self.plaintext_size - index * self.chunk_size)

    def nonce(self, index: int, *, final: bool) -> bytes:
        """The 96-bit GCM nonce of chunk ``index``."""
        return chunk_nonce(self.nonce_prefix, index, final=final)

    def associated_data(self, *, final: bool) -> bytes:
        """Chunk associated data; the final chunk also authenticates the plaintext size."""
        fixed = self.fixed()
        return fixed + _SIZE.pack(self.plaintext_size) if final else fixed


def chunk_count(plaintext_size: int, chunk_size: int) -> int:
    """Chunks needed for ``plaintext_size`` bytes (at least one)."""
    return max(1, -(-plaintext_size // chunk_size))


def chunk_nonce(prefix: bytes, index: int, *, final: bool) -> bytes:
    """``prefix (7) || index (u32) || final flag (u8)``."""
    return _NONCE.pack(prefix, index, 1 if final else 0)


def final_associated_data(fixed: bytes, plaintext_size: int) -> bytes:
    """Associated data of the final chunk, for writers that learn the size at the end."""
    return fixed + _SIZE.pack(plaintext_size)


def pack_size(plaintext_size: int) -> bytes:
    """The 8 bytes stored at :data:`SIZE_OFFSET`."""
    return _SIZE.pack(plaintext_size)


def parse_header(raw: bytes, *, name: str) -> Header:
    """Parse and sanity-check header bytes.

    Args:
        raw: at least :data:`HEADER_BYTES` bytes from the start of an object file.
        name: how to name the object in errors.

    Raises:
        CorruptObjectError: bad magic, unknown version or kind, impossible chunk size.
    """
    if len(raw) < HEADER_BYTES:
        raise CorruptObjectError(f"vault object {name} is truncated (header incomplete)")
    magic, version, kind_code, reserved, chunk_size, address, prefix, pad = _FIXED.unpack_from(raw)
    if magic != MAGIC:
        raise CorruptObjectError(f"vault object {name} is not a vault object (bad magic)")
    if version != VERSION:
        raise CorruptObjectError(
            f"vault object {name} has format version {version}; this version reads {VERSION}"
        )
    kinds = {code: kind for kind, code in KIND_CODES.items()}
    if kind_code not in kinds:
        raise CorruptObjectError(f"vault object {name} has unknown kind code {kind_code}")
    if reserved or pad:
        # Re-packing writes zeros, so a non-zero byte here would escape authentication.
        raise CorruptObjectError(f"vault object {name} has non-zero reserved header bytes")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise CorruptObjectError(f"vault object {name} has invalid chunk size {chunk_size}")
    (size,) = _SIZE.unpack_from(raw, SIZE_OFFSET)
    slot = KeySlot.unpack(raw[SLOT_OFFSET:HEADER_BYTES])
    return Header(kinds[kind_code], chunk_size, address, prefix, size, slot)
