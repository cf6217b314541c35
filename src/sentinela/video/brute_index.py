"""The brute-force reference video index: every query frame against every indexed frame.

It is slow by design (pure Python, :func:`~sentinela.video.rule.compare_prepared` per
video) and simple enough to trust; :class:`~sentinela.video.index.VideoIndex` is tested
against it, match for match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from sentinela.video.features import FrameHash, prepare_for_matching
from sentinela.video.index_base import VideoIndexBase, VideoIndexType, ranked
from sentinela.video.rule import MatchRule, VideoMatch, compare_prepared, share


class BruteVideoIndex(VideoIndexBase):
    """Exhaustive vPDQ matching (registered as ``vpdq_brute``)."""

    name: ClassVar[str] = "vpdq_brute"

    def __init__(self, rule: MatchRule | None = None) -> None:
        super().__init__(rule)
        self._videos: dict[int, list[FrameHash]] = {}

    def __len__(self) -> int:
        return len(self._videos)

    def add(self, video_id: int, frames: Sequence[FrameHash]) -> int:
        """Keep the video's prepared frames."""
        video_id = self._check_new(video_id, self._videos)
        prepared = prepare_for_matching(frames, self.rule.quality)
        self._videos[video_id] = prepared
        return len(prepared)

    def remove(self, video_ids: Iterable[int]) -> int:
        """Drop the videos."""
        return sum(self._videos.pop(v, None) is not None for v in set(video_ids))

    def search(self, frames: Sequence[FrameHash]) -> list[VideoMatch]:
        """Compare the query with every indexed video."""
        query = prepare_for_matching(frames, self.rule.quality)
        found = []
        for video_id, target in self._videos.items():
            query_hits, target_hits = compare_prepared(query, target, self.rule.distance)
            if query_hits == 0:
                continue
            q_share, t_share = share(query_hits, len(query)), share(target_hits, len(target))
            if self.rule.accepts(q_share, t_share):
                found.append(VideoMatch(video_id, q_share, t_share, query_hits, target_hits))
        return ranked(found)


class BruteVideoIndexType(VideoIndexType):
    """Registry entry of :class:`BruteVideoIndex`."""

    name: ClassVar[str] = BruteVideoIndex.name
    index_class: ClassVar[type[VideoIndexBase]] = BruteVideoIndex
