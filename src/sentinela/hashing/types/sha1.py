"""SHA-1: carried by NSRL, VICS and NCMEC records next to MD5."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from sentinela.hashing.types.base import ExactHashType


class Sha1(ExactHashType):
    """SHA-1, 160 bits. Broken for security; kept for matching against existing hash sets."""

    name: ClassVar[str] = "sha1"
    bits: ClassVar[int] = 160

    def hash_bytes(self, data: bytes) -> str:
        """SHA-1 of ``data`` as lower-case hex."""
        return hashlib.sha1(data, usedforsecurity=False).hexdigest()
