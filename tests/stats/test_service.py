"""The statistics service: who may see what, audit, and bad requests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.db.users import User, UserRole
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services import statistics
from sentinela.services.context import ServiceContext
from tests.stats.helpers import AS_OF, Fixture

EARLIER = datetime(2026, 2, 1, tzinfo=UTC)  # before the fake clock's 2026-03-01


def _make_unit_head(ctx: ServiceContext, username: str) -> None:
    with ctx.transaction() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one()
        session.add(UserRole(user_id=user.id, role="unit_head"))


def _last_action(ctx: ServiceContext) -> tuple[str, str]:
    with ctx.transaction() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars()
        first = event.first()
        assert first is not None
        return first.action, first.actor


def test_only_unit_heads_and_admins(ctx: ServiceContext, fx: Fixture) -> None:
    with pytest.raises(AccessDenied):
        statistics.dashboard(ctx, period="2026")  # alice, an examiner
    with pytest.raises(AccessDenied):
        statistics.definitions(ctx)
    admin = ctx.with_actor("admin")
    board = statistics.dashboard(admin, period="2026-01", as_of=EARLIER)
    assert len(board.results) == 8 and board.as_of == EARLIER
    assert _last_action(ctx) == ("statistics.view", "admin")
    _make_unit_head(ctx, "bob")
    bob = ctx.with_actor("bob")
    view = statistics.dashboard(bob, period="2026-01", metrics=["analyst_throughput"])
    (people,) = view.results
    assert people.unit == "Unit B" and people.notes  # his own unit's people only


def test_bad_requests(sqlite_ctx: ServiceContext, sqlite_fx: Fixture) -> None:
    admin = sqlite_ctx.with_actor("admin")
    with pytest.raises(InvalidInputError, match="future"):
        statistics.dashboard(admin, period="2026", as_of=AS_OF)  # the clock is in 2026-03
    with pytest.raises(InvalidInputError, match="unknown unit"):
        statistics.dashboard(admin, unit="Unit Z")
    with pytest.raises(InvalidInputError, match="unknown metric"):
        statistics.dashboard(admin, metrics=["nope"])
    with pytest.raises(InvalidInputError):
        statistics.export_statistics(admin, fmt="xlsx")
    with pytest.raises(InvalidInputError, match="exactly one metric"):
        statistics.export_statistics(admin, fmt="csv", table="by_unit")
    with pytest.raises(InvalidInputError):
        statistics.annual_report_file(admin, 2025, fmt="docx")


def test_default_period_is_this_year(sqlite_ctx: ServiceContext, sqlite_fx: Fixture) -> None:
    board = statistics.dashboard(sqlite_ctx.with_actor("admin"), metrics=["victims_identified"])
    assert board.period == "2026" and board.unit is None


def test_exports_are_audited(sqlite_ctx: ServiceContext, sqlite_fx: Fixture) -> None:
    admin = sqlite_ctx.with_actor("admin")
    file = statistics.export_statistics(
        admin,
        fmt="csv",
        period="2026-01",
        unit="Unit A",
        metrics=["media_ingested"],
        table="by_unit",
    )
    assert file.filename == "statistics-2026-01-unit_a-media_ingested-by_unit.csv"
    assert file.content.startswith(b"unit,files")
    assert _last_action(sqlite_ctx) == ("statistics.export", "admin")
    report = statistics.annual_report_file(admin, 2025, fmt="json", as_of=EARLIER)
    assert report.media_type == "application/json"
    assert _last_action(sqlite_ctx) == ("statistics.annual_report", "admin")
