"""Preservation requests to ISPs: traffic data is kept for 6 to 24 months, then lost.

Each request records the ISP, what is asked for (addresses, ports, the time window), its
legal basis, the date by which the ISP must answer (``legal_deadline_at``) and the date the
data will be deleted (``data_expires_at``). The worker sends a reminder (an audit event the
queue shows) ``preservation_remind_days`` before the data expires, and marks a request
``lapsed`` once that date passes without an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import PreservationRequest
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_access import require_police, require_queue
from sentinela.services.takedown_queue import load_report
from sentinela.services.takedown_runtime import WORKER_ACTOR, TakedownRuntime


@dataclass(frozen=True)
class IspRequestInput:
    """A new preservation request.

    Attributes:
        isp: the provider asked.
        subject: what is to be kept (addresses, ports, time window).
        legal_basis: the legal provision or order.
        reference: the unit's reference.
        legal_deadline_at: when the ISP must answer by.
        data_expires_at: when the data would be deleted under the retention period.
        report_id: the report it concerns, if any.
    """

    isp: str
    subject: str
    legal_basis: str
    reference: str
    legal_deadline_at: datetime
    data_expires_at: datetime
    report_id: int | None = None


@dataclass(frozen=True)
class IspRequestView:
    """A recorded request."""

    id: int
    report_id: int | None
    isp: str
    subject: str
    legal_basis: str
    reference: str
    status: str
    requested_at: datetime
    legal_deadline_at: datetime
    data_expires_at: datetime
    reminded_at: datetime | None
    answered_at: datetime | None
    created_by: str


def _view(r: PreservationRequest) -> IspRequestView:
    return IspRequestView(
        r.id,
        r.report_id,
        r.isp,
        r.subject,
        r.legal_basis,
        r.reference,
        r.status,
        r.requested_at,
        r.legal_deadline_at,
        r.data_expires_at,
        r.reminded_at,
        r.answered_at,
        r.created_by,
    )


def _audit(
    ctx: ServiceContext, session: Session, actor: str, row: PreservationRequest, action: str
) -> None:
    record(
        session,
        actor=actor,
        action=action,
        object_type="isp_preservation_request",
        object_id=row.id,
        clock=ctx.clock,
        details={
            "isp": row.isp,
            "reference": row.reference,
            "report": row.report_id,
            "legal_deadline_at": row.legal_deadline_at.isoformat(),
            "data_expires_at": row.data_expires_at.isoformat(),
        },
    )


def request_preservation(ctx: ServiceContext, data: IspRequestInput) -> IspRequestView:
    """Record a preservation request sent to an ISP (police).

    Raises:
        AccessDenied: the actor is not police.
        NotFoundError: ``report_id`` names no report.
        InvalidInputError: empty fields, or dates in the past or out of order.
    """
    if not data.isp.strip() or not data.subject.strip() or not data.legal_basis.strip():
        raise InvalidInputError("the ISP, the subject and the legal basis are required")
    if len(data.isp) > 200 or len(data.reference) > 100:
        raise InvalidInputError("the ISP name or the reference is too long")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_police(actor)
        now = ctx.clock()
        if data.data_expires_at <= now or data.legal_deadline_at <= now:
            raise InvalidInputError("the deadline and the expiry must be in the future")
        if data.report_id is not None:
            load_report(session, data.report_id)
        row = PreservationRequest(
            report_id=data.report_id,
            isp=data.isp.strip(),
            subject=data.subject.strip(),
            legal_basis=data.legal_basis.strip(),
            reference=data.reference.strip(),
            requested_at=now,
            legal_deadline_at=data.legal_deadline_at,
            data_expires_at=data.data_expires_at,
            created_by=actor.username,
        )
        session.add(row)
        session.flush()
        _audit(ctx, session, actor.username, row, "isp_preservation.request")
        return _view(row)


def mark_answered(ctx: ServiceContext, request_id: int) -> IspRequestView:
    """Record that the ISP answered (police).

    Raises:
        AccessDenied: the actor is not police.
        NotFoundError: no such request.
        InvalidInputError: it is not open.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_police(actor)
        row = session.get(PreservationRequest, request_id)
        if row is None:
            raise NotFoundError(f"no preservation request {request_id}")
        if row.status != "open":
            raise InvalidInputError(f"preservation request {request_id} is {row.status}")
        row.status, row.answered_at = "answered", ctx.clock()
        _audit(ctx, session, actor.username, row, "isp_preservation.answered")
        return _view(row)


def list_requests(ctx: ServiceContext) -> list[IspRequestView]:
    """Every request, soonest expiry first (police and hotline operators).

    Raises:
        AccessDenied: the actor holds no queue role.
    """
    with ctx.transaction() as session:
        require_queue(ctx.actor(session))
        rows = session.execute(
            select(PreservationRequest).order_by(
                PreservationRequest.data_expires_at, PreservationRequest.id
            )
        ).scalars()
        return [_view(r) for r in rows]


def run_isp_reminders(ctx: ServiceContext, rt: TakedownRuntime) -> tuple[list[int], list[int]]:
    """Remind about open requests whose data expires soon; mark expired ones lapsed.

    Returns:
        The ids reminded, and the ids that lapsed.
    """
    ahead = timedelta(days=rt.config.preservation_remind_days)
    reminded: list[int] = []
    lapsed: list[int] = []
    with ctx.transaction() as session:
        now = ctx.clock()
        rows = session.execute(
            select(PreservationRequest)
            .where(
                PreservationRequest.status == "open",
                PreservationRequest.data_expires_at <= now + ahead,
            )
            .order_by(PreservationRequest.id)
        ).scalars()
        for row in list(rows):
            if row.data_expires_at <= now:
                row.status = "lapsed"
                _audit(ctx, session, WORKER_ACTOR, row, "isp_preservation.lapsed")
                lapsed.append(row.id)
            elif row.reminded_at is None:
                row.reminded_at = now
                _audit(ctx, session, WORKER_ACTOR, row, "isp_preservation.reminder")
                reminded.append(row.id)
    return reminded, lapsed


def list_for_report(session: Session, report_id: int) -> list[IspRequestView]:
    """The requests made about one report (the caller checked permissions)."""
    rows = session.execute(
        select(PreservationRequest)
        .where(PreservationRequest.report_id == report_id)
        .order_by(PreservationRequest.id)
    ).scalars()
    return [_view(r) for r in rows]
