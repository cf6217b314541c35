"""Builders for the takedown service tests: users with takedown roles, a runtime, helpers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.services.context import ServiceContext
from sentinela.services.users import add_user

#: ivan is police (investigator), hana a hotline operator; alice and bob are examiners (police).
INVESTIGATOR = "ivan"
OPERATOR = "hana"


def add_takedown_users(ctx: ServiceContext) -> None:
    """Add ivan (investigator) and hana (hotline operator)."""
    admin = ctx.with_actor("admin")
    add_user(admin, INVESTIGATOR, roles=["investigator"])
    add_user(admin, OPERATOR, roles=["hotline_operator"])


def events(ctx: ServiceContext, prefix: str = "") -> list[tuple[str, str, dict[str, Any]]]:
    """(actor, action, details) of every audit event whose action starts with ``prefix``."""
    with ctx.transaction() as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
        return [
            (e.actor, e.action, json.loads(e.details)) for e in rows if e.action.startswith(prefix)
        ]


def actions(ctx: ServiceContext, prefix: str = "takedown.") -> list[str]:
    """The actions of the audit events starting with ``prefix``, in order."""
    return [a for _, a, _ in events(ctx, prefix)]
