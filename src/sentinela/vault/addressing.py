"""Addresses in the vault: validated SHA-256 digests, object kinds, relative paths.

An object's address is the lowercase hex SHA-256 of the media item; its kind picks the
namespace (a thumbnail is filed under the SHA-256 of the media it shows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentinela.errors import InvalidHashError, InvalidInputError
from sentinela.vault.format import KIND_DIRS, Kind

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
OBJECT_SUFFIX = ".sv"


@dataclass(frozen=True, slots=True)
class VaultRef:
    """Where an object is stored.

    Attributes:
        sha256: the address (for thumbnails, the SHA-256 of the media they show).
        kind: ``media`` or ``thumbnail``.
        relpath: the object's path relative to the vault root, POSIX style.
        plaintext_size: the size of the stored content.
        created: whether this call stored it (``False``: it was already there).
    """

    sha256: str
    kind: str
    relpath: str
    plaintext_size: int
    created: bool


def normalise_sha256(sha256: str) -> str:
    """Return ``sha256`` in lowercase hex.

    Raises:
        InvalidHashError: it is not 64 hexadecimal characters.
    """
    value = sha256.strip().lower()
    if not SHA256_PATTERN.match(value):
        raise InvalidHashError(f"not a SHA-256 digest: {sha256!r}")
    return value


def check_kind(kind: str) -> Kind:
    """Return ``kind`` if it is a vault object kind.

    Raises:
        InvalidInputError: it is not ``media`` or ``thumbnail``.
    """
    if kind == "media":
        return "media"
    if kind == "thumbnail":
        return "thumbnail"
    raise InvalidInputError(f"unknown vault object kind {kind!r} (media or thumbnail)")


def object_relpath(sha256: str, kind: str) -> str:
    """``<kind folder>/ab/cd/<sha256>.sv`` for a normalised address."""
    sha = normalise_sha256(sha256)
    return f"{KIND_DIRS[check_kind(kind)]}/{sha[:2]}/{sha[2:4]}/{sha}{OBJECT_SUFFIX}"
