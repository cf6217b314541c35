"""What every video index offers: add fingerprints under ids, ask which ones a video matches.

Why two implementations: the faiss-backed :class:`~sentinela.video.index.VideoIndex` is an
optimisation, and an optimisation that silently misses a match is an evidential problem.
:class:`~sentinela.video.brute_index.BruteVideoIndex` answers the same question with the
naive reference of :mod:`sentinela.video.rule`, and ``tests/contracts/test_video_indexes.py``
proves the two return the same matches, shares included.

Why integer ids: like the PDQ indexes, a video index holds hashes and opaque ``int64``
labels only (a Media row, a known-hash row). The database is the source of truth; an index
is rebuilt from it.

``name`` is persisted (in job records and saved settings): never change one once released.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import ClassVar

from sentinela.errors import InvalidInputError
from sentinela.video.features import FrameHash
from sentinela.video.rule import MatchRule, VideoMatch


class VideoIndexBase(ABC):
    """Fingerprints by video id, searched by vPDQ's rule.

    Attributes:
        name: stable registry name; persisted, never renamed.
        rule: the thresholds applied when indexing (quality) and searching.
    """

    name: ClassVar[str]

    def __init__(self, rule: MatchRule | None = None) -> None:
        self.rule = rule or MatchRule()

    @abstractmethod
    def add(self, video_id: int, frames: Sequence[FrameHash]) -> int:
        """Index one video's fingerprint.

        Frames below the rule's quality and repeated hashes are dropped first; a video left
        with no frame is remembered but never matches.

        Returns:
            The number of distinct frames indexed.

        Raises:
            InvalidInputError: ``video_id`` is already indexed.
        """

    @abstractmethod
    def remove(self, video_ids: Iterable[int]) -> int:
        """Forget these videos; unknown ids are ignored.

        Returns:
            The number of videos removed.
        """

    @abstractmethod
    def search(self, frames: Sequence[FrameHash]) -> list[VideoMatch]:
        """Every indexed video the query matches by the rule.

        Returns:
            The matches, best first: by query share, then index share, then id.
        """

    @abstractmethod
    def __len__(self) -> int:
        """Number of indexed videos."""

    def add_all(self, videos: Iterable[tuple[int, Sequence[FrameHash]]]) -> None:
        """Index several ``(video_id, frames)`` pairs."""
        for video_id, frames in videos:
            self.add(video_id, frames)

    def _check_new(self, video_id: int, known: Iterable[int]) -> int:
        if isinstance(video_id, bool) or not isinstance(video_id, int):
            raise InvalidInputError(f"video id must be an integer, not {video_id!r}")
        if not -(2**63) <= video_id < 2**63:
            raise InvalidInputError(f"video id {video_id} does not fit in int64")
        if video_id in known:
            raise InvalidInputError(f"video {video_id} is already indexed")
        return video_id


def ranked(matches: Iterable[VideoMatch]) -> list[VideoMatch]:
    """Matches best first: query share, then index share, descending; then video id."""
    return sorted(matches, key=lambda m: (-m.query_percent, -m.index_percent, m.video_id))


class VideoIndexType:
    """A registry entry naming one video index implementation.

    Why a separate object: registries hold named instances, and an entry per implementation
    lets a caller create an index by its persisted name without knowing its class.
    """

    name: ClassVar[str]
    index_class: ClassVar[type[VideoIndexBase]]

    def create(self, rule: MatchRule | None = None) -> VideoIndexBase:
        """A new, empty index of this type."""
        return self.index_class(rule)
