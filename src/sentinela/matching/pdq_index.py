"""Exact PDQ radius search by multi-index hashing, in numpy.

Why not faiss's ``IndexBinaryMultiHash`` (what python-threatexchange's ``PDQIndex`` and so
Meta's HMA use): it keeps one ``std::unordered_map`` of ``std::vector`` per substring, so
every code costs well over a hundred bytes before the Python wrapper adds its own maps, and
adding one hash rebuilds the wrapper's reverse map. Here each substring table is two flat
arrays (see :mod:`sentinela.matching.tables`), sized by :func:`~.layout.make_plan` so the
bucket probes and the candidate checks cost about the same; queries run as whole-batch
array operations; new codes land in a small flat buffer that is folded into the tables
in place when it fills; removals are tombstones.

Candidates are checked on the first 128 bits before the second half is read, so most
random collisions cost one 16-byte read. Results are exact: the pigeonhole argument in
:mod:`~.layout` guarantees every code within the radius collides in some probed bucket,
and every reported distance is the full 256-bit Hamming distance.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar, Self

import faiss
import numpy as np
from numpy.typing import NDArray

from sentinela.matching import persist
from sentinela.matching.base import IndexType, Matches, PdqIndexBase
from sentinela.matching.codes import (
    PDQ_BITS,
    PDQ_BYTES,
    Codes,
    Ids,
    check_codes,
    check_ids,
    check_radius,
    code_words,
)
from sentinela.matching.errors import IndexFileError
from sentinela.matching.flat import FlatCodes
from sentinela.matching.layout import Plan, make_plan
from sentinela.matching.tables import MihTables

Words = NDArray[np.uint64]
#: Most worker threads one search uses, and fewest queries worth a thread.
MAX_THREADS = 8
MIN_QUERIES_PER_THREAD = 256
#: Rows copied at once into the faiss scanner used when a radius is too wide for the tables.
SCAN_CHUNK = 1 << 20


class PdqIndex(PdqIndexBase):
    """Multi-index hashing over PDQ codes (registered as ``pdq_mih``)."""

    name: ClassVar[str] = "pdq_mih"

    def __init__(
        self,
        plan: Plan,
        head: Words,
        tail: Words,
        ids: Ids,
        alive: NDArray[np.bool_],
        tables: MihTables,
        *,
        delta_limit: int = 4096,
    ) -> None:
        self._plan = plan
        self._head = head
        self._tail = tail
        self._ids = ids
        self._alive = alive
        self._tables = tables
        self._live_main = int(alive.sum())
        self._delta = FlatCodes()
        self._delta_limit = delta_limit
        self._id_order: NDArray[np.intp] | None = None
        #: Worker threads a large search is split across.
        self.threads = max(1, min(MAX_THREADS, os.cpu_count() or 1))

    @classmethod
    def build(
        cls,
        codes: Codes,
        ids: Ids,
        *,
        design_radius: int = 31,
        delta_limit: int = 4096,
        plan: Plan | None = None,
    ) -> Self:
        """Build the index.

        Args:
            codes: ``(N, 32)`` ``uint8`` PDQ codes.
            ids: ``(N,)`` integer labels.
            design_radius: the radius the tables are tuned for (any radius stays exact).
            delta_limit: buffered adds folded into the tables at once.
            plan: a substring layout to use instead of :func:`~.layout.make_plan`'s.
        """
        codes = check_codes(codes)
        ids = check_ids(ids, len(codes))
        if len(codes) >= 2**32:
            raise IndexFileError("a PDQ index holds at most 2**32 - 1 codes")
        words = code_words(codes)
        head = np.ascontiguousarray(words[:, :2])
        tail = np.ascontiguousarray(words[:, 2:])
        if plan is None:
            plan = make_plan(len(codes), check_radius(design_radius))
        plan.check()
        tables = MihTables.build(plan, _word_source(head, tail), len(codes))
        alive = np.ones(len(codes), dtype=bool)
        return cls(plan, head, tail, ids.copy(), alive, tables, delta_limit=delta_limit)

    @property
    def plan(self) -> Plan:
        """The substring layout in use."""
        return self._plan

    def __len__(self) -> int:
        return self._live_main + len(self._delta)

    def nbytes(self) -> int:
        """Bytes held by the index's arrays (codes, ids, tombstones, tables, buffer)."""
        arrays = (self._head, self._tail, self._ids, self._alive)
        own = sum(a.nbytes for a in arrays) + self._tables.nbytes() + self._delta.nbytes()
        return own + (self._id_order.nbytes if self._id_order is not None else 0)

    def add(self, codes: Codes, ids: Ids) -> None:
        """Append to the write buffer; fold it into the tables once it holds ``delta_limit``."""
        codes = check_codes(codes)
        self._delta.add(codes, check_ids(ids, len(codes)))
        if len(self._delta) >= self._delta_limit:
            self.flush()

    def flush(self) -> None:
        """Fold the write buffer into the tables (re-planning if the index has grown 4x)."""
        taken = self._take_delta()
        if taken is None:
            return
        rows = len(self._ids)
        if rows > 4 * self._plan.planned_rows or rows - self._live_main > rows // 2:
            self._rebuild()
        else:
            self._tables.insert(*taken)

    def compact(self) -> None:
        """Drop tombstoned rows and rebuild the tables with a plan sized for the live rows."""
        self._take_delta()
        self._rebuild()

    def _take_delta(self) -> tuple[Words, int] | None:
        """Move the buffered codes into the row arrays (the tables are not updated)."""
        if len(self._delta) == 0:
            return None
        words = code_words(self._delta.codes())
        new_ids = self._delta.ids().copy()
        first = len(self._ids)
        self._head = np.concatenate((self._head, words[:, :2]))
        self._tail = np.concatenate((self._tail, words[:, 2:]))
        self._ids = np.concatenate((self._ids, new_ids))
        self._alive = np.concatenate((self._alive, np.ones(len(new_ids), dtype=bool)))
        self._live_main += len(new_ids)
        self._delta = FlatCodes()
        self._id_order = None
        return words, first

    def _rebuild(self) -> None:
        keep = self._alive
        self._head = np.ascontiguousarray(self._head[keep])
        self._tail = np.ascontiguousarray(self._tail[keep])
        self._ids = np.ascontiguousarray(self._ids[keep])
        self._alive = np.ones(len(self._ids), dtype=bool)
        self._live_main = len(self._ids)
        self._id_order = None
        self._plan = make_plan(len(self._ids), self._plan.design_radius)
        self._tables = MihTables.build(
            self._plan, _word_source(self._head, self._tail), len(self._ids)
        )

    def remove(self, ids: Ids) -> int:
        """Tombstone every row stored under one of ``ids``; return how many were removed."""
        wanted = np.unique(check_ids(ids, len(ids)))
        removed = self._delta.remove(wanted)
        if self._id_order is None:
            self._id_order = np.argsort(self._ids, kind="stable")
        sorted_ids = self._ids[self._id_order]
        lo = np.searchsorted(sorted_ids, wanted, side="left")
        hi = np.searchsorted(sorted_ids, wanted, side="right")
        sizes = hi - lo
        if sizes.sum():
            ends = np.cumsum(sizes)
            positions = np.repeat(lo - (ends - sizes), sizes) + np.arange(int(ends[-1]))
            rows = self._id_order[positions]
            rows = rows[self._alive[rows]]
            self._alive[rows] = False
            self._live_main -= len(rows)
            removed += len(rows)
        return removed

    def search(self, queries: Codes, radius: int) -> Matches:
        """Every live code within ``radius`` (inclusive) of each query, exactly.

        Large batches are split across ``threads`` worker threads; numpy releases the GIL
        in the array operations, so the work runs in parallel.
        """
        queries = check_codes(queries)
        radius = check_radius(radius)
        if len(self._ids) == 0 or len(queries) == 0:
            query_index, rows, distances = _empty_hits()
        elif self._plan.prefers_scan(radius, len(self._ids)):
            query_index, rows, distances = self._scan(queries, radius)
        else:
            query_index, rows, distances = self._probe_parallel(code_words(queries), radius)
        keep = self._alive[rows]
        d_query, d_ids, d_dist = self._delta.search(queries, radius)
        return Matches.from_unsorted(
            np.concatenate((query_index[keep], d_query)),
            np.concatenate((self._ids[rows[keep]], d_ids)),
            np.concatenate((distances[keep], d_dist)),
        )

    def _probe_parallel(self, query_words: Words, radius: int) -> tuple[Any, Any, Any]:
        workers = min(self.threads, len(query_words) // MIN_QUERIES_PER_THREAD)
        if workers <= 1:
            return self._probe(query_words, radius)
        bounds = np.linspace(0, len(query_words), workers + 1).astype(int)
        slices = [slice(lo, hi) for lo, hi in itertools.pairwise(bounds.tolist())]
        with ThreadPoolExecutor(workers, thread_name_prefix="pdq-search") as pool:
            parts = list(pool.map(lambda part: self._probe(query_words[part], radius), slices))
        return (
            np.concatenate([q + part.start for (q, _, _), part in zip(parts, slices, strict=True)]),
            np.concatenate([rows for _, rows, _ in parts]),
            np.concatenate([d for _, _, d in parts]),
        )

    def _probe(self, query_words: Words, radius: int) -> tuple[Any, Any, Any]:
        q_head = np.ascontiguousarray(query_words[:, :2])
        q_tail = np.ascontiguousarray(query_words[:, 2:])
        found_q, found_rows, found_d = [], [], []
        for query_index, rows in self._tables.candidates(query_words, radius):
            x = np.take(self._head, rows, axis=0)
            x ^= np.take(q_head, query_index, axis=0)
            counts = np.bitwise_count(x)
            near = np.flatnonzero(counts[:, 0] + counts[:, 1] <= radius)
            if near.size == 0:
                continue
            rows = rows[near]
            query_index = query_index[near]
            distances = counts[near].sum(axis=1, dtype=np.int32)
            y = np.take(self._tail, rows, axis=0) ^ np.take(q_tail, query_index, axis=0)
            distances += np.bitwise_count(y).sum(axis=1, dtype=np.int32)
            within = distances <= radius
            found_q.append(query_index[within])
            found_rows.append(rows[within])
            found_d.append(distances[within])
        if not found_q:
            return _empty_hits()
        # A code found through several tables is reported once.
        pair = np.concatenate(found_q).astype(np.int64) * len(self._ids)
        pair += np.concatenate(found_rows)
        pair, first = np.unique(pair, return_index=True)
        return pair // len(self._ids), pair % len(self._ids), np.concatenate(found_d)[first]

    def _scan(self, queries: Codes, radius: int) -> tuple[Any, Any, Any]:
        """Exhaustive faiss scan, for radii so wide that probing would cost more."""
        flat = faiss.IndexBinaryFlat(PDQ_BITS)
        for lo in range(0, len(self._ids), SCAN_CHUNK):
            part = np.hstack((self._head[lo : lo + SCAN_CHUNK], self._tail[lo : lo + SCAN_CHUNK]))
            flat.add(part.view(np.uint8))
        limits, distances, rows = flat.range_search(queries, radius + 1)
        sizes = np.diff(limits).astype(np.int64)
        query_index = np.repeat(np.arange(len(queries), dtype=np.int64), sizes)
        return query_index, rows.astype(np.intp), distances.astype(np.int32)

    def save(self, directory: Path) -> None:
        """Write ``.npy`` arrays and the manifest; the write buffer is folded in first."""
        self.flush()
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, NDArray[Any]] = {
            "head.npy": self._head,
            "tail.npy": self._tail,
            "ids.npy": self._ids,
            "alive.npy": self._alive,
        }
        for t in range(len(self._plan.substrings)):
            arrays[f"table{t:02d}_offsets.npy"] = self._tables.offsets[t]
            arrays[f"table{t:02d}_perm.npy"] = self._tables.perms[t]
        for name, array in arrays.items():
            persist.save_array(directory, name, array)
        parameters = {"plan": self._plan.to_json(), "rows": len(self._ids)}
        persist.write_manifest(
            directory, index=self.name, count=len(self), parameters=parameters, files=list(arrays)
        )

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> Self:
        """Read a saved index; with ``mmap`` the large arrays stay memory-mapped, read-only."""
        manifest = persist.read_manifest(directory, cls.name)
        try:
            plan = Plan.from_json(manifest["parameters"]["plan"])
            rows = int(manifest["parameters"]["rows"])
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFileError(f"{directory}: malformed index parameters: {exc}") from None

        def array(name: str, dtype: type[np.generic], shape: tuple[int | None, ...]) -> Any:
            return persist.load_array(directory, manifest, name, dtype, shape, mmap=mmap)

        head = array("head.npy", np.uint64, (rows, 2))
        tail = array("tail.npy", np.uint64, (rows, 2))
        ids = array("ids.npy", np.int64, (rows,))
        alive = np.array(array("alive.npy", np.bool_, (rows,)))
        offsets, perms = [], []
        for t, sub in enumerate(plan.substrings):
            off = array(f"table{t:02d}_offsets.npy", np.uint32, ((1 << sub.key_bits) + 1,))
            if rows and int(off[-1]) != rows:
                raise IndexFileError(f"{directory}: table {t} does not cover {rows} rows")
            offsets.append(off)
            perms.append(array(f"table{t:02d}_perm.npy", np.uint32, (rows,)))
        index = cls(plan, head, tail, ids, alive, MihTables(plan, offsets, perms))
        if len(index) != manifest["count"]:
            raise IndexFileError(f"{directory}: manifest count differs from live rows")
        return index


class PdqMihIndexType(IndexType):
    """Registry entry of :class:`PdqIndex`."""

    name: ClassVar[str] = PdqIndex.name
    index_class: ClassVar[type[PdqIndexBase]] = PdqIndex


def _word_source(head: Words, tail: Words) -> Any:
    def words(lo: int, hi: int) -> Words:
        return np.hstack((head[lo:hi], tail[lo:hi]))

    return words


def _empty_hits() -> tuple[Any, Any, Any]:
    return np.empty(0, np.int64), np.empty(0, np.intp), np.empty(0, np.int32)


__all__ = ["PDQ_BYTES", "PdqIndex", "PdqMihIndexType"]
