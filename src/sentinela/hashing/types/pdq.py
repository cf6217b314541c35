"""PDQ: Meta's perceptual photo hash, the similarity hash shared between agencies and industry.

Two PDQ hashes are compared by Hamming distance over their 256 bits. The reference distance
here is the naive one; the faiss index in :mod:`sentinela.matching` is tested against it.
:meth:`Pdq.hash_bytes` decodes at full resolution (it is the reference); ingest uses the
drafted :func:`sentinela.hashing.images.pdq_fast` and confirms candidates with this one.
"""

from __future__ import annotations

from typing import ClassVar

from sentinela.hashing.images import pdq_full
from sentinela.hashing.types.base import HashType


class Pdq(HashType):
    """PDQ, 256 bits, lower-case hex in python-threatexchange's bit order.

    ``default_threshold`` is python-threatexchange's ``PDQ_CONFIDENT_MATCH_THRESHOLD``; a
    hash set can carry its own.
    """

    name: ClassVar[str] = "pdq"
    bits: ClassVar[int] = 256
    exact: ClassVar[bool] = False
    default_threshold: ClassVar[int] = 31

    def distance(self, a: str, b: str) -> int:
        """Hamming distance between two PDQ hashes (0-256)."""
        return (int(self.validate(a), 16) ^ int(self.validate(b), 16)).bit_count()

    def hash_bytes(self, data: bytes) -> str:
        """Full-resolution PDQ of an image file's bytes.

        Raises:
            UnsupportedMediaError: the bytes are not a decodable image.
            DecompressionBombError: the image declares too many pixels.
        """
        return pdq_full(data).hash
