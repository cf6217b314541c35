"""Seeded, benign bench data: random 256-bit codes, clustered near-duplicates, queries.

Nothing here is derived from any image: the codes are random bits, so the sets stand for
PDQ hash sets only in their shape and statistics. Every process regenerates the same data
from the same seed, so the workers need not pass gigabytes between them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

CHUNK = 1 << 20
CLUSTER_SIZE = 100
CLUSTER_FLIPS = 24
QUERY_FLIPS = 31
NEAR_FRACTION = 0.1


def flip(rng: np.random.Generator, codes: NDArray[np.uint8], max_flips: int) -> None:
    """Flip 0..max_flips random bits of each row in place (a repeated position flips back)."""
    rows = len(codes)
    counts = rng.integers(0, max_flips + 1, size=rows)
    positions = rng.integers(0, 256, size=(rows, max_flips))
    used = np.arange(max_flips)[None, :] < counts[:, None]
    row_index = np.broadcast_to(np.arange(rows)[:, None], positions.shape)[used]
    pos = positions[used]
    flat = codes.reshape(-1)
    np.bitwise_xor.at(flat, row_index * 32 + pos // 8, (1 << (pos % 8)).astype(np.uint8))


def known_set(size: int, dataset: str, seed: int = 1) -> NDArray[np.uint8]:
    """``size`` codes: uniformly random, or clusters of near-duplicates of random centres."""
    rng = np.random.default_rng(seed)
    codes = np.empty((size, 32), dtype=np.uint8)
    for lo in range(0, size, CHUNK):
        hi = min(size, lo + CHUNK)
        if dataset == "random":
            codes[lo:hi] = rng.integers(0, 256, size=(hi - lo, 32), dtype=np.uint8)
        elif dataset == "clustered":
            centres = rng.integers(0, 256, size=(-(-(hi - lo) // CLUSTER_SIZE), 32), dtype=np.uint8)
            part = np.repeat(centres, CLUSTER_SIZE, axis=0)[: hi - lo]
            flip(rng, part, CLUSTER_FLIPS)
            codes[lo:hi] = part
        else:
            raise ValueError(f"unknown dataset {dataset!r}")
    return codes


def queries(known: NDArray[np.uint8], count: int, seed: int = 2) -> NDArray[np.uint8]:
    """``count`` queries: 10% known codes with 0..31 bits flipped, the rest random."""
    rng = np.random.default_rng(seed)
    out = rng.integers(0, 256, size=(count, 32), dtype=np.uint8)
    near = int(count * NEAR_FRACTION)
    out[:near] = known[rng.integers(0, len(known), size=near)]
    flip(rng, out[:near], QUERY_FLIPS)
    return out[rng.permutation(count)]
