"""User administration."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sentinela.audit import record
from sentinela.db.users import ROLES, User, UserRole
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.services.context import SYSTEM_ACTOR, ServiceContext, count_users, get_user
from sentinela.services.permissions import require_role

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class UserView:
    """What callers get back about a user."""

    username: str
    display_name: str
    unit: str
    roles: tuple[str, ...]
    active: bool


def _view(user: User) -> UserView:
    return UserView(
        user.username, user.display_name, user.unit, tuple(sorted(user.role_names)), user.active
    )


def _check_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInputError(f"unknown role(s) {', '.join(unknown)}; known: {', '.join(ROLES)}")
    return sorted(set(roles))


def add_user(
    ctx: ServiceContext,
    username: str,
    *,
    display_name: str = "",
    roles: list[str],
    unit: str = "",
    email: str = "",
) -> UserView:
    """Create a user.

    The very first user of an installation is created by the system (bootstrap) and must
    be an administrator; every later user is created by an administrator.

    Raises:
        InvalidInputError: malformed name or unknown role.
        AlreadyExistsError: the name is taken.
        AccessDenied: the actor is not an administrator.
    """
    if not _USERNAME.match(username):
        raise InvalidInputError(
            f"user name {username!r} must be 2-64 lower-case letters, digits, '.', '_' or '-'"
        )
    role_list = _check_roles(roles)
    with ctx.transaction() as session:
        if count_users(session) == 0:
            if "admin" not in role_list:
                raise InvalidInputError("the first user must have the admin role")
            actor_name = SYSTEM_ACTOR
        else:
            actor = ctx.actor(session)
            require_role(actor, "admin")
            actor_name = actor.username
        if session.execute(select(User.id).where(User.username == username)).first():
            raise AlreadyExistsError(f"user {username!r} already exists")
        user = User(
            username=username,
            display_name=display_name or username,
            unit=unit,
            email=email,
            created_at=ctx.clock(),
            roles=[UserRole(role=r) for r in role_list],
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise AlreadyExistsError(f"user {username!r} already exists") from None
        record(
            session,
            actor=actor_name,
            action="user.add",
            object_type="user",
            object_id=username,
            details={"roles": role_list, "unit": unit},
            clock=ctx.clock,
        )
        return _view(user)


def set_roles(ctx: ServiceContext, username: str, roles: list[str]) -> UserView:
    """Replace a user's roles (administrators only)."""
    role_list = _check_roles(roles)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        user = get_user(session, username)
        before = sorted(user.role_names)
        user.roles.clear()
        session.flush()
        user.roles.extend(UserRole(role=r) for r in role_list)
        record(
            session,
            actor=actor.username,
            action="user.roles",
            object_type="user",
            object_id=username,
            details={"before": before, "after": role_list},
            clock=ctx.clock,
        )
        session.flush()
        return _view(user)


def list_users(ctx: ServiceContext) -> list[UserView]:
    """Every user (administrators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin")
        users = session.execute(select(User).order_by(User.username)).scalars().all()
        return [_view(u) for u in users]
