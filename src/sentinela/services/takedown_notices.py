"""Notices to hosts: only after a decision, only once the evidence is preserved.

Reports whose notice is due (``next_notice_at``) are grouped by recipient and kind, and each
group becomes one :class:`~sentinela.db.reporting.Notice`, rendered from the templates and
handed to the configured transport. The first notice to a report is a ``notice``; while the
content stays up, a ``resend`` follows every ``resend_after_hours``; once
``escalate_after_notices`` have gone, the next ones are ``escalation`` notices, to the host's
escalation contact when the hosting table names one.

A report with no preserved capture is never notified: it is sent back to capture instead.
A notice is recorded as sent only if the transport accepted it (the send happens inside the
transaction that records it; a failure rolls the record back and is audited on its own).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import Notice, NoticeReport, Report
from sentinela.reporting.notices import NoticeContent, NoticeItem, render_notice
from sentinela.reporting.transports import NoticeDeliveryError
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_runtime import WORKER_ACTOR, TakedownRuntime

NOTIFIABLE: tuple[str, ...] = ("notice_pending", "notified")
GroupKey = tuple[str, str, str, str]  # kind, recipient, hosting name, country


@dataclass
class NoticeRun:
    """What one pass did: notice ids sent, report ids held back, delivery errors."""

    sent: list[int] = field(default_factory=list)
    not_preserved: list[int] = field(default_factory=list)
    no_contact: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _kind(report: Report, escalate_after: int) -> str:
    if report.notices_sent == 0:
        return "notice"
    return "escalation" if report.notices_sent >= escalate_after else "resend"


def _audit(ctx: ServiceContext, session: Session, report: Report, action: str) -> None:
    record(
        session,
        actor=WORKER_ACTOR,
        action=action,
        object_type="takedown_report",
        object_id=report.id,
        clock=ctx.clock,
        details={"status": report.status, "capture_attempts": report.capture_attempts},
    )


def _plan(ctx: ServiceContext, rt: TakedownRuntime, run: NoticeRun) -> dict[GroupKey, list[int]]:
    groups: dict[GroupKey, list[int]] = {}
    with ctx.transaction() as session:
        now = ctx.clock()
        due = session.execute(
            select(Report)
            .where(Report.status.in_(NOTIFIABLE), Report.next_notice_at <= now)
            .order_by(Report.id)
        ).scalars()
        for report in list(due):
            if report.preserved_at is None:
                report.next_notice_at = None
                if report.capture_attempts < rt.config.max_capture_attempts:
                    report.next_capture_at = report.next_capture_at or now
                _audit(ctx, session, report, "takedown.notice_blocked_unpreserved")
                run.not_preserved.append(report.id)
                continue
            kind = _kind(report, rt.config.notices.escalate_after_notices)
            recipient = report.abuse_contact
            if kind == "escalation" and report.escalation_contact:
                recipient = report.escalation_contact
            if not recipient:
                report.next_notice_at = None
                _audit(ctx, session, report, "takedown.notice_no_contact")
                run.no_contact.append(report.id)
                continue
            key = (kind, recipient, report.hosting_name, report.country)
            groups.setdefault(key, []).append(report.id)
    return groups


def _mark_sent(report: Report, kind: str, rt: TakedownRuntime, now: datetime) -> None:
    policy = rt.config.notices
    report.notices_sent += 1
    report.status = "notified"
    report.first_notice_at = report.first_notice_at or now
    report.last_notice_at = now
    report.next_notice_at = now + timedelta(hours=policy.resend_after_hours)
    report.next_recheck_at = report.next_recheck_at or now + timedelta(
        hours=policy.recheck_every_hours
    )
    if kind == "escalation":
        report.notice_escalated_at = report.notice_escalated_at or now


def _send_group(
    ctx: ServiceContext, rt: TakedownRuntime, key: GroupKey, report_ids: list[int], actor: str
) -> int:
    kind, recipient, hosting_name, country = key
    transport = rt.transport()
    with ctx.transaction() as session:
        now = ctx.clock()
        reports = list(
            session.execute(
                select(Report).where(Report.id.in_(report_ids)).order_by(Report.id)
            ).scalars()
        )
        notice = Notice(
            abuse_contact=recipient,
            hosting_name=hosting_name,
            kind=kind,
            transport=transport.name,
            subject="",
            body_sha256="",
            sent_at=now,
            sent_by=actor,
        )
        session.add(notice)
        session.flush()
        content = NoticeContent(
            notice_id=notice.id,
            kind=kind,
            sequence=max(r.notices_sent for r in reports) + 1,
            hosting_name=hosting_name,
            recipient=recipient,
            country=country,
            reporter=rt.config.notices.reporter_name,
            sent_at=now,
            items=tuple(
                NoticeItem(r.id, r.url, r.first_reported_at, r.content_sha256) for r in reports
            ),
        )
        outgoing = render_notice(content, rt.config.notices.sender)
        notice.subject = outgoing.subject[:300]
        notice.body_sha256 = hashlib.sha256(
            (outgoing.text + "\n" + outgoing.document).encode("utf-8")
        ).hexdigest()
        for report in reports:
            session.add(NoticeReport(notice_id=notice.id, report_id=report.id))
            _mark_sent(report, kind, rt, now)
        notice.delivery_ref = transport.send(outgoing, rt.config.notices, rt.outbox)[:300]
        record(
            session,
            actor=actor,
            action="takedown.notice_sent",
            object_type="takedown_notice",
            object_id=notice.id,
            clock=ctx.clock,
            at=now,
            details={
                "kind": kind,
                "recipient": recipient,
                "reports": [r.id for r in reports],
                "transport": transport.name,
                "body_sha256": notice.body_sha256,
                "delivery_ref": notice.delivery_ref,
            },
        )
        return notice.id


def _audit_failure(
    ctx: ServiceContext, key: GroupKey, report_ids: list[int], error: str, actor: str
) -> None:
    with ctx.transaction() as session:
        record(
            session,
            actor=actor,
            action="takedown.notice_failed",
            object_type="abuse_contact",
            object_id=key[1],
            clock=ctx.clock,
            details={"kind": key[0], "reports": report_ids, "error": error[:300]},
        )


def send_due_notices(
    ctx: ServiceContext, rt: TakedownRuntime, *, actor: str = WORKER_ACTOR
) -> NoticeRun:
    """Send every notice that is due, one per recipient and kind."""
    run = NoticeRun()
    for key, report_ids in _plan(ctx, rt, run).items():
        try:
            run.sent.append(_send_group(ctx, rt, key, report_ids, actor))
        except NoticeDeliveryError as exc:
            run.failed.append(str(exc))
            _audit_failure(ctx, key, report_ids, str(exc), actor)
    return run
