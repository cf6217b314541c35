"""The national classification: what consensus or adjudication decides, made known everywhere.

A decision is stored twice on purpose. :class:`NationalClassification` records who decided
what and how; ``KnownHash`` rows in the ``national_classification`` hash set make the content
*known* to the same exact and PDQ matching that every imported hash set goes through. The
affected media (the item itself, and every new item within PDQ reach of it, in any case) are
then re-triaged in the same transaction, so the item leaves every review queue at once.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sized
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.clock import Clock
from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.db.media import Media
from sentinela.db.workspace import NationalClassification
from sentinela.services.near_duplicates import is_pdq, near

NATIONAL_SET = "national_classification"
NATIONAL_SOURCE = "Sentinela national grading"


class _Retriage(Protocol):
    def __call__(self, session: Session, media_ids: list[int] | None, *, clock: Clock) -> Sized:
        """``sentinela.services.triage.retriage_media``."""


def _retriage_media() -> _Retriage:
    # Imported when needed: triage imports the matching indexes, which grading otherwise
    # does not need. (A plain import once both modules have settled is fine too.)
    module = importlib.import_module("sentinela.services.triage")
    fn: _Retriage = module.retriage_media
    return fn


def national_set(session: Session, scheme: str, now: datetime) -> HashSet:
    """The ``national_classification`` hash set, created on first use."""
    hs = session.execute(select(HashSet).where(HashSet.name == NATIONAL_SET)).scalar_one_or_none()
    if hs is None:
        hs = HashSet(
            name=NATIONAL_SET,
            source=NATIONAL_SOURCE,
            version="live",
            scheme=scheme,
            kind="categorised",
            trust="national",
            legal_basis="Consensus grading by sworn analysts (see docs/workspace.md)",
            format="sentinela_grading",
            imported_at=now,
            imported_by="system:grading",
        )
        session.add(hs)
        session.flush()
    return hs


def _known(session: Session, hs: HashSet, hash_type: str, digest: str) -> KnownHash | None:
    return session.execute(
        select(KnownHash).where(
            KnownHash.hash_set_id == hs.id,
            KnownHash.hash_type == hash_type,
            KnownHash.digest == digest,
        )
    ).scalar_one_or_none()


def _add_known(
    session: Session,
    hs: HashSet,
    hash_type: str,
    digest: str,
    scheme: str,
    code: str,
    now: datetime,
) -> None:
    existing = _known(session, hs, hash_type, digest)
    if existing is not None:
        if existing.removed_at is not None:
            existing.removed_at = None
            existing.category_scheme, existing.category_code = scheme, code
            existing.updated_at = now
            hs.entries += 1
        return
    session.add(
        KnownHash(
            hash_set_id=hs.id,
            hash_type=hash_type,
            digest=digest,
            category_scheme=scheme,
            category_code=code,
            source_record=f"media:{digest[:12]}",
            added_at=now,
            updated_at=now,
        )
    )
    hs.entries += 1


def classify(
    session: Session,
    media: Media,
    *,
    scheme: str,
    code: str,
    method: str,
    deciders: list[str],
    actor: str,
    case_number: str,
    clock: Clock,
) -> NationalClassification:
    """Record a national classification and its known hashes (no re-triage; see
    :func:`retriage_after`). The caller holds the lock on the media row."""
    now = clock()
    nc = NationalClassification(
        media_id=media.id,
        scheme=scheme,
        code=code,
        method=method,
        decided_by=json.dumps(sorted(deciders)),
        decided_at=now,
    )
    session.add(nc)
    hs = national_set(session, scheme, now)
    _add_known(session, hs, "sha256", media.sha256, scheme, code, now)
    if is_pdq(media.pdq) and media.pdq is not None:
        _add_known(session, hs, "pdq", media.pdq, scheme, code, now)
    session.flush()
    record(
        session,
        actor=actor,
        action="classification.national",
        object_type="media",
        object_id=media.id,
        case_number=case_number,
        clock=clock,
        details={"scheme": scheme, "code": code, "method": method, "deciders": sorted(deciders)},
    )
    return nc


def retriage_after(session: Session, media: list[Media], *, clock: Clock) -> int:
    """Re-triage the classified media and every new media item within PDQ reach of them.

    Returns:
        How many media changed triage class.
    """
    if not media:
        return 0
    hs = session.execute(select(HashSet).where(HashSet.name == NATIONAL_SET)).scalar_one()
    probes = [m.pdq for m in media if m.pdq is not None and is_pdq(m.pdq)]
    ids = {m.id for m in media}
    if probes:
        candidates = session.execute(
            select(Media.id, Media.pdq).where(
                Media.triage_class == "new",
                Media.pdq.is_not(None),
                Media.pdq_quality >= hs.pdq_min_quality,
            )
        ).all()
        pairs = [(int(i), str(p)) for i, p in candidates]
        ids.update(near(pairs, probes, hs.pdq_threshold))
    return len(_retriage_media()(session, sorted(ids), clock=clock))
