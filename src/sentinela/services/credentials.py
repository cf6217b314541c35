"""Password hashing (argon2id) and TOTP codes (RFC 6238), with no state of their own.

Why a dummy hash: when a user name does not exist, a password is still verified, against a
hash made with the same cost, so the answer takes as long as for a real account and the time
it takes does not reveal which user names exist.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import pyotp
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from sentinela.errors import InvalidInputError

TOTP_PERIOD_S = 30
TOTP_DIGITS = 6


@dataclass(frozen=True)
class PasswordPolicy:
    """Password strength and argon2id cost.

    The defaults are argon2-cffi's (RFC 9106 "low memory" profile: 3 passes, 64 MiB, 4 lanes).
    Lower them only in tests.
    """

    min_length: int = 12
    max_length: int = 1024
    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4


@dataclass(frozen=True)
class TotpEnrolment:
    """A new TOTP secret and the ``otpauth://`` URI an authenticator app reads."""

    secret: str
    uri: str


@lru_cache(maxsize=8)
def _hasher(policy: PasswordPolicy) -> PasswordHasher:
    return PasswordHasher(
        time_cost=policy.time_cost,
        memory_cost=policy.memory_cost_kib,
        parallelism=policy.parallelism,
        type=Type.ID,
    )


@lru_cache(maxsize=8)
def _dummy_hash(policy: PasswordPolicy) -> str:
    return _hasher(policy).hash("sentinela-dummy-password-for-timing")


def hash_password(password: str, policy: PasswordPolicy | None = None) -> str:
    """An argon2id hash of ``password`` (salted, with its parameters encoded)."""
    return _hasher(policy or PasswordPolicy()).hash(password)


def verify_password(
    stored: str | None, password: str, policy: PasswordPolicy | None = None
) -> bool:
    """Whether ``password`` matches ``stored``; a missing hash never matches (in equal time)."""
    p = policy or PasswordPolicy()
    if len(password) > p.max_length:
        return False
    try:
        return _hasher(p).verify(stored or _dummy_hash(p), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str, username: str, policy: PasswordPolicy) -> None:
    """Refuse a password that is too short, too long or built from the user name.

    Raises:
        InvalidInputError: naming the rule that failed.
    """
    if len(password) < policy.min_length:
        raise InvalidInputError(f"the password must have at least {policy.min_length} characters")
    if len(password) > policy.max_length:
        raise InvalidInputError(f"the password must have at most {policy.max_length} characters")
    if username and username.lower() in password.lower():
        raise InvalidInputError("the password must not contain the user name")
    if len(set(password)) < 5:
        raise InvalidInputError("the password must use at least 5 different characters")


def new_totp_secret(username: str, issuer: str = "Sentinela") -> TotpEnrolment:
    """A fresh random TOTP secret (160 bits, base32) for ``username``."""
    secret = pyotp.random_base32(32)
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)
    return TotpEnrolment(secret, uri)


def totp_code(secret: str, at: datetime) -> str:
    """The code an authenticator shows at ``at`` (for enrolment checks and tests)."""
    return pyotp.TOTP(secret).at(at)


def totp_step(secret: str, code: str, now: datetime, window: int = 1) -> int | None:
    """The time step whose code is ``code``, within ``window`` steps of ``now``, else None.

    The step is returned so that a code, once used, can be refused a second time.
    """
    given = code.replace(" ", "")
    if len(given) != TOTP_DIGITS or not given.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // TOTP_PERIOD_S
    for step in range(current - window, current + window + 1):
        if hmac.compare_digest(totp.at(step * TOTP_PERIOD_S), given):
            return step
    return None
