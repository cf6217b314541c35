"""Police decisions on reports, and the default applied when a deadline passes.

The four decisions:

* ``take_down`` — notices go to the host, once the evidence is preserved;
* ``hold`` — nobody contacts the host until a date, for an investigation (a reason and an
  investigation reference are required); at that date the report moves on to take-down;
* ``refer_abroad`` — another country's police or hotline acts (to whom is recorded);
* ``not_illegal`` — closed.

A report may be decided while it awaits a decision or is held (a hold can be lifted early, or
extended). Every decision is a row of its own and an audit event; the first one sets the
report's ``decided_at`` stage timestamp, which is never moved afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import DECISION_ACTIONS, Decision, Report
from sentinela.errors import InvalidInputError
from sentinela.reporting.config import TakedownConfig
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_access import require_police
from sentinela.services.takedown_queue import load_report

#: States a report may be decided in.
DECIDABLE: tuple[str, ...] = ("awaiting_decision", "held")
#: The state each closing decision leaves a report in.
CLOSING_STATES = {"refer_abroad": "referred_abroad", "not_illegal": "not_illegal"}
#: The actor recorded when the default applies.
DEADLINE_ACTOR = "system:deadline"


@dataclass(frozen=True)
class DecisionInput:
    """An officer's decision.

    Attributes:
        action: one of :data:`~sentinela.db.reporting.DECISION_ACTIONS`.
        reason: why (required for a hold).
        investigation_ref: the investigation a hold serves (required for a hold).
        hold_until: when a hold ends (required for a hold, in the future).
        refer_to: the country or agency a report is referred to (required for a referral).
    """

    action: str
    reason: str = ""
    investigation_ref: str = ""
    hold_until: datetime | None = None
    refer_to: str = ""


@dataclass(frozen=True)
class DecisionView:
    """A recorded decision."""

    id: int
    report_id: int
    action: str
    reason: str
    investigation_ref: str
    hold_until: datetime | None
    refer_to: str
    by_default: bool
    decided_by: str
    decided_at: datetime
    report_status: str


def decision_view(decision: Decision, report: Report) -> DecisionView:
    """The view of a decision row."""
    return DecisionView(
        decision.id,
        decision.report_id,
        decision.action,
        decision.reason,
        decision.investigation_ref,
        decision.hold_until,
        decision.refer_to,
        decision.by_default,
        decision.decided_by,
        decision.decided_at,
        report.status,
    )


def _validate(decision: DecisionInput, now: datetime) -> None:
    if decision.action not in DECISION_ACTIONS:
        raise InvalidInputError(f"the decision must be one of {', '.join(DECISION_ACTIONS)}")
    if len(decision.reason) > 4000 or len(decision.investigation_ref) > 100:
        raise InvalidInputError("the reason or the investigation reference is too long")
    if len(decision.refer_to) > 200:
        raise InvalidInputError("the referral recipient is too long")
    if decision.action == "hold":
        if decision.hold_until is None or decision.hold_until <= now:
            raise InvalidInputError("a hold needs a date in the future")
        if not decision.reason.strip() or not decision.investigation_ref.strip():
            raise InvalidInputError("a hold needs a reason and an investigation reference")
    if decision.action == "refer_abroad" and not decision.refer_to.strip():
        raise InvalidInputError("a referral needs the country or agency it goes to")


def apply_decision(
    session: Session,
    report: Report,
    decision: DecisionInput,
    *,
    actor: str,
    now: datetime,
    by_default: bool,
    ctx: ServiceContext,
) -> Decision:
    """Record ``decision`` on ``report`` and move the report on (no permission check).

    The caller validated the decision and holds the transaction.
    """
    row = Decision(
        report_id=report.id,
        action=decision.action,
        reason=decision.reason.strip(),
        investigation_ref=decision.investigation_ref.strip(),
        hold_until=decision.hold_until if decision.action == "hold" else None,
        refer_to=decision.refer_to.strip(),
        by_default=by_default,
        decided_by=actor,
        decided_at=now,
    )
    session.add(row)
    if report.decided_at is None:
        report.decided_at = now
    if decision.action == "take_down":
        report.status, report.hold_until = "notice_pending", None
        report.next_notice_at = now
    elif decision.action == "hold":
        report.status, report.hold_until = "held", row.hold_until
        report.next_notice_at = None
    else:
        report.status = CLOSING_STATES[decision.action]
        report.hold_until, report.next_notice_at = None, None
        report.next_capture_at, report.closed_at = None, now
    session.flush()
    record(
        session,
        actor=actor,
        action="takedown.default_applied" if by_default else "takedown.decide",
        object_type="takedown_report",
        object_id=report.id,
        clock=ctx.clock,
        at=now,
        details={
            "decision": row.id,
            "action": row.action,
            "reason": row.reason,
            "investigation_ref": row.investigation_ref,
            "hold_until": row.hold_until.isoformat() if row.hold_until else None,
            "refer_to": row.refer_to,
            "deadline_at": report.deadline_at.isoformat(),
        },
    )
    return row


def decide(ctx: ServiceContext, report_id: int, decision: DecisionInput) -> DecisionView:
    """An officer decides on a report.

    Raises:
        AccessDenied: the actor is not police.
        NotFoundError: no such report.
        InvalidInputError: a malformed decision, or the report is past deciding.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_police(actor)
        report = load_report(session, report_id)
        now = ctx.clock()
        _validate(decision, now)
        if report.status not in DECIDABLE:
            raise InvalidInputError(f"report {report_id} is {report.status}: it cannot be decided")
        row = apply_decision(
            session, report, decision, actor=actor.username, now=now, by_default=False, ctx=ctx
        )
        return decision_view(row, report)


def default_decision(config: TakedownConfig, now: datetime) -> DecisionInput:
    """What applies when a report's deadline passes without a decision."""
    if config.default_action == "hold":
        return DecisionInput(
            action="hold",
            reason="decision deadline passed: default hold",
            investigation_ref="default",
            hold_until=now + timedelta(days=config.default_hold_days),
        )
    return DecisionInput(action="take_down", reason="decision deadline passed: default action")
