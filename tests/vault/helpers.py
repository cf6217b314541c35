"""Builders shared by the vault tests: generated plaintext and file scans."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

SMALL_CHUNK = 4096
MIB = 1024 * 1024


def payload(size: int, seed: int = 0) -> bytes:
    """Deterministic pseudo-random bytes (benign: just noise)."""
    return random.Random(seed).randbytes(size)


def sha(data: bytes) -> str:
    """Lowercase hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def all_file_bytes(root: Path) -> Iterator[tuple[Path, bytes]]:
    """Every regular file under ``root`` with its bytes."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()
