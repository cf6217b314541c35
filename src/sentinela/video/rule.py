"""vPDQ's matching rule, and its naive reference for two fingerprints.

Two videos match when enough of the query's frames have a near twin in the other video.
Both fingerprints are first reduced to their distinct hashes of good quality
(:func:`~sentinela.video.features.prepare_for_matching`). A frame matches when some frame
of the other video lies within :attr:`MatchRule.distance` bits (inclusive). Two shares
follow: the percentage of query frames that match (``query_percent``), and the percentage
of the other video's frames that match (``index_percent``). A video is a match when both
reach the rule's thresholds. The defaults are python-threatexchange's (``vpdq_util.py``):
distance 31, quality 50, 80 % of the query, any share of the indexed video, which finds a
clip inside a longer known video.

Meta's C++ tool ``match-hashes-brute`` counts distances strictly below its tolerance and
does not drop duplicate hashes; ``match-hashes-brute q t 32 50`` is the same distance rule.

:func:`compare_videos` is the reference: a plain double loop over the frames, simple enough
to trust. The indexes in :mod:`sentinela.video.index` must return exactly what it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sentinela.errors import InvalidInputError
from sentinela.video.features import VPDQ_QUALITY_THRESHOLD, FrameHash, prepare_for_matching

#: Largest Hamming distance at which two frames match (python-threatexchange's).
VPDQ_DISTANCE_THRESHOLD: Final = 31
#: Share of query frames that must match, in percent.
VPDQ_QUERY_MATCH_PERCENT: Final = 80.0
#: Share of the indexed video's frames that must match, in percent.
VPDQ_INDEX_MATCH_PERCENT: Final = 0.0


@dataclass(frozen=True, slots=True)
class MatchRule:
    """The thresholds of vPDQ matching (see the module docstring).

    Attributes:
        distance: largest frame Hamming distance that matches (inclusive), 0-256.
        quality: lowest PDQ quality of a frame taken into account, 0-100.
        query_percent: least share of query frames matched, 0-100.
        index_percent: least share of the indexed video's frames matched, 0-100.
    """

    distance: int = VPDQ_DISTANCE_THRESHOLD
    quality: int = VPDQ_QUALITY_THRESHOLD
    query_percent: float = VPDQ_QUERY_MATCH_PERCENT
    index_percent: float = VPDQ_INDEX_MATCH_PERCENT

    def __post_init__(self) -> None:
        if not 0 <= self.distance <= 256 or not 0 <= self.quality <= 100:
            raise InvalidInputError("match distance must be 0-256 and quality 0-100")
        if not 0 <= self.query_percent <= 100 or not 0 <= self.index_percent <= 100:
            raise InvalidInputError("match percentages must be 0-100")

    def accepts(self, query_percent: float, index_percent: float) -> bool:
        """Whether two shares make a match."""
        return query_percent >= self.query_percent and index_percent >= self.index_percent


@dataclass(frozen=True, slots=True)
class VideoMatch:
    """How far a query video matches one indexed video.

    Attributes:
        video_id: the indexed video's id (opaque to the index; a database row, say).
        query_percent: share of the query's distinct good frames that match, in percent.
        index_percent: share of the indexed video's distinct good frames that match.
        query_frames: how many query frames match.
        index_frames: how many of the indexed video's frames match.
    """

    video_id: int
    query_percent: float
    index_percent: float
    query_frames: int
    index_frames: int


def share(count: int, total: int) -> float:
    """``count`` as a percentage of ``total``, computed one way everywhere (0 when empty)."""
    return count * 100.0 / total if total else 0.0


def hamming(a: str, b: str) -> int:
    """Hamming distance of two PDQ hex strings (the naive reference)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def compare_prepared(
    query: Sequence[FrameHash], target: Sequence[FrameHash], distance: int
) -> tuple[int, int]:
    """Frames of ``query`` with a twin in ``target``, and of ``target`` with one in ``query``.

    Both lists must already be prepared (:func:`prepare_for_matching`).
    """
    near = [[hamming(q.pdq, t.pdq) <= distance for t in target] for q in query]
    query_hits = sum(any(row) for row in near)
    target_hits = sum(any(row[j] for row in near) for j in range(len(target)))
    return query_hits, target_hits


def compare_videos(
    query: Sequence[FrameHash],
    target: Sequence[FrameHash],
    rule: MatchRule | None = None,
    *,
    target_id: int = 0,
) -> VideoMatch | None:
    """Match two fingerprints by vPDQ's rule, naively.

    Args:
        query: the query video's frames.
        target: the other video's frames.
        rule: thresholds; vPDQ's defaults when None.
        target_id: the ``video_id`` put in the result.

    Returns:
        The shares when at least one frame matches and the rule accepts them, else None.
    """
    rule = rule or MatchRule()
    q = prepare_for_matching(query, rule.quality)
    t = prepare_for_matching(target, rule.quality)
    query_hits, target_hits = compare_prepared(q, t, rule.distance)
    if query_hits == 0:
        return None
    match = VideoMatch(
        target_id, share(query_hits, len(q)), share(target_hits, len(t)), query_hits, target_hits
    )
    return match if rule.accepts(match.query_percent, match.index_percent) else None
