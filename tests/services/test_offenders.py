"""Offenders: recorded by investigators or specialists, seen by need-to-know."""

from __future__ import annotations

import re

import pytest

from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services import offenders, victim_links, victims
from sentinela.services.context import ServiceContext
from sentinela.services.victim_id_access import SubjectNotVisible
from tests.services.victim_id_helpers import World, add_image, make_world, open_case, shapes


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    w = make_world(ctx)
    open_case(w, "ivan", "C-1", "Unit C", members=("vera",))
    add_image(w, "C-1", "c1", shapes(3))
    return w


def test_investigator_records_and_links_an_offender(world: World) -> None:
    ivan, vera = world.as_("ivan"), world.as_("vera")
    oid = offenders.create_offender(ivan, "C-1", known_as="  'Uncle'  Bob ")
    victim_links.add_link(ivan, "offender", oid, "media", str(world.media["c1"]), "C-1")
    detail = offenders.show_offender(ivan, oid)
    assert re.fullmatch(r"O-[0-9A-F]{8}", detail.pseudonym)
    assert detail.known_as == "'Uncle' Bob" and detail.home_case == "C-1"
    assert [line.kind for line in detail.links] == ["media"]
    vid = victims.create_victim(vera, "C-1")
    victim_links.add_link(vera, "victim", vid, "offender", str(oid), "C-1")
    assert [line.kind for line in offenders.show_offender(vera, oid).links] == ["media", "victim"]
    assert [o.offender_id for o in offenders.list_offenders(vera)] == [oid]


def test_offender_access(world: World) -> None:
    oid = offenders.create_offender(world.as_("ivan"), "C-1")
    with pytest.raises(SubjectNotVisible):
        offenders.show_offender(world.as_("viktor"), oid)
    with pytest.raises(AccessDenied):  # an examiner may not record offenders
        offenders.create_offender(world.as_("alice"), "C-1")
    with pytest.raises(InvalidInputError):
        offenders.create_offender(world.as_("ivan"), "C-1", known_as="x" * 300)
    assert offenders.list_offenders(world.as_("viktor")) == []
