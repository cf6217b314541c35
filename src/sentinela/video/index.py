"""vPDQ matching over a faiss index of frames.

Each indexed video's prepared frames (good quality, distinct hashes) go into one PDQ index
as rows labelled by a row number; an array maps each row to its video. A query's prepared
frames are searched in one batch for every row within the rule's distance, and the hits are
counted per video with array operations: the distinct query frames that hit a video give
its query share, the distinct rows hit give its index share (see :mod:`sentinela.video.rule`).

The frame index is one of :mod:`sentinela.matching`'s PDQ indexes, by registry name:
``pdq_brute`` (faiss ``IndexBinaryFlat``, the default: exact, and fast enough for the few
million frames of a national video set) or ``pdq_mih`` (multi-index hashing, for larger
sets). Both are exact, so the result never depends on the choice, which the contract test
checks against :class:`~sentinela.video.brute_index.BruteVideoIndex`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import ClassVar

import numpy as np

from sentinela.matching import build_index_registry
from sentinela.matching.base import PdqIndexBase
from sentinela.matching.codes import hex_to_codes
from sentinela.video.features import FrameHash, prepare_for_matching
from sentinela.video.index_base import VideoIndexBase, VideoIndexType, ranked
from sentinela.video.rule import MatchRule, VideoMatch, share

#: The PDQ index used for frames unless another is named.
DEFAULT_FRAME_INDEX = "pdq_brute"


class VideoIndex(VideoIndexBase):
    """vPDQ matching over a PDQ frame index (registered as ``vpdq_faiss``)."""

    name: ClassVar[str] = "vpdq_faiss"

    def __init__(self, rule: MatchRule | None = None, *, frame_index: str = DEFAULT_FRAME_INDEX):
        super().__init__(rule)
        self._frame_index_type = build_index_registry().get(frame_index)
        self._frames: PdqIndexBase | None = None
        self._row_video = array("q")
        self._rows: dict[int, range] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def frame_count(self) -> int:
        """Frames currently indexed, over all videos."""
        return len(self._frames) if self._frames is not None else 0

    def add(self, video_id: int, frames: Sequence[FrameHash]) -> int:
        """Add the video's prepared frames to the frame index."""
        video_id = self._check_new(video_id, self._rows)
        prepared = prepare_for_matching(frames, self.rule.quality)
        first = len(self._row_video)
        self._rows[video_id] = range(first, first + len(prepared))
        if not prepared:
            return 0
        codes = hex_to_codes([f.pdq for f in prepared])
        rows = np.arange(first, first + len(prepared), dtype=np.int64)
        if self._frames is None:
            self._frames = self._frame_index_type.build(codes, rows)
        else:
            self._frames.add(codes, rows)
        self._row_video.extend([video_id] * len(prepared))
        return len(prepared)

    def remove(self, video_ids: Iterable[int]) -> int:
        """Drop the videos' rows from the frame index."""
        gone = [self._rows.pop(v) for v in set(video_ids) if v in self._rows]
        rows = [np.arange(r.start, r.stop, dtype=np.int64) for r in gone if len(r)]
        if rows and self._frames is not None:
            self._frames.remove(np.concatenate(rows))
        return len(gone)

    def search(self, frames: Sequence[FrameHash]) -> list[VideoMatch]:
        """Every indexed video the query matches, with both shares."""
        query = prepare_for_matching(frames, self.rule.quality)
        if not query or self._frames is None or len(self._frames) == 0:
            return []
        hits = self._frames.search(hex_to_codes([f.pdq for f in query]), self.rule.distance)
        if len(hits) == 0:
            return []
        row_video = np.frombuffer(self._row_video, dtype=np.int64)
        videos = row_video[hits.ids]
        # Distinct (video, query frame) pairs, then distinct rows: counts per video.
        pairs = np.unique(np.stack((videos, hits.query_index)), axis=1)
        hit_videos, query_hits = np.unique(pairs[0], return_counts=True)
        rows = np.unique(hits.ids)
        _, index_hits = np.unique(row_video[rows], return_counts=True)
        found = []
        for video_id, q_count, t_count in zip(
            hit_videos.tolist(), query_hits.tolist(), index_hits.tolist(), strict=True
        ):
            q_share = share(q_count, len(query))
            t_share = share(t_count, len(self._rows[video_id]))
            if self.rule.accepts(q_share, t_share):
                found.append(VideoMatch(video_id, q_share, t_share, q_count, t_count))
        return ranked(found)


class FaissVideoIndexType(VideoIndexType):
    """Registry entry of :class:`VideoIndex`."""

    name: ClassVar[str] = VideoIndex.name
    index_class: ClassVar[type[VideoIndexBase]] = VideoIndex
