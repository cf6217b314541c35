"""Codes kept in a faiss ``IndexBinaryFlat`` and searched exhaustively.

This is both the brute-force reference index and the small write buffer of the
multi-index: appending one code to a flat index is a constant-time copy, and scanning a few
thousand codes is cheaper than touching every bucket table.

faiss's ``range_search`` keeps distances strictly below its radius, so an inclusive radius
``r`` is passed as ``r + 1``.
"""

from __future__ import annotations

import faiss
import numpy as np
from numpy.typing import NDArray

from sentinela.matching.codes import PDQ_BITS, PDQ_BYTES, Codes, Ids


class FlatCodes:
    """An append-only list of codes and ids with exhaustive radius search and removal."""

    def __init__(self) -> None:
        self._flat = faiss.IndexBinaryFlat(PDQ_BITS)
        self._ids = np.empty(16, dtype=np.int64)

    @classmethod
    def from_faiss(cls, flat: faiss.IndexBinaryFlat, ids: Ids) -> FlatCodes:
        """Wrap an existing faiss flat index and its ids (same length, checked by caller)."""
        store = cls()
        store._flat = flat
        store._ids = np.array(ids, dtype=np.int64)
        return store

    @property
    def faiss_index(self) -> faiss.IndexBinaryFlat:
        """The underlying faiss index (for writing with ``faiss.write_index_binary``)."""
        return self._flat

    def __len__(self) -> int:
        return int(self._flat.ntotal)

    def ids(self) -> Ids:
        """The ids, in insertion order (a read-only view)."""
        view = self._ids[: len(self)]
        view.flags.writeable = False
        return view

    def codes(self) -> Codes:
        """A copy of the codes, in insertion order."""
        if len(self) == 0:
            return np.empty((0, PDQ_BYTES), dtype=np.uint8)
        codes: Codes = self._flat.reconstruct_n(0, len(self))
        return codes

    def nbytes(self) -> int:
        """Bytes held by codes and ids."""
        return len(self) * PDQ_BYTES + self._ids.nbytes

    def add(self, codes: Codes, ids: Ids) -> None:
        """Append validated codes and ids."""
        n = len(self)
        need = n + len(ids)
        if need > len(self._ids):
            grown = np.empty(max(need, 2 * len(self._ids)), dtype=np.int64)
            grown[:n] = self._ids[:n]
            self._ids = grown
        self._ids[n:need] = ids
        self._flat.add(codes)

    def remove(self, ids: Ids) -> int:
        """Drop every code stored under one of ``ids``; return how many were dropped."""
        current = self._ids[: len(self)]
        gone = np.isin(current, ids)
        removed = int(gone.sum())
        if removed:
            keep = ~gone
            codes = self.codes()[keep]
            kept_ids = current[keep].copy()
            self._flat = faiss.IndexBinaryFlat(PDQ_BITS)
            self._ids = np.empty(max(16, len(kept_ids)), dtype=np.int64)
            self.add(codes, kept_ids)
        return removed

    def search(
        self, queries: Codes, radius: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int32]]:
        """``(query_index, id, distance)`` arrays of every code within ``radius`` inclusive."""
        if len(self) == 0 or len(queries) == 0:
            return (
                np.empty(0, dtype=np.int64),
                np.empty(0, dtype=np.int64),
                np.empty(0, dtype=np.int32),
            )
        limits, distances, labels = self._flat.range_search(queries, radius + 1)
        query_index = np.repeat(
            np.arange(len(queries), dtype=np.int64), np.diff(limits).astype(np.int64)
        )
        return query_index, self._ids[labels], distances.astype(np.int32)
