"""PDQ near-duplicate groups, computed on the server with numpy.

Why brute force: a review queue holds the *new* media of one case (known items are filtered
out first), typically thousands, and the all-pairs Hamming distance of a few thousand 256-bit
codes takes milliseconds with vectorised popcounts. The work is done in row blocks so memory
stays bounded (about ``BLOCK_CELLS`` distances at a time). For the national store's own
lookups the matching package's indexes are the tool; this module only groups one queue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from sentinela.matching.codes import PDQ_HEX_LEN, code_words, hex_to_codes

#: The usual PDQ match threshold (out of 256 bits).
DEFAULT_THRESHOLD = 31
BLOCK_CELLS = 4_000_000


def pdq_words(hexes: Sequence[str]) -> NDArray[np.uint64]:
    """PDQ hex strings as an ``(N, 4)`` array of 64-bit words."""
    if not hexes:
        return np.zeros((0, 4), dtype=np.uint64)
    return code_words(hex_to_codes(list(hexes)))


def distances(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> NDArray[np.int64]:
    """The ``(len(a), len(b))`` matrix of Hamming distances."""
    total = np.zeros((a.shape[0], b.shape[0]), dtype=np.int64)
    for w in range(a.shape[1]):
        total += np.bitwise_count(a[:, w][:, None] ^ b[:, w][None, :]).astype(np.int64)
    return total


def is_pdq(value: str | None) -> bool:
    """Whether ``value`` looks like a PDQ hex string (bad values are left ungrouped)."""
    if value is None or len(value) != PDQ_HEX_LEN:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def near(candidates: Sequence[tuple[int, str]], probes: Sequence[str], threshold: int) -> list[int]:
    """The ids of ``candidates`` whose PDQ is within ``threshold`` of any probe."""
    usable = [(i, h) for i, h in candidates if is_pdq(h)]
    probe_hexes = [h for h in probes if is_pdq(h)]
    if not usable or not probe_hexes:
        return []
    words = pdq_words([h for _, h in usable])
    hits = (distances(pdq_words(probe_hexes), words) <= threshold).any(axis=0)
    return [usable[k][0] for k in np.flatnonzero(hits)]


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def cluster(items: Sequence[tuple[int, str | None]], threshold: int) -> list[list[int]]:
    """Group ids whose PDQ hashes are within ``threshold`` of each other (single linkage).

    Items without a usable PDQ make groups of one. Each group is sorted; groups come in the
    order of their smallest id.

    Args:
        items: ``(id, pdq hex or None)`` pairs.
        threshold: the largest Hamming distance that still counts as a near-duplicate.
    """
    with_pdq = [(i, h) for i, h in items if h is not None and is_pdq(h)]
    n = len(with_pdq)
    parent = list(range(n))
    if n > 1:
        words = pdq_words([h for _, h in with_pdq])
        block = max(1, BLOCK_CELLS // n)
        for start in range(0, n, block):
            d = distances(words[start : start + block], words[start:])
            rows, cols = np.nonzero(np.triu(d <= threshold, k=1))
            cols += start
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                a, b = _find(parent, start + r), _find(parent, c)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for k, (media_id, _) in enumerate(with_pdq):
        groups.setdefault(_find(parent, k), []).append(media_id)
    seen = {i for i, _ in with_pdq}
    result = [sorted(g) for g in groups.values()]
    result += [[i] for i, _ in items if i not in seen]
    return sorted(result, key=lambda g: g[0])
