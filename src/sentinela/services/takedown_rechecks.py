"""Re-checks: after a notice, visit the URL on a schedule until the content is gone.

Removal is confirmed when the URL answers 404, 410 or 451, or answers 2xx with a body that
no longer matches what was preserved (a different SHA-256, and, for an image, a PDQ farther
than :data:`SAME_IMAGE_PDQ` from the preserved one: a re-encoded copy still counts as up).
Any other answer (a 5xx, a 403, a timeout, an address now refused) is recorded as an error
and checked again at the next interval: a host that is down has not removed anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from sentinela.audit import record
from sentinela.db.reporting import Recheck
from sentinela.db.reporting import Report as ReportRow
from sentinela.errors import InvalidInputError
from sentinela.reporting.errors import FetchError, UnsafeUrlError
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_access import require_queue
from sentinela.services.takedown_capture import GONE_STATUSES, probe_body
from sentinela.services.takedown_queue import load_report
from sentinela.services.takedown_runtime import WORKER_ACTOR, TakedownRuntime

SAME_IMAGE_PDQ = 31


@dataclass(frozen=True)
class RecheckView:
    """One recorded visit."""

    id: int
    report_id: int
    checked_at: datetime
    outcome: str
    status_code: int | None
    sha256: str | None
    detail: str


@dataclass(frozen=True)
class _Seen:
    outcome: str
    status: int | None
    sha256: str | None
    detail: str


def recheck_view(r: Recheck) -> RecheckView:
    """The view of a recheck row."""
    return RecheckView(
        r.id, r.report_id, r.checked_at, r.outcome, r.status_code, r.sha256, r.detail
    )


def _look(rt: TakedownRuntime, url: str, sha256: str | None, pdq: str | None) -> _Seen:
    try:
        fetched = rt.fetcher.fetch(url)
    except (FetchError, UnsafeUrlError) as exc:
        return _Seen("error", None, None, str(exc))
    status = fetched.status
    if status in GONE_STATUSES:
        return _Seen("removed", status, None, f"HTTP {status} {fetched.reason}")
    if not 200 <= status < 300:
        return _Seen("error", status, None, f"HTTP {status} {fetched.reason}")
    probe = probe_body(fetched.body)
    if probe.sha256 == sha256:
        return _Seen("present", status, probe.sha256, "same content")
    if pdq and probe.pdq and (int(pdq, 16) ^ int(probe.pdq, 16)).bit_count() <= SAME_IMAGE_PDQ:
        return _Seen("present", status, probe.sha256, "same image (PDQ), different bytes")
    return _Seen("removed", status, probe.sha256, "content no longer matches the preserved one")


def _record(
    ctx: ServiceContext, report_id: int, seen: _Seen, rt: TakedownRuntime, actor: str
) -> RecheckView:
    with ctx.transaction() as session:
        report = load_report(session, report_id)
        now = ctx.clock()
        row = Recheck(
            report_id=report.id,
            checked_at=now,
            outcome=seen.outcome,
            status_code=seen.status,
            sha256=seen.sha256,
            detail=seen.detail[:2000],
        )
        session.add(row)
        if seen.outcome == "removed" and report.status == "notified":
            report.status, report.removed_at, report.closed_at = "removed", now, now
            report.next_recheck_at = report.next_notice_at = None
        elif report.status == "notified":
            every = timedelta(hours=rt.config.notices.recheck_every_hours)
            report.next_recheck_at = now + every
        session.flush()
        record(
            session,
            actor=actor,
            action="takedown.removed" if report.status == "removed" else "takedown.recheck",
            object_type="takedown_report",
            object_id=report.id,
            clock=ctx.clock,
            at=now,
            details={
                "recheck": row.id,
                "outcome": row.outcome,
                "status_code": row.status_code,
                "detail": row.detail[:300],
            },
        )
        return recheck_view(row)


def recheck_due(ctx: ServiceContext, rt: TakedownRuntime, *, limit: int = 100) -> list[RecheckView]:
    """Visit every notified URL whose re-check is due (the worker)."""
    with ctx.transaction() as session:
        now = ctx.clock()
        due = list(
            session.execute(
                select(ReportRow.id, ReportRow.url, ReportRow.content_sha256, ReportRow.content_pdq)
                .where(ReportRow.status == "notified", ReportRow.next_recheck_at <= now)
                .order_by(ReportRow.next_recheck_at, ReportRow.id)
                .limit(limit)
            ).all()
        )
    return [
        _record(ctx, report_id, _look(rt, url, sha, pdq), rt, WORKER_ACTOR)
        for report_id, url, sha, pdq in due
    ]


def recheck_now(ctx: ServiceContext, report_id: int, rt: TakedownRuntime) -> RecheckView:
    """Visit a notified URL now (police and hotline operators).

    Raises:
        AccessDenied: the actor holds no queue role.
        NotFoundError: no such report.
        InvalidInputError: the report has not been notified.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_queue(actor)
        report = load_report(session, report_id)
        if report.status != "notified":
            raise InvalidInputError(f"report {report_id} is {report.status}: nothing to re-check")
        url, sha, pdq = report.url, report.content_sha256, report.content_pdq
    return _record(ctx, report_id, _look(rt, url, sha, pdq), rt, actor.username)
