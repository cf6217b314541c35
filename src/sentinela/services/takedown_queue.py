"""The triage queue (reports grouped by host, soonest deadline first) and one report's file.

Viewing is audited: the queue and a report's file are case data in all but name. Reporters'
contact details are shown to police roles only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import PRIORITIES, Report, Submission, SubmissionUrl
from sentinela.errors import NotFoundError
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_access import is_police, require_queue

#: States that still need someone (shown in the queue by default).
OPEN_STATES: tuple[str, ...] = ("awaiting_decision", "held", "notice_pending", "notified")


@dataclass(frozen=True)
class ReportLine:
    """One report in the queue."""

    id: int
    url: str
    host: str
    priority: str
    status: str
    submissions: int
    first_reported_at: datetime
    deadline_at: datetime
    overdue: bool
    reminded: bool
    escalated: bool
    preserved_at: datetime | None
    notices_sent: int
    hold_until: datetime | None


@dataclass(frozen=True)
class HostGroup:
    """The reports on one host."""

    host: str
    hosting_name: str
    country: str
    earliest_deadline: datetime
    reports: tuple[ReportLine, ...]


@dataclass(frozen=True)
class TakedownQueue:
    """The queue: host groups and a count per state."""

    generated_at: datetime
    groups: tuple[HostGroup, ...]
    counts: dict[str, int]
    can_decide: bool


def report_line(report: Report, now: datetime) -> ReportLine:
    """The queue's view of a report."""
    return ReportLine(
        id=report.id,
        url=report.url,
        host=report.host,
        priority=report.priority,
        status=report.status,
        submissions=report.submissions,
        first_reported_at=report.first_reported_at,
        deadline_at=report.deadline_at,
        overdue=report.status == "awaiting_decision" and report.deadline_at <= now,
        reminded=report.reminded_at is not None,
        escalated=report.decision_escalated_at is not None,
        preserved_at=report.preserved_at,
        notices_sent=report.notices_sent,
        hold_until=report.hold_until,
    )


def _sort_key(report: Report) -> tuple[int, int, datetime]:
    waiting = 0 if report.status == "awaiting_decision" else 1
    return (waiting, PRIORITIES.index(report.priority), report.deadline_at)


def group_by_host(reports: list[Report], now: datetime) -> tuple[HostGroup, ...]:
    """Reports grouped by host; groups by their most pressing report, reports likewise."""
    by_host: dict[str, list[Report]] = {}
    for report in reports:
        by_host.setdefault(report.host, []).append(report)
    groups = []
    for host, items in by_host.items():
        items.sort(key=_sort_key)
        named = next((r for r in items if r.hosting_name), items[0])
        groups.append(
            HostGroup(
                host=host,
                hosting_name=named.hosting_name,
                country=named.country,
                earliest_deadline=min(r.deadline_at for r in items),
                reports=tuple(report_line(r, now) for r in items),
            )
        )
    groups.sort(key=lambda g: (_sort_key_group(g), g.earliest_deadline, g.host))
    return tuple(groups)


def _sort_key_group(group: HostGroup) -> int:
    return 0 if any(r.status == "awaiting_decision" for r in group.reports) else 1


def takedown_queue(ctx: ServiceContext, *, include_closed: bool = False) -> TakedownQueue:
    """The triage queue (police and hotline operators; viewing is audited).

    Raises:
        AccessDenied: the actor holds no queue role.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_queue(actor)
        query = select(Report)
        if not include_closed:
            query = query.where(Report.status.in_(OPEN_STATES))
        reports = list(session.execute(query).scalars())
        counts: dict[str, int] = {}
        for report in reports:
            counts[report.status] = counts.get(report.status, 0) + 1
        now = ctx.clock()
        record(
            session,
            actor=actor.username,
            action="takedown.queue_view",
            object_type="user",
            object_id=actor.username,
            clock=ctx.clock,
            details={"reports": len(reports), "include_closed": include_closed},
        )
        return TakedownQueue(now, group_by_host(reports, now), counts, is_police(actor))


def load_report(session: Session, report_id: int) -> Report:
    """A report by id.

    Raises:
        NotFoundError: no such report.
    """
    report = session.get(Report, report_id)
    if report is None:
        raise NotFoundError(f"no report {report_id}")
    return report


@dataclass(frozen=True)
class SubmissionView:
    """One submission naming the report, as an officer sees it."""

    id: int
    channel: str
    received_at: datetime
    description: str
    contact_name: str | None
    contact_email: str | None
    partner_reference: str
    language: str


def submissions_for(session: Session, report_id: int, police: bool) -> tuple[SubmissionView, ...]:
    """The submissions that named a report; contact details only for police."""
    rows = session.execute(
        select(Submission)
        .join(SubmissionUrl, SubmissionUrl.submission_id == Submission.id)
        .where(SubmissionUrl.report_id == report_id)
        .order_by(Submission.received_at, Submission.id)
    ).scalars()
    return tuple(
        SubmissionView(
            id=s.id,
            channel=s.channel,
            received_at=s.received_at,
            description=s.description,
            contact_name=s.contact_name if police else None,
            contact_email=s.contact_email if police else None,
            partner_reference=s.partner_reference,
            language=s.language,
        )
        for s in rows
    )


def ips_of(report: Report) -> list[str]:
    """The resolved addresses recorded by the last capture."""
    if not report.ips:
        return []
    value = json.loads(report.ips)
    return [str(v) for v in value] if isinstance(value, list) else []
