"""After de-confliction: asking a holding case for need-to-know, and the holder's side.

A request goes to the owning unit's case leads. A lead grants it (the requester becomes a
member of the case, audited as ``case.member_add`` in the same transaction) or refuses it with
a note. A case's members see its holder page: requests, notifications of checks by other units,
the identifiers it records and its de-confliction preferences, which only a lead may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.users import User
from sentinela.db.victim_id import (
    DECONFLICTION_KINDS,
    AccessRequest,
    CaseIdentifier,
    HolderNotification,
    HolderPreference,
)
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import load_case, membership, require_member
from sentinela.services.victim_id_access import DECONFLICTION_ROLES, require_roles

MAX_REASON = 2000


@dataclass(frozen=True)
class AccessRequestView:
    """One request for need-to-know on a case."""

    request_id: int
    case_number: str
    requester: str
    requester_unit: str
    subject_kind: str
    subject_ref: str
    reason: str
    status: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


@dataclass(frozen=True)
class NotificationView:
    """Another unit checked something this case holds."""

    checked_by: str
    checker_unit: str
    subject_kind: str
    subject_ref: str
    checked_at: datetime


@dataclass(frozen=True)
class IdentifierView:
    """An identifier the case records."""

    kind: str
    value: str
    recorded_at: datetime


@dataclass(frozen=True)
class HolderPage:
    """What a case's members see of de-confliction, and what its leads may change."""

    case_number: str
    unit: str
    you_lead: bool
    contact: str
    notify_on_check: bool
    requests: tuple[AccessRequestView, ...]
    notifications: tuple[NotificationView, ...]
    identifiers: tuple[IdentifierView, ...]


def _view(session: Session, req: AccessRequest) -> AccessRequestView:
    case = session.get(Case, req.case_id)
    requester = session.get(User, req.requester_id)
    decider = session.get(User, req.decided_by) if req.decided_by is not None else None
    return AccessRequestView(
        req.id,
        case.number if case is not None else "",
        requester.username if requester is not None else "",
        req.requester_unit,
        req.subject_kind,
        req.subject_ref,
        req.reason,
        req.status,
        req.requested_at,
        decider.username if decider is not None else None,
        req.decided_at,
        req.decision_note,
    )


def request_access(
    ctx: ServiceContext, case_number: str, subject_kind: str, subject_ref: str, reason: str
) -> AccessRequestView:
    """Ask a holding case's leads for need-to-know (audited in that case's trail).

    Raises:
        InvalidInputError: unknown kind, no reason, or the actor is already a member.
        NotFoundError: no such case.
        AccessDenied: the actor may not de-conflict.
        AlreadyExistsError: the actor already has a pending request for the case.
    """
    reason = reason.strip()
    if subject_kind not in DECONFLICTION_KINDS:
        raise InvalidInputError(f"kind must be one of {', '.join(DECONFLICTION_KINDS)}")
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInputError(f"give a reason of 1 to {MAX_REASON} characters")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, DECONFLICTION_ROLES)
        case = load_case(session, case_number)
        if membership(session, case, actor) is not None:
            raise InvalidInputError(f"you are already a member of case {case_number!r}")
        pending = session.execute(
            select(AccessRequest.id).where(
                AccessRequest.case_id == case.id,
                AccessRequest.requester_id == actor.id,
                AccessRequest.status == "pending",
            )
        ).first()
        if pending is not None:
            raise AlreadyExistsError(f"you already asked case {case_number!r} for access")
        req = AccessRequest(
            case_id=case.id,
            requester_id=actor.id,
            requester_unit=actor.unit,
            subject_kind=subject_kind,
            subject_ref=subject_ref.strip()[:300],
            reason=reason,
            requested_at=ctx.clock(),
        )
        session.add(req)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="access_request.create",
            object_type="access_request",
            object_id=req.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"subject_kind": subject_kind, "subject_ref": req.subject_ref},
        )
        return _view(session, req)


def require_request_lead(session: Session, request_id: int, user: User) -> AccessRequest:
    """Load a request the user may decide: they lead the case it was sent to.

    Raises:
        AccessDenied: no such request, or the user does not lead its case (same answer).
    """
    req = session.get(AccessRequest, request_id)
    case = session.get(Case, req.case_id) if req is not None else None
    m = membership(session, case, user) if case is not None else None
    if req is None or m is None or m.case_role != "lead":
        raise AccessDenied(f"access request {request_id} is not yours to decide")
    return req


