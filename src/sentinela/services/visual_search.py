"""Visual links across the national store: PDQ near-duplicates and region search.

Both start from an item of a case the user is a member of, search every item in the country,
and split the answer by need-to-know: hits held by the user's cases are listed (with the
case to open them in), every other hit is only counted with its owning units.

* **Near-duplicates** use the PDQ multi-index (:class:`sentinela.matching.PdqIndex`) over
  every media PDQ: the saved index under ``indexes/media-pdq`` plus, from the database,
  anything added since it was saved (or all of it when none was saved).
* **Videos**: for a video item, the other fingerprinted videos it matches by vPDQ's rule
  (:mod:`sentinela.services.video_links`), split the same way.
* **Region search** extracts ORB keypoints inside the selected region
  (:mod:`sentinela.visual.features`) and queries the region index under ``indexes/regions``
  (:mod:`sentinela.visual.region_index`), built by :func:`index_regions`.

Why loaded indexes are cached per process: a national region index is hundreds of megabytes
and verifying its digests takes seconds, far longer than a query. The cache is keyed by the
directory and the manifest's checksum, so a rebuilt index (new manifest) is loaded afresh.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.media import Media
from sentinela.db.video import VideoFingerprint
from sentinela.errors import NotFoundError
from sentinela.matching import IndexFileError, PdqIndex, hex_to_codes
from sentinela.services.case_media import require_case_media
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.services.near_duplicates import DEFAULT_THRESHOLD, is_pdq
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    SEARCH_ROLES,
    HiddenHolders,
    member_cases,
    require_roles,
    split_media,
)
from sentinela.services.video_links import VideoLink, split_links, video_matches
from sentinela.settings import Settings
from sentinela.vault.errors import ObjectMissingError
from sentinela.visual.candidates import MatchParams
from sentinela.visual.features import MIN_REGION_PIXELS, Region, region_features, upright_grey
from sentinela.visual.region_index import MANIFEST, RegionIndex

REGION_INDEX = Path("indexes") / "regions"
PDQ_INDEX = Path("indexes") / "media-pdq"
_cache: dict[Path, tuple[str, RegionIndex]] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class VisualHit:
    """A matching item the user may open (``score``: PDQ distance, or region inliers)."""

    media_id: int
    case_number: str
    score: int
    has_thumbnail: bool


@dataclass(frozen=True)
class SimilarMedia:
    """PDQ near-duplicates of an item across the country (and, for a video, matching videos).

    ``hidden`` counts the hits of both kinds held only by cases the user is not a member of.
    """

    case_number: str
    media_id: int
    radius: int
    hits: tuple[VisualHit, ...]
    hidden: HiddenHolders
    videos: tuple[VideoLink, ...] = ()


@dataclass(frozen=True)
class RegionResults:
    """Items containing the selected region, across the country."""

    case_number: str
    media_id: int
    region: Region
    query_keypoints: int
    indexed_images: int
    hits: tuple[VisualHit, ...]
    hidden: HiddenHolders


def region_index_dir(settings: Settings) -> Path:
    """Where the region index is saved."""
    return settings.data_dir / REGION_INDEX


def load_region_index(directory: Path) -> RegionIndex | None:
    """The saved region index (cached per manifest checksum), or None when none is saved."""
    try:
        checksum = str(json.loads((directory / MANIFEST).read_text(encoding="utf-8"))["checksum"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexFileError(f"{directory}: unreadable region index manifest: {exc}") from None
    with _cache_lock:
        cached = _cache.get(directory)
        if cached is None or cached[0] != checksum:
            cached = (checksum, RegionIndex.load(directory))
            _cache[directory] = cached
        return cached[1]


def _hits(
    session: Session, scores: dict[int, int], visible: dict[int, str], *, ascending: bool
) -> tuple[tuple[VisualHit, ...], HiddenHolders]:
    shown, hidden = split_media(session, scores, visible)
    thumbs = set(
        session.execute(
            select(Media.id).where(Media.id.in_(sorted(shown)), Media.has_thumbnail)
        ).scalars()
    )
    order = sorted(shown, key=lambda m: (scores[m] if ascending else -scores[m], m))
    return tuple(VisualHit(m, shown[m], scores[m], m in thumbs) for m in order), hidden


def _pdq_index(session: Session, settings: Settings) -> PdqIndex:
    """The saved media PDQ index, topped up from the database (or built from it)."""
    try:
        index: PdqIndex | None = PdqIndex.load(settings.data_dir / PDQ_INDEX)
    except IndexFileError:
        index = None
    indexed = 0
    if index is not None:
        saved = np.load(settings.data_dir / PDQ_INDEX / "ids.npy", mmap_mode="r")
        indexed = int(saved.max()) if len(saved) else 0
    rows = [
        (int(i), str(h))
        for i, h in session.execute(
            select(Media.id, Media.pdq).where(Media.pdq.is_not(None), Media.id > indexed)
        )
        if is_pdq(h)
    ]
    codes = hex_to_codes([h for _, h in rows])
    ids = np.array([i for i, _ in rows], dtype=np.int64)
    if index is None:
        return PdqIndex.build(codes, ids)
    if len(ids):
        index.add(codes, ids)
    return index


def similar_media(
    ctx: ServiceContext, case_number: str, media_id: int, *, radius: int = DEFAULT_THRESHOLD
) -> SimilarMedia:
    """PDQ near-duplicates of an item, over every item in the country (audited).

    Raises:
        AccessDenied: not a member, no search role, or the case does not hold the item.
        InvalidInputError: the radius is outside 0..256.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_roles(actor, SEARCH_ROLES)
        (media,) = require_case_media(session, case, [media_id])
        scores: dict[int, int] = {}
        if media.pdq is not None and is_pdq(media.pdq):
            found = _pdq_index(session, ctx.settings).search(hex_to_codes([media.pdq]), radius)
            for other, distance in zip(found.ids.tolist(), found.distances.tolist(), strict=True):
                if other != media.id:
                    scores[other] = min(distance, scores.get(other, distance))
        visible = member_cases(session, actor)
        hits, hidden = _hits(session, scores, visible, ascending=True)
        videos: tuple[VideoLink, ...] = ()
        if session.get(VideoFingerprint, media.id) is not None:
            matches, _ = video_matches(session, media.id)
            videos, _ = split_links(session, matches, visible)
            if matches:
                _, hidden = split_media(session, {*scores, *matches}, visible)
        record(
            session,
            actor=actor.username,
            action="visual.pdq_search",
            object_type="media",
            object_id=media.id,
            case_number=case.number,
            clock=ctx.clock,
            details={
                "radius": radius,
                "hits": len(hits),
                "videos": len(videos),
                "hidden": hidden.count,
            },
        )
        return SimilarMedia(case.number, media.id, radius, hits, hidden, videos)


