"""De-confliction: holders named without content; requests for access; holder notifications."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError
from sentinela.services import access_requests, deconfliction, series, victim_links
from sentinela.services.context import ServiceContext
from sentinela.services.media_detail import media_detail
from tests.services.victim_id_helpers import (
    Camera,
    World,
    add_image,
    make_world,
    open_case,
    shapes,
)


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    w = make_world(ctx)
    open_case(w, "vera", "A-1", "Unit A")
    open_case(w, "viktor", "B-1", "Unit B")
    cam = Camera("Canon", "EOS 5D", "SN-123")
    add_image(w, "A-1", "a1", shapes(1), camera=cam)
    add_image(w, "B-1", "b1", shapes(2), camera=cam)
    add_image(w, "B-1", "a1-copy", shapes(1), media_id=w.media["a1"])
    return w


def _sha(world: World, name: str) -> str:
    detail = media_detail(world.as_("vera"), "A-1", world.media[name])
    return detail.sha256


def test_media_holders_are_named_without_content(world: World) -> None:
    answer = deconfliction.who_holds(world.as_("vera"), "media", _sha(world, "a1").upper())
    assert [(h.case_number, h.unit, h.you_are_member) for h in answer.holders] == [
        ("A-1", "Unit A", True),
        ("B-1", "Unit B", False),
    ]
    assert answer.holders[1].contact == "viktor"  # the lead, until a contact is set
    flat = str(asdict(answer))
    assert "photos" not in flat and "thumbnail" not in flat  # no path, no content
    md5 = media_detail(world.as_("vera"), "A-1", world.media["a1"]).md5
    assert len(deconfliction.who_holds(world.as_("vera"), "media", md5).holders) == 2
    with pytest.raises(InvalidInputError):
        deconfliction.who_holds(world.as_("vera"), "media", "not-a-hash")
    with pytest.raises(AccessDenied):  # the administrator role does not de-conflict
        deconfliction.who_holds(world.as_("admin"), "media", md5)


def test_camera_series_and_identifier_holders(world: World) -> None:
    vera, viktor = world.as_("vera"), world.as_("viktor")
    cameras = deconfliction.who_holds(vera, "camera", " SN-123 ")
    assert [h.case_number for h in cameras.holders] == ["A-1", "B-1"]
    sid = series.create_series(vera, "Blue Room", "A-1")
    victim_links.add_link(vera, "series", sid, "case", "", "A-1")
    assert [
        h.case_number for h in deconfliction.who_holds(viktor, "series", "blue  room").holders
    ] == ["A-1"]
    deconfliction.add_identifier(viktor, "B-1", "email", " Suspect@Example.ORG ")
    deconfliction.add_identifier(viktor, "B-1", "phone", "+44 (0)20 7946-0000")
    deconfliction.add_identifier(viktor, "B-1", "username", "@Shadow_Fox")
    with pytest.raises(AlreadyExistsError):
        deconfliction.add_identifier(viktor, "B-1", "email", "suspect@example.org")
    with pytest.raises(AccessDenied):
        deconfliction.add_identifier(vera, "B-1", "email", "x@example.org")
    for value in ("suspect@example.org", "+44 (0) 20 7946 0000", "shadow_fox", "@SHADOW_FOX"):
        found = deconfliction.who_holds(vera, "identifier", value)
        assert [h.case_number for h in found.holders] == ["B-1"], value
    assert deconfliction.who_holds(vera, "identifier", "nobody@example.org").holders == ()
    assert deconfliction.identifier_kind("a@b.c") == "email"
    assert deconfliction.identifier_kind("+1 555 0100") == "phone"
    assert deconfliction.identifier_kind("@handle") == "username"


def test_holders_are_told_only_when_they_asked(world: World) -> None:
    vera, viktor = world.as_("vera"), world.as_("viktor")
    sha = _sha(world, "a1")
    assert deconfliction.who_holds(vera, "media", sha).notified == 0
    access_requests.set_holder_preferences(
        viktor, "B-1", contact="B desk, +44 20 0000", notify_on_check=True
    )
    answer = deconfliction.who_holds(vera, "media", sha)
    assert answer.notified == 1 and answer.holders[1].contact == "B desk, +44 20 0000"
    page = access_requests.holder_page(viktor, "B-1")
    assert [(n.checked_by, n.checker_unit, n.subject_kind) for n in page.notifications] == [
        ("vera", "Unit A", "media")
    ]
    deconfliction.who_holds(viktor, "media", sha)  # the holder itself checking: no notice
    assert len(access_requests.holder_page(viktor, "B-1").notifications) == 1
    from sentinela.services import cases

    cases.add_member(viktor, "B-1", "ivan")
    with pytest.raises(AccessDenied):  # a member, but only a lead may change the preferences
        access_requests.set_holder_preferences(
            world.as_("ivan"), "B-1", contact="x", notify_on_check=False
        )


def test_access_request_workflow(world: World) -> None:
    vera, viktor = world.as_("vera"), world.as_("viktor")
    b1 = world.media["b1"]
    with pytest.raises(AccessDenied):
        media_detail(vera, "B-1", b1)
    req = access_requests.request_access(vera, "B-1", "camera", "SN-123", "same camera as A-1")
    assert (req.status, req.requester_unit) == ("pending", "Unit A")
    with pytest.raises(AlreadyExistsError):
        access_requests.request_access(vera, "B-1", "camera", "SN-123", "again")
    with pytest.raises(InvalidInputError):
        access_requests.request_access(vera, "A-1", "camera", "SN-123", "my own case")
    with pytest.raises(AccessDenied):  # vera does not lead B-1
        access_requests.decide_access_request(vera, req.request_id, grant=True)
    assert [r.request_id for r in access_requests.holder_page(viktor, "B-1").requests] == [
        req.request_id
    ]
    granted = access_requests.decide_access_request(viktor, req.request_id, grant=True, note="ok")
    assert (granted.status, granted.decided_by) == ("granted", "viktor")
    assert media_detail(vera, "B-1", b1).media_id == b1  # need-to-know granted
    with pytest.raises(InvalidInputError):
        access_requests.decide_access_request(viktor, req.request_id, grant=False)
    assert [r.status for r in access_requests.my_requests(vera)] == ["granted"]


def test_refused_request_grants_nothing(world: World) -> None:
    ivan = world.as_("ivan")
    req = access_requests.request_access(ivan, "B-1", "media", "abc", "lead from Unit C")
    refused = access_requests.decide_access_request(
        world.as_("viktor"), req.request_id, grant=False, note="not needed"
    )
    assert refused.status == "refused"
    with pytest.raises(AccessDenied):
        access_requests.holder_page(ivan, "B-1")
