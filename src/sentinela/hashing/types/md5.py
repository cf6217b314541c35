"""MD5: the digest most hash sets are still keyed by (NSRL, VICS, NCMEC, ICSE)."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from sentinela.hashing.types.base import ExactHashType


class Md5(ExactHashType):
    """MD5, 128 bits. Broken for security; kept for matching against existing hash sets."""

    name: ClassVar[str] = "md5"
    bits: ClassVar[int] = 128

    def hash_bytes(self, data: bytes) -> str:
        """MD5 of ``data`` as lower-case hex."""
        return hashlib.md5(data, usedforsecurity=False).hexdigest()
