"""Account credentials: password change and reset, TOTP enrolment.

Changing a credential ends the user's other sessions, so a stolen session does not outlive a
password change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.users import User
from sentinela.db.workspace import WebSession
from sentinela.errors import AccessDenied
from sentinela.services.auth import AuthenticationFailed, AuthPolicy, end_session
from sentinela.services.context import ServiceContext, get_user
from sentinela.services.credentials import (
    TotpEnrolment,
    check_password_strength,
    hash_password,
    new_totp_secret,
    verify_password,
)


def change_password(
    ctx: ServiceContext,
    current: str,
    new: str,
    *,
    keep_session_id: int | None = None,
    policy: AuthPolicy | None = None,
) -> int:
    """Change the acting user's own password; every other session of theirs ends.

    Returns:
        How many other sessions were ended.

    Raises:
        AuthenticationFailed: ``current`` is wrong.
        InvalidInputError: ``new`` is too weak.
    """
    p = policy or AuthPolicy()
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        ok = verify_password(actor.password_hash, current, p.password)
        if ok:
            check_password_strength(new, actor.username, p.password)
            actor.password_hash = hash_password(new, p.password)
            ended = _end_other_sessions(session, actor, keep_session_id, ctx)
        record(
            session,
            actor=actor.username,
            action="auth.password_change" if ok else "auth.password_change_failed",
            object_type="user",
            object_id=actor.username,
            details={"sessions_ended": ended if ok else 0},
            clock=ctx.clock,
        )
    if not ok:
        raise AuthenticationFailed("the current password is wrong")
    return ended


def _end_other_sessions(session: Session, user: User, keep: int | None, ctx: ServiceContext) -> int:
    rows = session.execute(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
    ).scalars()
    now = ctx.clock()
    ended = 0
    for ws in rows:
        if ws.id != keep:
            end_session(session, ws, "password_changed", now, user.username, ctx)
            ended += 1
    return ended


def _require_admin_or_self(actor: User, username: str) -> None:
    if actor.username != username and "admin" not in actor.role_names:
        raise AccessDenied(f"user {actor.username!r} may not change credentials of {username!r}")


def set_password(
    ctx: ServiceContext, username: str, password: str, *, policy: AuthPolicy | None = None
) -> None:
    """Set a user's password (administrators, or the user themself); their sessions end."""
    p = policy or AuthPolicy()
    check_password_strength(password, username, p.password)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        _require_admin_or_self(actor, username)
        user = get_user(session, username)
        user.password_hash = hash_password(password, p.password)
        _end_other_sessions(session, user, None, ctx)
        record(
            session,
            actor=actor.username,
            action="auth.password_set",
            object_type="user",
            object_id=username,
            clock=ctx.clock,
        )


def reset_totp(ctx: ServiceContext, username: str, *, issuer: str = "Sentinela") -> TotpEnrolment:
    """Give a user a new TOTP secret (administrators, or the user's first enrolment by
    themself); their sessions end. The secret is shown once, to be put in an authenticator."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        user = get_user(session, username)
        first_enrolment = actor.username == username and not user.totp_secret
        if not first_enrolment and "admin" not in actor.role_names:
            raise AccessDenied(f"user {actor.username!r} may not reset TOTP of {username!r}")
        enrolment = new_totp_secret(username, issuer)
        user.totp_secret = enrolment.secret
        _end_other_sessions(session, user, None, ctx)
        record(
            session,
            actor=actor.username,
            action="auth.totp_reset",
            object_type="user",
            object_id=username,
            clock=ctx.clock,
        )
        return enrolment


@dataclass(frozen=True)
class Enrolment:
    """Credentials issued at once (for a demo or a new account): shown once, never stored."""

    username: str
    password: str
    totp: TotpEnrolment


def enrol(
    ctx: ServiceContext,
    username: str,
    password: str | None = None,
    *,
    policy: AuthPolicy | None = None,
) -> Enrolment:
    """Set a password (a random one when ``password`` is None) and a new TOTP secret.

    Used by ``sentinela demo`` to print a one-time sign-in. Same permissions as
    :func:`set_password` and :func:`reset_totp`.
    """
    chosen = password if password is not None else secrets.token_urlsafe(12)
    set_password(ctx, username, chosen, policy=policy)
    return Enrolment(username, chosen, reset_totp(ctx, username))
