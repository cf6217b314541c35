"""PDQ near-duplicate matching: an exact multi-index beside a brute-force faiss reference.

Both implement :class:`~sentinela.matching.base.PdqIndexBase` and are listed, by their
persisted names, in :func:`build_index_registry`.
"""

from __future__ import annotations

from sentinela.matching.base import IndexType, Matches, PdqIndexBase
from sentinela.matching.brute import BrutePdqIndex, PdqBruteIndexType
from sentinela.matching.codes import codes_to_hex, hex_to_codes
from sentinela.matching.errors import (
    IndexChecksumError,
    IndexFileError,
    UnsupportedIndexVersionError,
)
from sentinela.matching.pdq_index import PdqIndex, PdqMihIndexType
from sentinela.registry import Registry


def build_index_registry() -> Registry[IndexType]:
    """Return a new registry of every built-in PDQ index type."""
    registry: Registry[IndexType] = Registry("index")
    for index_type in (PdqMihIndexType(), PdqBruteIndexType()):
        registry.register(index_type)
    return registry


__all__ = [
    "BrutePdqIndex",
    "IndexChecksumError",
    "IndexFileError",
    "IndexType",
    "Matches",
    "PdqIndex",
    "PdqIndexBase",
    "UnsupportedIndexVersionError",
    "build_index_registry",
    "codes_to_hex",
    "hex_to_codes",
]
