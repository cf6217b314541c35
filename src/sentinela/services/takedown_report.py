"""One report's file: what was reported, the evidence, the decisions, the notices, the
re-checks and the stage timestamps. Viewing it is audited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sentinela.audit import record
from sentinela.db.reporting import (
    DECISION_ACTIONS,
    Capture,
    CaptureObject,
    Decision,
    Notice,
    NoticeReport,
    Recheck,
)
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_access import is_police, require_queue
from sentinela.services.takedown_decisions import DecisionView, decision_view
from sentinela.services.takedown_isp_requests import IspRequestView, list_for_report
from sentinela.services.takedown_preservation import CaptureView, capture_view
from sentinela.services.takedown_queue import (
    ReportLine,
    SubmissionView,
    ips_of,
    load_report,
    report_line,
    submissions_for,
)
from sentinela.services.takedown_rechecks import RecheckView, recheck_view


@dataclass(frozen=True)
class StageTimes:
    """When the report reached each stage (None: not yet)."""

    reported: datetime
    preserved: datetime | None
    decided: datetime | None
    first_notice: datetime | None
    removed: datetime | None
    closed: datetime | None


@dataclass(frozen=True)
class EvidenceObject:
    """One preserved body, by its hashes (the bytes stay in the vault)."""

    capture_id: int
    role: str
    url: str
    status_code: int
    content_type: str
    size: int
    truncated: bool
    md5: str
    sha1: str
    sha256: str
    pdq: str | None
    matches: list[dict[str, object]]


@dataclass(frozen=True)
class NoticeLine:
    """A notice that covered the report."""

    id: int
    kind: str
    recipient: str
    subject: str
    transport: str
    delivery_ref: str
    sent_at: datetime


@dataclass(frozen=True)
class ReportFile:
    """Everything about one report."""

    report: ReportLine
    ips: list[str]
    hosting_name: str
    abuse_contact: str | None
    escalation_contact: str | None
    country: str
    content_sha256: str | None
    stages: StageTimes
    submissions: tuple[SubmissionView, ...]
    decisions: tuple[DecisionView, ...]
    captures: tuple[CaptureView, ...]
    evidence: tuple[EvidenceObject, ...]
    notices: tuple[NoticeLine, ...]
    rechecks: tuple[RecheckView, ...]
    isp_requests: tuple[IspRequestView, ...]
    can_decide: bool
    actions: tuple[str, ...]


def _evidence(rows: list[CaptureObject]) -> tuple[EvidenceObject, ...]:
    return tuple(
        EvidenceObject(
            o.capture_id,
            o.role,
            o.url,
            o.status_code,
            o.content_type,
            o.size,
            o.truncated,
            o.md5,
            o.sha1,
            o.sha256,
            o.pdq,
            json.loads(o.matches or "[]"),
        )
        for o in rows
    )


def report_file(ctx: ServiceContext, report_id: int) -> ReportFile:
    """A report's file (police and hotline operators; viewing is audited).

    Raises:
        AccessDenied: the actor holds no queue role.
        NotFoundError: no such report.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_queue(actor)
        r = load_report(session, report_id)
        police = is_police(actor)
        decisions = session.execute(
            select(Decision).where(Decision.report_id == r.id).order_by(Decision.id)
        ).scalars()
        captures = list(
            session.execute(
                select(Capture).where(Capture.report_id == r.id).order_by(Capture.id)
            ).scalars()
        )
        objects = list(
            session.execute(
                select(CaptureObject)
                .where(CaptureObject.capture_id.in_([c.id for c in captures]))
                .order_by(CaptureObject.id)
            ).scalars()
        )
        notices = session.execute(
            select(Notice)
            .join(NoticeReport, NoticeReport.notice_id == Notice.id)
            .where(NoticeReport.report_id == r.id)
            .order_by(Notice.id)
        ).scalars()
        rechecks = session.execute(
            select(Recheck).where(Recheck.report_id == r.id).order_by(Recheck.id)
        ).scalars()
        record(
            session,
            actor=actor.username,
            action="takedown.report_view",
            object_type="takedown_report",
            object_id=r.id,
            clock=ctx.clock,
        )
        return ReportFile(
            report=report_line(r, ctx.clock()),
            ips=ips_of(r),
            hosting_name=r.hosting_name,
            abuse_contact=r.abuse_contact,
            escalation_contact=r.escalation_contact,
            country=r.country,
            content_sha256=r.content_sha256,
            stages=StageTimes(
                r.first_reported_at,
                r.preserved_at,
                r.decided_at,
                r.first_notice_at,
                r.removed_at,
                r.closed_at,
            ),
            submissions=submissions_for(session, r.id, police),
            decisions=tuple(decision_view(d, r) for d in decisions),
            captures=tuple(capture_view(c) for c in captures),
            evidence=_evidence(objects),
            notices=tuple(
                NoticeLine(
                    n.id, n.kind, n.abuse_contact, n.subject, n.transport, n.delivery_ref, n.sent_at
                )
                for n in notices
            ),
            rechecks=tuple(recheck_view(x) for x in rechecks),
            isp_requests=tuple(list_for_report(session, r.id)),
            can_decide=police,
            actions=DECISION_ACTIONS,
        )
