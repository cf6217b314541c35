"""The audited matching services: match a case, re-triage after a change, match everything.

Work is split into transactions of :data:`CHUNK` items, each writing its own audit event, so a
national re-triage never holds one transaction open for hours; triage is idempotent, so an
interrupted run is simply run again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media, Occurrence
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import load_exhibit
from sentinela.services.known_match import chunks
from sentinela.services.match_resources import MatchResources, resources
from sentinela.services.permissions import require_member
from sentinela.services.triage import TriageChange, retriage_media

#: Items re-triaged per transaction.
CHUNK = 5000


@dataclass(frozen=True)
class CaseMatch:
    """The outcome of matching one case (or one of its exhibits)."""

    case_number: str
    exhibit: str | None
    media: int
    classes: dict[str, int]
    changed: int
    elapsed_seconds: float
    changes: tuple[TriageChange, ...] = field(default=(), repr=False)


def case_media_ids(session: Session, case: Case, label: str | None = None) -> list[int]:
    """Distinct media found in the case's exhibits (or in one of them), by id."""
    query = (
        select(Occurrence.media_id)
        .distinct()
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Exhibit.case_id == case.id)
    )
    if label is not None:
        query = query.where(Exhibit.label == label)
    return sorted(int(i) for i in session.execute(query).scalars())


def class_counts(session: Session, media_ids: Sequence[int]) -> dict[str, int]:
    """How many of ``media_ids`` are in each triage class (every class listed)."""
    counts: Counter[str] = Counter({"known_categorised": 0, "known_benign": 0, "new": 0})
    for part in chunks(list(media_ids)):
        rows = session.execute(
            select(Media.triage_class, func.count())
            .where(Media.id.in_(part))
            .group_by(Media.triage_class)
        )
        for cls, n in rows:
            counts[cls] += int(n)
    return dict(sorted(counts.items()))


def retriage_ids(
    ctx: ServiceContext,
    media_ids: Sequence[int],
    *,
    cause: str,
    actor: str,
    case_number: str | None = None,
    res: MatchResources | None = None,
) -> list[TriageChange]:
    """Re-triage ``media_ids`` in audited transactions of :data:`CHUNK` items."""
    res = res or resources(ctx)
    changes: list[TriageChange] = []
    for ids in chunks(sorted({int(i) for i in media_ids}), CHUNK):
        with ctx.transaction() as session:
            done = retriage_media(session, ids, clock=ctx.clock, cause=cause, resources=res)
            record(
                session,
                actor=actor,
                action="triage.retriage",
                object_type="case" if case_number else "media",
                object_id=case_number or f"{ids[0]}-{ids[-1]}",
                case_number=case_number,
                clock=ctx.clock,
                details={"cause": cause, "media": len(ids), "changed": len(done)},
            )
        changes += done
    return changes


def match_case(
    ctx: ServiceContext, case_number: str, *, exhibit: str | None = None, cause: str | None = None
) -> CaseMatch:
    """Triage every item of a case (or of one exhibit) against the known sets.

    Raises:
        AccessDenied: the actor is not a member of the case.
        NotFoundError: no such exhibit in the case.
    """
    started = time.monotonic()
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        if exhibit is not None:
            load_exhibit(session, case, exhibit)
        ids = case_media_ids(session, case, exhibit)
        username = actor.username
    where = f"{case_number}/{exhibit}" if exhibit else case_number
    changes = retriage_ids(
        ctx, ids, cause=cause or f"match {where}", actor=username, case_number=case_number
    )
    with ctx.transaction() as session:
        counts = class_counts(session, ids)
    return CaseMatch(
        case_number,
        exhibit,
        len(ids),
        counts,
        len(changes),
        round(time.monotonic() - started, 3),
        tuple(changes),
    )


def triage_exhibit(ctx: ServiceContext, case_number: str, label: str) -> CaseMatch:
    """Triage one exhibit after its ingest (the hook the ingest pipeline calls)."""
    return match_case(ctx, case_number, exhibit=label, cause=f"ingest {case_number}/{label}")