def stored_pixels(settings: Settings, media: Media) -> bytes:
    """The item's stored image (the original if kept, else the thumbnail), decrypted in memory.

    Raises:
        NotFoundError: neither is stored.
    """
    vault = open_vault(settings)
    for kind, stored in (("media", media.vault_stored), ("thumbnail", media.has_thumbnail)):
        if stored:
            try:
                return vault.get(media.sha256, kind=kind)
            except ObjectMissingError:
                continue
    raise NotFoundError(f"media {media.id} has no stored image to search with")


def region_search(
    ctx: ServiceContext,
    case_number: str,
    media_id: int,
    region: Region,
    *,
    params: MatchParams | None = None,
) -> RegionResults:
    """Items anywhere in the country that contain a region of an item (audited).

    Args:
        ctx: the service context.
        case_number: a case the actor is a member of, which holds the item.
        media_id: the item the region is selected on.
        region: the selection, as fractions of the upright image.
        params: matching thresholds (defaults: :class:`MatchParams`).

    Raises:
        AccessDenied: not a member, no search role, or the case does not hold the item.
        RegionError: the region is empty, outside the image or smaller than 16x16 pixels.
        NoKeypointsError: the region holds nothing to match.
        NotFoundError: the item has no stored image.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_roles(actor, SEARCH_ROLES)
        (media,) = require_case_media(session, case, [media_id])
        grey, full = upright_grey(stored_pixels(ctx.settings, media))
        query = region_features(grey, full, region)
        index = load_region_index(region_index_dir(ctx.settings))
        found = index.search(query, params) if index is not None else []
        scores = {h.media_id: h.inliers for h in found if h.media_id != media.id}
        hits, hidden = _hits(session, scores, member_cases(session, actor), ascending=False)
        record(
            session,
            actor=actor.username,
            action="visual.region_search",
            object_type="media",
            object_id=media.id,
            case_number=case.number,
            clock=ctx.clock,
            details={
                "region": [region.x, region.y, region.w, region.h],
                "keypoints": len(query),
                "hits": len(hits),
                "hidden": hidden.count,
            },
        )
        return RegionResults(
            case.number,
            media.id,
            region,
            len(query),
            len(index.media_ids()) if index is not None else 0,
            hits,
            hidden,
        )


@dataclass(frozen=True)
class RegionForm:
    """What the region-selection page needs to show an item (never its content)."""

    case_number: str
    media_id: int
    has_thumbnail: bool
    indexed_images: int
    min_region_pixels: int = MIN_REGION_PIXELS


def region_form(ctx: ServiceContext, case_number: str, media_id: int) -> RegionForm:
    """Open the region selection for an item (audited).

    Raises:
        AccessDenied: not a member, no search role, or the case does not hold the item.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_roles(actor, SEARCH_ROLES)
        (media,) = require_case_media(session, case, [media_id])
        index = load_region_index(region_index_dir(ctx.settings))
        record(
            session,
            actor=actor.username,
            action="visual.region_form",
            object_type="media",
            object_id=media.id,
            case_number=case.number,
            clock=ctx.clock,
        )
        return RegionForm(
            case.number,
            media.id,
            media.has_thumbnail,
            len(index.media_ids()) if index is not None else 0,
        )
