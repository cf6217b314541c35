"""Partner hotlines and their API keys.

A key is shown once, when it is made, and only its SHA-256 is kept. Keys are 256 random
bits, so a plain SHA-256 is enough (no slow hash: there is nothing to guess), and a lookup
by hash costs one indexed query. The key's first characters (its prefix) are kept in clear
so that a person can tell keys apart in logs without seeing them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import HotlinePartner
from sentinela.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.reporting.errors import (
    KEY_INACTIVE,
    KEY_MALFORMED,
    KEY_MISSING,
    KEY_UNKNOWN,
    PartnerKeyRejected,
)
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role
from sentinela.services.takedown_access import PARTNER_ADMIN_ROLES

KEY_PREFIX = "sntp"
_KEY_ID = re.compile(r"^sntp_([0-9a-f]{8})_")
_REJECTED = "a valid partner API key is required"


@dataclass(frozen=True)
class PartnerView:
    """A partner hotline as administrators see it (never the key)."""

    name: str
    country: str
    key_prefix: str
    active: bool
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class NewKey:
    """A partner and its new key, shown once."""

    partner: PartnerView
    key: str


def _digest(key: str) -> str:
    return hashlib.sha256(key.strip().encode("utf-8")).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def _view(p: HotlinePartner) -> PartnerView:
    return PartnerView(p.name, p.country, p.key_prefix, p.active, p.created_at, p.last_used_at)


def _load(session: Session, name: str) -> HotlinePartner:
    partner = session.execute(
        select(HotlinePartner).where(HotlinePartner.name == name)
    ).scalar_one_or_none()
    if partner is None:
        raise NotFoundError(f"no partner hotline {name!r}")
    return partner


def add_partner(ctx: ServiceContext, name: str, country: str = "") -> NewKey:
    """Register a partner hotline and make its first key (administrators).

    Raises:
        AccessDenied: the actor is not an administrator.
        InvalidInputError: the name is empty or too long.
        AlreadyExistsError: a partner of that name exists.
    """
    clean = name.strip()
    if not clean or len(clean) > 100:
        raise InvalidInputError("a partner name has 1 to 100 characters")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *PARTNER_ADMIN_ROLES)
        exists = session.execute(select(HotlinePartner.id).where(HotlinePartner.name == clean))
        if exists.first() is not None:
            raise AlreadyExistsError(f"partner hotline {clean!r} already exists")
        prefix, key = _new_key()
        partner = HotlinePartner(
            name=clean,
            country=country.strip().upper()[:8],
            key_prefix=prefix,
            key_sha256=_digest(key),
            created_at=ctx.clock(),
            created_by=actor.username,
        )
        session.add(partner)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="partner.add",
            object_type="hotline_partner",
            object_id=partner.id,
            clock=ctx.clock,
            details={"name": clean, "country": partner.country, "key_prefix": prefix},
        )
        return NewKey(_view(partner), key)


def rotate_key(ctx: ServiceContext, name: str) -> NewKey:
    """Replace a partner's key; the old one stops working at once (administrators).

    Raises:
        AccessDenied: the actor is not an administrator.
        NotFoundError: no such partner.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *PARTNER_ADMIN_ROLES)
        partner = _load(session, name)
        old = partner.key_prefix
        partner.key_prefix, key = _new_key()
        partner.key_sha256 = _digest(key)
        record(
            session,
            actor=actor.username,
            action="partner.rotate_key",
            object_type="hotline_partner",
            object_id=partner.id,
            clock=ctx.clock,
            details={"old_prefix": old, "new_prefix": partner.key_prefix},
        )
        return NewKey(_view(partner), key)


def set_active(ctx: ServiceContext, name: str, active: bool) -> PartnerView:
    """Suspend or restore a partner (administrators).

    Raises:
        AccessDenied: the actor is not an administrator.
        NotFoundError: no such partner.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *PARTNER_ADMIN_ROLES)
        partner = _load(session, name)
        partner.active = active
        record(
            session,
            actor=actor.username,
            action="partner.activate" if active else "partner.suspend",
            object_type="hotline_partner",
            object_id=partner.id,
            clock=ctx.clock,
        )
        return _view(partner)


def list_partners(ctx: ServiceContext) -> list[PartnerView]:
    """Every partner hotline (administrators).

    Raises:
        AccessDenied: the actor is not an administrator.
    """
    with ctx.transaction() as session:
        require_role(ctx.actor(session), *PARTNER_ADMIN_ROLES)
        rows = session.execute(select(HotlinePartner).order_by(HotlinePartner.name)).scalars()
        return [_view(p) for p in rows]


def _key_id(key: str) -> str | None:
    """The key's public id (its prefix) when it has the key format, else ``None``."""
    found = _KEY_ID.match(key)
    return found.group(1) if found else None


def partner_for_key(session: Session, key: str | None) -> HotlinePartner:
    """The active partner holding ``key``.

    Raises:
        PartnerKeyRejected: no key, an unknown key, or a suspended partner (one message; the
            reason is on the exception for :func:`audit_rejected_key`).
    """
    if not key:
        raise PartnerKeyRejected(_REJECTED, KEY_MISSING)
    prefix = _key_id(key)
    if prefix is None or len(key) > 200:
        raise PartnerKeyRejected(_REJECTED, KEY_MALFORMED)
    partner = session.execute(
        select(HotlinePartner).where(HotlinePartner.key_sha256 == _digest(key))
    ).scalar_one_or_none()
    if partner is None:
        raise PartnerKeyRejected(_REJECTED, KEY_UNKNOWN, prefix)
    if not partner.active:
        raise PartnerKeyRejected(_REJECTED, KEY_INACTIVE, prefix, partner.id, partner.name)
    return partner


def audit_rejected_key(ctx: ServiceContext, exc: PartnerKeyRejected) -> None:
    """Write the audit event for a refused partner key, in a transaction of its own.

    Why its own: the refused call's transaction rolls back, and the attempt must stay on
    record. The details hold the reason and at most the key's public prefix, never the key.
    A call without any key is not recorded (there is nothing to attribute it to).
    """
    if exc.reason == KEY_MISSING:
        return
    details: dict[str, str] = {"reason": exc.reason}
    if exc.key_prefix is not None:
        details["key_prefix"] = exc.key_prefix
    with ctx.transaction() as session:
        record(
            session,
            actor=f"partner:{exc.partner_name}" if exc.partner_name else "partner:unknown",
            action="partner.key_rejected",
            object_type="hotline_partner",
            object_id=exc.partner_id if exc.partner_id is not None else "unknown",
            clock=ctx.clock,
            details=details,
        )


def authenticate_partner(ctx: ServiceContext, key: str | None) -> PartnerView:
    """The active partner holding ``key``; a refusal is audited before it is raised.

    Raises:
        PartnerKeyRejected: no key, an unknown key, or a suspended partner.
    """
    try:
        with ctx.transaction() as session:
            return _view(partner_for_key(session, key))
    except PartnerKeyRejected as exc:
        audit_rejected_key(ctx, exc)
        raise
