"""From descriptor matches to verified hits: shared by the fast index and the reference.

Both searchers produce raw ``(query keypoint, indexed keypoint row, distance)`` matches in
their own way; everything after that is here, so they differ only in how they find
neighbours. Matches are made one-to-one per image (each query keypoint and each indexed
keypoint used once, closest first), images with too few matches are dropped, the best are
verified geometrically (:mod:`.geometry`), and those with enough inliers are hits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sentinela.visual.geometry import Verification, inliers


@dataclass(frozen=True)
class MatchParams:
    """How region matches are found and accepted.

    Attributes:
        max_distance: largest Hamming distance (of 256 bits) for a descriptor match.
        neighbours: nearest indexed descriptors looked up per query keypoint (fast path).
        min_matches: fewest one-to-one matches an image needs to be verified.
        max_candidates: most images verified per query, best first.
        min_inliers: fewest geometrically consistent matches for a hit.
        verification: RANSAC settings.
    """

    max_distance: int = 50
    neighbours: int = 128
    min_matches: int = 8
    max_candidates: int = 500
    min_inliers: int = 12
    verification: Verification = field(default_factory=Verification)


@dataclass(frozen=True)
class RegionHit:
    """An indexed image that contains the region."""

    media_id: int
    matches: int
    inliers: int


def one_to_one(
    query_index: NDArray[np.int64], rows: NDArray[np.int64], distances: NDArray[np.int64]
) -> NDArray[np.intp]:
    """Positions of the matches kept when each query keypoint and each row is used once.

    Closest matches win; ties go to the lower query keypoint, then the lower row.
    """
    order = np.lexsort((rows, query_index, distances))
    _, first_q = np.unique(query_index[order], return_index=True)
    kept = np.sort(order[first_q])
    order2 = kept[np.lexsort((query_index[kept], rows[kept], distances[kept]))]
    _, first_r = np.unique(rows[order2], return_index=True)
    result: NDArray[np.intp] = np.sort(order2[first_r])
    return result


def verify_matches(
    query_xy: NDArray[np.float32],
    owners: NDArray[np.int64],
    indexed_xy: NDArray[np.float32],
    query_index: NDArray[np.int64],
    rows: NDArray[np.int64],
    distances: NDArray[np.int64],
    params: MatchParams,
) -> list[RegionHit]:
    """Turn raw matches into verified hits, best first.

    Args:
        query_xy: ``(M, 2)`` query keypoint positions.
        owners: media id of every indexed row.
        indexed_xy: ``(R, 2)`` position of every indexed row.
        query_index: query keypoint of each match.
        rows: indexed row of each match.
        distances: Hamming distance of each match.
        params: thresholds.
    """
    near = distances <= params.max_distance
    query_index, rows, distances = query_index[near], rows[near], distances[near]
    media = owners[rows]
    needed = max(params.min_matches, params.min_inliers)  # inliers are a subset of matches
    candidates: list[tuple[int, int, NDArray[np.intp]]] = []
    order = np.argsort(media, kind="stable")
    uniq, starts = np.unique(media[order], return_index=True)
    for media_id, group in zip(uniq.tolist(), np.split(order, starts[1:]), strict=True):
        if len(group) < needed:
            continue
        kept = group[one_to_one(query_index[group], rows[group], distances[group])]
        if len(kept) >= needed:
            candidates.append((int(media_id), len(kept), kept))
    candidates.sort(key=lambda c: (-c[1], c[0]))
    hits = []
    for media_id, count, kept in candidates[: params.max_candidates]:
        found = inliers(query_xy[query_index[kept]], indexed_xy[rows[kept]], params.verification)
        if found >= params.min_inliers:
            hits.append(RegionHit(media_id, count, found))
    hits.sort(key=lambda h: (-h.inliers, h.media_id))
    return hits
