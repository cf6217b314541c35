"""Series: opened in a home case, linked to media through cases, shown by need-to-know."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError
from sentinela.services import series, victim_links, victims
from sentinela.services.context import ServiceContext
from sentinela.services.victim_id_access import SubjectNotVisible
from tests.services.victim_id_helpers import World, add_image, make_world, open_case, shapes


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    w = make_world(ctx)
    open_case(w, "vera", "A-1", "Unit A")
    open_case(w, "viktor", "B-1", "Unit B")
    add_image(w, "A-1", "a1", shapes(1))
    add_image(w, "B-1", "b1", shapes(2))
    return w


def _actions(ctx: ServiceContext) -> list[str]:
    with ctx.transaction() as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def test_open_link_and_show_a_series(world: World) -> None:
    vera = world.as_("vera")
    sid = series.create_series(vera, "  Blue   Room ", "A-1", description="wallpaper")
    victim_links.add_link(
        vera, "series", sid, "media", str(world.media["a1"]), "A-1", note="same room"
    )
    victim_links.add_link(vera, "series", sid, "exhibit", "EXH-1", "A-1")
    detail = series.show_series(vera, sid)
    assert detail.name == "Blue Room" and detail.home_case == "A-1" and detail.home_unit == "Unit A"
    kinds = {(line.kind, line.case_number) for line in detail.links}
    assert kinds == {("media", "A-1"), ("exhibit", "A-1")}
    media_line = next(line for line in detail.links if line.kind == "media")
    assert (
        media_line.has_thumbnail
        and media_line.note == "same room"
        and media_line.linked_by == "vera"
    )
    assert detail.hidden.count == 0
    assert [s.name for s in series.list_series(vera)] == ["Blue Room"]
    actions = _actions(world.ctx)
    assert {"series.create", "series.link", "series.view"} <= set(actions)


def test_linking_media_from_a_case_you_are_not_a_member_of_is_refused(world: World) -> None:
    vera = world.as_("vera")
    sid = series.create_series(vera, "Blue Room", "A-1")
    with pytest.raises(AccessDenied):  # B-1 is Unit B's case
        victim_links.add_link(vera, "series", sid, "media", str(world.media["b1"]), "B-1")
    with pytest.raises(AccessDenied):  # nor through her own case, which does not hold it
        victim_links.add_link(vera, "series", sid, "media", str(world.media["b1"]), "A-1")
    assert series.show_series(vera, sid).links == ()


def test_other_units_links_are_counted_not_shown(world: World) -> None:
    vera, viktor = world.as_("vera"), world.as_("viktor")
    sid = series.create_series(vera, "Blue Room", "A-1")
    victim_links.add_link(vera, "series", sid, "media", str(world.media["a1"]), "A-1")
    with pytest.raises(SubjectNotVisible):  # viktor has no case in the series yet
        series.show_series(viktor, sid)
    # vera, a member of B-1 too, links B-1's item: viktor now sees the series through B-1
    from sentinela.services import cases

    cases.add_member(viktor, "B-1", "vera")
    victim_links.add_link(vera, "series", sid, "media", str(world.media["b1"]), "B-1")
    seen = series.show_series(viktor, sid)
    assert seen.home_case is None and seen.home_unit == "Unit A"
    assert [(line.kind, line.case_number) for line in seen.links] == [("media", "B-1")]
    assert (seen.hidden.count, seen.hidden.units) == (1, ("Unit A",))
    assert "1 match(es) in cases you are not a member of (owning units: Unit A)" in (
        seen.hidden.sentence
    )


def test_series_rules(world: World) -> None:
    vera = world.as_("vera")
    sid = series.create_series(vera, "Blue Room", "A-1")
    with pytest.raises(AlreadyExistsError):
        series.create_series(vera, "blue room", "A-1")
    with pytest.raises(InvalidInputError):
        series.create_series(vera, "   ", "A-1")
    with pytest.raises(AccessDenied):  # not a member of B-1
        series.create_series(vera, "Other", "B-1")
    with pytest.raises(AccessDenied):  # an examiner is not a victim-identification specialist
        series.create_series(world.as_("alice"), "Other", "A-1")
    with pytest.raises(AlreadyExistsError):
        victim_links.add_link(vera, "series", sid, "case", "", "A-1")
        victim_links.add_link(vera, "series", sid, "case", "", "A-1")
    with pytest.raises(InvalidInputError):
        victim_links.add_link(vera, "series", sid, "series", str(sid), "A-1")
    with pytest.raises(InvalidInputError):
        victim_links.add_link(vera, "series", sid, "media", "abc", "A-1")
    with pytest.raises(SubjectNotVisible):
        series.show_series(vera, 9999)


def test_series_victim_link_shows_on_both_sides(world: World) -> None:
    vera = world.as_("vera")
    sid = series.create_series(vera, "Blue Room", "A-1")
    vid = victims.create_victim(vera, "A-1")
    victim_links.add_link(vera, "series", sid, "victim", str(vid), "A-1")
    with pytest.raises(AlreadyExistsError):  # the same pair, the other way round
        victim_links.add_link(vera, "victim", vid, "series", str(sid), "A-1")
    victim_view = victims.show_victim(vera, vid)
    assert [(line.direction, line.kind, line.label) for line in victim_view.links] == [
        ("in", "series", "Blue Room")
    ]
