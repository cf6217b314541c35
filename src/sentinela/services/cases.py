"""Cases and their members."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.services.context import ServiceContext, get_user
from sentinela.services.permissions import (
    CASE_CREATORS,
    membership,
    require_member,
    require_member_or_admin,
    require_role,
)

_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
CASE_ROLES = ("lead", "member")


@dataclass(frozen=True)
class CaseView:
    """A case as callers see it."""

    number: str
    title: str
    unit: str
    status: str
    scheme: str
    created_at: datetime
    closed_at: datetime | None
    members: tuple[tuple[str, str], ...]
    exhibits: tuple[str, ...]


def _view(session: Session, case: Case) -> CaseView:
    labels = session.execute(
        select(Exhibit.label).where(Exhibit.case_id == case.id).order_by(Exhibit.id)
    ).scalars()
    return CaseView(
        case.number,
        case.title,
        case.unit,
        case.status,
        case.scheme,
        case.created_at,
        case.closed_at,
        tuple(sorted((m.user.username, m.case_role) for m in case.members)),
        tuple(labels),
    )


def create_case(
    ctx: ServiceContext, number: str, *, title: str, unit: str, scheme: str = "project_vic_us"
) -> CaseView:
    """Open a case; the creator becomes its lead member.

    Raises:
        InvalidInputError: malformed case number.
        AlreadyExistsError: the number is taken.
        AccessDenied: the actor may not open cases.
    """
    if not _NUMBER.match(number):
        raise InvalidInputError(f"case number {number!r} has characters that are not allowed")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *CASE_CREATORS)
        if session.execute(select(Case.id).where(Case.number == number)).first():
            raise AlreadyExistsError(f"case {number!r} already exists")
        now = ctx.clock()
        case = Case(number=number, title=title, unit=unit, scheme=scheme, created_at=now)
        case.members.append(Membership(user=actor, case_role="lead", added_at=now))
        session.add(case)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="case.create",
            object_type="case",
            object_id=number,
            case_number=number,
            details={"title": title, "unit": unit, "scheme": scheme},
            clock=ctx.clock,
        )
        return _view(session, case)


def list_cases(ctx: ServiceContext) -> list[CaseView]:
    """Cases the actor is a member of (administrators see every case's metadata)."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        query = select(Case).order_by(Case.number)
        if "admin" not in actor.role_names:
            query = query.join(Membership).where(Membership.user_id == actor.id)
        return [_view(session, c) for c in session.execute(query).scalars().unique()]


def show_case(ctx: ServiceContext, number: str) -> CaseView:
    """One case, for its members (and administrators, metadata only)."""
    with ctx.transaction() as session:
        case = require_member_or_admin(session, number, ctx.actor(session))
        return _view(session, case)


def close_case(ctx: ServiceContext, number: str) -> CaseView:
    """Close a case. Only its lead or an administrator may."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member_or_admin(session, number, actor)
        _require_lead_or_admin(session, case, actor.username)
        if case.status == "closed":
            raise InvalidInputError(f"case {number!r} is already closed")
        case.status = "closed"
        case.closed_at = ctx.clock()
        record(
            session,
            actor=actor.username,
            action="case.close",
            object_type="case",
            object_id=number,
            case_number=number,
            clock=ctx.clock,
        )
        return _view(session, case)


def _require_lead_or_admin(session: Session, case: Case, username: str) -> None:
    actor = get_user(session, username)
    if "admin" in actor.role_names:
        return
    m = membership(session, case, actor)
    if m is None or m.case_role != "lead":
        require_role(actor, "admin")


def add_member(
    ctx: ServiceContext, number: str, username: str, case_role: str = "member"
) -> CaseView:
    """Give a user need-to-know on a case."""
    if case_role not in CASE_ROLES:
        raise InvalidInputError(f"case role must be one of {', '.join(CASE_ROLES)}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member_or_admin(session, number, actor)
        _require_lead_or_admin(session, case, actor.username)
        user = get_user(session, username)
        if membership(session, case, user) is not None:
            raise AlreadyExistsError(f"{username!r} is already a member of case {number!r}")
        case.members.append(Membership(user=user, case_role=case_role, added_at=ctx.clock()))
        session.flush()
        record(
            session,
            actor=actor.username,
            action="case.member_add",
            object_type="case",
            object_id=number,
            case_number=number,
            details={"user": username, "case_role": case_role},
            clock=ctx.clock,
        )
        return _view(session, case)


def remove_member(ctx: ServiceContext, number: str, username: str) -> CaseView:
    """Withdraw a user's need-to-know on a case."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member_or_admin(session, number, actor)
        _require_lead_or_admin(session, case, actor.username)
        user = get_user(session, username)
        m = membership(session, case, user)
        if m is None:
            raise NotFoundError(f"{username!r} is not a member of case {number!r}")
        case.members.remove(m)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="case.member_remove",
            object_type="case",
            object_id=number,
            case_number=number,
            details={"user": username},
            clock=ctx.clock,
        )
        return _view(session, case)


__all__ = [
    "CaseView",
    "add_member",
    "close_case",
    "create_case",
    "list_cases",
    "remove_member",
    "require_member",
    "show_case",
]
