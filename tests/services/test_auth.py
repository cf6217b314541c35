"""Sign-in with password and TOTP, throttling, sessions and credential changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.audit import AuditEvent
from sentinela.db.users import User
from sentinela.db.workspace import LoginAttempt, WebSession
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services import accounts, auth
from sentinela.services.context import ServiceContext
from sentinela.services.credentials import PasswordPolicy, TotpEnrolment, totp_code

FAST = PasswordPolicy(time_cost=1, memory_cost_kib=8, parallelism=1)
POLICY = auth.AuthPolicy(password=FAST, max_failures=3, max_failures_per_address=6)
PASSWORD = "correct horse battery"


def enrol(ctx: ServiceContext, username: str, password: str = PASSWORD) -> TotpEnrolment:
    """Give a user a password and a TOTP secret (as the administrator)."""
    admin = ctx.with_actor("admin")
    accounts.set_password(admin, username, password, policy=POLICY)
    return accounts.reset_totp(admin, username)


def code(secret: str, clock: FakeClock) -> str:
    return totp_code(secret, clock.now)


def _outcomes(ctx: ServiceContext) -> list[str]:
    with ctx.transaction() as session:
        return list(
            session.execute(select(LoginAttempt.outcome).order_by(LoginAttempt.id)).scalars()
        )


def test_sign_in_resume_and_sign_out(ctx: ServiceContext, clock: FakeClock) -> None:
    secret = enrol(ctx, "alice").secret
    new = auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    assert new.session.username == "alice" and new.session.roles == ("examiner",)
    with ctx.transaction() as session:
        stored = session.execute(select(WebSession.token_hash)).scalar_one()
    assert stored == auth.token_hash(new.token) and new.token not in stored
    live = auth.resume_session(ctx, new.token, policy=POLICY)
    assert live.csrf_token == new.session.csrf_token
    auth.sign_out(ctx.with_actor("alice"), live.session_id)
    with pytest.raises(auth.SessionExpired):
        auth.resume_session(ctx, new.token, policy=POLICY)
    with ctx.transaction() as session:
        actions = list(session.execute(select(AuditEvent.action)).scalars())
    assert "auth.sign_in" in actions and "auth.session_end" in actions


def test_wrong_password_or_totp_is_refused_without_saying_which(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    secret = enrol(ctx, "alice").secret
    with pytest.raises(auth.AuthenticationFailed) as bad_password:
        auth.sign_in(ctx, "alice", "wrong password!", code(secret, clock), policy=POLICY)
    with pytest.raises(auth.AuthenticationFailed) as bad_code:
        auth.sign_in(ctx, "alice", PASSWORD, "000000", policy=POLICY)
    with pytest.raises(auth.AuthenticationFailed) as unknown:
        auth.sign_in(ctx, "nobody", PASSWORD, "123456", policy=POLICY)
    assert str(bad_password.value) == str(bad_code.value) == str(unknown.value)
    assert _outcomes(ctx) == ["bad_credentials", "bad_totp", "bad_credentials"]


def test_throttled_after_n_failures_even_with_right_credentials(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    secret = enrol(ctx, "alice").secret
    for _ in range(POLICY.max_failures):
        with pytest.raises(auth.AuthenticationFailed):
            auth.sign_in(ctx, "alice", "wrong password!", "000000", policy=POLICY)
    with pytest.raises(auth.SignInThrottled):
        auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    clock.advance(POLICY.failure_window + timedelta(seconds=1))
    assert auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY).token
    assert _outcomes(ctx)[-2:] == ["throttled", "success"]


def test_throttling_per_address_spans_user_names(ctx: ServiceContext) -> None:
    for i in range(POLICY.max_failures_per_address):
        with pytest.raises(auth.AuthenticationFailed):
            auth.sign_in(ctx, f"user{i}", "x" * 12, "000000", remote_addr="10.0.0.9", policy=POLICY)
    with pytest.raises(auth.SignInThrottled):
        auth.sign_in(ctx, "alice", "x" * 12, "000000", remote_addr="10.0.0.9", policy=POLICY)


def test_totp_code_cannot_be_replayed(ctx: ServiceContext, clock: FakeClock) -> None:
    secret = enrol(ctx, "alice").secret
    used = code(secret, clock)
    auth.sign_in(ctx, "alice", PASSWORD, used, policy=POLICY)
    with pytest.raises(auth.AuthenticationFailed):
        auth.sign_in(ctx, "alice", PASSWORD, used, policy=POLICY)
    assert _outcomes(ctx)[-1] == "replayed_totp"


def test_expired_session_idle_and_absolute(ctx: ServiceContext, clock: FakeClock) -> None:
    secret = enrol(ctx, "alice").secret
    first = auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    clock.advance(POLICY.session_idle + timedelta(seconds=5))
    with pytest.raises(auth.SessionExpired):
        auth.resume_session(ctx, first.token, policy=POLICY)
    second = auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    for _ in range(int(POLICY.session_lifetime / POLICY.session_idle) + 1):
        clock.advance(POLICY.session_idle - timedelta(minutes=1))
        try:
            auth.resume_session(ctx, second.token, policy=POLICY)
        except auth.SessionExpired:
            break
    else:
        pytest.fail("the session outlived its absolute lifetime")
    with ctx.transaction() as session:
        reasons = set(session.execute(select(WebSession.end_reason)).scalars())
    assert reasons == {"expired"}
    with pytest.raises(auth.SessionExpired):
        auth.resume_session(ctx, "not-a-token", policy=POLICY)


def test_disabled_user_session_ends(ctx: ServiceContext, clock: FakeClock) -> None:
    secret = enrol(ctx, "alice").secret
    new = auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    with ctx.transaction() as session:
        session.execute(select(User).where(User.username == "alice")).scalar_one().active = False
    with pytest.raises(auth.SessionExpired):
        auth.resume_session(ctx, new.token, policy=POLICY)


def test_password_change_ends_other_sessions(ctx: ServiceContext, clock: FakeClock) -> None:
    secret = enrol(ctx, "alice").secret
    keep = auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    clock.advance(timedelta(seconds=30))
    other = auth.sign_in(ctx, "alice", PASSWORD, code(secret, clock), policy=POLICY)
    alice = ctx.with_actor("alice")
    with pytest.raises(auth.AuthenticationFailed):
        accounts.change_password(alice, "not my password", "a new passphrase!", policy=POLICY)
    with pytest.raises(InvalidInputError):
        accounts.change_password(alice, PASSWORD, "short", policy=POLICY)
    ended = accounts.change_password(
        alice, PASSWORD, "a new passphrase!", keep_session_id=keep.session.session_id, policy=POLICY
    )
    assert ended == 1
    auth.resume_session(ctx, keep.token, policy=POLICY)
    with pytest.raises(auth.SessionExpired):
        auth.resume_session(ctx, other.token, policy=POLICY)
    clock.advance(timedelta(seconds=30))
    auth.sign_in(ctx, "alice", "a new passphrase!", code(secret, clock), policy=POLICY)


def test_credentials_are_admin_or_self(ctx: ServiceContext) -> None:
    with pytest.raises(AccessDenied):
        accounts.set_password(ctx.with_actor("bob"), "alice", PASSWORD, policy=POLICY)
    accounts.set_password(ctx.with_actor("bob"), "bob", PASSWORD, policy=POLICY)
    first = accounts.reset_totp(ctx.with_actor("bob"), "bob")  # first enrolment: self
    assert first.uri.startswith("otpauth://totp/") and "bob" in first.uri
    with pytest.raises(AccessDenied):  # a second one needs an administrator
        accounts.reset_totp(ctx.with_actor("bob"), "bob")
    with pytest.raises(InvalidInputError):
        accounts.set_password(ctx.with_actor("admin"), "bob", "bob-bob-bob-bob", policy=POLICY)


def test_enrol_issues_a_one_time_sign_in(ctx: ServiceContext, clock: FakeClock) -> None:
    issued = accounts.enrol(ctx.with_actor("admin"), "bob", policy=POLICY)
    assert len(issued.password) >= 12 and issued.totp.secret
    new = auth.sign_in(ctx, "bob", issued.password, code(issued.totp.secret, clock), policy=POLICY)
    assert new.session.username == "bob"