def decide_access_request(
    ctx: ServiceContext, request_id: int, *, grant: bool, note: str = ""
) -> AccessRequestView:
    """Grant (the requester joins the case) or refuse a pending request (audited).

    Raises:
        AccessDenied: the actor does not lead the request's case.
        InvalidInputError: the request was already decided.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        req = require_request_lead(session, request_id, actor)
        if req.status != "pending":
            raise InvalidInputError(f"access request {request_id} was already {req.status}")
        case = session.get(Case, req.case_id)
        requester = session.get(User, req.requester_id)
        if case is None or requester is None:  # pragma: no cover - foreign keys
            raise NotFoundError(f"access request {request_id} is dangling")
        now = ctx.clock()
        req.status = "granted" if grant else "refused"
        req.decided_by, req.decided_at, req.decision_note = actor.id, now, note.strip()
        if grant and membership(session, case, requester) is None:
            session.add(Membership(case_id=case.id, user_id=requester.id, added_at=now))
            record(
                session,
                actor=actor.username,
                action="case.member_add",
                object_type="case",
                object_id=case.number,
                case_number=case.number,
                clock=ctx.clock,
                details={"user": requester.username, "case_role": "member", "request": req.id},
            )
        session.flush()
        record(
            session,
            actor=actor.username,
            action=f"access_request.{req.status}",
            object_type="access_request",
            object_id=req.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"requester": requester.username},
        )
        return _view(session, req)


def my_requests(ctx: ServiceContext) -> list[AccessRequestView]:
    """The requests the actor made, newest first."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        rows = session.execute(
            select(AccessRequest)
            .where(AccessRequest.requester_id == actor.id)
            .order_by(AccessRequest.requested_at.desc(), AccessRequest.id.desc())
        ).scalars()
        return [_view(session, r) for r in rows]


def set_holder_preferences(
    ctx: ServiceContext, case_number: str, *, contact: str, notify_on_check: bool
) -> None:
    """Set how the case is reached and whether it is told of checks; leads only (audited).

    Raises:
        AccessDenied: the actor is not a lead of the case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        m = membership(session, case, actor)
        if m is None or m.case_role != "lead":
            raise AccessDenied(f"only a lead of case {case_number!r} may change this")
        pref = session.get(HolderPreference, case.id)
        if pref is None:
            pref = HolderPreference(case_id=case.id, updated_by=actor.id, updated_at=ctx.clock())
            session.add(pref)
        pref.contact, pref.notify_on_check = contact.strip()[:300], notify_on_check
        pref.updated_by, pref.updated_at = actor.id, ctx.clock()
        record(
            session,
            actor=actor.username,
            action="deconfliction.preferences",
            object_type="case",
            object_id=case.number,
            case_number=case.number,
            clock=ctx.clock,
            details={"contact": pref.contact, "notify_on_check": notify_on_check},
        )


def holder_page(ctx: ServiceContext, case_number: str) -> HolderPage:
    """A case's de-confliction page for its members (audited).

    Raises:
        AccessDenied: not a member of the case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        m = membership(session, case, actor)
        pref = session.get(HolderPreference, case.id)
        requests = session.execute(
            select(AccessRequest)
            .where(AccessRequest.case_id == case.id)
            .order_by(AccessRequest.status != "pending", AccessRequest.requested_at.desc())
        ).scalars()
        notes = session.execute(
            select(HolderNotification, User.username)
            .join(User, User.id == HolderNotification.checked_by)
            .where(HolderNotification.case_id == case.id)
            .order_by(HolderNotification.checked_at.desc())
            .limit(100)
        ).all()
        idents = session.execute(
            select(CaseIdentifier)
            .where(CaseIdentifier.case_id == case.id)
            .order_by(CaseIdentifier.kind, CaseIdentifier.normalised)
        ).scalars()
        record(
            session,
            actor=actor.username,
            action="deconfliction.holder_view",
            object_type="case",
            object_id=case.number,
            case_number=case.number,
            clock=ctx.clock,
        )
        return HolderPage(
            case.number,
            case.unit,
            m is not None and m.case_role == "lead",
            pref.contact if pref is not None else "",
            pref.notify_on_check if pref is not None else False,
            tuple(_view(session, r) for r in requests),
            tuple(
                NotificationView(u, n.checker_unit, n.subject_kind, n.subject_ref, n.checked_at)
                for n, u in notes
            ),
            tuple(IdentifierView(i.kind, i.value, i.recorded_at) for i in idents),
        )
