"""SHA-256: the identity of a media item in the national store."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from sentinela.hashing.types.base import ExactHashType


class Sha256(ExactHashType):
    """SHA-256, 256 bits. One Media row per distinct SHA-256."""

    name: ClassVar[str] = "sha256"
    bits: ClassVar[int] = 256

    def hash_bytes(self, data: bytes) -> str:
        """SHA-256 of ``data`` as lower-case hex."""
        return hashlib.sha256(data).hexdigest()
