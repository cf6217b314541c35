"""Showing media (blurred by default, revealed on purpose) and the exposure ledger."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.audit import AuditEvent
from sentinela.db.media import Media
from sentinela.db.workspace import ExposureEvent
from sentinela.errors import AccessDenied, InvalidInputError, NotFoundError
from sentinela.services import cases, exposure
from sentinela.services.context import ServiceContext
from tests.services.workspace_helpers import add_user, seed_case


def _image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_blurred_is_greyscale_and_revealed_is_clear(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    item = seeded.groups[0][0]
    blurred = _image(exposure.show_media(ctx, "C-1", item, "blurred"))
    revealed = _image(exposure.show_media(ctx, "C-1", item, "revealed"))
    assert blurred.mode == "L" and revealed.mode == "RGB"
    assert blurred.size == revealed.size
    with ctx.transaction() as session:
        modes = list(
            session.execute(select(ExposureEvent.mode).order_by(ExposureEvent.id)).scalars()
        )
        actions = list(
            session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars()
        )
    assert modes == ["blurred", "revealed"]
    assert actions[-2:] == ["media.thumbnail", "media.reveal"]


def test_refusals_leave_no_trace(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx, members=())
    item = seeded.groups[0][0]
    with pytest.raises(AccessDenied):
        exposure.show_media(ctx.with_actor("bob"), "C-1", item, "revealed")
    with pytest.raises(AccessDenied):
        exposure.show_media(ctx, "C-1", item + 999, "revealed")
    with pytest.raises(InvalidInputError):
        exposure.show_media(ctx, "C-1", item, "sharpened")
    with ctx.transaction() as session:
        session.execute(select(Media).where(Media.id == item)).scalar_one().has_thumbnail = False
    with pytest.raises(NotFoundError):
        exposure.show_media(ctx, "C-1", item, "blurred")
    with ctx.transaction() as session:
        assert session.execute(select(ExposureEvent)).first() is None


def test_own_summary_and_team(ctx: ServiceContext, clock: FakeClock) -> None:
    seeded = seed_case(ctx)
    bob = ctx.with_actor("bob")
    for item in seeded.groups[0]:
        exposure.show_media(bob, "C-1", item, "blurred")
    exposure.show_media(bob, "C-1", seeded.groups[0][0], "revealed")
    clock.advance(timedelta(days=8))
    exposure.show_media(bob, "C-1", seeded.groups[1][0], "revealed")
    mine = exposure.my_exposure(bob)
    assert (mine.blurred, mine.revealed, mine.revealed_last_7_days) == (3, 2, 1)
    assert len(mine.days) == 2 and mine.recent[0].media_id == seeded.groups[1][0]
    assert mine.recent[0].case_number == "C-1"
    with pytest.raises(AccessDenied):
        exposure.team_exposure(bob)  # bob leads no case
    team = exposure.team_exposure(ctx)
    assert [m.username for m in team.members] == ["alice", "bob"]
    bob_line = team.members[1]
    assert (bob_line.blurred, bob_line.revealed, bob_line.recent) == (3, 2, ())


def test_team_is_the_cases_you_lead(ctx: ServiceContext) -> None:
    seed_case(ctx, members=())
    add_user(ctx, "carol", ["examiner"])
    cases.create_case(ctx.with_actor("carol"), "C-9", title="t", unit="u")
    cases.add_member(ctx.with_actor("carol"), "C-9", "bob")
    assert [m.username for m in exposure.team_exposure(ctx).members] == ["alice"]
    team = exposure.team_exposure(ctx.with_actor("carol"))
    assert [m.username for m in team.members] == ["bob", "carol"]
