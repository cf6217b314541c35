"""The media page: metadata, where the item was found, why it matched, and its grades.

Need-to-know shapes every list here. Occurrences and grades are shown only from cases the
user is a member of. Grading is blind: another analyst's grade is hidden until the user has
graded the item, a national classification exists, or the user leads the case (supervisor),
so that agreeing grades stay independent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.media import MediaMetadata, Occurrence
from sentinela.db.users import User
from sentinela.db.workspace import Adjudication, Grade, NationalClassification
from sentinela.services.case_media import require_case_media, require_media_viewer
from sentinela.services.context import ServiceContext
from sentinela.services.grading import Shortcut, load_scheme, shortcuts
from sentinela.services.keyframes import KeyframeLine, VideoFacts, keyframe_strip, video_facts
from sentinela.services.permissions import membership, require_member


@dataclass(frozen=True)
class OccurrenceLine:
    """Where the item was found, in a case the user may see."""

    case_number: str
    exhibit: str
    path: str
    parent_container: str | None
    deleted: bool
    mtime: datetime | None


@dataclass(frozen=True)
class MatchLine:
    """Evidence of a match against a known hash set."""

    hash_set: str
    source: str
    hash_type: str
    method: str
    distance: int
    category: str | None
    series: str | None
    #: vPDQ video matches only: shares of this video's and the known video's frames matched.
    query_percent: float | None = None
    index_percent: float | None = None


@dataclass(frozen=True)
class GradeLine:
    """One grade in the item's history."""

    username: str
    scheme: str
    code: str
    case_number: str
    graded_at: datetime


@dataclass(frozen=True)
class NationalLine:
    """The national classification of the item."""

    scheme: str
    code: str
    label: str
    method: str
    decided_at: datetime


@dataclass(frozen=True)
class MetadataLine:
    """Camera and capture metadata."""

    camera_make: str | None
    camera_model: str | None
    camera_serial: str | None
    taken_at: str | None
    gps_lat: float | None
    gps_lon: float | None
    software: str | None


@dataclass(frozen=True)
class MediaDetail:
    """Everything the media page shows (never the content itself)."""

    case_number: str
    scheme: str
    shortcuts: tuple[Shortcut, ...]
    media_id: int
    sha256: str
    sha1: str
    md5: str
    size: int
    mime: str
    family: str
    width: int | None
    height: int | None
    pdq: str | None
    pdq_quality: int | None
    triage_class: str
    first_seen_at: datetime
    has_thumbnail: bool
    metadata: MetadataLine | None
    occurrences: tuple[OccurrenceLine, ...]
    matches: tuple[MatchLine, ...]
    grades: tuple[GradeLine, ...]
    hidden_grades: int
    my_grade: str | None
    national: NationalLine | None
    adjudication: str | None
    keyframes: tuple[KeyframeLine, ...] = ()
    video: VideoFacts | None = None


def _visible_cases(session: Session, user: User) -> dict[int, str]:
    rows = session.execute(
        select(Case.id, Case.number)
        .join(Membership, Membership.case_id == Case.id)
        .where(Membership.user_id == user.id)
    ).all()
    return {int(i): str(n) for i, n in rows}


def _occurrences(session: Session, media_id: int, visible: dict[int, str]) -> list[OccurrenceLine]:
    rows = session.execute(
        select(Occurrence, Exhibit.case_id, Exhibit.label)
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Occurrence.media_id == media_id, Exhibit.case_id.in_(list(visible)))
        .order_by(Exhibit.case_id, Exhibit.label, Occurrence.path)
    ).all()
    return [
        OccurrenceLine(visible[cid], label, o.path, o.parent_container, o.deleted, o.mtime)
        for o, cid, label in rows
    ]


def _matches(session: Session, media_id: int) -> list[MatchLine]:
    rows = session.execute(
        select(MediaMatch, KnownHash, HashSet)
        .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
        .join(HashSet, HashSet.id == KnownHash.hash_set_id)
        .where(MediaMatch.media_id == media_id)
        .order_by(HashSet.name, MediaMatch.id)
    ).all()
    return [
        MatchLine(
            hs.name,
            hs.source,
            m.hash_type,
            m.method,
            m.distance,
            f"{k.category_scheme}:{k.category_code}" if k.category_code else None,
            k.series,
            m.query_percent,
            m.index_percent,
        )
        for m, k, hs in rows
    ]


def _metadata(meta: MediaMetadata | None) -> MetadataLine | None:
    if meta is None:
        return None
    return MetadataLine(
        meta.camera_make,
        meta.camera_model,
        meta.camera_serial,
        meta.taken_at,
        meta.gps_lat,
        meta.gps_lon,
        meta.software,
    )


def _national(nc: NationalClassification | None) -> NationalLine | None:
    if nc is None:
        return None
    entry = load_scheme(nc.scheme).codes.get(nc.code)
    label = entry.label if entry else nc.code
    return NationalLine(nc.scheme, nc.code, label, nc.method, nc.decided_at)


def media_detail(ctx: ServiceContext, case_number: str, media_id: int) -> MediaDetail:
    """The media page of an item the case holds (viewing it is audited).

    Raises:
        AccessDenied: not a member, not a media viewer, or the case does not hold the id.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_media_viewer(actor)
        (media,) = require_case_media(session, case, [media_id])
        visible = _visible_cases(session, actor)
        nc = session.execute(
            select(NationalClassification).where(NationalClassification.media_id == media.id)
        ).scalar_one_or_none()
        adj = session.execute(
            select(Adjudication.status).where(Adjudication.media_id == media.id)
        ).scalar_one_or_none()
        rows = session.execute(
            select(User.username, Grade)
            .join(User, User.id == Grade.user_id)
            .where(Grade.media_id == media.id, Grade.case_id.in_(list(visible)))
            .order_by(Grade.graded_at, Grade.id)
        ).all()
        mine = [g.code for u, g in rows if u == actor.username]
        lead = (m := membership(session, case, actor)) is not None and m.case_role == "lead"
        open_book = bool(mine) or nc is not None or lead
        shown = [
            GradeLine(u, g.scheme, g.code, visible[g.case_id], g.graded_at)
            for u, g in rows
            if open_book or u == actor.username
        ]
        record(
            session,
            actor=actor.username,
            action="media.view",
            object_type="media",
            object_id=media.id,
            case_number=case.number,
            clock=ctx.clock,
        )
        return MediaDetail(
            case.number,
            case.scheme,
            shortcuts(case.scheme),
            media.id,
            media.sha256,
            media.sha1,
            media.md5,
            media.size,
            media.mime,
            media.family,
            media.width,
            media.height,
            media.pdq,
            media.pdq_quality,
            media.triage_class,
            media.first_seen_at,
            media.has_thumbnail,
            _metadata(media.meta),
            tuple(_occurrences(session, media.id, visible)),
            tuple(_matches(session, media.id)),
            tuple(shown),
            len(rows) - len(shown),
            mine[-1] if mine else None,
            _national(nc),
            adj,
            keyframe_strip(session, media.id),
            video_facts(session, media.id),
        )
