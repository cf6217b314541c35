"""Sign-in with a password and a TOTP code, throttling and server-side sessions.

Password hashing and TOTP codes are in ``credentials.py``; password change and TOTP
enrolment in ``accounts.py``.

Why sessions live in the database: signing out, changing a password or disabling a user must
end a session at once, on every server. The browser holds a random token; the server keeps
only its SHA-256, so a copy of the database does not let anyone sign in.

Why throttling counts failures per user name *and* per address: one stops guessing one
account's password, the other stops trying one password across many accounts. A throttled
attempt is refused before the password is even checked, so it reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sentinela.audit import record
from sentinela.db.users import User
from sentinela.db.workspace import LoginAttempt, WebSession
from sentinela.errors import AccessDenied
from sentinela.services.context import ServiceContext
from sentinela.services.credentials import (
    PasswordPolicy,
    totp_step,
    verify_password,
)


class AuthenticationFailed(AccessDenied):
    """Wrong user name, password or TOTP code (deliberately not saying which)."""


class SignInThrottled(AccessDenied):
    """Too many failed sign-ins: wait before trying again."""


class SessionExpired(AccessDenied):
    """The session token is unknown, ended or past its lifetime: sign in again."""


@dataclass(frozen=True)
class AuthPolicy:
    """Sign-in and session limits.

    Attributes:
        max_failures: failed sign-ins for one user name within ``failure_window`` before
            further attempts are refused.
        max_failures_per_address: the same, for one remote address.
        failure_window: how far back failures count.
        session_idle: a session unused this long ends.
        session_lifetime: a session ends this long after sign-in, used or not.
        password: password strength and hashing cost.
    """

    max_failures: int = 5
    max_failures_per_address: int = 20
    failure_window: timedelta = timedelta(minutes=15)
    session_idle: timedelta = timedelta(minutes=30)
    session_lifetime: timedelta = timedelta(hours=12)
    password: PasswordPolicy = field(default_factory=PasswordPolicy)


@dataclass(frozen=True)
class SignedIn:
    """A live session, as the web layer needs it."""

    session_id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class NewSession:
    """What a successful sign-in hands back: the token goes into the cookie, once."""

    token: str
    session: SignedIn


def token_hash(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _signed_in(ws: WebSession, user: User) -> SignedIn:
    return SignedIn(
        ws.id,
        user.username,
        user.display_name,
        tuple(sorted(user.role_names)),
        ws.csrf_token,
        ws.expires_at,
    )


def _recent_failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> int:
    return int(
        session.execute(
            select(func.count(LoginAttempt.id)).where(
                column == value,
                LoginAttempt.attempted_at >= since,
                LoginAttempt.outcome.not_in(("success", "throttled")),
            )
        ).scalar_one()
    )


def _throttled(session: Session, username: str, remote: str, now: datetime, p: AuthPolicy) -> bool:
    since = now - p.failure_window
    last_ok = session.execute(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.username == username, LoginAttempt.outcome == "success"
        )
    ).scalar_one()
    user_since = max(since, last_ok) if last_ok is not None else since
    if _recent_failures(session, LoginAttempt.username, username, user_since) >= p.max_failures:
        return True
    return bool(remote) and (
        _recent_failures(session, LoginAttempt.remote_addr, remote, since)
        >= p.max_failures_per_address
    )


def _check_credentials(
    session: Session,
    user: User | None,
    password: str,
    code: str,
    now: datetime,
    policy: PasswordPolicy,
) -> tuple[str, int | None]:
    """The outcome of checking a password and code, and the TOTP step that matched."""
    if not verify_password(user.password_hash if user else None, password, policy):
        return "bad_credentials", None
    if user is None or not user.active or not user.totp_secret:
        return "no_credentials", None
    step = totp_step(user.totp_secret, code, now)
    if step is None:
        return "bad_totp", None
    used = session.execute(
        select(func.max(LoginAttempt.totp_step)).where(
            LoginAttempt.user_id == user.id, LoginAttempt.outcome == "success"
        )
    ).scalar_one()
    if used is not None and step <= used:
        return "replayed_totp", step
    return "success", step


def sign_in(
    ctx: ServiceContext,
    username: str,
    password: str,
    code: str,
    *,
    remote_addr: str = "",
    policy: AuthPolicy | None = None,
) -> NewSession:
    """Check a password and TOTP code and open a session.

    Every attempt is recorded and audited, whether it succeeds or not.

    Raises:
        SignInThrottled: too many recent failures for this user name or address.
        AuthenticationFailed: any credential is wrong (the message never says which).
    """
    p = policy or AuthPolicy()
    username = username.strip().lower()[:64]
    remote = remote_addr[:64]
    with ctx.transaction() as session:
        now = ctx.clock()
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if _throttled(session, username, remote, now, p):
            outcome, step = "throttled", None
        else:
            outcome, step = _check_credentials(session, user, password, code, now, p.password)
        session.add(
            LoginAttempt(
                username=username,
                user_id=user.id if user else None,
                remote_addr=remote,
                attempted_at=now,
                outcome=outcome,
                totp_step=step if outcome == "success" else None,
            )
        )
        record(
            session,
            actor=username if outcome == "success" else "anonymous",
            action="auth.sign_in" if outcome == "success" else "auth.sign_in_failed",
            object_type="user",
            object_id=username,
            details={"outcome": outcome, "remote_addr": remote},
            clock=ctx.clock,
        )
        result: NewSession | None = None
        if outcome == "success" and user is not None:
            result = _open_session(session, user, remote, now, p)
    if outcome == "throttled":
        raise SignInThrottled("too many failed sign-ins; wait a few minutes and try again")
    if result is None:
        raise AuthenticationFailed("wrong user name, password or code")
    return result


def _open_session(
    session: Session, user: User, remote: str, now: datetime, p: AuthPolicy
) -> NewSession:
    token = secrets.token_urlsafe(32)
    ws = WebSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        remote_addr=remote,
        created_at=now,
        last_seen_at=now,
        expires_at=now + p.session_lifetime,
    )
    session.add(ws)
    session.flush()
    return NewSession(token, _signed_in(ws, user))


def resume_session(
    ctx: ServiceContext, token: str, *, policy: AuthPolicy | None = None
) -> SignedIn:
    """The live session for a token, refreshed.

    Raises:
        SessionExpired: no such session, or it ended, timed out or its user was disabled.
    """
    p = policy or AuthPolicy()
    with ctx.transaction() as session:
        now = ctx.clock()
        ws = session.execute(
            select(WebSession).where(WebSession.token_hash == token_hash(token))
        ).scalar_one_or_none()
        if ws is None or ws.ended_at is not None:
            raise SessionExpired("not signed in")
        user = session.get(User, ws.user_id)
        expired = now >= ws.expires_at or now - ws.last_seen_at > p.session_idle
        if expired or user is None or not user.active:
            end_session(session, ws, "expired", now, user.username if user else "system", ctx)
            live = None
        else:
            if now - ws.last_seen_at > timedelta(seconds=30):
                ws.last_seen_at = now
            live = _signed_in(ws, user)
    if live is None:
        raise SessionExpired("the session has expired; sign in again")
    return live


def end_session(
    session: Session, ws: WebSession, reason: str, now: datetime, actor: str, ctx: ServiceContext
) -> None:
    ws.ended_at = now
    ws.end_reason = reason
    record(
        session,
        actor=actor,
        action="auth.session_end",
        object_type="web_session",
        object_id=ws.id,
        details={"reason": reason},
        clock=ctx.clock,
    )


def sign_out(ctx: ServiceContext, session_id: int) -> None:
    """End the acting user's session."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        ws = session.get(WebSession, session_id)
        if ws is None or ws.user_id != actor.id:
            raise SessionExpired("not signed in")
        if ws.ended_at is None:
            end_session(session, ws, "signed_out", ctx.clock(), actor.username, ctx)


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token."""
    if not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


__all__ = [
    "AuthPolicy",
    "AuthenticationFailed",
    "NewSession",
    "SessionExpired",
    "SignInThrottled",
    "SignedIn",
    "csrf_matches",
    "end_session",
    "resume_session",
    "sign_in",
    "sign_out",
    "token_hash",
]
