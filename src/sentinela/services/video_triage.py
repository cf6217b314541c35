"""Matching videos against the known videos of live hash sets, by vPDQ's rule.

A known video is a ``vpdq`` entry of a set (see :mod:`sentinela.db.video`). Every live
known video of a live set is put in one :class:`~sentinela.video.VideoIndex`, built once per
:class:`VideoMatcher` (one triage run), and each video item with a usable fingerprint is
searched in it. The rule is vPDQ's own (:class:`~sentinela.video.MatchRule`: frames within
distance 31 at quality 50 or more, 80 % of the item's frames matched), the same for every set:
the sets' PDQ thresholds apply to images. The evidence is the pair of shares, which the
triage stores on the match row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import KnownHash
from sentinela.db.video import KnownVideo, VideoFingerprint
from sentinela.errors import FormatError, InvalidHashError
from sentinela.video import FrameHash, MatchRule, VideoIndex, read_vpdq

VPDQ = "vpdq"
#: Ids bound in one ``IN (...)`` list.
_CHUNK = 500


@dataclass(frozen=True)
class VideoHit:
    """One item matching one known video, with vPDQ's shares in percent."""

    media_id: int
    known_hash_id: int
    query_percent: float
    index_percent: float


def parse_vpdq(text: str | None) -> list[FrameHash] | None:
    """The frames of a stored vPDQ text, or None when it is empty or unreadable."""
    if not text or not text.strip():
        return None
    try:
        return read_vpdq(text)
    except (FormatError, InvalidHashError):
        return None


class VideoMatcher:
    """Finds known videos for video items; the index is built on first use."""

    def __init__(self, session: Session, set_ids: Iterable[int], rule: MatchRule | None = None):
        self.session = session
        self.set_ids = frozenset(set_ids)
        self.rule = rule or MatchRule()
        self._index: VideoIndex | None = None

    def match(self, media_ids: Sequence[int]) -> list[VideoHit]:
        """Every match of the items' fingerprints (items without one are skipped)."""
        prints = self._fingerprints(media_ids)
        if not prints:
            return []
        index = self._known_index()
        if not len(index):
            return []
        hits: list[VideoHit] = []
        for media_id, frames in prints:
            for m in index.search(frames):
                hits.append(VideoHit(media_id, m.video_id, m.query_percent, m.index_percent))
        return hits

    def _fingerprints(self, media_ids: Sequence[int]) -> list[tuple[int, list[FrameHash]]]:
        found: list[tuple[int, list[FrameHash]]] = []
        ids = sorted(set(media_ids))
        for lo in range(0, len(ids), _CHUNK):
            rows = self.session.execute(
                select(VideoFingerprint.media_id, VideoFingerprint.vpdq).where(
                    VideoFingerprint.media_id.in_(ids[lo : lo + _CHUNK]),
                    VideoFingerprint.frame_count > 0,
                )
            )
            for media_id, text in rows:
                frames = parse_vpdq(text)
                if frames is not None:
                    found.append((int(media_id), frames))
        return found

    def _known_index(self) -> VideoIndex:
        if self._index is None:
            index = VideoIndex(self.rule)
            rows = self.session.execute(
                select(KnownHash.id, KnownHash.hash_set_id, KnownVideo.vpdq)
                .join(KnownVideo, KnownVideo.known_hash_id == KnownHash.id)
                .where(KnownHash.hash_type == VPDQ, KnownHash.removed_at.is_(None))
                .order_by(KnownHash.id)
            )
            for known_id, set_id, text in rows:
                frames = parse_vpdq(text)
                if set_id in self.set_ids and frames is not None:
                    index.add(int(known_id), frames)
            self._index = index
        return self._index
