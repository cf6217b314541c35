"""Queries over the national store."""

from __future__ import annotations

from sqlalchemy import func, select

from sentinela.db.media import Occurrence
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import load_exhibit
from sentinela.services.permissions import require_member


def distinct_media_count(ctx: ServiceContext, case_number: str, label: str) -> int:
    """How many distinct media an exhibit holds."""
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        exhibit = load_exhibit(session, case, label)
        return int(
            session.execute(
                select(func.count(func.distinct(Occurrence.media_id))).where(
                    Occurrence.exhibit_id == exhibit.id
                )
            ).scalar_one()
        )
