"""Videos matched against each other by vPDQ's rule: across the country, and within a queue.

Known-set matching (:mod:`sentinela.services.video_triage`) asks whether an item is a known
video. Here a video's fingerprint is compared with the other *ingested* videos: every
:class:`~sentinela.db.video.VideoFingerprint` with frames, in whatever case holds it.

Why "either way round": vPDQ's rule is one-sided (80 % of the *query's* frames must match),
which finds a clip inside a longer video but not the longer video from the clip's side. Between
two seized videos neither is the reference, so two videos are linked when the rule accepts
them in either direction. One search with the thresholds relaxed to "any frame matches" gives
both shares, and the rule is then applied both ways (the query share of one direction is the
index share of the other, frame for frame).

Why the national index is built per call: there is no saved video index yet, and video
fingerprints are short (one frame a second), so a few thousand videos index in well under a
second. :class:`~sentinela.video.VideoIndex` (faiss) does the search; the brute-force
``vpdq_brute`` index answers the same question and the tests compare the two.

Grouping a review queue uses the same link: the queue's videos are indexed together, each
is searched against the others, and linked videos form groups (single linkage), as PDQ
near-duplicates of images do in :mod:`sentinela.services.near_duplicates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.media import Media
from sentinela.db.video import VideoFingerprint
from sentinela.services.case_media import require_case_media
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    SEARCH_ROLES,
    HiddenHolders,
    member_cases,
    require_roles,
    split_media,
)
from sentinela.services.video_triage import parse_vpdq
from sentinela.video import (
    FrameHash,
    MatchRule,
    VideoIndexBase,
    VideoMatch,
    build_video_index_registry,
)

#: The video index used unless another is named (``vpdq_brute`` is the reference).
VIDEO_INDEX = "vpdq_faiss"
_CHUNK = 500


@dataclass(frozen=True)
class VideoLink:
    """A matching video the user may open, with vPDQ's shares in percent.

    ``query_percent`` is the share of the searched item's frames found in this video,
    ``index_percent`` the share of this video's frames found in the item.
    """

    media_id: int
    case_number: str
    query_percent: float
    index_percent: float
    has_thumbnail: bool


@dataclass(frozen=True)
class SimilarVideos:
    """Videos matching an item across the country (``fingerprinted``: it has usable frames)."""

    case_number: str
    media_id: int
    fingerprinted: bool
    indexed_videos: int
    hits: tuple[VideoLink, ...]
    hidden: HiddenHolders


def fingerprints(
    session: Session, media_ids: Sequence[int] | None = None
) -> dict[int, list[FrameHash]]:
    """Usable fingerprints by media id: of ``media_ids``, or of every video when None."""
    query = select(VideoFingerprint.media_id, VideoFingerprint.vpdq).where(
        VideoFingerprint.frame_count > 0
    )
    if media_ids is None:
        batches = [session.execute(query.order_by(VideoFingerprint.media_id))]
    else:
        ids = sorted(set(media_ids))
        batches = [
            session.execute(query.where(VideoFingerprint.media_id.in_(ids[lo : lo + _CHUNK])))
            for lo in range(0, len(ids), _CHUNK)
        ]
    found: dict[int, list[FrameHash]] = {}
    for rows in batches:
        for media_id, text in rows:
            frames = parse_vpdq(text)
            if frames:
                found[int(media_id)] = frames
    return found


def linked(rule: MatchRule, match: VideoMatch) -> bool:
    """Whether the rule accepts a match in either direction (see the module docstring)."""
    return rule.accepts(match.query_percent, match.index_percent) or rule.accepts(
        match.index_percent, match.query_percent
    )


def _index(prints: dict[int, list[FrameHash]], rule: MatchRule, index_type: str) -> VideoIndexBase:
    """An index of ``prints`` that reports every video sharing a frame with the query."""
    relaxed = replace(rule, query_percent=0.0, index_percent=0.0)
    index = build_video_index_registry().get(index_type).create(relaxed)
    index.add_all(sorted(prints.items()))
    return index


def video_matches(
    session: Session,
    media_id: int,
    rule: MatchRule | None = None,
    *,
    index_type: str = VIDEO_INDEX,
) -> tuple[dict[int, VideoMatch], int]:
    """Every other fingerprinted video linked to ``media_id``, and how many were searched.

    Returns:
        ``({media id: match}, videos indexed)``; empty when the item has no usable fingerprint.
    """
    rule = rule or MatchRule()
    prints = fingerprints(session)
    query = prints.pop(media_id, None)
    if query is None or not prints:
        return {}, len(prints)
    found = _index(prints, rule, index_type).search(query)
    return {m.video_id: m for m in found if linked(rule, m)}, len(prints)


def video_groups(
    session: Session,
    media_ids: Sequence[int],
    rule: MatchRule | None = None,
    *,
    index_type: str = VIDEO_INDEX,
) -> list[list[int]]:
    """Groups of two or more of ``media_ids`` whose videos are linked (single linkage).

    Items that are not videos, or have no usable fingerprint, are in no group. Each group is
    sorted; groups come in the order of their smallest id.
    """
    rule = rule or MatchRule()
    prints = fingerprints(session, media_ids)
    if len(prints) < 2:
        return []
    index = _index(prints, rule, index_type)
    parent = {m: m for m in prints}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for media_id, frames in prints.items():
        for match in index.search(frames):
            if match.video_id != media_id and linked(rule, match):
                a, b = find(media_id), find(match.video_id)
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for media_id in prints:
        groups.setdefault(find(media_id), []).append(media_id)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def split_links(
    session: Session, matches: dict[int, VideoMatch], visible: dict[int, str]
) -> tuple[tuple[VideoLink, ...], HiddenHolders]:
    """The matches held by the user's cases, best first, and the others counted."""
    shown, hidden = split_media(session, matches, visible)
    thumbs = set(
        session.execute(
            select(Media.id).where(Media.id.in_(sorted(shown)), Media.has_thumbnail)
        ).scalars()
    )
    order = sorted(shown, key=lambda m: (-matches[m].query_percent, -matches[m].index_percent, m))
    links = tuple(
        VideoLink(
            m,
            shown[m],
            round(matches[m].query_percent, 2),
            round(matches[m].index_percent, 2),
            m in thumbs,
        )
        for m in order
    )
    return links, hidden


def similar_videos(
    ctx: ServiceContext,
    case_number: str,
    media_id: int,
    *,
    rule: MatchRule | None = None,
    index_type: str = VIDEO_INDEX,
) -> SimilarVideos:
    """Videos anywhere in the country that match a video item by vPDQ's rule (audited).

    Raises:
        AccessDenied: not a member, no search role, or the case does not hold the item.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_roles(actor, SEARCH_ROLES)
        (media,) = require_case_media(session, case, [media_id])
        matches, indexed = video_matches(session, media.id, rule, index_type=index_type)
        fingerprinted = bool(fingerprints(session, [media.id]))
        hits, hidden = split_links(session, matches, member_cases(session, actor))
        record(
            session,
            actor=actor.username,
            action="visual.vpdq_search",
            object_type="media",
            object_id=media.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"videos": indexed, "hits": len(hits), "hidden": hidden.count},
        )
        return SimilarVideos(case.number, media.id, fingerprinted, indexed, hits, hidden)
