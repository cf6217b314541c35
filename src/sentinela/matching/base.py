"""What every PDQ index offers, and the shape of its answers.

Why an interface with two implementations: the fast multi-index is an optimisation, and an
optimisation that silently misses a match is an evidential problem. Every index answers the
same question with the same result type, so tests (``tests/contracts/test_indexes.py``)
prove the fast index returns exactly what the brute-force faiss reference returns.

Why integer ids: an index stores codes and opaque ``int64`` labels only (for instance the
database row of a known hash). What a label means stays in the database, which is the source
of truth; the index can always be rebuilt from it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self

import numpy as np
from numpy.typing import NDArray

from sentinela.matching.codes import Codes, Ids


@dataclass(frozen=True)
class Matches:
    """Every (query, indexed code) pair within the radius, as three parallel arrays.

    Sorted by query index, then id, then distance. A code stored twice (under the same or
    different ids) is reported once per stored row.
    """

    query_index: NDArray[np.int64]
    ids: NDArray[np.int64]
    distances: NDArray[np.int32]

    def __len__(self) -> int:
        return int(self.query_index.shape[0])

    def as_tuples(self) -> list[tuple[int, int, int]]:
        """The matches as ``(query_index, id, distance)`` tuples."""
        return list(
            zip(self.query_index.tolist(), self.ids.tolist(), self.distances.tolist(), strict=True)
        )

    @classmethod
    def empty(cls) -> Matches:
        """No matches."""
        return cls(
            np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32)
        )

    @classmethod
    def from_unsorted(
        cls,
        query_index: NDArray[np.integer],
        ids: NDArray[np.integer],
        distances: NDArray[np.integer],
    ) -> Matches:
        """Sort raw result arrays into the canonical order."""
        order = np.lexsort((distances, ids, query_index))
        return cls(
            np.asarray(query_index, dtype=np.int64)[order],
            np.asarray(ids, dtype=np.int64)[order],
            np.asarray(distances, dtype=np.int32)[order],
        )


class PdqIndexBase(ABC):
    """A set of PDQ codes with int64 ids that answers Hamming radius queries exactly.

    Implementations are registered by ``name``, which is written into saved manifests and
    therefore must never change once released.
    """

    name: ClassVar[str]

    @classmethod
    @abstractmethod
    def build(cls, codes: Codes, ids: Ids) -> Self:
        """Build an index over ``codes`` (``(N, 32)`` ``uint8``) labelled by ``ids``.

        Raises:
            InvalidHashError: ``codes`` has the wrong dtype or shape.
            InvalidInputError: ``ids`` does not match ``codes``.
        """

    @abstractmethod
    def add(self, codes: Codes, ids: Ids) -> None:
        """Add codes to the index, without rebuilding it.

        Raises:
            InvalidHashError: ``codes`` has the wrong dtype or shape.
            InvalidInputError: ``ids`` does not match ``codes``.
        """

    @abstractmethod
    def remove(self, ids: Ids) -> int:
        """Remove every code stored under one of ``ids``; unknown ids are ignored.

        Returns:
            The number of codes removed.
        """

    @abstractmethod
    def search(self, queries: Codes, radius: int) -> Matches:
        """Every stored code within Hamming distance ``radius`` (inclusive) of each query.

        Raises:
            InvalidHashError: ``queries`` has the wrong dtype or shape.
            InvalidInputError: ``radius`` is not an integer from 0 to 256.
        """

    @abstractmethod
    def save(self, directory: Path) -> None:
        """Write the index and its JSON manifest into ``directory`` (created if missing)."""

    @classmethod
    @abstractmethod
    def load(cls, directory: Path) -> Self:
        """Read an index written by :meth:`save`, verifying its manifest and checksums.

        Raises:
            IndexFileError: a file is missing or malformed.
            IndexChecksumError: a data file does not match its recorded digest.
            UnsupportedIndexVersionError: unknown format version, hash type or index name.
        """

    @abstractmethod
    def __len__(self) -> int:
        """Number of live (not removed) codes."""


class IndexType:
    """A registry entry naming one index implementation.

    Why a separate object: registries hold named instances, and an entry per implementation
    lets callers build or load an index by its persisted name without knowing its class.
    """

    name: ClassVar[str]
    index_class: ClassVar[type[PdqIndexBase]]

    def build(self, codes: Codes, ids: Ids) -> PdqIndexBase:
        """Build an index of this type (see :meth:`PdqIndexBase.build`)."""
        return self.index_class.build(codes, ids)

    def load(self, directory: Path) -> PdqIndexBase:
        """Load an index of this type (see :meth:`PdqIndexBase.load`)."""
        return self.index_class.load(directory)
