"""The bucket tables of the multi-index, as flat numpy arrays.

Each table is a compressed bucket directory (CSR): ``perm`` lists row numbers grouped by
their substring key, and ``offsets[k]:offsets[k + 1]`` is the slice of ``perm`` holding key
``k``. Looking a bucket up is two array reads, with no hashing and no Python objects, and the
whole table costs four bytes per code plus four bytes per directory entry. A dict of lists
would cost well over a hundred bytes per code and could not be memory-mapped from disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from numpy.typing import NDArray

from sentinela.matching.layout import Plan, extract_keys, probe_masks

#: Rows whose keys are computed at once while building (bounds temporary memory).
BUILD_CHUNK = 1 << 21
#: Probes expanded at once while searching (bounds temporary memory).
PROBE_CHUNK = 1 << 22

WordSource = Callable[[int, int], NDArray[np.uint64]]


def table_keys(words: WordSource, rows: int, start: int, key_bits: int) -> NDArray[np.uint32]:
    """The key of every row for one table, computed in chunks of :data:`BUILD_CHUNK` rows."""
    keys = np.empty(rows, dtype=np.uint32)
    for lo in range(0, rows, BUILD_CHUNK):
        hi = min(rows, lo + BUILD_CHUNK)
        keys[lo:hi] = extract_keys(words(lo, hi), start, key_bits)
    return keys


class MihTables:
    """One bucket directory per substring of a :class:`~sentinela.matching.layout.Plan`."""

    def __init__(
        self,
        plan: Plan,
        offsets: list[NDArray[np.uint32]],
        perms: list[NDArray[np.uint32]],
    ) -> None:
        self.plan = plan
        self.offsets = offsets
        self.perms = perms

    @classmethod
    def build(cls, plan: Plan, words: WordSource, rows: int) -> MihTables:
        """Build every table over ``rows`` codes read through ``words(lo, hi)``."""
        offsets = []
        perms = []
        for sub in plan.substrings:
            keys = table_keys(words, rows, sub.start, sub.key_bits)
            perms.append(np.argsort(keys).astype(np.uint32))
            counts = np.bincount(keys, minlength=1 << sub.key_bits)
            offsets.append(_offsets_from_counts(counts))
            del keys
        return cls(plan, offsets, perms)

    def nbytes(self) -> int:
        """Bytes held by the tables."""
        return sum(a.nbytes for a in self.offsets) + sum(a.nbytes for a in self.perms)

    def insert(self, words: NDArray[np.uint64], first_row: int) -> None:
        """Add ``len(words)`` codes numbered from ``first_row`` without re-sorting the rest.

        New rows go to the end of their bucket, so every bucket stays in row order.
        """
        new_rows = np.arange(first_row, first_row + len(words), dtype=np.uint32)
        for t, sub in enumerate(self.plan.substrings):
            keys = extract_keys(words, sub.start, sub.key_bits)
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            offsets = self.offsets[t]
            positions = offsets[sorted_keys + 1].astype(np.intp)
            self.perms[t] = np.insert(self.perms[t], positions, new_rows[order])
            counts = np.bincount(sorted_keys, minlength=len(offsets) - 1)
            grown = offsets.astype(np.uint64)
            grown[1:] += np.cumsum(counts, dtype=np.uint64)
            self.offsets[t] = grown.astype(np.uint32)

    def candidates(
        self, query_words: NDArray[np.uint64], radius: int
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield ``(query_index, row)`` pairs of every row sharing a probed bucket.

        A row may be yielded more than once (once per table it collides in); a row within
        ``radius`` of a query is always yielded at least once.
        """
        radii = self.plan.table_radii(radius)
        for t, (sub, sub_radius) in enumerate(zip(self.plan.substrings, radii, strict=True)):
            if sub_radius < 0:
                continue
            masks = probe_masks(sub.key_bits, sub_radius)
            keys = extract_keys(query_words, sub.start, sub.key_bits)
            step = max(1, PROBE_CHUNK // len(masks))
            for lo in range(0, len(keys), step):
                found = self._probe(t, keys[lo : lo + step], masks)
                if found is not None:
                    query_index, rows = found
                    query_index += lo
                    yield query_index, rows

    def _probe(
        self, t: int, keys: NDArray[np.int64], masks: NDArray[np.int64]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]] | None:
        offsets = self.offsets[t]
        probe_keys = (keys[:, None] ^ masks[None, :]).ravel()
        starts = np.take(offsets, probe_keys).astype(np.intp)
        probe_keys += 1
        sizes = np.take(offsets, probe_keys).astype(np.intp)
        sizes -= starts
        hit = np.flatnonzero(sizes)
        if hit.size == 0:
            return None
        starts = np.take(starts, hit)
        sizes = np.take(sizes, hit)
        total = int(sizes.sum())
        ends = np.cumsum(sizes)
        positions = np.repeat(starts - (ends - sizes), sizes)
        positions += np.arange(total, dtype=np.intp)
        rows = np.take(self.perms[t], positions).astype(np.intp)
        queries = np.repeat(hit // len(masks), sizes)
        return queries, rows


def _offsets_from_counts(counts: NDArray[np.int64]) -> NDArray[np.uint32]:
    offsets = np.zeros(len(counts) + 1, dtype=np.uint64)
    np.cumsum(counts, dtype=np.uint64, out=offsets[1:])
    return offsets.astype(np.uint32)
