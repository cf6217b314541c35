"""How the multi-index splits a 256-bit code into substrings, and what a search will cost.

Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Exact Search in Hamming Space with
Multi-Index Hashing", 2014) cuts each code into ``m`` disjoint substrings and keeps one table
per substring. If two codes are within distance ``r = a*m + b`` (``0 <= b < m``), then by the
pigeonhole principle either one of the first ``b + 1`` substrings differs in at most ``a``
bits, or one of the other ``m - b - 1`` differs in at most ``a - 1`` bits (otherwise the
distance would be at least ``(b+1)(a+1) + (m-b-1)a = r + 1``). Probing every bucket within
those sub-radii therefore finds every true neighbour: the search is exact, not approximate.

A table need not key on its whole substring. Keying on a prefix of ``key_bits`` bits keeps
the guarantee (a prefix differs in no more bits than its substring) while bounding the
bucket directory to ``2**key_bits`` entries, so memory stays proportional to the number of
codes. :func:`make_plan` picks ``m`` and the key widths with a small cost model, fitted on
this project's benchmark machine, that balances bucket probes against candidate checks.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sentinela.matching.codes import PDQ_BITS

#: Nanoseconds per bucket probed, per candidate verified, and per code scanned exhaustively.
PROBE_NS = 45.0
CANDIDATE_NS = 60.0
SCAN_NS = 1.2
#: Widest bucket directory (``2**28`` offsets = 1 GiB per table).
MAX_KEY_BITS = 28
MIN_KEY_BITS = 4


@dataclass(frozen=True)
class Substring:
    """Bits ``[start, start + length)`` of a code; the table keys on the first ``key_bits``."""

    start: int
    length: int
    key_bits: int


@dataclass(frozen=True)
class Plan:
    """The substrings of a multi-index and the row count it was sized for."""

    substrings: tuple[Substring, ...]
    design_radius: int
    planned_rows: int

    def table_radii(self, radius: int) -> list[int]:
        """Sub-radius to probe in each table for a query ``radius`` (-1: skip the table)."""
        m = len(self.substrings)
        a, b = divmod(radius, m)
        return [a if t <= b else a - 1 for t in range(m)]

    def probes_per_query(self, radius: int) -> list[int]:
        """Buckets probed in each table for one query at ``radius``."""
        return [
            probe_count(s.key_bits, r) if r >= 0 else 0
            for s, r in zip(self.substrings, self.table_radii(radius), strict=True)
        ]

    def estimated_ns(self, radius: int, rows: int) -> float:
        """Estimated nanoseconds per query for a multi-index search at ``radius``."""
        total = 0.0
        for sub, probes in zip(self.substrings, self.probes_per_query(radius), strict=True):
            total += probes * (PROBE_NS + CANDIDATE_NS * rows / 2.0**sub.key_bits)
        return total

    def prefers_scan(self, radius: int, rows: int) -> bool:
        """Whether an exhaustive scan is cheaper than probing at this radius."""
        return self.estimated_ns(radius, rows) > SCAN_NS * rows

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON-able data for the index manifest."""
        return {
            "substrings": [[s.start, s.length, s.key_bits] for s in self.substrings],
            "design_radius": self.design_radius,
            "planned_rows": self.planned_rows,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """Rebuild a plan from :meth:`to_json` output.

        Raises:
            ValueError: the substrings do not partition the 256 bits, or a field is malformed.
        """
        subs = tuple(Substring(int(s), int(n), int(k)) for s, n, k in data["substrings"])
        plan = cls(subs, int(data["design_radius"]), int(data["planned_rows"]))
        plan.check()
        return plan

    def check(self) -> None:
        """Raise ``ValueError`` unless the substrings partition the 256 bits in order."""
        start = 0
        for sub in self.substrings:
            if sub.start != start or sub.length < 1 or not 1 <= sub.key_bits <= sub.length:
                raise ValueError(f"malformed substring {sub}")
            if sub.key_bits > min(32, MAX_KEY_BITS):
                raise ValueError(f"key of {sub.key_bits} bits is too wide")
            start += sub.length
        if start != PDQ_BITS:
            raise ValueError("substrings do not cover the 256 bits")


def probe_count(key_bits: int, radius: int) -> int:
    """Number of keys within Hamming distance ``radius`` of a ``key_bits``-bit key."""
    return sum(math.comb(key_bits, i) for i in range(min(radius, key_bits) + 1))


def split(m: int, key_cap: int) -> tuple[Substring, ...]:
    """Cut 256 bits into ``m`` nearly equal substrings, keyed on at most ``key_cap`` bits."""
    base, extra = divmod(PDQ_BITS, m)
    subs = []
    start = 0
    for t in range(m):
        length = base + (1 if t < extra else 0)
        subs.append(Substring(start, length, min(length, key_cap)))
        start += length
    return tuple(subs)


def make_plan(rows: int, design_radius: int = 31) -> Plan:
    """Choose the substrings that minimise the estimated search cost at ``design_radius``.

    The bucket directory of a table is capped at about two offsets per code so that the
    index stays within a few bytes per code per table.
    """
    rows = max(rows, 1)
    key_limit = max(MIN_KEY_BITS, min(MAX_KEY_BITS, int(math.log2(2 * rows))))
    best: Plan | None = None
    best_cost = math.inf
    for m in range(4, 33):
        for key_cap in range(MIN_KEY_BITS, min(key_limit, -(-PDQ_BITS // m)) + 1):
            plan = Plan(split(m, key_cap), design_radius, rows)
            cost = plan.estimated_ns(design_radius, rows)
            if cost < best_cost:
                best, best_cost = plan, cost
    if best is None:  # pragma: no cover - the loops always run
        raise ValueError("no plan")
    return best


@lru_cache(maxsize=64)
def probe_masks(key_bits: int, radius: int) -> NDArray[np.int64]:
    """Every ``key_bits``-bit XOR mask with at most ``radius`` bits set, read-only."""
    masks = [0]
    for weight in range(1, min(radius, key_bits) + 1):
        for bits in itertools.combinations(range(key_bits), weight):
            masks.append(sum(1 << b for b in bits))
    out = np.array(masks, dtype=np.int64)
    out.setflags(write=False)
    return out


def extract_keys(words: NDArray[np.uint64], start: int, nbits: int) -> NDArray[np.int64]:
    """Bits ``[start, start + nbits)`` of each code as an integer key.

    ``words`` is ``(N, 4)`` little-endian words; bit ``p`` of a code is bit ``p % 64`` of
    word ``p // 64``. ``nbits`` is at most 32.
    """
    word, offset = divmod(start, 64)
    first = words[:, word] >> np.uint64(offset)
    if offset + nbits <= 64:
        key = first & np.uint64((1 << nbits) - 1)
    else:
        low_bits = 64 - offset
        high = words[:, word + 1] & np.uint64((1 << (nbits - low_bits)) - 1)
        key = first | (high << np.uint64(low_bits))
    return key.astype(np.int64)
