"""Role and need-to-know checks shared by every service."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case, Membership
from sentinela.db.users import User
from sentinela.errors import AccessDenied, NotFoundError

#: Roles that may open cases.
CASE_CREATORS = frozenset({"admin", "examiner", "victim_id_specialist", "investigator"})


def require_role(user: User, *roles: str) -> None:
    """Raise AccessDenied unless ``user`` holds one of ``roles``."""
    if not user.role_names & set(roles):
        raise AccessDenied(f"user {user.username!r} needs one of the roles: {', '.join(roles)}")


def membership(session: Session, case: Case, user: User) -> Membership | None:
    """The user's membership of the case, if any."""
    return session.execute(
        select(Membership).where(Membership.case_id == case.id, Membership.user_id == user.id)
    ).scalar_one_or_none()


def load_case(session: Session, number: str) -> Case:
    """Load a case by number.

    Raises:
        NotFoundError: no such case.
    """
    case = session.execute(select(Case).where(Case.number == number)).scalar_one_or_none()
    if case is None:
        raise NotFoundError(f"no case {number!r}")
    return case


def require_member(session: Session, number: str, user: User) -> Case:
    """Load a case the user is a member of.

    Need-to-know is per case: an administrator who is not a member is refused too. The
    error is the same whether or not the case exists, so it leaks nothing.

    Raises:
        AccessDenied: the case does not exist or the user is not a member.
    """
    case = session.execute(select(Case).where(Case.number == number)).scalar_one_or_none()
    if case is None or membership(session, case, user) is None:
        raise AccessDenied(f"user {user.username!r} is not a member of case {number!r}")
    return case


def require_member_or_admin(session: Session, number: str, user: User) -> Case:
    """Load a case for metadata-only actions that administrators may also take."""
    if "admin" in user.role_names:
        return load_case(session, number)
    return require_member(session, number, user)
