"""Adding a known video (a vPDQ fingerprint) to a hash set, audited, then re-triaging videos.

The format importers bring digests and PDQ hashes; a known video arrives here as a vPDQ hash
file's text (the reference ``vpdq`` tools' format, :func:`~sentinela.video.read_vpdq`). It
becomes a ``vpdq`` entry of the set whose digest is the SHA-256 of the canonical text, plus a
:class:`~sentinela.db.video.KnownVideo` row with the text. Every ingested video with a
fingerprint is then re-triaged, so a match shows at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.hashsets import SET_KINDS, HashSet, KnownHash
from sentinela.db.video import KnownVideo, VideoFingerprint
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.hashsets.schemes import Category, default_catalogue
from sentinela.services.case_matching import retriage_ids
from sentinela.services.context import ServiceContext
from sentinela.services.match_resources import KNOWN_MATERIAL_ROLES
from sentinela.services.national import NATIONAL_SET
from sentinela.services.permissions import require_role
from sentinela.services.video_triage import VPDQ
from sentinela.video import read_vpdq, write_vpdq


@dataclass(frozen=True)
class KnownVideoAdded:
    """What :func:`add_known_video` did."""

    known_hash_id: int
    set_name: str
    digest: str
    frames: int
    retriaged: int
    changed: int


def add_known_video(
    ctx: ServiceContext,
    set_name: str,
    vpdq_text: str,
    *,
    scheme: str | None = None,
    code: str | None = None,
    series: str | None = None,
    kind: str = "categorised",
    source: str = "manual",
) -> KnownVideoAdded:
    """Add one known video to ``set_name`` (created when new), then re-triage every video.

    Args:
        ctx: the service context; the actor must be an administrator or examiner.
        set_name: the hash set.
        vpdq_text: a vPDQ hash file's text (``frame_number,quality,pdq,timestamp`` lines).
        scheme: category scheme (with ``code``).
        code: category code in ``scheme``.
        series: series name, if any.
        kind: the set's kind when it is created (``categorised`` or ``benign``).
        source: the set's source when it is created.

    Raises:
        AccessDenied: the actor may not change known material.
        FormatError: ``vpdq_text`` is not a vPDQ hash file.
        InvalidInputError: a bad set name, kind or category.
        AlreadyExistsError: the set already holds this video.
    """
    name = set_name.strip()
    if not name or len(name) > 200 or name != set_name or name == NATIONAL_SET:
        raise InvalidInputError("a known video needs a set name of 1-200 characters")
    if kind not in SET_KINDS:
        raise InvalidInputError(f"kind must be one of {', '.join(SET_KINDS)}")
    if (scheme is None) != (code is None):
        raise InvalidInputError("a category needs both a scheme and a code")
    if scheme is not None and code is not None:
        default_catalogue().validate(Category(scheme, code))
    frames = read_vpdq(vpdq_text)
    text = write_vpdq(frames)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *KNOWN_MATERIAL_ROLES)
        now = ctx.clock()
        hs = _set(session, name, kind, source, scheme, actor.username, now)
        known = session.execute(
            select(KnownHash).where(
                KnownHash.hash_set_id == hs.id,
                KnownHash.hash_type == VPDQ,
                KnownHash.digest == digest,
            )
        ).scalar_one_or_none()
        if known is not None and known.removed_at is None:
            raise AlreadyExistsError(f"set {name!r} already holds this video")
        if known is None:
            known = KnownHash(hash_set_id=hs.id, hash_type=VPDQ, digest=digest, added_at=now)
            session.add(known)
        known.category_scheme, known.category_code, known.series = scheme, code, series
        known.updated_at, known.removed_at = now, None
        session.flush()
        if session.get(KnownVideo, known.id) is None:
            session.add(KnownVideo(known_hash_id=known.id, vpdq=text, frame_count=len(frames)))
        hs.entries += 1
        record(
            session,
            actor=actor.username,
            action="hashset.add_video",
            object_type="hash_set",
            object_id=hs.id,
            clock=ctx.clock,
            details={"name": name, "digest": digest, "frames": len(frames), "category": code},
        )
        known_id, username = known.id, actor.username
        videos = list(
            session.execute(
                select(VideoFingerprint.media_id).where(VideoFingerprint.frame_count > 0)
            ).scalars()
        )
    changes = retriage_ids(ctx, videos, cause=f"hashset.add_video {name}", actor=username)
    return KnownVideoAdded(known_id, name, digest, len(frames), len(videos), len(changes))


def _set(
    session: Session,
    name: str,
    kind: str,
    source: str,
    scheme: str | None,
    username: str,
    now: datetime,
) -> HashSet:
    hs = session.execute(select(HashSet).where(HashSet.name == name)).scalar_one_or_none()
    if hs is None:
        hs = HashSet(
            name=name,
            source=source,
            version="",
            scheme=scheme or "unspecified",
            kind=kind,
            format=VPDQ,
            entries=0,
            imported_at=now,
            imported_by=username,
        )
        session.add(hs)
        session.flush()
    hs.removed_at = None
    return hs
