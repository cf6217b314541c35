"""Builders of random and clustered PDQ codes for the matching tests (benign random bits)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def random_codes(rng: np.random.Generator, n: int) -> NDArray[np.uint8]:
    """``n`` uniformly random 256-bit codes."""
    return rng.integers(0, 256, size=(n, 32), dtype=np.uint8)


def flip_bits(
    rng: np.random.Generator, codes: NDArray[np.uint8], max_flips: int
) -> NDArray[np.uint8]:
    """A copy of ``codes`` with 0 to ``max_flips`` distinct random bits flipped per row."""
    bits = np.unpackbits(codes, axis=1)
    counts = rng.integers(0, max_flips + 1, size=len(codes))
    for row, count in enumerate(counts):
        bits[row, rng.choice(256, size=int(count), replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def clustered_codes(
    rng: np.random.Generator, clusters: int, per_cluster: int, max_flips: int
) -> NDArray[np.uint8]:
    """Clusters of near-duplicates: random centres, each copied with 0..max_flips flips."""
    centres = random_codes(rng, clusters)
    return flip_bits(rng, np.repeat(centres, per_cluster, axis=0), max_flips)
