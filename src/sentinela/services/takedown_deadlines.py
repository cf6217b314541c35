"""Decision deadlines: the reminder, the escalation, and the default when time runs out;
and the end of holds.

Each step happens once per report and is stamped on it (``reminded_at``,
``decision_escalated_at``), so running the worker twice, or after a restart, does nothing
twice. The reminder and the escalation are audit events that the queue shows; the default is
a :class:`~sentinela.db.reporting.Decision` with ``by_default`` set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import Report
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_decisions import DEADLINE_ACTOR, apply_decision, default_decision
from sentinela.services.takedown_runtime import WORKER_ACTOR, TakedownRuntime


@dataclass
class DeadlineRun:
    """What one pass over the deadlines did (report ids)."""

    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    defaulted: list[int] = field(default_factory=list)
    holds_ended: list[int] = field(default_factory=list)


def _audit(
    ctx: ServiceContext, session: Session, report_id: int, action: str, details: dict[str, object]
) -> None:
    record(
        session,
        actor=WORKER_ACTOR,
        action=action,
        object_type="takedown_report",
        object_id=report_id,
        clock=ctx.clock,
        details=details,
    )


def run_deadlines(ctx: ServiceContext, rt: TakedownRuntime) -> DeadlineRun:
    """Remind, escalate, apply the default, and end holds whose date has come."""
    config = rt.config
    run = DeadlineRun()
    remind = timedelta(hours=config.remind_before_hours)
    escalate = timedelta(hours=config.escalate_before_hours)
    with ctx.transaction() as session:
        now = ctx.clock()
        waiting = session.execute(
            select(Report)
            .where(Report.status == "awaiting_decision", Report.deadline_at <= now + remind)
            .order_by(Report.deadline_at, Report.id)
        ).scalars()
        for report in list(waiting):
            left = report.deadline_at - now
            details: dict[str, object] = {
                "deadline_at": report.deadline_at.isoformat(),
                "priority": report.priority,
            }
            if report.deadline_at <= now:
                decision = default_decision(config, now)
                apply_decision(
                    session,
                    report,
                    decision,
                    actor=DEADLINE_ACTOR,
                    now=now,
                    by_default=True,
                    ctx=ctx,
                )
                run.defaulted.append(report.id)
                continue
            if report.reminded_at is None:
                report.reminded_at = now
                _audit(ctx, session, report.id, "takedown.deadline_reminder", details)
                run.reminded.append(report.id)
            if report.decision_escalated_at is None and left <= escalate:
                report.decision_escalated_at = now
                _audit(ctx, session, report.id, "takedown.deadline_escalated", details)
                run.escalated.append(report.id)
        held = session.execute(
            select(Report).where(Report.status == "held", Report.hold_until <= now)
        ).scalars()
        for report in list(held):
            until = report.hold_until
            report.status, report.hold_until, report.next_notice_at = "notice_pending", None, now
            _audit(
                ctx,
                session,
                report.id,
                "takedown.hold_ended",
                {"hold_until": until.isoformat() if until else None},
            )
            run.holds_ended.append(report.id)
    return run
