"""Decision deadlines by priority, reminders, escalation, the default on expiry, holds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.reporting import Decision, Report
from sentinela.reporting.config import TakedownConfig
from sentinela.services import reporting_partners
from sentinela.services.context import ServiceContext
from sentinela.services.reporting_intake import (
    ReportForm,
    submit_partner_report,
    submit_public_report,
)
from sentinela.services.takedown_deadlines import run_deadlines
from sentinela.services.takedown_decisions import DecisionInput, decide
from sentinela.services.takedown_queue import takedown_queue
from sentinela.services.takedown_runtime import TakedownRuntime
from tests.services.reporting_helpers import INVESTIGATOR, OPERATOR, actions, add_takedown_users

H = timedelta(hours=1)


def _rt(ctx: ServiceContext, **config: object) -> TakedownRuntime:
    return TakedownRuntime.build(ctx.settings, TakedownConfig.model_validate(config))


def test_reminder_escalation_then_default_take_down(ctx: ServiceContext, clock: FakeClock) -> None:
    add_takedown_users(ctx)
    rt = _rt(ctx)
    [url] = submit_public_report(ctx, ReportForm(urls=["http://d.test/1"]), rt.config).urls
    assert run_deadlines(ctx, rt).reminded == []
    clock.advance(66 * H)  # 6 h left: reminder
    run = run_deadlines(ctx, rt)
    assert (run.reminded, run.escalated, run.defaulted) == ([url.report_id], [], [])
    assert run_deadlines(ctx, rt).reminded == []  # once only
    clock.advance(5 * H)  # 1 h left: escalation
    assert run_deadlines(ctx, rt).escalated == [url.report_id]
    queue = takedown_queue(ctx.with_actor(OPERATOR))
    line = queue.groups[0].reports[0]
    assert line.reminded and line.escalated and not line.overdue
    clock.advance(H)
    run = run_deadlines(ctx, rt)
    assert run.defaulted == [url.report_id]
    with ctx.transaction() as session:
        report = session.get_one(Report, url.report_id)
        decision = session.execute(select(Decision)).scalar_one()
        assert (report.status, report.next_notice_at is not None) == ("notice_pending", True)
        assert (decision.action, decision.by_default, decision.decided_by) == (
            "take_down",
            True,
            "system:deadline",
        )
        assert report.decided_at == decision.decided_at
    assert actions(ctx) == [
        "takedown.deadline_reminder",
        "takedown.deadline_escalated",
        "takedown.queue_view",
        "takedown.default_applied",
    ]


def test_the_default_can_be_a_hold(sqlite_ctx: ServiceContext, clock: FakeClock) -> None:
    ctx = sqlite_ctx
    rt = _rt(ctx, default_action="hold", default_hold_days=10)
    [url] = submit_public_report(ctx, ReportForm(urls=["http://d.test/2"]), rt.config).urls
    clock.advance(73 * H)
    run_deadlines(ctx, rt)
    with ctx.transaction() as session:
        report = session.get_one(Report, url.report_id)
        assert report.status == "held"
        assert report.hold_until is not None
        assert report.hold_until - clock.now < timedelta(days=10)


@pytest.mark.parametrize(("priority", "hours"), [("urgent", 4), ("high", 24), ("low", 168)])
def test_deadlines_follow_priority(
    sqlite_ctx: ServiceContext, clock: FakeClock, priority: str, hours: int
) -> None:
    ctx = sqlite_ctx
    rt = _rt(ctx)
    key = reporting_partners.add_partner(ctx.with_actor("admin"), "P").key
    form = ReportForm(urls=["http://d.test/3"], priority=priority)
    [url] = submit_partner_report(ctx, key, form, rt.config).urls
    clock.advance((hours - 0.01) * H)
    assert run_deadlines(ctx, rt).defaulted == []
    clock.advance(0.02 * H)
    assert run_deadlines(ctx, rt).defaulted == [url.report_id]


def test_a_hold_ends_on_its_date_and_becomes_take_down(
    sqlite_ctx: ServiceContext, clock: FakeClock
) -> None:
    ctx = sqlite_ctx
    add_takedown_users(ctx)
    rt = _rt(ctx)
    [url] = submit_public_report(ctx, ReportForm(urls=["http://d.test/4"]), rt.config).urls
    decide(
        ctx.with_actor(INVESTIGATOR),
        url.report_id,
        DecisionInput(
            "hold", reason="surveillance", investigation_ref="INQ-9", hold_until=clock.now + 200 * H
        ),
    )
    clock.advance(100 * H)  # past the decision deadline: a decided report gets no default
    assert run_deadlines(ctx, rt).defaulted == []
    clock.advance(100 * H)
    assert run_deadlines(ctx, rt).holds_ended == [url.report_id]
    with ctx.transaction() as session:
        report = session.get_one(Report, url.report_id)
        assert (report.status, report.hold_until) == ("notice_pending", None)


def test_config_refuses_bad_deadlines(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="priorities"):
        TakedownConfig.model_validate({"decide_within_hours": {"high": 1}})
