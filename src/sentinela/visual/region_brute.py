"""The brute-force reference for region search: every query keypoint against every image.

For each indexed image, each query descriptor is compared with all of that image's
descriptors and keeps its nearest one (lowest row on ties), exactly what an OpenCV
``BFMatcher(NORM_HAMMING)`` does per image pair. The matches then go through the same
one-to-one, candidate and RANSAC steps as the fast index (:mod:`.candidates`). It is slow
(linear in the number of descriptors, with a Python loop per image) and exists to prove the
fast index right: the tests and ``bench/region_search`` compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from sentinela.visual.candidates import MatchParams, RegionHit, verify_matches
from sentinela.visual.features import Features


def hamming(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> NDArray[np.int64]:
    """The ``(len(a), len(b))`` Hamming distances between two sets of 32-byte descriptors."""
    wa = np.ascontiguousarray(a).view(np.uint64)
    wb = np.ascontiguousarray(b).view(np.uint64)
    total = np.zeros((len(wa), len(wb)), dtype=np.int64)
    for w in range(wa.shape[1]):
        total += np.bitwise_count(wa[:, w][:, None] ^ wb[:, w][None, :]).astype(np.int64)
    return total


class BruteRegionMatcher:
    """Per-image nearest-neighbour matching over a list of images."""

    name = "orb_brute"

    def __init__(self) -> None:
        self._media: list[int] = []
        self._features: list[Features] = []

    @classmethod
    def build(cls, items: Iterable[tuple[int, Features]]) -> BruteRegionMatcher:
        """Hold the features of many images."""
        matcher = cls()
        for media_id, features in items:
            matcher._media.append(media_id)
            matcher._features.append(features)
        return matcher

    def __len__(self) -> int:
        return sum(len(f) for f in self._features)

    def search(self, query: Features, params: MatchParams | None = None) -> list[RegionHit]:
        """The images that contain the query region, verified, best first."""
        params = params or MatchParams()
        owners, xy, q_all, r_all, d_all = [], [], [], [], []
        offset = 0
        for media_id, features in zip(self._media, self._features, strict=True):
            n = len(features)
            owners.append(np.full(n, media_id, dtype=np.int64))
            xy.append(features.xy)
            if n and len(query):
                distances = hamming(query.descriptors, features.descriptors)
                nearest = np.argmin(distances, axis=1)
                q_all.append(np.arange(len(query), dtype=np.int64))
                r_all.append(nearest.astype(np.int64) + offset)
                d_all.append(distances[np.arange(len(query)), nearest])
            offset += n
        if not q_all:
            return []
        return verify_matches(
            query.xy,
            np.concatenate(owners),
            np.concatenate(xy),
            np.concatenate(q_all),
            np.concatenate(r_all),
            np.concatenate(d_all),
            params,
        )
